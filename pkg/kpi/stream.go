package kpi

import (
	"math"
	"math/bits"
	"sort"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// Stream aggregates rows fed one at a time, in the order a connector reads
// them, into the same figures Aggregate gives for those rows (bit for bit).
// It holds one accumulator per bucket, not the rows: for sum, avg, count,
// min, max, ratio and last its memory grows with the buckets only. A
// percentile needs each bucket's values (they are sorted at the end), so
// for p50–p99 it holds every non-null value in range, 8 bytes each.
//
// Aggregate adds a bucket's values in time order (rows of equal time in the
// order given). A stream adds them as they come, which is the same sum when
// each bucket's rows come in time order; when they do not, the sum is still
// the same if every addition is exact (integers, or values on a common
// binary grid, far from overflow), which the stream tracks. Otherwise it
// gives up: Add returns false and Result's ok is false, and the caller
// aggregates the rows with Aggregate instead. The same happens to a
// percentile bucket whose rows come out of order and hold both +0 and -0
// (the only values equal but not identical, whose order sorting keeps as
// found). The other methods never give up.
type Stream struct {
	m      Method
	cond   *models.Condition
	keep   func(time.Time) bool
	lo     int64   // the first bucket's start: earlier rows are ignored
	ends   []int64 // ends[b]: the largest end of buckets 0..b (Aggregate's rule, below)
	cells  []cell
	values [][]float64 // percentiles: each bucket's non-null values
	last   int         // the bucket of the previous row, tried first
	failed bool
}

// cell is one bucket's running figures.
type cell struct {
	rows   int64   // rows, nulls included (count)
	n      int64   // non-null rows
	passed int64   // non-null rows meeting the condition (ratio)
	v      float64 // sum, avg: the running sum; min, max, last: the value held
	abs    float64 // sum, avg: the running sum of |v| (the exactness bound)
	// t is, for sum, avg and percentiles, the time of the latest non-null row
	// (to see rows out of order); for min, max and last the time of the value held.
	t     int64
	exp   int32 // sum, avg: the exponent of the lowest set bit over the values
	flags uint8
}

const (
	unordered uint8 = 1 << iota // a non-null row came before an earlier one
	inexact                     // an addition may have rounded: order matters
	posZero                     // percentiles: a +0 was seen
	negZero                     // percentiles: a -0 was seen
)

// NewStream starts a stream over the buckets starts (as Buckets returns
// them) for method m and condition cond (ratio). keep, when set, drops the
// rows whose time it refuses, as KeepRows does before Aggregate.
func NewStream(starts []time.Time, m Method, cond *models.Condition, keep func(time.Time) bool) *Stream {
	s := &Stream{m: m, cond: cond, keep: keep}
	nb := len(starts) - 1
	if nb <= 0 {
		return s
	}
	s.lo = starts[0].UnixNano()
	// Aggregate walks time-sorted rows bucket by bucket, bucket b taking rows
	// while they are before its end: a row (not before the first start) goes
	// to the first bucket whose end is after it, which is the first b whose
	// running maximum of ends is after it, found by binary search (the same
	// as the ends themselves when the starts ascend, as Buckets makes them).
	s.ends = make([]int64, nb)
	hi := int64(math.MinInt64)
	for b := range s.ends {
		hi = max(hi, starts[b+1].UnixNano())
		s.ends[b] = hi
	}
	s.cells = make([]cell, nb)
	if m.Percentile() > 0 {
		s.values = make([][]float64, nb)
	}
	if m == Sum || m == Avg {
		for b := range s.cells {
			s.cells[b].exp = math.MaxInt32
		}
	}
	return s
}

// bucket is the bucket of a row at ns, or -1 when it is in none.
func (s *Stream) bucket(ns int64) int {
	if ns < s.lo || len(s.ends) == 0 || ns >= s.ends[len(s.ends)-1] {
		return -1
	}
	if b := s.last; ns < s.ends[b] && (b == 0 || ns >= s.ends[b-1]) {
		return b
	}
	b := sort.Search(len(s.ends), func(i int) bool { return s.ends[i] > ns })
	s.last = b
	return b
}

// Add feeds one row: its time in Unix nanoseconds and its value (NaN for
// null). It returns false once the stream cannot give Aggregate's figures;
// the caller then stops feeding it.
func (s *Stream) Add(ns int64, v float64) bool {
	if s.failed {
		return false
	}
	b := s.bucket(ns)
	if b < 0 {
		return true
	}
	if s.keep != nil && !s.keep(time.Unix(0, ns)) {
		return true
	}
	c := &s.cells[b]
	c.rows++
	if v != v { // NaN: null
		return true
	}
	first := c.n == 0
	c.n++
	switch s.m {
	case Sum, Avg:
		if !first && ns < c.t {
			c.flags |= unordered
		}
		if first || ns > c.t {
			c.t = ns
		}
		c.v += v
		s.bound(c, v)
		if c.flags&(unordered|inexact) == unordered|inexact {
			s.failed = true
			return false
		}
	case Min:
		// Aggregate keeps the first smallest value in time order: only
		// +0 and -0 are equal and yet differ.
		if first || v < c.v || (v == c.v && ns < c.t) {
			c.v, c.t = v, ns
		}
	case Max:
		if first || v > c.v || (v == c.v && ns < c.t) {
			c.v, c.t = v, ns
		}
	case Last:
		if first || ns >= c.t { // ties: the last given
			c.v, c.t = v, ns
		}
	case Ratio:
		if s.cond != nil && s.cond.Holds(v) {
			c.passed++
		}
	default:
		if s.values == nil {
			return true
		}
		if !first && ns < c.t {
			c.flags |= unordered
		}
		if first || ns > c.t {
			c.t = ns
		}
		if v == 0 {
			if math.Signbit(v) {
				c.flags |= negZero
			} else {
				c.flags |= posZero
			}
		}
		s.values[b] = append(s.values[b], v)
		if c.flags&(unordered|posZero|negZero) == unordered|posZero|negZero {
			s.failed = true
			return false
		}
	}
	return true
}

// bound keeps the proof that every partial sum of the bucket's values, in
// any order, is exact: all are multiples of 2^exp and the sum of their
// magnitudes is below 2^(53+exp), so every partial sum is a float64 exactly
// (and so is the running sum of magnitudes itself, while this holds).
func (s *Stream) bound(c *cell, v float64) {
	if c.flags&inexact != 0 {
		return
	}
	if math.IsInf(v, 0) {
		c.flags |= inexact
		return
	}
	if v != 0 {
		c.exp = min(c.exp, lowBit(v))
	}
	c.abs += math.Abs(v)
	if c.n > 0 && c.exp != math.MaxInt32 && !(c.abs < math.Ldexp(1, 53+int(c.exp))) {
		c.flags |= inexact
	}
}

// lowBit is e such that 2^e is the lowest set bit of a finite, non-zero v.
func lowBit(v float64) int32 {
	u := math.Float64bits(v)
	mant := u & (1<<52 - 1)
	e := int32(u>>52) & 0x7ff
	if e == 0 { // subnormal
		e = 1
	} else {
		mant |= 1 << 52
	}
	return e - 1075 + int32(bits.TrailingZeros64(mant))
}

// Result gives each bucket's actual, NaN for null, as Aggregate would over
// the rows fed; ok is false when the stream gave up (see Stream).
func (s *Stream) Result() (out []float64, ok bool) {
	if s.failed {
		return nil, false
	}
	out = make([]float64, len(s.cells))
	for b := range s.cells {
		c := &s.cells[b]
		if s.m == Count {
			out[b] = float64(c.rows)
			continue
		}
		if c.n == 0 {
			out[b] = math.NaN()
			continue
		}
		switch s.m {
		case Sum, Min, Max, Last:
			out[b] = c.v
		case Avg:
			out[b] = c.v / float64(c.n)
		case Ratio:
			out[b] = float64(c.passed) / float64(c.n) * 100
		default:
			out[b] = percentileCont(s.values[b], s.m.Percentile())
			s.values[b] = nil
		}
	}
	return out, true
}
