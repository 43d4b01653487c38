package kpi

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// Direction says which way a KPI improves.
type Direction string

// KPI directions.
const (
	HigherIsBetter Direction = "higher_is_better"
	LowerIsBetter  Direction = "lower_is_better"
)

// sign is +1 when higher is better, -1 when lower is better.
func (d Direction) sign() float64 {
	if d == LowerIsBetter {
		return -1
	}
	return 1
}

// MissingPolicy decides what a bucket without data (null actual) counts as.
type MissingPolicy string

// Missing-data policies (SPEC §4).
const (
	MissingExclude MissingPolicy = "exclude" // RAG null, not counted (default)
	MissingMissed  MissingPolicy = "missed"  // counts as red and not met
	MissingZero    MissingPolicy = "zero"    // the actual is taken as 0
)

// TargetStep is one entry of an effective-dated target schedule.
type TargetStep struct {
	From  time.Time `json:"from"`
	Value float64   `json:"value"`
}

// Target is a constant target, or a schedule whose entry in force at a
// bucket's start applies (the latest entry with From <= start).
type Target struct {
	Constant *float64     `json:"constant,omitempty"`
	Schedule []TargetStep `json:"schedule,omitempty"`
}

// Validate checks that exactly one form is given, with finite values.
func (t *Target) Validate(field string) error {
	if (t.Constant == nil) == (len(t.Schedule) == 0) {
		return models.QueryFieldError(field, "give either a constant target or a schedule of {from, value} entries")
	}
	if t.Constant != nil && !finite(*t.Constant) {
		return models.QueryFieldError(field+".constant", "must be a finite number")
	}
	for i, s := range t.Schedule {
		if !finite(s.Value) {
			return models.QueryFieldError(fmt.Sprintf("%s.schedule[%d].value", field, i), "must be a finite number")
		}
		if s.From.IsZero() {
			return models.QueryFieldError(fmt.Sprintf("%s.schedule[%d].from", field, i), "is missing: give the date the target takes effect")
		}
	}
	sort.SliceStable(t.Schedule, func(a, b int) bool { return t.Schedule[a].From.Before(t.Schedule[b].From) })
	return nil
}

// At returns the target in force at a bucket's start, and false when none is yet.
func (t *Target) At(start time.Time) (float64, bool) {
	if t.Constant != nil {
		return *t.Constant, true
	}
	i := sort.Search(len(t.Schedule), func(i int) bool { return t.Schedule[i].From.After(start) })
	if i == 0 {
		return 0, false
	}
	return t.Schedule[i-1].Value, true
}

// Tolerance is how far from target a miss may be and still be amber.
type Tolerance struct {
	Value   float64 `json:"value"`
	Percent bool    `json:"percent"` // Value is a % of |target|
}

// RAG encodings for alerting (SPEC §4).
const (
	Green = 0
	Amber = 1
	Red   = 2
)

// Evaluation is how a tracker judges its buckets.
type Evaluation struct {
	Direction Direction
	Target    Target
	Tolerance Tolerance
	Missing   MissingPolicy
}

// Figures are a series' per-bucket figures, one element per bucket; NaN is null.
type Figures struct {
	Start       []time.Time
	End         []time.Time
	Closed      []bool // end <= now; the open bucket is shown but never counted
	Actual      []float64
	Target      []float64
	Variance    []float64
	VariancePct []float64
	Favourable  []float64
	Met         []float64 // 1 met, 0 not met, NaN not evaluated
	RAG         []float64 // Green, Amber, Red, NaN not evaluated
	Consecutive []int64   // closed buckets in a row not met, ending here
}

// Evaluate computes every per-bucket figure from the buckets' actuals.
func Evaluate(starts []time.Time, actual []float64, now time.Time, ev Evaluation) Figures {
	n := len(actual)
	f := Figures{
		Start: starts[:n], End: starts[1 : n+1], Closed: make([]bool, n), Actual: make([]float64, n),
		Target: make([]float64, n), Variance: make([]float64, n), VariancePct: make([]float64, n),
		Favourable: make([]float64, n), Met: make([]float64, n), RAG: make([]float64, n), Consecutive: make([]int64, n),
	}
	streak := int64(0)
	for i := 0; i < n; i++ {
		f.Closed[i] = !f.End[i].After(now)
		a := actual[i]
		if math.IsNaN(a) && ev.Missing == MissingZero {
			a = 0
		}
		f.Actual[i] = a
		f.Target[i], f.Variance[i], f.VariancePct[i], f.Favourable[i], f.Met[i], f.RAG[i] = nan, nan, nan, nan, nan, nan
		target, ok := ev.Target.At(f.Start[i])
		if ok {
			f.Target[i] = target
		}
		switch {
		case ok && !math.IsNaN(a):
			v := a - target
			f.Variance[i] = v
			if target != 0 {
				f.VariancePct[i] = v / math.Abs(target) * 100
			}
			fav := v * ev.Direction.sign()
			f.Favourable[i] = fav
			f.Met[i], f.RAG[i] = judge(fav, target, ev.Tolerance)
		case ok && ev.Missing == MissingMissed:
			f.Met[i], f.RAG[i] = 0, Red
		}
		if f.Closed[i] {
			switch f.Met[i] {
			case 1:
				streak = 0
			case 0:
				streak++
			}
		}
		if f.Met[i] == 1 {
			f.Consecutive[i] = 0
		} else {
			f.Consecutive[i] = streak
		}
	}
	return f
}

var nan = math.NaN()

// judge returns met (1/0) and the RAG code for a favourable variance.
func judge(fav, target float64, tol Tolerance) (met, rag float64) {
	if fav >= 0 {
		return 1, Green
	}
	limit := tol.Value
	if tol.Percent {
		limit = tol.Value / 100 * math.Abs(target)
	}
	if math.Abs(fav) <= limit {
		return 0, Amber
	}
	return 0, Red
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
