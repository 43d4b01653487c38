package plugin

import (
	"context"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/engine"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
)

// agreementCompliance answers an agreementCompliance query: for each agreement, its
// compliance through every review period that meets the range (a point per closed
// bucket of its trackers), with the latest figures in the frame's meta; and a
// series per milestone (1 while its condition holds), for alert rules.
func (d *Datasource) agreementCompliance(ctx context.Context, snap *registry.Snapshot, q *models.AgreementQuery, tr backend.TimeRange) (data.Frames, error) {
	agreements, err := engine.SelectAgreements(snap, q)
	if err != nil {
		return nil, err
	}
	var frames data.Frames
	at := now()
	ctx = d.engine.ShareSeries(ctx, snap, agreements)
	for _, g := range agreements {
		times, results, err := d.engine.AgreementSeries(ctx, snap, g, tr.From, tr.To, at)
		if err != nil {
			return nil, err
		}
		if len(times) == 0 {
			continue
		}
		contract := snap.Contracts[g.ContractID]
		labels := data.Labels{"contract": g.ContractID, "agreement": g.Name, "agreementId": g.ID, "counterparty": contract.Counterparty}
		frames = append(frames, complianceFrame(g, times, results, labels))
		for _, m := range g.Milestones {
			frames = append(frames, milestoneFrame(g, m, times, results, labels))
		}
	}
	if frames, err = keepFields(frames, q.Fields); err != nil {
		return nil, err
	}
	if len(frames) == 0 {
		frames = append(frames, data.NewFrame("agreements").SetMeta(&data.FrameMeta{
			Notices: []data.Notice{{Severity: data.NoticeSeverityInfo, Text: "No agreement matches: create one on a contract's Agreements tab."}}}))
	}
	return frames, nil
}

// complianceFrame is an agreement's compliance through its periods: a wide time
// series with the agreement's figures (docs/figures.md) per checkpoint, the latest result in meta.
func complianceFrame(g *models.Agreement, times []time.Time, rs []compliance.Result, labels data.Labels) *data.Frame {
	n := len(rs)
	num := func(name, display, unit string, get func(r compliance.Result) compliance.Num) *data.Field {
		vals, backing := make([]*float64, n), make([]float64, n) // one allocation for the values, not one each
		for i, r := range rs {
			if v := get(r); !v.IsNaN() {
				backing[i] = float64(v)
				vals[i] = &backing[i]
			}
		}
		f := data.NewField(name, figureLabels(labels, name), vals)
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
	l := figureLabels(labels, "fired")
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

// numPtr is a figure as a nullable field value: nil for NaN (no figure).
func numPtr(n compliance.Num) *float64 {
	if n.IsNaN() {
		return nil
	}
	v := float64(n)
	return &v
}
