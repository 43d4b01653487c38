package engine

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/connector"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/ledger"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
)

// MaxPeriods caps how many review periods one query evaluates.
const MaxPeriods = 36

// maxCheckpoints caps the points of compliance drawn per period.
const maxCheckpoints = 400

// coveredTracker is one tracker an agreement covers, resolved from the registry,
// with its figures (timeslice) or requests (occurrence) over the periods asked for.
type coveredTracker struct {
	assignment *models.Assignment
	tracker    *models.Tracker
	def        models.TrackerDef
	weight     float64
	mode       string
	figures    kpi.Figures          // timeslice
	calendar   *calendar.Calendar   // the service calendar it follows (timeslice); nil without one
	requests   []compliance.Request // occurrence
	clock      compliance.GoalClock // occurrence: how open requests are timed against the goal
	// goalCalendar is the calendar of a business-time KPI its goal clock runs on (occurrence); nil without one.
	goalCalendar *calendar.Calendar
}

// Agreement is what an agreement's evaluation reads, fetched once for a span of periods.
type Agreement struct {
	agreement *models.Agreement
	contract  *models.Contract
	covered   []coveredTracker
}

// LoadAgreement resolves an agreement's covered trackers and fetches their data over [from, to), as of at.
func (e *Engine) LoadAgreement(ctx context.Context, snap *registry.Snapshot, g *models.Agreement, from, to, at time.Time) (*Agreement, error) {
	contract := snap.Contracts[g.ContractID]
	if contract == nil {
		return nil, fmt.Errorf("agreement %q refers to contract %q, which is missing: report this as a Covenant bug", g.ID, g.ContractID)
	}
	out := &Agreement{agreement: g, contract: contract}
	for i, at0 := range g.Trackers {
		field := fmt.Sprintf("agreement %q trackers[%d]", g.ID, i)
		a := snap.Assignment(g.ContractID, at0.AssignmentID)
		if a == nil {
			return nil, models.QueryFieldError(field+".assignmentId", fmt.Sprintf("assignment %q is not on contract %q any more: edit the agreement", at0.AssignmentID, g.ContractID))
		}
		def, err := assignedDef(snap, a)
		if err != nil {
			return nil, err
		}
		ct := coveredTracker{assignment: a, tracker: snap.Trackers[a.TrackerID], def: def, weight: at0.Weight, mode: at0.Mode}
		if ct.mode == "" {
			ct.mode = compliance.Timeslice
		}
		if ct.mode == compliance.Occurrence {
			ct.requests, err = e.Requests(ctx, def, a.Key, from, Earlier(to, at), field)
			if err == nil {
				ct.clock, ct.goalCalendar, err = e.goalClock(ctx, def, field)
			}
		} else {
			ct.figures, ct.calendar, err = e.sharedFigures(ctx, def, a.Key, from, to, at, field)
		}
		if err != nil {
			return nil, err
		}
		out.covered = append(out.covered, ct)
	}
	return out, nil
}

// Requests reads a request-based KPI's rows over [from, to): each with its status.
func (e *Engine) Requests(ctx context.Context, def models.TrackerDef, key string, from, to time.Time, field string) ([]compliance.Request, error) {
	if def.Method != "ratio" || def.Condition == nil {
		return nil, models.QueryFieldError(field+".mode", "occurrence compliance needs a ratio tracker: its condition is the requests' goal")
	}
	if !to.After(from) {
		return nil, nil
	}
	c, err := e.Connector(ctx, def.KPI.Connector)
	if err != nil {
		return nil, models.PrefixField(err, field+".kpi.", "")
	}
	if !c.Type().IsSQL() {
		return nil, models.QueryFieldError(field+".mode", "occurrence compliance reads a status column, which HTTP connectors do not map yet: use the timeslice mode, or a SQL connector")
	}
	business, err := e.business(ctx, def.KPI, field)
	if err != nil {
		return nil, err
	}
	keep, err := e.keep(ctx, def, field)
	if err != nil {
		return nil, err
	}
	rows, err := c.Rows(ctx, connector.Request{ConnectorQuery: def.KPI.ConnectorQuery, From: from, To: to, Key: key, Business: business})
	if err != nil {
		return nil, models.PrefixField(err, field+".kpi.", "rawSql")
	}
	rows = kpi.KeepRows(rows, keep)
	if rows.Open == nil && len(rows.Times) > 0 {
		return nil, models.QueryFieldError(field+".kpi.rawSql", "occurrence compliance needs a status column (in_progress for open requests): add one to the KPI's query")
	}
	out := make([]compliance.Request, len(rows.Times))
	for i := range rows.Times {
		out[i] = compliance.Request{Time: time.Unix(0, rows.Times[i]), Value: rows.Values[i], Open: rows.Open[i]}
	}
	return out, nil
}

