package kpi

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// streamed feeds rows to a Stream in their order and returns its result.
func streamed(rows Rows, starts []time.Time, m Method, cond *models.Condition, keep func(time.Time) bool) ([]float64, bool) {
	s := NewStream(starts, m, cond, keep)
	for i, ns := range rows.Times {
		if !s.Add(ns, rows.Values[i]) {
			break
		}
	}
	return s.Result()
}

// reference is what Figures computed before streaming: KeepRows, then Aggregate.
func reference(rows Rows, starts []time.Time, m Method, cond *models.Condition, keep func(time.Time) bool) []float64 {
	c := Rows{Times: slices.Clone(rows.Times), Values: slices.Clone(rows.Values)}
	if rows.Open != nil {
		c.Open = slices.Clone(rows.Open)
	}
	return Aggregate(KeepRows(c, keep), starts, m, cond)
}

// sameBits fails unless got and want are the same float64s bit for bit.
func sameBits(t *testing.T, name string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d buckets, want %d", name, len(got), len(want))
	}
	for i := range want {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			t.Fatalf("%s: bucket %d: stream %v (%#x), Aggregate %v (%#x)", name, i, got[i], math.Float64bits(got[i]), want[i], math.Float64bits(want[i]))
		}
	}
}

// valueKinds generate a row's value: decimals as people type them, integers
// (whose sums are exact in any order), values around zero with signed zeros,
// and a mix with huge magnitudes and infinities.
var valueKinds = []struct {
	name string
	gen  func(r *rand.Rand) float64
}{
	{"decimals", func(r *rand.Rand) float64 { return math.Round((r.NormFloat64()*40+50)*1000) / 1000 }},
	{"integers", func(r *rand.Rand) float64 { return float64(r.IntN(2000) - 500) }},
	{"signed zeros", func(r *rand.Rand) float64 {
		switch r.IntN(4) {
		case 0:
			return math.Copysign(0, -1)
		case 1:
			return 0
		}
		return float64(r.IntN(7)-3) * 0.5
	}},
	{"huge and infinite", func(r *rand.Rand) float64 {
		switch r.IntN(12) {
		case 0:
			return math.Inf(1)
		case 1:
			return math.Inf(-1)
		case 2:
			return math.MaxFloat64 / 2
		case 3:
			return 5e-324 // the smallest subnormal
		}
		return r.Float64() * 1e300
	}},
}

// randomRows makes n rows around [from, to): some before and after it, a
// share null, duplicate times, in time order or shuffled (or nearly sorted).
func randomRows(r *rand.Rand, from, to time.Time, n int, value func(*rand.Rand) float64, order int) Rows {
	span := to.Sub(from)
	rows := Rows{Open: make([]bool, 0, n)}
	for i := 0; i < n; i++ {
		t := from.Add(time.Duration(r.Int64N(int64(span)*12/10)) - span/10)
		v := value(r)
		if r.IntN(15) == 0 {
			v = math.NaN()
		}
		rows.Times = append(rows.Times, t.UnixNano())
		rows.Values = append(rows.Values, v)
		rows.Open = append(rows.Open, r.IntN(5) == 0)
		if r.IntN(10) == 0 { // a duplicate time, another value
			rows.Times = append(rows.Times, t.UnixNano())
			rows.Values = append(rows.Values, value(r))
			rows.Open = append(rows.Open, false)
		}
	}
	if order == 0 || order == 2 { // sorted, keeping the given order of equal times
		idx := make([]int, len(rows.Times))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(rows.Times[a], rows.Times[b]) })
		rows = Rows{Times: pick(rows.Times, idx), Values: pick(rows.Values, idx), Open: pick(rows.Open, idx)}
	}
	if order == 2 && len(rows.Times) > 1 { // nearly sorted: one pair swapped
		i := r.IntN(len(rows.Times) - 1)
		rows.Times[i], rows.Times[i+1] = rows.Times[i+1], rows.Times[i]
		rows.Values[i], rows.Values[i+1] = rows.Values[i+1], rows.Values[i]
	}
	return rows
}

func pick[T any](s []T, idx []int) []T {
	out := make([]T, len(idx))
	for i, j := range idx {
		out[i] = s[j]
	}
	return out
}

