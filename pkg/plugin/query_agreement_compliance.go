package plugin

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
)

// maxPeriods caps how many review periods one query evaluates.
const maxPeriods = 36

// maxCheckpoints caps the points of compliance drawn per period.
const maxCheckpoints = 400

// selectAgreements resolves an agreement query against the registry.
func selectAgreements(snap *registry.Snapshot, q *models.AgreementQuery) ([]*models.Agreement, error) {
	if q.Agreement != "" {
		for _, g := range snap.AllAgreements() {
			if g.ID == q.Agreement {
				return []*models.Agreement{g}, nil
			}
		}
		return nil, models.QueryFieldError("agreement", fmt.Sprintf("there is no agreement %q in the registry: pick one on a contract's Agreements tab", q.Agreement))
	}
	if q.Contract == "*" {
		return snap.AllAgreements(), nil
	}
	var out []*models.Agreement
	for _, id := range contractIDs(q.Contract) {
		if _, ok := snap.Contracts[id]; !ok {
			return nil, models.QueryFieldError("contract", fmt.Sprintf("there is no contract %q in the registry: choose one on the Contracts page", id))
		}
		out = append(out, snap.Agreements[id]...)
	}
	return out, nil
}

// agreementCompliance answers an agreementCompliance query: for each agreement, its
// compliance through every review period that meets the range (a point per closed
// bucket of its trackers), with the latest figures in the frame's meta; and a
// series per milestone (1 while its condition holds), for alert rules.
func (d *Datasource) agreementCompliance(ctx context.Context, _ backend.PluginContext, q backend.DataQuery) backend.DataResponse {
	aq, err := models.LoadAgreementQuery(q.JSON)
	if err != nil {
		return errorResponse(err)
	}
	ctx, cancel := d.queryTimeout(ctx)
	defer cancel()
	snap, err := d.querySnapshot(ctx)
	if err != nil {
		return errorResponse(err)
	}
	agreements, err := selectAgreements(snap, aq)
	if err != nil {
		return errorResponse(err)
	}
	var resp backend.DataResponse
	at := now()
	for _, g := range agreements {
		frames, err := d.agreementFrames(ctx, snap, g, q.TimeRange, at)
		if err != nil {
			return errorResponse(err)
		}
		for _, f := range frames {
			f.RefID = q.RefID
		}
		resp.Frames = append(resp.Frames, frames...)
	}
	if resp.Frames, err = keepFields(resp.Frames, aq.Fields); err != nil {
		return errorResponse(err)
	}
	if len(resp.Frames) == 0 {
		resp.Frames = append(resp.Frames, data.NewFrame("agreements").SetMeta(&data.FrameMeta{
			Notices: []data.Notice{{Severity: data.NoticeSeverityInfo, Text: "No agreement matches: create one on a contract's Agreements tab."}}}))
	}
	return resp
}

// agreementSeries evaluates an agreement at its checkpoints through every review
// period that meets [from, to), as of at.
func (d *Datasource) agreementSeries(ctx context.Context, snap *registry.Snapshot, g *models.Agreement, from, to, at time.Time) ([]time.Time, []compliance.Result, error) {
	to = minTime(to, at)
	if !to.After(from) {
		to = from.Add(time.Second)
	}
	periods, err := compliance.Periods(g.Period, from, to, maxPeriods)
	if err != nil {
		return nil, nil, prefixField(err, fmt.Sprintf("agreement %q ", g.ID), "")
	}
	if len(periods) == 0 {
		return nil, nil, nil
	}
	a, err := d.loadAgreement(ctx, snap, g, periods[0].Start, periods[len(periods)-1].End, at)
	if err != nil {
		return nil, nil, err
	}
	var times []time.Time
	var results []compliance.Result
	for _, p := range periods {
		for _, c := range a.checkpoints(p, at) {
			times = append(times, c)
			asOf := c
			if c.Equal(p.End) {
				// Drawn at the period's end, the result is as of when its last bucket
				// (one that straddles the end) closed, or now, whichever is sooner.
				asOf = minTime(a.settledAt(p), at)
			}
			results = append(results, a.evaluate(p, asOf))
		}
	}
	return times, results, nil
}

