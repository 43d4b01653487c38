package kpi

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// Method is a tracker's compute method: how a bucket's rows become its actual.
type Method string

// The compute methods (docs/figures.md).
const (
	Sum   Method = "sum"   // sum of non-null values; null when none
	Avg   Method = "avg"   // mean of non-null values; null when none
	Count Method = "count" // number of rows, nulls included (COUNT(*)); 0 when none
	Min   Method = "min"   // smallest non-null value; null when none
	Max   Method = "max"   // largest non-null value; null when none
	P50   Method = "p50"   // continuous median (percentile_cont 0.5)
	P90   Method = "p90"   // continuous 90th percentile
	P95   Method = "p95"   // continuous 95th percentile
	P99   Method = "p99"   // continuous 99th percentile
	Ratio Method = "ratio" // % of non-null values meeting the condition; null when none
	Last  Method = "last"  // value of the latest non-null row (ties: the last one given)
)

// Methods lists every compute method.
var Methods = []Method{Sum, Avg, Count, Min, Max, P50, P90, P95, P99, Ratio, Last}

// Percentile is the fraction of a percentile method, 0 for the others.
func (m Method) Percentile() float64 {
	switch m {
	case P50:
		return 0.5
	case P90:
		return 0.9
	case P95:
		return 0.95
	case P99:
		return 0.99
	}
	return 0
}

// ParseMethod checks a method name.
func ParseMethod(field, s string) (Method, error) {
	return parseEnum(field, s, "a compute method", Methods)
}

// Rows are connector rows in columns: Times in Unix nanoseconds and Values,
// where NaN stands for null (both are ignored by every method but count).
type Rows struct {
	Times  []int64
	Values []float64
	// Open marks requests still in progress, when the KPI's query returns a
	// status column (nil otherwise); see IsOpenStatus.
	Open []bool
}

// KeepRows keeps the rows whose time keep accepts, in place; nil keeps all.
func KeepRows(rows Rows, keep func(time.Time) bool) Rows {
	if keep == nil {
		return rows
	}
	n := 0
	for i, ns := range rows.Times {
		if !keep(time.Unix(0, ns)) {
			continue
		}
		rows.Times[n], rows.Values[n] = ns, rows.Values[i]
		if rows.Open != nil {
			rows.Open[n] = rows.Open[i]
		}
		n++
	}
	rows.Times, rows.Values = rows.Times[:n], rows.Values[:n]
	if rows.Open != nil {
		rows.Open = rows.Open[:n]
	}
	return rows
}

// IsOpenStatus reports whether a KPI row's status says the request is still in
// progress: in_progress, open or pending (any case); anything else is resolved.
func IsOpenStatus(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "in_progress", "in progress", "open", "pending":
		return true
	}
	return false
}

// Aggregate computes each bucket's actual. starts holds the bucket starts and
// the end of the last bucket (as Buckets returns). Rows outside the buckets
// are ignored; rows need not be sorted. The result has one value per bucket,
// NaN for null. It makes one pass over time-sorted rows and allocates only
// the result (and, for unsorted rows or percentiles, one scratch slice).
func Aggregate(rows Rows, starts []time.Time, m Method, cond *models.Condition) []float64 {
	nb := len(starts) - 1
	out := make([]float64, max(nb, 0))
	if nb <= 0 {
		return out
	}
	bounds := make([]int64, len(starts))
	for i, s := range starts {
		bounds[i] = s.UnixNano()
	}
	order := sortedOrder(rows.Times)
	times, values := rows.Times, rows.Values
	pct := m.Percentile()
	var scratch []float64
	i, n := 0, len(times)
	for i < n && times[rowAt(order, i)] < bounds[0] {
		i++
	}
	for b := 0; b < nb; b++ {
		hi := bounds[b+1]
		var acc accumulator
		acc.reset()
		scratch = scratch[:0]
		for ; i < n; i++ {
			r := i
			if order != nil {
				r = order[i]
			}
			if times[r] >= hi {
				break
			}
			v := values[r]
			acc.rows++
			if v != v { // NaN: null
				continue
			}
			acc.add(v)
			if cond != nil && cond.Holds(v) {
				acc.passed++
			}
			if pct > 0 {
				scratch = append(scratch, v)
			}
		}
		out[b] = acc.result(m, scratch)
	}
	return out
}

// rowAt is the index of the i-th row in time order.
func rowAt(order []int, i int) int {
	if order == nil {
		return i
	}
	return order[i]
}

// sortedOrder returns nil when times are already ascending, else a stable
// sorting permutation (equal times keep their given order, so "last" picks the last given).
func sortedOrder(times []int64) []int {
	if slices.IsSorted(times) {
		return nil
	}
	order := make([]int, len(times))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return times[order[a]] < times[order[b]] })
	return order
}

// accumulator holds one bucket's running figures.
type accumulator struct {
	rows, n, passed int
	sum, min, max   float64
	last            float64
}

func (a *accumulator) reset() {
	*a = accumulator{min: math.Inf(1), max: math.Inf(-1), last: math.NaN()}
}

func (a *accumulator) add(v float64) {
	a.n++
	a.sum += v
	if v < a.min {
		a.min = v
	}
	if v > a.max {
		a.max = v
	}
	a.last = v
}

func (a *accumulator) result(m Method, values []float64) float64 {
	if m == Count {
		return float64(a.rows)
	}
	if a.n == 0 {
		return math.NaN()
	}
	switch m {
	case Sum:
		return a.sum
	case Avg:
		return a.sum / float64(a.n)
	case Min:
		return a.min
	case Max:
		return a.max
	case Ratio:
		return float64(a.passed) / float64(a.n) * 100
	case Last:
		return a.last
	}
	return percentileCont(values, m.Percentile())
}

// percentileCont is PostgreSQL's percentile_cont: linear interpolation
// between the closest ranks of the sorted values. It sorts values in place.
func percentileCont(values []float64, p float64) float64 {
	slices.Sort(values)
	pos := p * float64(len(values)-1)
	lo := math.Floor(pos)
	hi := math.Ceil(pos)
	vlo := values[int(lo)]
	if lo == hi {
		return vlo
	}
	return vlo + (pos-lo)*(values[int(hi)]-vlo)
}

// FigureUnit is the unit of a tracker's actual, target and variance: the KPI's,
// except for a ratio (a percentage of rows) and a count (a number of rows).
func FigureUnit(def models.TrackerDef) string {
	switch Method(def.Method) {
	case Ratio:
		return "percent"
	case Count:
		return "none"
	}
	return def.KPI.Unit
}
