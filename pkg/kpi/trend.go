package kpi

import (
	"math"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// DefaultTrendWindow is how many closed buckets with data the trend looks back over.
const DefaultTrendWindow = 6

// Trend is the least-squares trend of a series' actuals over its last closed buckets with data.
type Trend struct {
	// Slope is the change of the actual per bucket (NaN with fewer than two points).
	Slope float64
	// Direction is "improving", "deteriorating" or "flat" for the KPI's direction; "" without a slope.
	Direction string
	// Crossing is the start of the bucket at which a deteriorating trend line is projected to
	// cross the current target, when that is still ahead; zero otherwise.
	Crossing time.Time
	// Points is how many buckets the trend was fitted on.
	Points int
}

// ComputeTrend fits a line through the last window closed buckets that have an
// actual, with x the bucket's index counted from the last of them (0, −1, …), so
// the fit does not depend on how many buckets come before. iv and loc project the
// crossing date.
//
// On a service calendar (f.Working set) buckets without working time are not
// evaluated and take no part: they are neither points nor counted in x, and
// the crossing is projected in buckets with working time (working gives the
// business time of the buckets after the range; nil counts every bucket).
func ComputeTrend(f Figures, window int, dir models.Direction, iv Interval, loc *time.Location) Trend {
	return computeTrend(f, window, dir, iv, loc, nil)
}

func computeTrend(f Figures, window int, dir models.Direction, iv Interval, loc *time.Location, working func(from, to time.Time) time.Duration) Trend {
	if window <= 0 {
		window = DefaultTrendWindow
	}
	var xs, ys []float64
	last, pos := -1, 0
	for i := len(f.Actual) - 1; i >= 0 && len(xs) < window; i-- {
		if f.Idle(i) {
			continue
		}
		if last >= 0 {
			pos--
		}
		if f.Closed[i] && !math.IsNaN(f.Actual[i]) {
			if last < 0 {
				last, pos = i, 0
			}
			xs = append(xs, float64(pos))
			ys = append(ys, f.Actual[i])
		}
	}
	tr := Trend{Slope: math.NaN(), Points: len(xs)}
	if len(xs) < 2 {
		return tr
	}
	slope, intercept := leastSquares(xs, ys)
	tr.Slope = slope
	switch s := slope * dir.Sign(); {
	case s > 0:
		tr.Direction = "improving"
	case s < 0:
		tr.Direction = "deteriorating"
	default:
		tr.Direction = "flat"
		return tr
	}
	if tr.Direction != "deteriorating" || math.IsNaN(f.Target[last]) {
		return tr
	}
	// x at which the line reaches the target, in buckets after the last point; only a
	// crossing after the last point is a projection.
	x := (f.Target[last] - intercept) / slope
	if x <= 0 || x > maxBuckets {
		return tr
	}
	start := f.Start[last]
	for k, steps := 0, 0; k < int(math.Ceil(x)); steps++ {
		if steps >= maxBuckets {
			return tr // too few buckets with working time ahead to get there
		}
		next := iv.Next(start, loc)
		if working == nil || working(next, iv.Next(next, loc)) > 0 {
			k++
		}
		start = next
	}
	tr.Crossing = start
	return tr
}

func leastSquares(xs, ys []float64) (slope, intercept float64) {
	n := float64(len(xs))
	var sx, sy, sxx, sxy float64
	for i := range xs {
		sx += xs[i]
		sy += ys[i]
		sxx += xs[i] * xs[i]
		sxy += xs[i] * ys[i]
	}
	den := n*sxx - sx*sx
	slope = (n*sxy - sx*sy) / den
	intercept = (sy - slope*sx) / n
	return slope, intercept
}
