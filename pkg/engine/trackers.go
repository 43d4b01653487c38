package engine

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/connector"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
)

// Job is one tracker to compute: its definition, the key bound to $__key and
// the field path that names it in errors; for a registry tracker, the ids it
// was resolved from.
type Job struct {
	Contract string // the contract it is computed for (a label)
	Def      models.TrackerDef
	Key      string
	Field    string
	// Set for a registry tracker; empty for an inline one.
	TrackerID, KPIID, AssignmentID, Counterparty string
}

// Registered reports whether the job is a registry tracker.
func (j Job) Registered() bool { return j.TrackerID != "" }

// Budget counts down the buckets a query may still compute (all its trackers
// together); a nil budget is unlimited.
type Budget struct{ left int }

// NewBudget is a budget of n buckets.
func NewBudget(n int) *Budget { return &Budget{left: n} }

// take spends n buckets, or says which tracker went over the query's limit.
func (b *Budget) take(n int, field string) error {
	if b == nil {
		return nil
	}
	if b.left -= n; b.left < 0 {
		return models.LimitError(field+".interval", "brings the query's buckets (all its trackers together) to", models.MaxBucketsPerQuery, "buckets", "pick a longer interval, a shorter range or fewer trackers")
	}
	return nil
}

// ContractsWithTrackers lists the registry's contracts that have trackers, in id order.
func ContractsWithTrackers(snap *registry.Snapshot) []string {
	var ids []string
	for id := range snap.Assignments {
		if len(snap.Assignments[id]) > 0 {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// QueryJobs resolves a trackerSeries query's contract field (one id, several,
// or "*" for every contract with trackers) into its registry trackers: each
// contract's, skipping contracts without trackers unless all are. trackerIds
// narrows them: over several contracts, each keeps those of the ids assigned to
// it (a $tracker variable lists the trackers of every chosen contract), and an
// id assigned to none of them is an error.
func QueryJobs(snap *registry.Snapshot, q *models.TrackerSeriesQuery) ([]Job, error) {
	ids := models.ContractIDs(q.Contract)
	if q.Contract == "*" {
		ids = ContractsWithTrackers(snap)
	}
	var jobs []Job
	found := map[string]bool{}
	for _, c := range ids {
		if _, known := snap.Contracts[c]; known && len(ids) > 1 && !hasAny(snap, c, q.TrackerIDs) {
			continue
		}
		one := *q
		one.Contract = c
		if len(ids) > 1 && len(q.TrackerIDs) > 0 {
			one.TrackerIDs = assignedOf(snap, c, q.TrackerIDs)
		}
		more, err := ContractJobs(snap, &one)
		if err != nil {
			return nil, err
		}
		for _, j := range more {
			found[j.TrackerID] = true
		}
		jobs = append(jobs, more...)
	}
	for _, id := range q.TrackerIDs {
		if !found[id] && len(jobs) > 0 {
			return nil, models.QueryFieldError("trackerIds", fmt.Sprintf("%q is not assigned to any of the contracts %s: assign it on a contract's page", id, q.Contract))
		}
	}
	if len(jobs) == 0 {
		what := "has trackers: assign one on a contract's page"
		if len(q.TrackerIDs) > 0 {
			what = fmt.Sprintf("has the trackers %s: pick others", strings.Join(q.TrackerIDs, ", "))
		}
		return nil, models.QueryFieldError("contract", fmt.Sprintf("none of the contracts %s %s", q.Contract, what))
	}
	if len(jobs) > models.MaxTrackersPerQuery {
		return nil, models.LimitError("contract", fmt.Sprintf("%s has %d trackers,", q.Contract, len(jobs)), models.MaxTrackersPerQuery, "trackers", "pick fewer contracts or narrow them with trackerIds")
	}
	return jobs, nil
}

// assignedOf keeps the tracker ids assigned to contract c.
func assignedOf(snap *registry.Snapshot, c string, trackerIDs []string) []string {
	var out []string
	for _, id := range trackerIDs {
		for _, a := range snap.Assignments[c] {
			if a.TrackerID == id {
				out = append(out, id)
				break
			}
		}
	}
	return out
}

// hasAny reports whether contract c has trackers, and one of trackerIDs when any are given.
func hasAny(snap *registry.Snapshot, c string, trackerIDs []string) bool {
	if len(trackerIDs) == 0 {
		return len(snap.Assignments[c]) > 0
	}
	return len(assignedOf(snap, c, trackerIDs)) > 0
}

// ContractJobs resolves one registry contract's assigned trackers (or the ones
// q.TrackerIDs asks for) from the registry's snapshot.
func ContractJobs(snap *registry.Snapshot, q *models.TrackerSeriesQuery) ([]Job, error) {
	contract, ok := snap.Contracts[q.Contract]
	if !ok {
		return nil, models.QueryFieldError("contract", fmt.Sprintf("there is no contract %q in the registry: choose one on the Contracts page, or give trackers inline", q.Contract))
	}
	want := map[string]bool{}
	for _, id := range q.TrackerIDs {
		want[id] = true
	}
	found := map[string]bool{}
	var jobs []Job
	for _, a := range snap.Assignments[q.Contract] {
		if len(want) > 0 && !want[a.TrackerID] {
			continue
		}
		found[a.TrackerID] = true
		def, err := assignedDef(snap, a)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, Job{Contract: q.Contract, Def: def, Key: a.Key, Field: fmt.Sprintf("tracker %q", a.TrackerID),
			TrackerID: a.TrackerID, KPIID: snap.Trackers[a.TrackerID].KPIID, AssignmentID: a.ID, Counterparty: contract.Counterparty})
	}
	for _, id := range q.TrackerIDs {
		if !found[id] {
			return nil, models.QueryFieldError("trackerIds", fmt.Sprintf("%q is not assigned to contract %q: assign it on the contract's page", id, q.Contract))
		}
	}
	if len(jobs) == 0 {
		return nil, models.QueryFieldError("contract", fmt.Sprintf("contract %q has no trackers: assign one on the contract's page", q.Contract))
	}
	return jobs, nil
}

// assignedDef is the definition an assignment computes: its tracker's, with
// the KPI resolved and the assignment's target override applied.
func assignedDef(snap *registry.Snapshot, a *models.Assignment) (models.TrackerDef, error) {
	t, ok := snap.Trackers[a.TrackerID]
	if !ok {
		return models.TrackerDef{}, fmt.Errorf("assignment %q refers to tracker %q, which is missing: report this as a Covenant bug", a.ID, a.TrackerID)
	}
	k, ok := snap.KPIs[t.KPIID]
	if !ok {
		return models.TrackerDef{}, fmt.Errorf("tracker %q refers to KPI %q, which is missing: report this as a Covenant bug", t.ID, t.KPIID)
	}
	def := t.Def(models.KPIDef{Name: k.Name, Unit: k.Unit, ConnectorQuery: k.ConnectorQuery, Direction: k.Direction, BusinessTime: k.BusinessTime})
	if a.TargetOverride != nil {
		def.Target = *a.TargetOverride
	}
	return def, nil
}

// Series is a tracker's figures over a range with how they were computed.
type Series struct {
	kpi.Series
	// LookBack says how far before the range the figures looked (runs of misses, trend).
	LookBack kpi.LookBack
	// Pushed says whether the database computed the range's actuals.
	Pushed bool
	// Counterparty is the demo data's counterparty of the key, for an inline
	// tracker on the demo connector.
	Counterparty string
	// Shading is what a chart shades for a tracker on a service calendar
	// (nil without one): its non-working time and exclusions over the buckets.
	Shading *Shading
}

// TrackerSeries computes a job's series over the buckets that meet [from, to),
// as of at, spending the buckets from budget (nil: unlimited).
func (e *Engine) TrackerSeries(ctx context.Context, j Job, from, to, at time.Time, budget *Budget) (Series, error) {
	t, cal, cc, err := e.compileTracker(ctx, j.Def, j.Field)
	if err != nil {
		return Series{}, err
	}
	starts, err := kpi.Buckets(from, to, t.Interval, t.Location)
	if err != nil {
		return Series{}, err
	}
	if err := budget.take(len(starts)-1, j.Field); err != nil {
		return Series{}, err
	}
	c, err := e.Connector(ctx, j.Def.KPI.Connector)
	if err != nil {
		return Series{}, models.PrefixField(err, j.Field+".kpi.", "")
	}
	business, err := e.business(ctx, j.Def.KPI, j.Field)
	if err != nil {
		return Series{}, err
	}
	out, err := e.rangeSeries(ctx, c, t, business, j.Key, j.Field, starts, at)
	if err != nil {
		return out, err
	}
	if db, ok := c.(*connector.DemoDB); ok && !j.Registered() {
		out.Counterparty = db.Counterparty(j.Key)
	}
	if cc != nil {
		out.Shading = shading(cal, cc, starts[0], starts[len(starts)-1])
	}
	return out, nil
}

// rangeSeries computes a tracker's series over the buckets starts (from its
// connector, with the key bound to $__key) as of at, looking back before them as
// far as its runs of misses and its trend need (kpi.EvaluateBack), so that no
// figure depends on where the range begins.
func (e *Engine) rangeSeries(ctx context.Context, c connector.Connector, t *kpi.Tracker, business *connector.Business, key, field string, starts []time.Time, at time.Time) (Series, error) {
	def := t.Def
	query := "rawSql"
	if !c.Type().IsSQL() {
		query = "path"
	}
	var pushed bool
	fetch := func(st []time.Time) ([]float64, error) {
		// The KPI query covers whole buckets, so the first and last buckets are complete.
		req := connector.Request{ConnectorQuery: def.KPI.ConnectorQuery, From: st[0], To: st[len(st)-1], Key: key, Business: business, Keep: t.Keep}
		actual, p, err := e.bucketFigures(ctx, c, req, st, t)
		if err != nil {
			return nil, models.PrefixField(err, field+".kpi.", query)
		}
		pushed = p
		return actual, nil
	}
	actual, err := fetch(starts)
	if err != nil {
		return Series{}, err
	}
	out := Series{Pushed: pushed}
	out.Series, out.LookBack, err = t.EvaluateBack(starts, actual, at, fetch)
	return out, err
}

// Figures computes a tracker's buckets over [from, to) as of at, without
// looking back (what agreements count).
func (e *Engine) Figures(ctx context.Context, def models.TrackerDef, key string, from, to, at time.Time, field string) (kpi.Figures, error) {
	f, _, err := e.figures(ctx, def, key, from, to, at, field)
	return f, err
}

// figures is Figures, with the service calendar the tracker follows (nil without one).
func (e *Engine) figures(ctx context.Context, def models.TrackerDef, key string, from, to, at time.Time, field string) (kpi.Figures, *calendar.Calendar, error) {
	t, cal, _, err := e.compileTracker(ctx, def, field)
	if err != nil {
		return kpi.Figures{}, nil, err
	}
	starts, err := kpi.Buckets(from, to, t.Interval, t.Location)
	if err != nil {
		return kpi.Figures{}, nil, err
	}
	c, err := e.Connector(ctx, def.KPI.Connector)
	if err != nil {
		return kpi.Figures{}, nil, models.PrefixField(err, field+".kpi.", "")
	}
	business, err := e.business(ctx, def.KPI, field)
	if err != nil {
		return kpi.Figures{}, nil, err
	}
	req := connector.Request{ConnectorQuery: def.KPI.ConnectorQuery, From: starts[0], To: starts[len(starts)-1], Key: key, Business: business, Keep: t.Keep}
	actual, _, err := e.bucketFigures(ctx, c, req, starts, t)
	if err != nil {
		return kpi.Figures{}, nil, models.PrefixField(err, field+".kpi.", "rawSql")
	}
	return t.Evaluate(starts, actual, at).Figures, cal, nil
}

// bucketFigures is connector.Figures through the engine's closed-bucket
// cache (none when Cache is nil): the closed buckets of a query asked before
// are reused while the connector's watermark vouches for them.
func (e *Engine) bucketFigures(ctx context.Context, c connector.Connector, req connector.Request, starts []time.Time, t *kpi.Tracker) ([]float64, bool, error) {
	if e.Cache == nil {
		return connector.Figures(ctx, c, req, starts, t.Method, t.Def.Condition)
	}
	// The rows depend on the versions of the calendars that measure (a
	// business-time KPI's) and keep them (a working-time-only tracker's).
	var measured string
	if req.Business != nil {
		measured = req.Business.Calendar
	}
	key := connector.CacheKey(req, t.Method, t.Def.Condition, measured+";"+t.KeepVersion)
	return e.Cache.CachedFigures(ctx, c, req, starts, t.Method, t.Def.Condition, key, e.Now())
}
