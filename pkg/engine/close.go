package engine

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/connector"
	"github.com/covenant/contracts/pkg/ledger"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
	"github.com/covenant/contracts/pkg/store"
)

const (
	// LedgerLookback is how far back ended periods are closed.
	LedgerLookback = 2 * 365 * 24 * time.Hour
	// RestateWindow is how long after its end a period is recomputed, for late data
	// and corrected targets; a recomputation that differs is appended as a restatement.
	RestateWindow = 90 * 24 * time.Hour
	// LedgerActor is who the evaluator writes entries as.
	LedgerActor = "covenant-evaluator"
)

// Start runs CloseAll now (after a short settling delay) and then every
// LedgerInterval, until Stop. run is how each pass is run: the caller bounds
// it in time and recovers its panics.
func (e *Engine) Start(run func(pass func(context.Context) error) error) {
	e.stop, e.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(e.done)
		t := time.NewTimer(5 * time.Second) // let the instance settle first
		defer t.Stop()
		for {
			select {
			case <-e.stop:
				return
			case <-t.C:
				_ = run(func(ctx context.Context) error { _, err := e.CloseAll(ctx); return err })
				t.Reset(e.LedgerInterval)
			}
		}
	}()
}

// Stop ends the background evaluator started by Start and waits for it.
func (e *Engine) Stop() {
	if e.stop != nil {
		close(e.stop)
		<-e.done
		e.stop = nil
	}
}

// CloseAll closes every agreement's ended periods as of now.
func (e *Engine) CloseAll(ctx context.Context) (int, error) {
	snap, err := e.Registry.Snapshot(ctx)
	if err != nil {
		return 0, err
	}
	return e.ClosePeriods(ctx, snap, snap.AllAgreements(), e.Now())
}

// ClosePeriods writes the ledger entries of the agreements' ended periods as of
// at: the close of each period not closed yet, and a restatement for each
// recently ended one whose recomputation differs. It returns how many it appended.
func (e *Engine) ClosePeriods(ctx context.Context, snap *registry.Snapshot, agreements []*models.Agreement, at time.Time) (int, error) {
	// The ledger reads cached buckets only where a watermark vouches for them.
	ctx = e.ShareSeries(connector.Strict(ctx), snap, agreements)
	appended := 0
	for _, g := range agreements {
		n, err := e.closeAgreement(ctx, snap, g, at)
		appended += n
		if err != nil {
			return appended, err
		}
		e.mu.Lock()
		e.lastRun[g.ID] = at
		e.mu.Unlock()
	}
	return appended, nil
}

func (e *Engine) closeAgreement(ctx context.Context, snap *registry.Snapshot, g *models.Agreement, at time.Time) (int, error) {
	periods, err := compliance.Periods(g.Period, at.Add(-LedgerLookback), at, 1000)
	if err != nil {
		return 0, err
	}
	// The results' snapshots are not read: their digests say whether a
	// recomputation differs, and a period's lifecycle reads only its acts.
	existing, err := e.Registry.Store.Ledger(ctx, store.LedgerFilter{AgreementID: g.ID, NoResultSnapshots: true})
	if err != nil {
		return 0, err
	}
	closed := map[int64]bool{}
	byPeriod := map[int64][]store.LedgerEntry{}
	latest := map[int64]store.LedgerEntry{} // each period's latest result
	for _, en := range existing {
		k := en.PeriodStart.UnixMilli()
		closed[k] = true
		byPeriod[k] = append(byPeriod[k], en)
		if cur, ok := latest[k]; ledger.IsResult(en.Kind) && (!ok || en.Seq > cur.Seq) {
			latest[k] = en
		}
	}
	var due []compliance.Period
	for _, p := range periods {
		if !p.Closed(at) {
			continue
		}
		if !closed[p.Start.UnixMilli()] || at.Sub(p.End) <= RestateWindow {
			due = append(due, p)
		}
	}
	if len(due) == 0 {
		return 0, nil
	}
	a, err := e.LoadAgreement(ctx, snap, g, due[0].Start, due[len(due)-1].End, at)
	if err != nil {
		return 0, err
	}
	versions := a.Versions()
	appended := 0
	for _, p := range due {
		r := a.Evaluate(p, at)
		if !r.Closed {
			continue // a bucket that started in the period has not closed yet: a later run closes it
		}
		in := a.Inputs(p)
		if r, err = agreedResult(in, r, byPeriod[p.Start.UnixMilli()], at); err != nil {
			return appended, err
		}
		raw, err := in.JSON()
		if err != nil {
			return appended, err
		}
		digest := ledger.DigestOf(raw)
		if cur, ok := latest[p.Start.UnixMilli()]; ok && cur.Digest == digest {
			continue // the same inputs as the period's latest result: nothing to append (LedgerAppend would decide the same)
		}
		excluded, err := in.Exclusions()
		if err != nil {
			return appended, err
		}
		snapshot, err := ledger.MarshalSnapshot(ledger.Snapshot{Result: r, Versions: versions, Exclusions: excluded}, raw)
		if err != nil {
			return appended, err
		}
		_, ok, err := e.Registry.Store.LedgerAppend(ctx, store.LedgerEntry{AgreementID: g.ID, ContractID: g.ContractID, PeriodStart: p.Start,
			PeriodEnd: p.End, ComputedAt: at, Digest: digest, Snapshot: snapshot, Actor: LedgerActor})
		if err != nil {
			return appended, err
		}
		if ok {
			appended++
		}
	}
	return appended, nil
}

