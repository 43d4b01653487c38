package plugin

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/connector"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/ledger"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
)

// coveredTracker is one tracker an agreement covers, resolved from the registry,
// with its figures (timeslice) or requests (occurrence) over the periods asked for.
type coveredTracker struct {
	assignment *models.Assignment
	tracker    *models.Tracker
	def        models.TrackerDef
	weight     float64
	mode       string
	figures    kpi.Figures          // timeslice
	requests   []compliance.Request // occurrence
}

// agreementData is what an agreement's evaluation reads, fetched once for a span of periods.
type agreementData struct {
	agreement *models.Agreement
	contract  *models.Contract
	covered   []coveredTracker
}

// loadAgreement resolves an agreement's covered trackers and fetches their data over [from, to), as of at.
func (d *Datasource) loadAgreement(ctx context.Context, snap *registry.Snapshot, g *models.Agreement, from, to, at time.Time) (*agreementData, error) {
	contract := snap.Contracts[g.ContractID]
	if contract == nil {
		return nil, fmt.Errorf("agreement %q refers to contract %q, which is missing: report this as a Covenant bug", g.ID, g.ContractID)
	}
	out := &agreementData{agreement: g, contract: contract}
	for i, at0 := range g.Trackers {
		field := fmt.Sprintf("agreement %q trackers[%d]", g.ID, i)
		a := snap.Assignment(g.ContractID, at0.AssignmentID)
		if a == nil {
			return nil, models.QueryFieldError(field+".assignmentId", fmt.Sprintf("assignment %q is not on contract %q any more: edit the agreement", at0.AssignmentID, g.ContractID))
		}
		t := snap.Trackers[a.TrackerID]
		k := snap.KPIs[t.KPIID]
		def := t.Def(models.KPIDef{Name: k.Name, Unit: k.Unit, ConnectorQuery: k.ConnectorQuery, Direction: k.Direction})
		if a.TargetOverride != nil {
			def.Target = *a.TargetOverride
		}
		ct := coveredTracker{assignment: a, tracker: t, def: def, weight: at0.Weight, mode: at0.Mode}
		if ct.mode == "" {
			ct.mode = compliance.Timeslice
		}
		var err error
		if ct.mode == compliance.Occurrence {
			ct.requests, err = d.fetchRequests(ctx, def, a.Key, from, minTime(to, at), field)
		} else {
			ct.figures, err = d.fetchFigures(ctx, def, a.Key, from, to, at, field)
		}
		if err != nil {
			return nil, err
		}
		out.covered = append(out.covered, ct)
	}
	return out, nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// fetchFigures computes a tracker's buckets over [from, to) as of at.
func (d *Datasource) fetchFigures(ctx context.Context, def models.TrackerDef, key string, from, to, at time.Time, field string) (kpi.Figures, error) {
	t, err := kpi.Compile(def, field)
	if err != nil {
		return kpi.Figures{}, err
	}
	starts, err := kpi.Buckets(from, to, t.Interval, t.Location)
	if err != nil {
		return kpi.Figures{}, err
	}
	c, err := d.connector(ctx, def.KPI.Connector)
	if err != nil {
		return kpi.Figures{}, prefixField(err, field+".kpi.", "")
	}
	req := connector.Request{ConnectorQuery: def.KPI.ConnectorQuery, From: starts[0], To: starts[len(starts)-1], Key: key}
	actual, _, err := connector.Figures(ctx, c, req, starts, t.Method, def.Condition)
	if err != nil {
		return kpi.Figures{}, prefixField(err, field+".kpi.", "rawSql")
	}
	return t.Evaluate(starts, actual, at).Figures, nil
}

// fetchRequests reads a request-based KPI's rows over [from, to): each with its status.
func (d *Datasource) fetchRequests(ctx context.Context, def models.TrackerDef, key string, from, to time.Time, field string) ([]compliance.Request, error) {
	if def.Method != "ratio" || def.Condition == nil {
		return nil, models.QueryFieldError(field+".mode", "occurrence compliance needs a ratio tracker: its condition is the requests' goal")
	}
	if !to.After(from) {
		return nil, nil
	}
	c, err := d.connector(ctx, def.KPI.Connector)
	if err != nil {
		return nil, prefixField(err, field+".kpi.", "")
	}
	if !c.Type().IsSQL() {
		return nil, models.QueryFieldError(field+".mode", "occurrence compliance reads a status column, which HTTP connectors do not map yet: use the timeslice mode, or a SQL connector")
	}
	rows, err := c.Rows(ctx, connector.Request{ConnectorQuery: def.KPI.ConnectorQuery, From: from, To: to, Key: key})
	if err != nil {
		return nil, prefixField(err, field+".kpi.", "rawSql")
	}
	if rows.Open == nil && len(rows.Times) > 0 {
		return nil, models.QueryFieldError(field+".kpi.rawSql", "occurrence compliance needs a status column (in_progress for open requests): add one to the KPI's query")
	}
	out := make([]compliance.Request, len(rows.Times))
	for i := range rows.Times {
		out[i] = compliance.Request{Time: time.Unix(0, rows.Times[i]), Value: rows.Values[i], Open: rows.Open[i]}
	}
	return out, nil
}

// evaluate computes the agreement's result for one period as of at (a time
// inside or after the period), from the data fetched for it.
func (a *agreementData) evaluate(p compliance.Period, at time.Time) compliance.Result {
	covered := make([]compliance.Covered, 0, len(a.covered))
	for _, ct := range a.covered {
		var c compliance.Counts
		if ct.mode == compliance.Occurrence {
			c = compliance.OccurrenceCounts(ct.requests, *ct.def.Condition, ct.def.KPI.Unit, p, at, ct.def.TrendWindow)
		} else {
			c = compliance.TimesliceCounts(closedBy(ct.figures, at), p, ct.def.TrendWindow)
		}
		covered = append(covered, compliance.Covered{AssignmentID: ct.assignment.ID, TrackerID: ct.tracker.ID, Name: ct.tracker.Name, Weight: ct.weight, Counts: c})
	}
	return compliance.Evaluate(a.agreement, p, at, covered, a.contract.Value)
}

// closedBy is the figures as they stood at t: buckets ending after t are open.
func closedBy(f kpi.Figures, t time.Time) kpi.Figures {
	out := f
	out.Closed = make([]bool, len(f.Closed))
	for i := range f.End {
		out.Closed[i] = f.Closed[i] && !f.End[i].After(t)
	}
	return out
}

// inputs are everything a period's result is computed from (their SHA-256 is
// the entry's digest): the agreement, each covered tracker's definition, key
// and target, and its figures or requests inside the period. A recomputation
// with another digest saw other inputs (late data, a corrected target).
func (a *agreementData) inputs(p compliance.Period) *ledger.Inputs {
	g := *a.agreement
	g.Meta = models.Meta{ID: g.ID}
	in := &ledger.Inputs{Agreement: g, ContractValue: a.contract.Value, Period: p}
	for _, ct := range a.covered {
		buckets, late := ledger.BucketsIn(ct.figures.Start, ct.figures.End, ct.figures.Actual, p)
		in.ByStart = in.ByStart || late
		in.Trackers = append(in.Trackers, ledger.TrackerInput{Assignment: ct.assignment.ID, Key: ct.assignment.Key, Def: ct.def, Mode: ct.mode, Weight: ct.weight,
			Buckets: buckets, Requests: ledger.RequestsIn(ct.requests, p)})
	}
	return in
}

// settledAt is when the period's result becomes final: when the last bucket
// that counts in it ends (after the period's end when a bucket straddles it).
func (a *agreementData) settledAt(p compliance.Period) time.Time {
	settled := p.End
	for _, ct := range a.covered {
		if s := compliance.SettledAt(ct.figures, p); s.After(settled) {
			settled = s
		}
	}
	return settled
}

func jsonFloat(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}
