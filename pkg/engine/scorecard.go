package engine

import (
	"context"
	"math"
	"time"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
)

// ScorecardRow is one tracker of a contract on its scorecard. Numbers are NaN
// where there is no figure.
type ScorecardRow struct {
	Tracker, KPI, Trend, Period, Agreement string
	Actual, Target, Variance, VariancePct  float64
	RAG                                    float64
	Misses                                 int64
	Compliance                             float64
	// Counted is what compliance this period counts: "buckets" (met / evaluated
	// closed buckets) or "requests" (met / resolved requests), as the agreement does.
	Counted string
	// Figures are the tracker's buckets over the range and its period, as of the row's time.
	Figures kpi.Figures
}

// ScorecardRow computes a tracker's row for the range [from, to) as of at: its
// latest evaluated figures in the range, its trend and its compliance this
// period. The period and the way of counting are those of the first agreement
// that covers the tracker (its buckets, or its requests for an occurrence
// tracker); a tracker in no agreement counts its buckets over the calendar
// month in its time zone.
func (e *Engine) ScorecardRow(ctx context.Context, snap *registry.Snapshot, j Job, from, to, at time.Time) (ScorecardRow, error) {
	row := ScorecardRow{Tracker: j.Def.Name, KPI: j.Def.KPI.Name, Actual: math.NaN(), Target: math.NaN(), Variance: math.NaN(),
		VariancePct: math.NaN(), RAG: math.NaN(), Compliance: math.NaN()}
	// The period and the mode: the first agreement covering this assignment, else the month by buckets.
	rp := models.ReviewPeriod{Kind: "month", Timezone: j.Def.Timezone}
	mode := compliance.Timeslice
	for _, g := range snap.Agreements[j.Contract] {
		for _, t := range g.Trackers {
			if t.AssignmentID == j.AssignmentID && row.Agreement == "" {
				rp, row.Agreement = g.Period, g.Name
				if t.Mode == compliance.Occurrence {
					mode = compliance.Occurrence
				}
			}
		}
	}
	// The period holding the range's last instant (the range's end is exclusive), or now.
	p, err := compliance.PeriodAt(rp, Earlier(to.Add(-time.Nanosecond), at))
	if err != nil {
		return row, err
	}
	f, err := e.Figures(ctx, j.Def, j.Key, Earlier(from, p.Start), later(to, p.End), at, j.Field)
	if err != nil {
		return row, err
	}
	row.Figures = f
	var c compliance.Counts
	if mode == compliance.Occurrence {
		// As the agreement counts them: the requests opened in the period up to now.
		reqs, err := e.Requests(ctx, j.Def, j.Key, p.Start, Earlier(p.End, at), j.Field)
		if err != nil {
			return row, err
		}
		clock, _, err := e.goalClock(ctx, j.Def, j.Field)
		if err != nil {
			return row, err
		}
		c = compliance.OccurrenceCounts(reqs, *j.Def.Condition, clock, p, at, j.Def.TrendWindow)
		row.Counted = "requests"
	} else {
		c = compliance.TimesliceCounts(f, p, j.Def.TrendWindow)
		row.Counted = "buckets"
	}
	if c.Evaluated() > 0 {
		row.Compliance = float64(c.Met) / float64(c.Evaluated()) * 100
	}
	row.Period = PeriodLabel(p, rp) // PeriodAt checked its time zone
	// The row's figures and trend are the tracker's series over the range, computed as a
	// trackerSeries query computes them (looking back before the range for runs and trend),
	// so the scorecard and alert rules agree.
	s, err := e.TrackerSeries(ctx, j, from, to, at, nil)
	if err != nil {
		return row, err
	}
	// The latest judged (closed) bucket of the range.
	rf := s.Figures
	if i := CurrentBucket(rf, from, to); i >= 0 {
		row.Actual, row.Target, row.Variance, row.VariancePct, row.RAG, row.Misses = rf.Actual[i], rf.Target[i], rf.Variance[i], rf.VariancePct[i], rf.RAG[i], rf.Consecutive[i]
	}
	row.Trend = s.Trend.Direction
	return row, nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// CurrentBucket is the index of the latest evaluated bucket that meets the
// range [from, to): it starts before to and ends after from (a bucket ending
// exactly at from is before the range). -1 when there is none.
func CurrentBucket(f kpi.Figures, from, to time.Time) int {
	for i := len(f.Start) - 1; i >= 0; i-- {
		if f.Start[i].Before(to) && f.End[i].After(from) && !math.IsNaN(f.RAG[i]) {
			return i
		}
	}
	return -1
}