// agreementFrames evaluates one agreement over the periods that meet the range.
func (d *Datasource) agreementFrames(ctx context.Context, snap *registry.Snapshot, g *models.Agreement, tr backend.TimeRange, at time.Time) (data.Frames, error) {
	times, results, err := d.agreementSeries(ctx, snap, g, tr.From, tr.To, at)
	if err != nil || len(times) == 0 {
		return nil, err
	}
	contract := snap.Contracts[g.ContractID]
	labels := data.Labels{"contract": g.ContractID, "agreement": g.Name, "agreementId": g.ID, "counterparty": contract.Counterparty}
	frames := data.Frames{complianceFrame(g, times, results, labels)}
	for _, m := range g.Milestones {
		frames = append(frames, milestoneFrame(g, m, times, results, labels))
	}
	return frames, nil
}

// checkpoints are the times a period's compliance is drawn at: its start, the
// end of each closed bucket of its timeslice trackers (daily for occurrence),
// and the evaluation time (or the period's end once it has closed).
func (a *agreementData) checkpoints(p compliance.Period, at time.Time) []time.Time {
	last := minTime(p.End, at)
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

// complianceFrame is an agreement's compliance through its periods: a wide time
// series with the agreement's figures (docs/figures.md) per checkpoint, the latest result in meta.
func complianceFrame(g *models.Agreement, times []time.Time, rs []compliance.Result, labels data.Labels) *data.Frame {
	n := len(rs)
	num := func(name, display, unit string, get func(r compliance.Result) compliance.Num) *data.Field {
		vals := make([]*float64, n)
		for i, r := range rs {
			if v := get(r); !v.IsNaN() {
				x := float64(v)
				vals[i] = &x
			}
		}
		f := data.NewField(name, labels.Copy(), vals)
		f.Config = &data.FieldConfig{DisplayNameFromDS: g.Name + " " + display, Unit: unit}
		return f
	}
	status := num("status", "status", "none", func(r compliance.Result) compliance.Num { return compliance.Num(compliance.StatusCode(r.Status)) })
	status.Config.Mappings = data.ValueMappings{data.ValueMapper{
		"-1": data.ValueMappingResult{Text: "No data", Color: "text", Index: 0},
		"0":  data.ValueMappingResult{Text: "Compliant", Color: "green", Index: 1},
		"1":  data.ValueMappingResult{Text: "At risk", Color: "orange", Index: 2},
		"2":  data.ValueMappingResult{Text: "Breached", Color: "red", Index: 3},
	}}
	frame := data.NewFrame(g.Name,
		data.NewField("time", nil, times),
		num("compliance", "compliance", "percent", func(r compliance.Result) compliance.Num { return r.Compliance }),
		num("projected", "projected", "percent", func(r compliance.Result) compliance.Num { return r.Projected }),
		num("target", "target", "percent", func(r compliance.Result) compliance.Num { return compliance.Num(r.Target) }),
		num("required_run_rate", "required run-rate", "percent", func(r compliance.Result) compliance.Num { return r.RequiredRunRate }),
		status,
		num("impact_cost", "impact cost", "none", func(r compliance.Result) compliance.Num { return compliance.Num(r.ImpactCost) }),
		num("penalty_reward", "penalty/reward", "none", func(r compliance.Result) compliance.Num { return r.PenaltyReward }),
		num("at_risk_requests", "requests at risk", "none", func(r compliance.Result) compliance.Num { return compliance.Num(r.AtRiskRequests) }),
	)
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesWide, TypeVersion: data.FrameTypeVersion{0, 1}}
	if n > 0 {
		frame.Meta.Custom = map[string]any{"result": rs[n-1], "agreementId": g.ID}
	}
	return frame
}

// milestoneFrame is 1 at the checkpoints where a milestone's condition holds, else 0.
func milestoneFrame(g *models.Agreement, m models.Milestone, times []time.Time, rs []compliance.Result, labels data.Labels) *data.Frame {
	l := labels.Copy()
	l["milestone"] = m.Name
	vals := make([]float64, len(rs))
	for i, r := range rs {
		for _, f := range r.Milestones {
			if f.Name == m.Name {
				vals[i] = 1
			}
		}
	}
	fired := data.NewField("fired", l, vals)
	fired.Config = &data.FieldConfig{DisplayNameFromDS: g.Name + ": " + m.Name, Description: m.Condition}
	frame := data.NewFrame(g.Name+": "+m.Name, data.NewField("time", nil, times), fired)
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesWide, TypeVersion: data.FrameTypeVersion{0, 1}}
	return frame
}
