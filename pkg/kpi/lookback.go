package kpi

import (
	"math"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// LookBackBound is the most buckets a series evaluates before its range to find
// where a run of misses began and to fill its trend window.
const LookBackBound = 1000

// Fetch returns the actuals of the buckets [starts[i], starts[i+1]): one fewer
// than starts, as Aggregate does.
type Fetch func(starts []time.Time) ([]float64, error)

// LookBack says how far before its range a series was evaluated.
type LookBack struct {
	// Buckets is how many buckets before the range were evaluated.
	Buckets int
	// From is the start of the earliest bucket evaluated (the range's first when Buckets is 0).
	From time.Time
	// Bound is LookBackBound.
	Bound int
	// Complete is true when every consecutive-misses figure and the trend are
	// exact: a met closed bucket was found at or before the range's first bucket,
	// and the trend window is full (or nothing earlier can be computed). When the
	// bound cut the look-back short, consecutive misses are at least the figures
	// given and the trend has fewer points.
	Complete bool
}

// EvaluateBack evaluates the buckets starts (bucket i is [starts[i],
// starts[i+1]), actual their actuals) as of now, looking back before them as far
// as their figures need, so that no figure depends on where the range begins:
// the run of misses at every bucket counts closed buckets before the range, and
// the trend is fitted on the last closed buckets with data wherever they lie.
//
// It looks back only when the range itself does not settle both: first by the
// trend window, then by doubling the buckets looked back so far, each time
// fetching only the earlier buckets, until a met closed bucket lies at or before
// the range's first bucket (or the look-back reaches back before the first entry
// of a target schedule) and the trend window is full, or LookBackBound
// buckets were evaluated before the range. The series returned covers starts
// only; its trend is the one of the whole evaluation.
func (t *Tracker) EvaluateBack(starts []time.Time, actual []float64, now time.Time, fetch Fetch) (Series, LookBack, error) {
	window := t.Def.TrendWindow
	if window <= 0 {
		window = DefaultTrendWindow
	}
	all, acts := starts, actual
	ext, step := 0, window
	for {
		s := t.Evaluate(all, acts, now)
		// Before a schedule's first entry no bucket has a target, so none is judged.
		_, judged := t.Def.Target.At(all[0])
		lb := LookBack{Buckets: ext, From: all[0], Bound: LookBackBound, Complete: settled(s.Figures, ext, window, !judged)}
		done := lb.Complete || ext >= LookBackBound
		var earlier []time.Time
		if !done {
			earlier = earlierStarts(all[0], min(step, LookBackBound-ext), t.Interval, t.Location)
			if len(earlier) < 2 {
				// Nothing earlier can be computed (before models.EarliestTime): as exact as it gets.
				lb.Complete, done = true, true
			}
		}
		if done {
			return Series{Figures: s.Figures.From(ext), Trend: s.Trend}, lb, nil
		}
		a, err := fetch(earlier)
		if err != nil {
			return Series{}, LookBack{}, err
		}
		added := len(earlier) - 1
		all = append(earlier[:added:added], all...)
		acts = append(a[:added:added], acts...)
		ext += added
		step = ext
	}
}

// settled reports whether the figures need nothing earlier: a met closed bucket
// at or before index first (the range's first bucket) fixes every later run, as
// does unjudged (no earlier bucket can be judged), and window closed buckets with
// data fill the trend. Buckets without working time under the tracker's
// calendar are not evaluated: they settle neither (their Met is NaN, and they
// are no trend points).
func settled(f Figures, first, window int, unjudged bool) bool {
	run := unjudged
	for i := 0; i <= first && i < len(f.Met); i++ {
		if f.Closed[i] && f.Met[i] == 1 {
			run = true
			break
		}
	}
	if !run {
		return false
	}
	points := 0
	for i := range f.Actual {
		if f.Closed[i] && !math.IsNaN(f.Actual[i]) && !f.Idle(i) {
			points++
		}
	}
	return points >= window
}

// earlierStarts returns the starts of the n buckets before the one starting at
// start, followed by start itself (fewer when they would begin before
// models.EarliestTime).
func earlierStarts(start time.Time, n int, iv Interval, loc *time.Location) []time.Time {
	out := make([]time.Time, n+1)
	out[n] = start
	k := n
	for k > 0 {
		prev := iv.Floor(out[k].Add(-time.Nanosecond), loc)
		if prev.Before(models.EarliestTime) {
			break
		}
		k--
		out[k] = prev
	}
	return out[k:]
}
