package plugin

import (
	"context"
	"math"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
)

// scorecardRow is one tracker of a contract on its scorecard.
type scorecardRow struct {
	tracker, kpi, trend, period, agreement string
	actual, target, variance, variancePct  float64
	rag                                    float64
	misses                                 int64
	compliance                             float64
	// counted is what compliance this period counts: "buckets" (met / evaluated
	// closed buckets) or "requests" (met / resolved requests), as the agreement does.
	counted string
	// figures are the tracker's buckets over the range and its period, as of the row's time.
	figures kpi.Figures
}

// contractScorecard answers a contractScorecard query: one row per tracker of a
// contract with its latest evaluated figures in the range, its trend and its
// compliance this period. The period and the way of counting are those of the
// first agreement that covers the tracker (its buckets, or its requests for an
// occurrence tracker); a tracker in no agreement counts its buckets over the
// calendar month in its time zone.
func (d *Datasource) contractScorecard(ctx context.Context, _ backend.PluginContext, q backend.DataQuery) backend.DataResponse {
	tq, err := models.LoadTrackerSeriesQuery(q.JSON)
	if err != nil {
		return errorResponse(err)
	}
	ctx, cancel := d.queryTimeout(ctx)
	defer cancel()
	snap, err := d.querySnapshot(ctx)
	if err != nil {
		return errorResponse(err)
	}
	var resp backend.DataResponse
	at := now()
	for _, c := range contractIDs(tq.Contract) {
		one := *tq
		one.Contract = c
		jobs, err := d.registryTrackers(snap, &one)
		if err != nil {
			return errorResponse(err)
		}
		rows := make([]scorecardRow, 0, len(jobs))
		for _, j := range jobs {
			row, err := d.scorecardRow(ctx, snap, j, q.TimeRange, at)
			if err != nil {
				return errorResponse(err)
			}
			rows = append(rows, row)
		}
		frame := scorecardFrame(c, rows)
		frame.RefID = q.RefID
		resp.Frames = append(resp.Frames, frame)
	}
	return resp
}

func (d *Datasource) scorecardRow(ctx context.Context, snap *registry.Snapshot, j trackerJob, tr backend.TimeRange, at time.Time) (scorecardRow, error) {
	row := scorecardRow{tracker: j.def.Name, kpi: j.def.KPI.Name, actual: math.NaN(), target: math.NaN(), variance: math.NaN(),
		variancePct: math.NaN(), rag: math.NaN(), compliance: math.NaN()}
	// The period and the mode: the first agreement covering this assignment, else the month by buckets.
	rp := models.ReviewPeriod{Kind: "month", Timezone: j.def.Timezone}
	mode := compliance.Timeslice
	for _, g := range snap.Agreements[j.contract] {
		for _, t := range g.Trackers {
			if t.AssignmentID == j.labels["assignmentId"] && row.agreement == "" {
				rp, row.agreement = g.Period, g.Name
				if t.Mode == compliance.Occurrence {
					mode = compliance.Occurrence
				}
			}
		}
	}
	// The period holding the range's last instant (the range's end is exclusive), or now.
	p, err := compliance.PeriodAt(rp, minTime(tr.To.Add(-time.Nanosecond), at))
	if err != nil {
		return row, err
	}
	from := tr.From
	if p.Start.Before(from) {
		from = p.Start
	}
	to := tr.To
	if p.End.After(to) {
		to = p.End
	}
	f, err := d.fetchFigures(ctx, j.def, j.key, from, to, at, j.field)
	if err != nil {
		return row, err
	}
	row.figures = f
	var c compliance.Counts
	if mode == compliance.Occurrence {
		// As the agreement counts them: the requests opened in the period up to now.
		reqs, err := d.fetchRequests(ctx, j.def, j.key, p.Start, minTime(p.End, at), j.field)
		if err != nil {
			return row, err
		}
		c = compliance.OccurrenceCounts(reqs, *j.def.Condition, j.def.KPI.Unit, p, at, j.def.TrendWindow)
		row.counted = "requests"
	} else {
		c = compliance.TimesliceCounts(f, p, j.def.TrendWindow)
		row.counted = "buckets"
	}
	if c.Evaluated() > 0 {
		row.compliance = float64(c.Met) / float64(c.Evaluated()) * 100
	}
	row.period = p.Start.Format(time.DateOnly) + " – " + p.End.Format(time.DateOnly)
	// The row's figures and trend are the tracker's series over the range, computed as a
	// trackerSeries query computes them (looking back before the range for runs and trend),
	// so the scorecard and alert rules agree.
	t, err := kpi.Compile(j.def, j.field)
	if err != nil {
		return row, err
	}
	starts, err := kpi.Buckets(tr.From, tr.To, t.Interval, t.Location)
	if err != nil {
		return row, err
	}
	conn, err := d.connector(ctx, j.def.KPI.Connector)
	if err != nil {
		return row, prefixField(err, j.field+".kpi.", "")
	}
	s, _, _, err := rangeSeries(ctx, conn, t, j.key, j.field, starts, at)
	if err != nil {
		return row, err
	}
	// The latest judged (closed) bucket of the range.
	rf := s.Figures
	if i := currentBucket(rf, tr); i >= 0 {
		row.actual, row.target, row.variance, row.variancePct, row.rag, row.misses = rf.Actual[i], rf.Target[i], rf.Variance[i], rf.VariancePct[i], rf.RAG[i], rf.Consecutive[i]
	}
	row.trend = s.Trend.Direction
	return row, nil
}

