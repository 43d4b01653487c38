package calendar

import "time"

// OffHours returns the instants of [from, to) that are not working time —
// outside the windows, on holidays, and in exclusions — as sorted, disjoint
// intervals that do not touch, in the calendar's zone: the complement of
// Windows in the range. It is what a chart shades. Past limit intervals it
// stops and reports false with no intervals, so a long range of short gaps
// (nights over years) costs no more than the limit; a limit below 1 is no
// limit. An empty or reversed range has none.
func (c *Compiled) OffHours(from, to time.Time, limit int) ([]Interval, bool) {
	if c == nil {
		return nil, true
	}
	a, b := clamp(from), clamp(to)
	if a >= b {
		return nil, true
	}
	var out []Interval
	add := func(x, y int64) bool {
		if limit > 0 && len(out) >= limit {
			return false
		}
		out = append(out, Interval{From: c.instant(x), To: c.instant(y)})
		return true
	}
	gap := a // the earliest instant not yet known to be working time
	for i := a >> blockShift; i <= (b-1)>>blockShift; i++ {
		blk := c.block(i)
		for k := blk.search(gap); k < len(blk.spans) && blk.spans[k].from < b; k++ {
			s := blk.spans[k]
			if s.from > gap && !add(gap, s.from) {
				return nil, false
			}
			gap = max(gap, s.to)
		}
	}
	if gap < b && !add(gap, b) {
		return nil, false
	}
	return out, true
}