// Evaluate computes the agreement's result for one period as of at (a time
// inside or after the period), from the data fetched for it.
func (a *Agreement) Evaluate(p compliance.Period, at time.Time) compliance.Result {
	return a.inPeriod(p, false).evaluate(at)
}

// periodEval evaluates an agreement in one period as of any number of times:
// each covered tracker's units in the period are gone over once
// (compliance.TimesliceCursor; requests put in order once), not once per time.
// Prepared for one time, it counts each tracker's buckets directly.
type periodEval struct {
	a       *Agreement
	p       compliance.Period
	cursors []*compliance.TimesliceCursor // timeslice trackers'; nil for occurrence
	ordered [][]compliance.Request        // occurrence trackers' requests in the order opened
	covered []compliance.Covered          // reused per evaluation (compliance.Evaluate copies it)
}

// inPeriod prepares the agreement's evaluation in p: for many times (a
// series of checkpoints), or for one (each tracker's buckets counted directly).
func (a *Agreement) inPeriod(p compliance.Period, many bool) *periodEval {
	pe := &periodEval{a: a, p: p, cursors: make([]*compliance.TimesliceCursor, len(a.covered)),
		ordered: make([][]compliance.Request, len(a.covered)), covered: make([]compliance.Covered, len(a.covered))}
	for i, ct := range a.covered {
		switch {
		case ct.mode == compliance.Occurrence:
			pe.ordered[i] = compliance.OrderRequests(ct.requests)
		case many:
			pe.cursors[i] = compliance.NewTimesliceCursor(ct.figures, p, ct.def.TrendWindow)
		}
		pe.covered[i] = compliance.Covered{AssignmentID: ct.assignment.ID, TrackerID: ct.tracker.ID, Name: ct.tracker.Name, Weight: ct.weight}
	}
	return pe
}

// evaluate is the agreement's result in the period as of at: the figures as
// they stood then (buckets ending after at are open).
func (pe *periodEval) evaluate(at time.Time) compliance.Result {
	for i, ct := range pe.a.covered {
		switch {
		case ct.mode == compliance.Occurrence:
			pe.covered[i].Counts = compliance.OccurrenceCountsOrdered(pe.ordered[i], *ct.def.Condition, ct.clock, pe.p, at, ct.def.TrendWindow)
		case pe.cursors[i] != nil:
			pe.covered[i].Counts = pe.cursors[i].At(at)
		default:
			pe.covered[i].Counts = compliance.TimesliceCountsAt(ct.figures, pe.p, ct.def.TrendWindow, at)
		}
	}
	return compliance.Evaluate(pe.a.agreement, pe.p, at, pe.covered, pe.a.contract.Value)
}

// Inputs are everything a period's result is computed from (their SHA-256 is
// the entry's digest): the agreement, each covered tracker's definition, key
// and target, and its figures or requests inside the period. A recomputation
// with another digest saw other inputs (late data, a corrected target).
func (a *Agreement) Inputs(p compliance.Period) *ledger.Inputs {
	g := *a.agreement
	g.Meta = models.Meta{ID: g.ID}
	in := &ledger.Inputs{Agreement: g, ContractValue: a.contract.Value, Period: p}
	for _, ct := range a.covered {
		buckets, late := ledger.BucketsIn(ct.figures.Start, ct.figures.End, ct.figures.Actual, p)
		in.ByStart = in.ByStart || late
		in.Trackers = append(in.Trackers, ledger.TrackerInput{Assignment: ct.assignment.ID, Key: ct.assignment.Key, Def: ct.def, Mode: ct.mode, Weight: ct.weight,
			Buckets: buckets, Requests: ledger.RequestsIn(ct.requests, p), Calendar: calendarInput(ct.calendar), GoalCalendar: calendarInput(ct.goalCalendar)})
	}
	return in
}