// currentBucket is the index of the latest evaluated bucket that meets the
// range [From, To): it starts before To and ends after From (a bucket ending
// exactly at From is before the range). -1 when there is none.
func currentBucket(f kpi.Figures, tr backend.TimeRange) int {
	for i := len(f.Start) - 1; i >= 0; i-- {
		if f.Start[i].Before(tr.To) && f.End[i].After(tr.From) && !math.IsNaN(f.RAG[i]) {
			return i
		}
	}
	return -1
}

func scorecardFrame(contract string, rows []scorecardRow) *data.Frame {
	n := len(rows)
	ptr := func(v float64) *float64 {
		if math.IsNaN(v) {
			return nil
		}
		return &v
	}
	strs := func(get func(r scorecardRow) string) []string {
		out := make([]string, n)
		for i, r := range rows {
			out[i] = get(r)
		}
		return out
	}
	nums := func(get func(r scorecardRow) float64) []*float64 {
		out := make([]*float64, n)
		for i, r := range rows {
			out[i] = ptr(get(r))
		}
		return out
	}
	misses := make([]int64, n)
	for i, r := range rows {
		misses[i] = r.misses
	}
	rag := data.NewField("rag", nil, nums(func(r scorecardRow) float64 { return r.rag }))
	rag.Config = &data.FieldConfig{DisplayName: "RAG", Mappings: ragMappings, Thresholds: ragThresholds()}
	compl := data.NewField("compliance", nil, nums(func(r scorecardRow) float64 { return r.compliance }))
	compl.Config = &data.FieldConfig{DisplayName: "Compliance this period", Unit: "percent", Decimals: ptrUint16(1)}
	frame := data.NewFrame("scorecard "+contract,
		data.NewField("tracker", nil, strs(func(r scorecardRow) string { return r.tracker })),
		data.NewField("kpi", nil, strs(func(r scorecardRow) string { return r.kpi })),
		data.NewField("actual", nil, nums(func(r scorecardRow) float64 { return r.actual })),
		data.NewField("target", nil, nums(func(r scorecardRow) float64 { return r.target })),
		data.NewField("variance", nil, nums(func(r scorecardRow) float64 { return r.variance })),
		data.NewField("variance_pct", nil, nums(func(r scorecardRow) float64 { return r.variancePct })),
		rag,
		data.NewField("trend", nil, strs(func(r scorecardRow) string { return r.trend })),
		data.NewField("consecutive_misses", nil, misses),
		compl,
		data.NewField("period", nil, strs(func(r scorecardRow) string { return r.period })),
		data.NewField("agreement", nil, strs(func(r scorecardRow) string { return r.agreement })),
		data.NewField("counted", nil, strs(func(r scorecardRow) string { return r.counted })),
	)
	frame.Fields[5].Config = &data.FieldConfig{Unit: "percent"}
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTable, Custom: map[string]any{"contract": contract}}
	return frame
}
