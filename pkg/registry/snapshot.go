package registry

import (
	"context"
	"sort"
	"sync"

	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/store"
)

// Snapshot is the whole registry in memory, as of one generation of the
// store, for queries that resolve many contracts' trackers at once.
type Snapshot struct {
	Generation  int64
	Contracts   map[string]*models.Contract
	KPIs        map[string]*models.KPI
	Trackers    map[string]*models.Tracker
	Assignments map[string][]*models.Assignment // by contract id, in id order
}

type snapshotCache struct {
	mu   sync.Mutex
	snap *Snapshot
}

// Snapshot returns the registry as of now: the cached one while the store has
// not changed (its generation, the last audit entry, is the same: writes by
// other Grafana servers on a shared store count too), else a fresh load.
func (r *Registry) Snapshot(ctx context.Context) (*Snapshot, error) {
	gen, err := r.Store.Generation(ctx)
	if err != nil {
		return nil, err
	}
	r.cache.mu.Lock()
	defer r.cache.mu.Unlock()
	if s := r.cache.snap; s != nil && s.Generation == gen {
		return s, nil
	}
	s := &Snapshot{Generation: gen, Contracts: map[string]*models.Contract{}, KPIs: map[string]*models.KPI{},
		Trackers: map[string]*models.Tracker{}, Assignments: map[string][]*models.Assignment{}}
	for _, k := range Kinds[:4] { // contracts, kpis, trackers, assignments
		page, err := r.List(ctx, k, store.ListOptions{Unordered: true})
		if err != nil {
			return nil, err
		}
		for _, e := range page.Items {
			switch x := e.(type) {
			case *models.Contract:
				s.Contracts[x.ID] = x
			case *models.KPI:
				s.KPIs[x.ID] = x
			case *models.Tracker:
				s.Trackers[x.ID] = x
			case *models.Assignment:
				s.Assignments[x.ContractID] = append(s.Assignments[x.ContractID], x)
			}
		}
	}
	for _, as := range s.Assignments {
		sort.Slice(as, func(a, b int) bool { return as[a].ID < as[b].ID })
	}
	r.cache.snap = s
	return s, nil
}
