package plugin

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/engine"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
)

// contractScorecard answers a contractScorecard query: a table per contract with
// one row per tracker (engine.ScorecardRow).
func (d *Datasource) contractScorecard(ctx context.Context, snap *registry.Snapshot, q *models.TrackerSeriesQuery, tr backend.TimeRange) (data.Frames, error) {
	var frames data.Frames
	at := now()
	for _, c := range models.ContractIDs(q.Contract) {
		one := *q
		one.Contract = c
		jobs, err := engine.ContractJobs(snap, &one)
		if err != nil {
			return nil, err
		}
		rows := make([]engine.ScorecardRow, 0, len(jobs))
		for _, j := range jobs {
			row, err := d.engine.ScorecardRow(ctx, snap, j, tr.From, tr.To, at)
			if err != nil {
				return nil, err
			}
			rows = append(rows, row)
		}
		frames = append(frames, scorecardFrame(c, rows))
	}
	return frames, nil
}

func scorecardFrame(contract string, rows []engine.ScorecardRow) *data.Frame {
	n := len(rows)
	strs := func(get func(r engine.ScorecardRow) string) []string {
		out := make([]string, n)
		for i, r := range rows {
			out[i] = get(r)
		}
		return out
	}
	nums := func(get func(r engine.ScorecardRow) float64) []*float64 {
		out := make([]*float64, n)
		for i, r := range rows {
			out[i] = numPtr(compliance.Num(get(r)))
		}
		return out
	}
	misses := make([]int64, n)
	for i, r := range rows {
		misses[i] = r.Misses
	}
	rag := data.NewField("rag", nil, nums(func(r engine.ScorecardRow) float64 { return r.RAG }))
	rag.Config = &data.FieldConfig{DisplayName: "RAG", Mappings: ragMappings, Thresholds: ragThresholds()}
	compl := data.NewField("compliance", nil, nums(func(r engine.ScorecardRow) float64 { return r.Compliance }))
	compl.Config = &data.FieldConfig{DisplayName: "Compliance this period", Unit: "percent", Decimals: ptrUint16(1)}
	frame := data.NewFrame("scorecard "+contract,
		data.NewField("tracker", nil, strs(func(r engine.ScorecardRow) string { return r.Tracker })),
		data.NewField("kpi", nil, strs(func(r engine.ScorecardRow) string { return r.KPI })),
		data.NewField("actual", nil, nums(func(r engine.ScorecardRow) float64 { return r.Actual })),
		data.NewField("target", nil, nums(func(r engine.ScorecardRow) float64 { return r.Target })),
		data.NewField("variance", nil, nums(func(r engine.ScorecardRow) float64 { return r.Variance })),
		data.NewField("variance_pct", nil, nums(func(r engine.ScorecardRow) float64 { return r.VariancePct })),
		rag,
		data.NewField("trend", nil, strs(func(r engine.ScorecardRow) string { return r.Trend })),
		data.NewField("consecutive_misses", nil, misses),
		compl,
		data.NewField("period", nil, strs(func(r engine.ScorecardRow) string { return r.Period })),
		data.NewField("agreement", nil, strs(func(r engine.ScorecardRow) string { return r.Agreement })),
		data.NewField("counted", nil, strs(func(r engine.ScorecardRow) string { return r.Counted })),
	)
	frame.Fields[5].Config = &data.FieldConfig{Unit: "percent"}
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTable, Custom: map[string]any{"contract": contract}}
	return frame
}