// calendarInput is a calendar as the inputs hold it: its content and id,
// without the rest of its registry metadata (nil stays nil).
func calendarInput(c *calendar.Calendar) *calendar.Calendar {
	if c == nil {
		return nil
	}
	out := *c
	out.Meta = models.Meta{ID: c.ID}
	return &out
}

// Versions are the registry versions of what an agreement's result is computed with.
func (a *Agreement) Versions() map[string]int64 {
	v := map[string]int64{"agreement/" + a.agreement.ID: a.agreement.Version, "contract/" + a.contract.ID: a.contract.Version}
	for _, ct := range a.covered {
		v["assignment/"+ct.assignment.ID] = ct.assignment.Version
		v["tracker/"+ct.tracker.ID] = ct.tracker.Version
		for _, c := range []*calendar.Calendar{ct.calendar, ct.goalCalendar} {
			if c != nil {
				v["calendar/"+c.ID] = c.Version
			}
		}
	}
	return v
}

// SettledAt is when the period's result becomes final: when the last bucket
// that counts in it ends (after the period's end when a bucket straddles it).
func (a *Agreement) SettledAt(p compliance.Period) time.Time {
	settled := p.End
	for _, ct := range a.covered {
		if s := compliance.SettledAt(ct.figures, p); s.After(settled) {
			settled = s
		}
	}
	return settled
}

// Checkpoints are the times a period's compliance is drawn at: its start, the
// end of each closed bucket of its timeslice trackers (daily for occurrence),
// and the evaluation time (or the period's end once it has closed).
func (a *Agreement) Checkpoints(p compliance.Period, at time.Time) []time.Time {
	last := Earlier(p.End, at)
	set := map[int64]bool{p.Start.Unix(): true, last.Unix(): true}
	daily := false
	for _, ct := range a.covered {
		if ct.mode == compliance.Occurrence {
			daily = true
			continue
		}
		for i, e := range ct.figures.End {
			if ct.figures.Start[i].Before(p.Start) || e.After(last) {
				continue
			}
			set[e.Unix()] = true
		}
	}
	if daily {
		for t := p.Start.AddDate(0, 0, 1); t.Before(last); t = t.AddDate(0, 0, 1) {
			set[t.Unix()] = true
		}
	}
	out := make([]time.Time, 0, len(set))
	for s := range set {
		out = append(out, time.Unix(s, 0).UTC())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	if len(out) > maxCheckpoints { // keep the first, the last and evenly spaced ones
		step := float64(len(out)-1) / float64(maxCheckpoints-1)
		thin := make([]time.Time, 0, maxCheckpoints)
		for k := 0; k < maxCheckpoints; k++ {
			thin = append(thin, out[int(float64(k)*step+0.5)])
		}
		out = thin
	}
	return out
}

// AgreementSeries evaluates an agreement at its checkpoints through every review
// period that meets [from, to), as of at.
func (e *Engine) AgreementSeries(ctx context.Context, snap *registry.Snapshot, g *models.Agreement, from, to, at time.Time) ([]time.Time, []compliance.Result, error) {
	to = Earlier(to, at)
	if !to.After(from) {
		to = from.Add(time.Second)
	}
	periods, err := compliance.Periods(g.Period, from, to, MaxPeriods)
	if err != nil {
		return nil, nil, models.PrefixField(err, fmt.Sprintf("agreement %q ", g.ID), "")
	}
	if len(periods) == 0 {
		return nil, nil, nil
	}
	a, err := e.LoadAgreement(ctx, snap, g, periods[0].Start, periods[len(periods)-1].End, at)
	if err != nil {
		return nil, nil, err
	}
	var times []time.Time
	var results []compliance.Result
	for _, p := range periods {
		pe := a.inPeriod(p, true)
		for _, c := range a.Checkpoints(p, at) {
			times = append(times, c)
			asOf := c
			if c.Equal(p.End) {
				// Drawn at the period's end, the result is as of when its last bucket
				// (one that straddles the end) closed, or now, whichever is sooner.
				asOf = Earlier(a.SettledAt(p), at)
			}
			results = append(results, pe.evaluate(asOf))
		}
	}
	return times, results, nil
}