// EnsureClosed closes the agreements' periods on read when the evaluator has not
// done so within the interval (a new instance, or the evaluator is behind).
func (e *Engine) EnsureClosed(ctx context.Context, snap *registry.Snapshot, agreements []*models.Agreement, at time.Time) error {
	var stale []*models.Agreement
	for _, g := range agreements {
		e.mu.Lock()
		last := e.lastRun[g.ID]
		e.mu.Unlock()
		if at.Sub(last) > e.LedgerInterval {
			stale = append(stale, g)
		}
	}
	_, err := e.ClosePeriods(ctx, snap, stale, at)
	return err
}

// agreedResult applies the exclusions agreed by the period's restated
// resolutions (if any) to its inputs and its result r, computed again from the
// inputs; the trackers keep r's names.
func agreedResult(in *ledger.Inputs, r compliance.Result, period []store.LedgerEntry, at time.Time) (compliance.Result, error) {
	lc, err := ledger.PeriodLifecycle(period)
	if err != nil || len(lc.Agreed) == 0 {
		return r, err
	}
	in.Agreed = lc.Agreed
	out, err := in.Result(at)
	if err != nil {
		return r, err
	}
	for i := range out.Trackers {
		out.Trackers[i].TrackerID, out.Trackers[i].Name = r.Trackers[i].TrackerID, r.Trackers[i].Name
	}
	return out, nil
}

// LedgerEntries closes the selected agreements' ended periods if the evaluator has
// not lately, then reads their ledger: closes and restatements, oldest first.
func (e *Engine) LedgerEntries(ctx context.Context, snap *registry.Snapshot, q *models.AgreementQuery) ([]store.LedgerEntry, error) {
	agreements, err := SelectAgreements(snap, q)
	if err != nil {
		return nil, err
	}
	if err := e.EnsureClosed(ctx, snap, agreements, e.Now()); err != nil {
		return nil, err
	}
	f := store.LedgerFilter{AgreementID: q.Agreement}
	if q.Agreement == "" && q.Contract != "*" {
		f.ContractIDs = models.ContractIDs(q.Contract)
	}
	return e.Registry.Store.Ledger(ctx, f)
}

// VerifyChains checks the hash chains of the agreements that entries belong to.
func (e *Engine) VerifyChains(ctx context.Context, entries []store.LedgerEntry) ([]store.ChainStatus, error) {
	all, err := e.Registry.Store.VerifyLedger(ctx, "")
	if err != nil {
		return nil, err
	}
	ids, _ := store.Chains(entries)
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	out := []store.ChainStatus{}
	for _, c := range all {
		if want[c.AgreementID] {
			out = append(out, c)
		}
	}
	return out, nil
}

// LatestClosed keeps, per agreement and period, the latest close or restatement's
// result (a restatement supersedes), oldest period first.
func LatestClosed(entries []store.LedgerEntry) map[string][]compliance.Result {
	latest := map[string]map[int64]store.LedgerEntry{}
	for _, en := range entries {
		if !ledger.IsResult(en.Kind) {
			continue // an act on a result (sign-off, dispute, resolution) holds none
		}
		m := latest[en.AgreementID]
		if m == nil {
			m = map[int64]store.LedgerEntry{}
			latest[en.AgreementID] = m
		}
		if cur, ok := m[en.PeriodStart.UnixMilli()]; !ok || en.Seq > cur.Seq {
			m[en.PeriodStart.UnixMilli()] = en
		}
	}
	out := map[string][]compliance.Result{}
	for id, m := range latest {
		for _, en := range m {
			var s ledger.Snapshot
			if json.Unmarshal(en.Snapshot, &s) == nil {
				out[id] = append(out[id], s.Result)
			}
		}
		sort.Slice(out[id], func(a, b int) bool { return out[id][a].Period.Start.Before(out[id][b].Period.Start) })
	}
	return out
}
