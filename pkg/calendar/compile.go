package calendar

import (
	"math"
	"slices"
	"sync/atomic"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// Interval is a span of instants [From, To).
type Interval struct {
	From, To time.Time
}

// Compiled is a validated calendar in the form business time is computed
// with. It is safe for concurrent use: its working time is built lazily, a
// block of about 52 days at a time, and kept without locks.
type Compiled struct {
	loc        *time.Location
	weekly     [7][]window
	changes    []hoursChange // effective-dated weekly hours, by date
	holidays   map[int64]string
	exclusions []Exclusion // sorted by From, then To
	maxTo      []int64     // maxTo[i]: the latest To of exclusions[:i+1], Unix ns
	excluded   []span      // the union of the exclusions, sorted and disjoint
	blocks     []atomic.Pointer[block]
}

// span is [from, to) in Unix nanoseconds.
type span struct{ from, to int64 }

// block is the working time of the instants [start, end) (end = start +
// 2^blockShift ns): sorted, disjoint spans, merged where they touch, with
// cum[i] the working time of spans[:i]. The block is cut into 2^indexBits
// slices of equal length; index[j] is the first span that ends after slice
// j starts, so a search looks only among the spans of one slice.
type block struct {
	start, end int64
	spans      []span
	cum        []int64
	index      [1<<indexBits + 1]int32
}

const (
	// blockShift sets a block's length: 2^52 ns is about 52.1 days.
	blockShift = 52
	// indexBits sets the slices of a block's index: 2^7 slices of about 9.8 hours.
	indexBits  = 7
	sliceShift = blockShift - indexBits
)

// The instants the maths covers; times outside are clamped to them.
var (
	minNanos   = models.EarliestTime.UnixNano()
	maxNanos   = models.LatestTime.UnixNano()
	minSeconds = models.EarliestTime.Unix()
	maxSeconds = models.LatestTime.Unix()
	firstBlock = minNanos >> blockShift
	numBlocks  = maxNanos>>blockShift - firstBlock + 1
)

// Compile validates c and returns its compiled form. The result does not
// refer to c: later changes to c do not reach it.
func Compile(c *Calendar) (*Compiled, error) {
	if c == nil {
		return nil, models.InputFieldError("calendar", "is missing: give a calendar")
	}
	p, err := c.plan()
	if err != nil {
		return nil, err
	}
	cc := &Compiled{
		loc:        p.loc,
		weekly:     p.weekly,
		changes:    p.changes,
		holidays:   p.holidays,
		exclusions: p.exclusions,
		blocks:     make([]atomic.Pointer[block], numBlocks),
	}
	cc.maxTo, cc.excluded = indexExclusions(p.exclusions)
	return cc, nil
}

// Location is the calendar's time zone.
func (c *Compiled) Location() *time.Location { return c.loc }

// indexExclusions returns the running latest end of exclusions (sorted by
// From) and their union.
func indexExclusions(es []Exclusion) ([]int64, []span) {
	maxTo := make([]int64, len(es))
	spans := make([]span, len(es))
	latest := int64(math.MinInt64)
	for i, e := range es {
		latest = max(latest, e.To.UnixNano())
		maxTo[i] = latest
		spans[i] = span{e.From.UnixNano(), e.To.UnixNano()}
	}
	return maxTo, merge(spans)
}

// Working returns the business time in [from, to): the working windows'
// overlap with it, less exclusions. When to is before from it is the
// negative of Working(to, from). Times before models.EarliestTime or after
// models.LatestTime count as those bounds; a sum beyond time.Duration's
// range saturates, as time.Time.Sub does.
func (c *Compiled) Working(from, to time.Time) time.Duration {
	if c == nil {
		return 0
	}
	a, b := clamp(from), clamp(to)
	if b < a {
		return -c.working(b, a)
	}
	return c.working(a, b)
}

// At reports whether t falls in working time: inside a working window, not
// on a holiday and not in an exclusion.
func (c *Compiled) At(t time.Time) bool {
	if c == nil {
		return false
	}
	a := clamp(t)
	return c.working(a, a+1) > 0
}

func (c *Compiled) working(a, b int64) time.Duration {
	ia, ib := a>>blockShift, b>>blockShift
	first := c.block(ia)
	if ia == ib {
		return time.Duration(first.upTo(b) - first.upTo(a))
	}
	sum := first.total() - first.upTo(a)
	for i := ia + 1; i < ib; i++ {
		sum = addSat(sum, c.block(i).total())
	}
	if last := ib << blockShift; b > last {
		sum = addSat(sum, c.block(ib).upTo(b))
	}
	return time.Duration(sum)
}

// Windows returns the working time in [from, to), after holidays and
// exclusions, as sorted intervals in the calendar's zone; intervals that
// touch are merged. An empty or reversed range has none.
func (c *Compiled) Windows(from, to time.Time) []Interval {
	if c == nil {
		return nil
	}
	a, b := clamp(from), clamp(to)
	var out []Interval
	for i := a >> blockShift; a < b && i <= (b-1)>>blockShift; i++ {
		blk := c.block(i)
		for k := blk.search(a); k < len(blk.spans) && blk.spans[k].from < b; k++ {
			s := blk.spans[k]
			out = c.appendInterval(out, max(s.from, a), min(s.to, b))
		}
	}
	return out
}

// appendInterval appends [from, to) to out, extending out's last interval
// when they touch (a span cut at a block's edge).
func (c *Compiled) appendInterval(out []Interval, from, to int64) []Interval {
	if n := len(out); n > 0 && out[n-1].To.UnixNano() == from {
		out[n-1].To = c.instant(to)
		return out
	}
	return append(out, Interval{From: c.instant(from), To: c.instant(to)})
}

// Excluded returns the exclusions that overlap [from, to), each clipped to
// it, in order of start, with reasons and notes; times are in the
// calendar's zone. Exclusions that overlap each other are each returned.
// An empty or reversed range has none.
func (c *Compiled) Excluded(from, to time.Time) []Exclusion {
	if c == nil {
		return nil
	}
	a, b := clamp(from), clamp(to)
	if a >= b {
		return nil
	}
	lo, _ := slices.BinarySearchFunc(c.maxTo, a, func(m, t int64) int {
		if m > t {
			return 1
		}
		return -1
	})
	var out []Exclusion
	for _, e := range c.exclusions[lo:] {
		ef, et := e.From.UnixNano(), e.To.UnixNano()
		if ef >= b {
			break
		}
		if et > a {
			e.From, e.To = c.instant(max(ef, a)), c.instant(min(et, b))
			out = append(out, e)
		}
	}
	return out
}

func (c *Compiled) instant(ns int64) time.Time { return time.Unix(0, ns).In(c.loc) }

// clamp returns t in Unix nanoseconds, within [minNanos, maxNanos].
func clamp(t time.Time) int64 {
	switch s := t.Unix(); {
	case s < minSeconds:
		return minNanos
	case s >= maxSeconds:
		return maxNanos
	}
	return t.UnixNano()
}

func addSat(x, y int64) int64 {
	if x > math.MaxInt64-y {
		return math.MaxInt64
	}
	return x + y
}

// block returns block i (by start>>blockShift), building it on first use.
// Two goroutines may build the same block; both get the one stored first.
func (c *Compiled) block(i int64) *block {
	slot := &c.blocks[i-firstBlock]
	if b := slot.Load(); b != nil {
		return b
	}
	slot.CompareAndSwap(nil, c.build(i))
	return slot.Load()
}

// search returns the index of the first span that ends after t.
func (b *block) search(t int64) int {
	switch {
	case t < b.start:
		return 0
	case t >= b.end:
		return len(b.spans)
	}
	j := (t - b.start) >> sliceShift
	return b.searchIn(t, int(b.index[j]), int(b.index[j+1]))
}

// searchIn returns the index of the first span in [lo, hi] that ends after
// t, or hi.
func (b *block) searchIn(t int64, lo, hi int) int {
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if b.spans[m].to <= t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// upTo returns the working time in [b.start, t), for t in [b.start, b.end].
func (b *block) upTo(t int64) int64 {
	k := b.search(t)
	if k == len(b.spans) || t <= b.spans[k].from {
		return b.cum[k]
	}
	return b.cum[k] + t - b.spans[k].from
}

func (b *block) total() int64 { return b.cum[len(b.spans)] }

// build computes block i: the windows of the local days that can reach it
// (holidays dropped), clipped to it, united, less the exclusions.
func (c *Compiled) build(i int64) *block {
	start := i << blockShift
	end := start + 1<<blockShift
	spans := subtract(merge(c.windowSpans(start, end)), c.excludedIn(start, end))
	b := &block{start: start, end: end, spans: spans, cum: make([]int64, len(spans)+1)}
	for k, s := range spans {
		b.cum[k+1] = b.cum[k] + s.to - s.from
	}
	for j := range b.index {
		b.index[j] = int32(b.searchIn(start+int64(j)<<sliceShift, 0, len(spans)))
	}
	return b
}

// dayMargin is how many local days before and after [start, end) may hold
// a window reaching into it: a window ends less than two days after its
// day's midnight, and a zone's change of offset (up to a whole day, as
// Pacific/Apia's in 2011) may move it by as much again.
const dayMargin = 3

// windowSpans lists the windows of the local days around [start, end),
// each an interval of instants clipped to it, unsorted.
func (c *Compiled) windowSpans(start, end int64) []span {
	first := civilDay(time.Unix(0, start).In(c.loc).Date()) - dayMargin
	last := civilDay(time.Unix(0, end-1).In(c.loc).Date()) + dayMargin
	var out []span
	for d := first; d <= last; d++ {
		if _, holiday := c.holidays[d]; holiday {
			continue
		}
		y, m, dd := civilDate(d)
		for _, w := range c.hoursOn(d)[weekday(d)] {
			from := time.Date(y, m, dd, 0, w.from, 0, 0, c.loc).UnixNano()
			to := time.Date(y, m, dd, 0, w.to, 0, 0, c.loc).UnixNano()
			if from, to = max(from, start), min(to, end); from < to {
				out = append(out, span{from, to})
			}
		}
	}
	return out
}

// hoursOn is the weekly hours in force on civil day d: those of the latest
// change dated d or before, else the calendar's hours.
func (c *Compiled) hoursOn(d int64) *[7][]window {
	wk := &c.weekly
	for i := range c.changes {
		if c.changes[i].from > d {
			break
		}
		wk = &c.changes[i].weekly
	}
	return wk
}

// excludedIn returns the exclusion union's spans that overlap [start, end).
func (c *Compiled) excludedIn(start, end int64) []span {
	lo, _ := slices.BinarySearchFunc(c.excluded, start, func(s span, t int64) int {
		if s.to > t {
			return 1
		}
		return -1
	})
	hi := lo
	for hi < len(c.excluded) && c.excluded[hi].from < end {
		hi++
	}
	return c.excluded[lo:hi]
}

// merge sorts spans and unites those that overlap or touch, in place.
func merge(spans []span) []span {
	slices.SortFunc(spans, func(a, b span) int {
		switch {
		case a.from < b.from:
			return -1
		case a.from > b.from:
			return 1
		}
		return 0
	})
	out := spans[:0]
	for _, s := range spans {
		if n := len(out); n > 0 && s.from <= out[n-1].to {
			out[n-1].to = max(out[n-1].to, s.to)
			continue
		}
		out = append(out, s)
	}
	return out
}

// subtract returns spans less cut; both sorted and disjoint.
func subtract(spans, cut []span) []span {
	if len(cut) == 0 {
		return spans
	}
	out := make([]span, 0, len(spans))
	k := 0
	for _, s := range spans {
		for k < len(cut) && cut[k].to <= s.from {
			k++
		}
		for j := k; j < len(cut) && cut[j].from < s.to; j++ {
			if cut[j].from > s.from {
				out = append(out, span{s.from, cut[j].from})
			}
			s.from = max(s.from, cut[j].to)
		}
		if s.from < s.to {
			out = append(out, s)
		}
	}
	return out
}
