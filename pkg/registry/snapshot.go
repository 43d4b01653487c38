package registry

import (
	"context"
	"sort"
	"sync"

	"github.com/covenant/contracts/pkg/calendar"

	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/store"
)

// Snapshot is the whole registry in memory, as of one generation of the
// store, for queries that resolve many contracts' trackers at once.
type Snapshot struct {
	Generation  int64
	Contracts   map[string]*models.Contract
	Calendars   map[string]*calendar.Calendar
	KPIs        map[string]*models.KPI
	Trackers    map[string]*models.Tracker
	Assignments map[string][]*models.Assignment // by contract id, in id order
	Agreements  map[string][]*models.Agreement  // by contract id, in id order
}

// Assignment finds an assignment of a contract by id.
func (s *Snapshot) Assignment(contractID, id string) *models.Assignment {
	for _, a := range s.Assignments[contractID] {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// AllAgreements lists every agreement, by contract id then id.
func (s *Snapshot) AllAgreements() []*models.Agreement {
	ids := make([]string, 0, len(s.Agreements))
	for id := range s.Agreements {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []*models.Agreement
	for _, id := range ids {
		out = append(out, s.Agreements[id]...)
	}
	return out
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
	s := &Snapshot{Generation: gen, Contracts: map[string]*models.Contract{}, Calendars: map[string]*calendar.Calendar{}, KPIs: map[string]*models.KPI{},
		Trackers: map[string]*models.Tracker{}, Assignments: map[string][]*models.Assignment{}, Agreements: map[string][]*models.Agreement{}}
	for _, k := range Kinds {
		page, err := r.List(ctx, k, store.ListOptions{Unordered: true})
		if err != nil {
			return nil, err
		}
		for _, e := range page.Items {
			switch x := e.(type) {
			case *models.Contract:
				s.Contracts[x.ID] = x
			case *calendar.Calendar:
				s.Calendars[x.ID] = x
			case *models.KPI:
				s.KPIs[x.ID] = x
			case *models.Tracker:
				s.Trackers[x.ID] = x
			case *models.Assignment:
				s.Assignments[x.ContractID] = append(s.Assignments[x.ContractID], x)
			case *models.Agreement:
				s.Agreements[x.ContractID] = append(s.Agreements[x.ContractID], x)
			}
		}
	}
	for _, as := range s.Assignments {
		sort.Slice(as, func(a, b int) bool { return as[a].ID < as[b].ID })
	}
	for _, gs := range s.Agreements {
		sort.Slice(gs, func(a, b int) bool { return gs[a].ID < gs[b].ID })
	}
	r.cache.snap = s
	return s, nil
}