// The stream equals Aggregate bit for bit, for every method, over random
// rows: sorted, nearly sorted and shuffled; nulls, duplicate times, rows
// outside the range; with and without a working-time filter; over calendar
// buckets in several zones. Where it gives up (ok false), the rows really are
// out of time order within a bucket and the method is one whose result could
// depend on it.
func TestStreamMatchesAggregate(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 2026)) // #nosec G404 -- test data
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 4, 10, 0, 0, 0, 0, time.UTC)
	conds := []*models.Condition{{Op: "<=", Threshold: 50}, {Op: ">", Threshold: 0}, {Op: "=", Threshold: 0}, {Op: "!=", Threshold: 100}}
	weekdays := func(tm time.Time) bool { wd := tm.UTC().Weekday(); return wd != time.Saturday && wd != time.Sunday }
	officeHours := func(tm time.Time) bool { h := tm.UTC().Hour(); return h >= 9 && h < 17 }
	var compared, gaveUp, gaveUpSorted int
	gaveUpBy := map[string]int{}
	for _, zone := range []string{"UTC", "America/New_York", "Australia/Lord_Howe"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		for _, iv := range []Interval{Hour, Day, Week, Month} {
			starts, err := Buckets(from, to, iv, loc)
			if err != nil {
				t.Fatal(err)
			}
			for _, vk := range valueKinds {
				for order := 0; order < 3; order++ {
					n := []int{0, 1, 40, 3000}[r.IntN(4)]
					rows := randomRows(r, from, to, n, vk.gen, order)
					for ki, keep := range []func(time.Time) bool{nil, weekdays, officeHours} {
						for _, m := range Methods {
							var cond *models.Condition
							if m == Ratio {
								cond = conds[r.IntN(len(conds))]
							}
							name := fmt.Sprintf("%s / %s / %s / order %d / keep %d / %d rows / %s", zone, iv, vk.name, order, ki, len(rows.Times), m)
							want := reference(rows, starts, m, cond, keep)
							got, ok := streamed(rows, starts, m, cond, keep)
							compared++
							if !ok {
								gaveUp++
								gaveUpBy[vk.name+" "+string(m)]++
								if order == 0 {
									gaveUpSorted++
								}
								if m != Sum && m != Avg && m.Percentile() == 0 {
									t.Fatalf("%s: the stream gave up on a method whose result does not depend on the order", name)
								}
								if vk.name == "integers" && m.Percentile() == 0 {
									t.Fatalf("%s: the stream gave up on integer sums, which are exact in any order", name)
								}
								continue
							}
							sameBits(t, name, got, want)
						}
					}
				}
			}
		}
	}
	if gaveUpSorted > 0 {
		t.Fatalf("the stream gave up %d times on rows in time order", gaveUpSorted)
	}
	if gaveUp == 0 || gaveUp*10 > compared {
		t.Fatalf("gave up %d times of %d: the shuffled decimal sums should make it give up, and little else", gaveUp, compared)
	}
	t.Logf("%d series compared bit for bit; gave up (the caller aggregates the rows instead) on %d: %v", compared, gaveUp, gaveUpBy)
}

// Hand-made rows: the stream gives the figures of TestAggregateMethods.
func TestStreamHandComputed(t *testing.T) {
	starts := []time.Time{day(1), day(2), day(3), day(4)}
	for _, tt := range handComputed() {
		got, ok := streamed(sample, starts, tt.m, tt.cond, nil)
		if !ok {
			t.Fatalf("%s: gave up on sorted rows", tt.m)
		}
		assertFloats(t, got, tt.want)
	}
}

