package connector

import (
	"time"
)

// Push-down of a business-time KPI (PostgreSQL only). A row's value is the
// business time from its time to its end: the working windows' overlap with
// [time, end). The KPI's calendar lists its working windows over a
// horizon that covers every row (businessWindows), and they are bound to the
// query as two timestamptz[] arrays, starts and ends, with the working time
// before each window in microseconds. Since the windows are sorted and
// disjoint, the sum over the windows of
//
//	greatest(0, least(window end, row end) − greatest(window start, row time))
//
// is C(end) − C(time), where C(x), the working time from the horizon's start
// to x, is the working time before the last window that starts at or before x
// plus the part of that window before x. The database finds that window by
// binary search (width_bucket over the starts), so a row costs two searches
// however many windows the horizon holds.
//
// The arithmetic is exact: PostgreSQL's timestamps are whole microseconds,
// the windows' bounds must be too (else no push-down), C is summed in bigint
// microseconds, and a row's value is (microseconds × 1000) as float8 divided
// by the unit in nanoseconds as float8: the same two roundings as the
// in-process float64(Working) / float64(Per).
//
// A row whose end lies beyond the horizon, or before its time, cannot be
// measured this way: the query counts such rows, and where there are any the
// KPI is aggregated in process instead (which measures the first kind and
// reports the second as an error), so a figure is never cut short.

// maxBusinessWindows bounds the working windows one push-down binds; past it
// (a calendar of many short windows over a long horizon) the rows are
// measured in process.
const maxBusinessWindows = 200_000

// businessMargin is how far past the later of the range's end and now the
// horizon reaches, for requests answered after the range and clocks that
// disagree a little.
const businessMargin = 7 * 24 * time.Hour

// maxBusinessHorizon bounds the horizon's length, so that a row's business
// time in nanoseconds, which the query computes in bigint, cannot overflow.
const maxBusinessHorizon = 250 * 365 * 24 * time.Hour

// businessChunk is how much of the horizon is listed at a time, so that a
// horizon with too many windows is given up early.
const businessChunk = 30 * 24 * time.Hour

// businessWindows is a calendar's working time over [from, horizon), as a
// push-down binds it.
type businessWindows struct {
	starts, ends []time.Time // UTC, sorted, disjoint, each non-empty
	before       []int64     // before[i]: the working time of windows [:i], microseconds
	horizon      time.Time
	per          time.Duration
}

// planBusiness lists b's working windows from from to the later of to and
// now, plus businessMargin; false when b cannot be pushed down (no windows
// function, a horizon longer than maxBusinessHorizon, more than limit
// windows, or a bound that is not a whole microsecond).
func planBusiness(b *Business, from, to, now time.Time, limit int) (*businessWindows, bool) {
	if b == nil || b.Windows == nil || b.Per <= 0 {
		return nil, false
	}
	horizon := to
	if now.After(horizon) {
		horizon = now
	}
	horizon = horizon.Add(businessMargin).UTC().Truncate(time.Microsecond)
	if horizon.Sub(from) > maxBusinessHorizon {
		return nil, false
	}
	w := &businessWindows{horizon: horizon, per: b.Per}
	var total int64
	for at := from; at.Before(horizon); {
		next := at.Add(businessChunk)
		if next.After(horizon) {
			next = horizon
		}
		for _, iv := range b.Windows(at, next) {
			if iv.From.Nanosecond()%1000 != 0 || iv.To.Nanosecond()%1000 != 0 || !iv.From.Before(iv.To) {
				return nil, false
			}
			n := len(w.starts)
			if n > 0 && iv.From.Equal(w.ends[n-1]) { // a window cut at the chunk's edge
				total += iv.To.Sub(iv.From).Microseconds()
				w.ends[n-1] = iv.To.UTC()
				continue
			}
			if n > 0 && iv.From.Before(w.ends[n-1]) {
				return nil, false // not sorted and disjoint: never from a compiled calendar
			}
			if len(w.starts) == limit {
				return nil, false
			}
			w.starts = append(w.starts, iv.From.UTC())
			w.ends = append(w.ends, iv.To.UTC())
			w.before = append(w.before, total)
			total += iv.To.Sub(iv.From).Microseconds()
		}
		at = next
	}
	return w, true
}
