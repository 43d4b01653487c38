package plugin

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/ledger"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
	"github.com/covenant/contracts/pkg/store"
)

const (
	// ledgerLookback is how far back ended periods are closed.
	ledgerLookback = 2 * 365 * 24 * time.Hour
	// restateWindow is how long after its end a period is recomputed, for late data
	// and corrected targets; a recomputation that differs is appended as a restatement.
	restateWindow = 90 * 24 * time.Hour
	// ledgerActor is who the evaluator writes entries as.
	ledgerActor = "covenant-evaluator"
)

// evaluator closes ended review periods into the ledger, in the background and on read.
type evaluator struct {
	mu      sync.Mutex
	lastRun map[string]time.Time // agreement id → when its periods were last closed
	stop    chan struct{}
	done    chan struct{}
}

func newEvaluator() *evaluator {
	return &evaluator{lastRun: map[string]time.Time{}, stop: make(chan struct{}), done: make(chan struct{})}
}

// startEvaluator runs closePeriods for every agreement now and then every interval, until Dispose.
func (d *Datasource) startEvaluator(interval time.Duration) {
	d.eval = newEvaluator()
	go func() {
		defer close(d.eval.done)
		t := time.NewTimer(5 * time.Second) // let the instance settle first
		defer t.Stop()
		for {
			select {
			case <-d.eval.stop:
				return
			case <-t.C:
				_ = d.evaluateOnce(interval)
				t.Reset(interval)
			}
		}
	}()
}

// evaluateOnce closes what has ended; Dispose cancels it, and a panic is
// logged and recovered so that the next run tries again. It returns what
// went wrong, as logged.
func (d *Datasource) evaluateOnce(interval time.Duration) (err error) {
	ctx, cancel := d.bounded(context.Background(), interval)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			err = recovered("closing review periods", r)
		}
	}()
	if _, err = d.closeAll(ctx); err != nil && ctx.Err() == nil {
		log.DefaultLogger.Warn("Covenant: closing review periods failed; the next run tries again", "error", err)
	}
	return err
}

func (d *Datasource) stopEvaluator() {
	if d.eval != nil && d.eval.stop != nil {
		close(d.eval.stop)
		<-d.eval.done
	}
}

// closeAll closes every agreement's ended periods.
func (d *Datasource) closeAll(ctx context.Context) (int, error) {
	snap, err := d.registry.Snapshot(ctx)
	if err != nil {
		return 0, err
	}
	return d.closePeriods(ctx, snap, snap.AllAgreements(), now())
}

// closePeriods writes the ledger entries of the agreements' ended periods as of
// at: the close of each period not closed yet, and a restatement for each
// recently ended one whose recomputation differs. It returns how many it appended.
func (d *Datasource) closePeriods(ctx context.Context, snap *registry.Snapshot, agreements []*models.Agreement, at time.Time) (int, error) {
	appended := 0
	for _, g := range agreements {
		n, err := d.closeAgreement(ctx, snap, g, at)
		appended += n
		if err != nil {
			return appended, err
		}
		if d.eval != nil {
			d.eval.mu.Lock()
			d.eval.lastRun[g.ID] = at
			d.eval.mu.Unlock()
		}
	}
	return appended, nil
}

func (d *Datasource) closeAgreement(ctx context.Context, snap *registry.Snapshot, g *models.Agreement, at time.Time) (int, error) {
	periods, err := compliance.Periods(g.Period, at.Add(-ledgerLookback), at, 1000)
	if err != nil {
		return 0, err
	}
	existing, err := d.registry.Store.Ledger(ctx, store.LedgerFilter{AgreementID: g.ID})
	if err != nil {
		return 0, err
	}
	closed := map[int64]bool{}
	for _, e := range existing {
		closed[e.PeriodStart.UnixMilli()] = true
	}
	var due []compliance.Period
	for _, p := range periods {
		if !p.Closed(at) {
			continue
		}
		if !closed[p.Start.UnixMilli()] || at.Sub(p.End) <= restateWindow {
			due = append(due, p)
		}
	}
	if len(due) == 0 {
		return 0, nil
	}
	a, err := d.loadAgreement(ctx, snap, g, due[0].Start, due[len(due)-1].End, at)
	if err != nil {
		return 0, err
	}
	versions := a.versions()
	appended := 0
	for _, p := range due {
		r := a.evaluate(p, at)
		if !r.Closed {
			continue // a bucket that started in the period has not closed yet: a later run closes it
		}
		in := a.inputs(p)
		snapshot, err := json.Marshal(ledger.Snapshot{Result: r, Versions: versions, Inputs: in})
		if err != nil {
			return appended, err
		}
		_, ok, err := d.registry.Store.LedgerAppend(ctx, store.LedgerEntry{AgreementID: g.ID, ContractID: g.ContractID, PeriodStart: p.Start,
			PeriodEnd: p.End, ComputedAt: at, Digest: in.Digest(), Snapshot: snapshot, Actor: ledgerActor})
		if err != nil {
			return appended, err
		}
		if ok {
			appended++
		}
	}
	return appended, nil
}

// versions are the registry versions of what an agreement's result is computed with.
func (a *agreementData) versions() map[string]int64 {
	v := map[string]int64{"agreement/" + a.agreement.ID: a.agreement.Version, "contract/" + a.contract.ID: a.contract.Version}
	for _, ct := range a.covered {
		v["assignment/"+ct.assignment.ID] = ct.assignment.Version
		v["tracker/"+ct.tracker.ID] = ct.tracker.Version
	}
	return v
}

// ensureClosed closes the agreements' periods on read when the evaluator has not
// done so within the interval (a new instance, or the evaluator is behind).
func (d *Datasource) ensureClosed(ctx context.Context, snap *registry.Snapshot, agreements []*models.Agreement, at time.Time) error {
	var stale []*models.Agreement
	interval := time.Duration(d.settings.LedgerIntervalSeconds) * time.Second
	for _, g := range agreements {
		last := time.Time{}
		if d.eval != nil {
			d.eval.mu.Lock()
			last = d.eval.lastRun[g.ID]
			d.eval.mu.Unlock()
		}
		if at.Sub(last) > interval {
			stale = append(stale, g)
		}
	}
	_, err := d.closePeriods(ctx, snap, stale, at)
	return err
}
