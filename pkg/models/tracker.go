package models

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// Direction says which way a KPI improves.
type Direction string

// KPI directions.
const (
	HigherIsBetter Direction = "higher_is_better"
	LowerIsBetter  Direction = "lower_is_better"
)

// Sign is +1 when higher is better, -1 when lower is better.
func (d Direction) Sign() float64 {
	if d == LowerIsBetter {
		return -1
	}
	return 1
}

// MissingPolicy decides what a bucket without data (null actual) counts as.
type MissingPolicy string

// Missing-data policies (docs/figures.md).
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
		return QueryFieldError(field, "give either a constant target or a schedule of {from, value} entries")
	}
	if t.Constant != nil && !finite(*t.Constant) {
		return QueryFieldError(field+".constant", "must be a finite number")
	}
	for i, s := range t.Schedule {
		if !finite(s.Value) {
			return QueryFieldError(fmt.Sprintf("%s.schedule[%d].value", field, i), "must be a finite number")
		}
		if s.From.IsZero() {
			return QueryFieldError(fmt.Sprintf("%s.schedule[%d].from", field, i), "is missing: give the date the target takes effect")
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

// Condition is the test a value must pass to count towards a ratio, e.g. value <= 120.
type Condition struct {
	Op        string  `json:"op"` // one of < <= > >= = !=
	Threshold float64 `json:"threshold"`
}

// Validate checks the operator and threshold.
func (c Condition) Validate(field string) error {
	switch c.Op {
	case "<", "<=", ">", ">=", "=", "!=":
	default:
		return QueryFieldError(field+".op", fmt.Sprintf("%q is not a comparison: use one of < <= > >= = !=", c.Op))
	}
	if !finite(c.Threshold) {
		return QueryFieldError(field+".threshold", "must be a finite number")
	}
	return nil
}

// Holds reports whether v passes the condition.
func (c Condition) Holds(v float64) bool {
	switch c.Op {
	case "<":
		return v < c.Threshold
	case "<=":
		return v <= c.Threshold
	case ">":
		return v > c.Threshold
	case ">=":
		return v >= c.Threshold
	case "=":
		return v == c.Threshold
	case "!=":
		return v != c.Threshold
	}
	return false
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
