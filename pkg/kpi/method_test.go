package kpi

import (
	"math"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

func day(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }

func at(d, h int) int64 { return day(d).Add(time.Duration(h) * time.Hour).UnixNano() }

// Three daily buckets: Jan 1 with 5 rows (one null), Jan 2 empty, Jan 3 with 1 row; one row before and one after.
var sample = Rows{
	Times:  []int64{at(0, 23), at(1, 1), at(1, 2), at(1, 3), at(1, 4), at(1, 5), at(3, 12), at(4, 0)},
	Values: []float64{1000, 4, nan, 1, 10, 5, -2.5, 1000},
}

// handComputed is every method over sample's days 1–3, by hand (what both
// Aggregate and Stream must give).
func handComputed() []struct {
	m    Method
	cond *models.Condition
	want []float64
} {
	le5 := &models.Condition{Op: "<=", Threshold: 5}
	return []struct {
		m    Method
		cond *models.Condition
		want []float64
	}{
		{Sum, nil, []float64{20, nan, -2.5}},
		{Avg, nil, []float64{5, nan, -2.5}},
		{Count, nil, []float64{5, 0, 1}},
		{Min, nil, []float64{1, nan, -2.5}},
		{Max, nil, []float64{10, nan, -2.5}},
		// sorted 1 4 5 10: p50 pos 1.5 → 4.5; p90 pos 2.7 → 5+0.7*5 = 8.5
		{P50, nil, []float64{4.5, nan, -2.5}},
		{P90, nil, []float64{8.5, nan, -2.5}},
		{P95, nil, []float64{9.25, nan, -2.5}},
		{P99, nil, []float64{9.85, nan, -2.5}},
		{Ratio, le5, []float64{75, nan, 100}},
		{Last, nil, []float64{5, nan, -2.5}},
	}
}

func TestAggregateMethods(t *testing.T) {
	starts := []time.Time{day(1), day(2), day(3), day(4)}
	for _, tt := range handComputed() {
		t.Run(string(tt.m), func(t *testing.T) {
			got := Aggregate(sample, starts, tt.m, tt.cond)
			assertFloats(t, got, tt.want)
		})
	}
}

func TestAggregateUnsortedAndTies(t *testing.T) {
	starts := []time.Time{day(1), day(2)}
	rows := Rows{
		Times:  []int64{at(1, 9), at(1, 3), at(1, 9), at(1, 1)},
		Values: []float64{7, 2, 8, 1},
	}
	assertFloats(t, Aggregate(rows, starts, Last, nil), []float64{8}) // two rows at 09:00: the last given wins
	assertFloats(t, Aggregate(rows, starts, P50, nil), []float64{4.5})
	assertFloats(t, Aggregate(rows, starts, Sum, nil), []float64{18})
	if rows.Times[0] != at(1, 9) {
		t.Fatal("Aggregate must not reorder the caller's rows")
	}
}

func TestAggregateLastSkipsTrailingNull(t *testing.T) {
	rows := Rows{Times: []int64{at(1, 1), at(1, 2)}, Values: []float64{3, nan}}
	assertFloats(t, Aggregate(rows, []time.Time{day(1), day(2)}, Last, nil), []float64{3})
}

func TestConditionValidate(t *testing.T) {
	if err := (models.Condition{Op: "=<", Threshold: 1}).Validate("condition"); err == nil || err.Error() != `condition.op: "=<" is not a comparison: use one of < <= > >= = !=` {
		t.Fatalf("got %v", err)
	}
	if err := (models.Condition{Op: "<", Threshold: math.Inf(1)}).Validate("condition"); err == nil {
		t.Fatal("an infinite threshold must be refused")
	}
	if _, err := ParseMethod("method", "median"); err == nil {
		t.Fatal("median is not a method name")
	}
}

func assertFloats(t *testing.T, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range got {
		g, w := got[i], want[i]
		if math.IsNaN(w) {
			if !math.IsNaN(g) {
				t.Fatalf("bucket %d: got %v, want null; all %v", i, g, got)
			}
			continue
		}
		if math.IsNaN(g) || math.Abs(g-w) > 1e-9*math.Max(1, math.Abs(w)) {
			t.Fatalf("bucket %d: got %v, want %v; all %v", i, g, w, got)
		}
	}
}
