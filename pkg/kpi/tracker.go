package kpi

import (
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// Tracker is a validated tracker definition, ready to compute.
type Tracker struct {
	Def      models.TrackerDef
	Method   Method
	Interval Interval
	Location *time.Location
	// Working is the business time of [from, to) under the service calendar
	// the tracker follows (Def.CalendarID), set by whoever resolves it; nil
	// evaluates every bucket.
	Working func(from, to time.Time) time.Duration
	// Keep accepts the times of the rows the tracker reads: set with Working
	// when Def.WorkingTimeOnly (only rows in working time count); nil reads all.
	Keep func(time.Time) bool
	// KeepVersion names the calendar version Keep follows (caches key the
	// figures by it); empty without Keep.
	KeepVersion string
}

// Compile checks the parts of a tracker that only the engine knows (method,
// interval, time zone, the ratio condition); field prefixes error field names.
func Compile(def models.TrackerDef, field string) (*Tracker, error) {
	m, err := ParseMethod(field+".method", def.Method)
	if err != nil {
		return nil, err
	}
	iv, err := ParseInterval(field+".interval", def.Interval)
	if err != nil {
		return nil, err
	}
	loc, err := LoadLocation(field+".timezone", def.Timezone)
	if err != nil {
		return nil, err
	}
	if m == Ratio && def.Condition == nil {
		return nil, models.QueryFieldError(field+".condition", "is missing: the ratio method needs a condition, e.g. {\"op\": \"<=\", \"threshold\": 120}")
	}
	return &Tracker{Def: def, Method: m, Interval: iv, Location: loc}, nil
}

// Series is a tracker's computed series.
type Series struct {
	Figures Figures
	Trend   Trend
}

// Compute buckets the rows over [from, to) and evaluates every bucket as of now.
func (t *Tracker) Compute(rows Rows, starts []time.Time, now time.Time) Series {
	return t.Evaluate(starts, Aggregate(KeepRows(rows, t.Keep), starts, t.Method, t.Def.Condition), now)
}

// Evaluate turns each bucket's actual (as Aggregate returns them, or the
// database computed them) into the tracker's series as of now.
func (t *Tracker) Evaluate(starts []time.Time, actual []float64, now time.Time) Series {
	f := Evaluate(starts, actual, now, Evaluation{
		Direction: t.Def.Direction(), Target: t.Def.Target, Tolerance: t.Def.Tolerance, Missing: t.Def.Missing, Working: t.Working,
	})
	return Series{Figures: f, Trend: computeTrend(f, t.Def.TrendWindow, t.Def.Direction(), t.Interval, t.Location, t.Working)}
}