// Out of order and ties: the exact cases that decide what the stream must
// keep. 0.1 + 0.2 + 0.3 depends on the order of the additions; +0 and -0
// are equal, but min, max and last must give the one Aggregate gives.
func TestStreamOrderCases(t *testing.T) {
	starts := []time.Time{day(1), day(2)}
	neg := math.Copysign(0, -1)
	for _, c := range []struct {
		name   string
		rows   Rows
		m      Method
		giveUp bool
	}{
		{"decimal sum in order", Rows{Times: []int64{at(1, 1), at(1, 2), at(1, 3)}, Values: []float64{0.1, 0.2, 0.3}}, Sum, false},
		{"decimal sum out of order", Rows{Times: []int64{at(1, 3), at(1, 1), at(1, 2)}, Values: []float64{0.3, 0.1, 0.2}}, Sum, true},
		{"decimal avg out of order", Rows{Times: []int64{at(1, 3), at(1, 1), at(1, 2)}, Values: []float64{0.3, 0.1, 0.2}}, Avg, true},
		{"integer sum out of order", Rows{Times: []int64{at(1, 3), at(1, 1), at(1, 2)}, Values: []float64{3, 1e15, -7}}, Sum, false},
		{"halves out of order", Rows{Times: []int64{at(1, 3), at(1, 1), at(1, 2)}, Values: []float64{0.5, 0.25, -1.75}}, Avg, false},
		{"past 2^53 out of order", Rows{Times: []int64{at(1, 3), at(1, 1), at(1, 2)}, Values: []float64{1, 1 << 53, 1}}, Sum, true},
		{"out of order across buckets only", Rows{Times: []int64{at(2, 1), at(1, 1), at(2, 2), at(1, 2)}, Values: []float64{0.3, 0.1, 0.2, 0.7}}, Sum, false},
		{"a null out of order", Rows{Times: []int64{at(1, 3), at(1, 1), at(1, 4)}, Values: []float64{0.3, nan, 0.1}}, Sum, false},
		{"min of signed zeros out of order", Rows{Times: []int64{at(1, 3), at(1, 1)}, Values: []float64{0, neg}}, Min, false},
		{"max of signed zeros, equal times", Rows{Times: []int64{at(1, 3), at(1, 3)}, Values: []float64{neg, 0}}, Max, false},
		{"last of equal times", Rows{Times: []int64{at(1, 3), at(1, 1), at(1, 3)}, Values: []float64{7, 9, 8}}, Last, false},
		{"median of signed zeros out of order", Rows{Times: []int64{at(1, 3), at(1, 1), at(1, 2)}, Values: []float64{0, neg, 1}}, P50, true},
		{"median of signed zeros in order", Rows{Times: []int64{at(1, 1), at(1, 2), at(1, 3)}, Values: []float64{0, neg, 1}}, P50, false},
		{"median out of order", Rows{Times: []int64{at(1, 3), at(1, 1), at(1, 2)}, Values: []float64{0.3, 0.1, 0.2}}, P50, false},
	} {
		got, ok := streamed(c.rows, starts, c.m, nil, nil)
		if ok == c.giveUp {
			t.Fatalf("%s: ok %v, want %v", c.name, ok, !c.giveUp)
		}
		if ok {
			sameBits(t, c.name, got, reference(c.rows, starts, c.m, nil, nil))
		}
	}
}

// Starts that do not ascend (Buckets never makes them): rows go where
// Aggregate's walk puts them.
func TestStreamOddStarts(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6)) // #nosec G404 -- test data
	for i := 0; i < 200; i++ {
		starts := make([]time.Time, 1+r.IntN(6))
		for j := range starts {
			starts[j] = day(1 + r.IntN(6))
		}
		rows := randomRows(r, day(1), day(7), 50, valueKinds[1].gen, r.IntN(3))
		for _, m := range Methods {
			got, ok := streamed(rows, starts, m, nil, nil)
			if !ok {
				t.Fatalf("starts %v, %s: gave up on integers", starts, m)
			}
			sameBits(t, fmt.Sprintf("starts %v / %s", starts, m), got, reference(rows, starts, m, nil, nil))
		}
	}
}

// Once it gives up, the stream refuses further rows and has no result.
func TestStreamGivesUpForGood(t *testing.T) {
	s := NewStream([]time.Time{day(1), day(2)}, Sum, nil, nil)
	for _, row := range []struct {
		h int
		v float64
	}{{3, 0.3}, {1, 0.1}} {
		s.Add(at(1, row.h), row.v)
	}
	if s.Add(at(1, 5), 1) {
		t.Fatal("Add after giving up must return false")
	}
	if out, ok := s.Result(); ok || out != nil {
		t.Fatalf("Result after giving up: %v %v", out, ok)
	}
}

func TestLowBit(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want int32
	}{{1, 0}, {3, 0}, {0.5, -1}, {0.75, -2}, {-6, 1}, {1 << 60, 60}, {5e-324, -1074}, {math.MaxFloat64, 971}} {
		if got := lowBit(c.v); got != c.want {
			t.Errorf("lowBit(%v) = %d, want %d", c.v, got, c.want)
		}
	}
}
