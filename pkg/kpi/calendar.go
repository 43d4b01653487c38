package kpi

import "time"

// Calendar boundaries in a time zone.
//
// A local day, week, month, quarter or year — and a 4-hour block of a local day —
// starts at the first instant at which the zone's clock reaches its first
// moment. Where that moment exists it is simply local 00:00 (or 04:00, …); where
// a clock change skips it (a DST change at midnight in America/Santiago,
// America/Havana, Asia/Beirut, …) the boundary is the first instant after the
// gap, e.g. local 01:00; where a whole local date is skipped (Pacific/Apia,
// 30 Dec 2011) its boundary coincides with the next date's, so no bucket is
// empty. time.Date is not used for this: at a local time that does not exist it
// may answer an instant of the day before.
//
// Local clock readings ("wall times") are handled as time.Time values in UTC
// whose fields are the local date and clock, so calendar arithmetic on them is
// free of offsets.

// maxOffset bounds how far any zone's clock is from UTC, with margin (real
// offsets, local mean time included, stay within ±16 hours).
const maxOffset = 26 * 3600

// wallOf is t's local date and clock reading in loc, as a wall time.
func wallOf(t time.Time, loc *time.Location) time.Time {
	_, off := t.In(loc).Zone()
	return t.Add(time.Duration(off) * time.Second).UTC()
}

// firstInstantAt returns the first instant at which loc's clock reads wall (a
// whole second) or later, as a UTC instant: the instant of wall where it exists (the earlier one
// where a clock change repeats it), else the first instant after the gap that
// skips it. It walks the zone's periods of constant offset that can hold the
// answer, in order, so it holds for any offset change, however large.
func firstInstantAt(wall time.Time, loc *time.Location) time.Time {
	w := wall.Unix() // the wall time's seconds, as if UTC
	t := time.Unix(w-maxOffset, 0).In(loc)
	for {
		_, off := t.Zone()
		_, end := t.ZoneBounds()
		// In this period the clock reads u+off at instant u: it reaches w at w-off.
		cand := w - int64(off)
		if cand < t.Unix() {
			cand = t.Unix() // the clock already reads later than w: the period's first instant
		}
		if end.IsZero() || cand < end.Unix() {
			return time.Unix(cand, 0).UTC()
		}
		t = end.In(loc)
	}
}

// StartOfLocalDate returns the first instant of the local date y-m-d in loc
// (its midnight, or the first instant after a gap that skips midnight), as a
// UTC instant. Out-of-range months and days are normalised as by time.Date.
func StartOfLocalDate(y int, m time.Month, d int, loc *time.Location) time.Time {
	return firstInstantAt(time.Date(y, m, d, 0, 0, 0, 0, time.UTC), loc)
}

// mark returns the wall time at which the interval's bucket holding the wall
// time w begins: the 4-hour block, day, ISO week (Monday), month, quarter or
// year of the local calendar.
func (iv Interval) mark(w time.Time) time.Time {
	y, m, d := w.Date()
	switch iv {
	case FourHour:
		return time.Date(y, m, d, w.Hour()/4*4, 0, 0, 0, time.UTC)
	case Day:
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	case Week:
		back := (int(w.Weekday()) + 6) % 7 // days since Monday
		return time.Date(y, m, d-back, 0, 0, 0, 0, time.UTC)
	case Month:
		return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	case Quarter:
		return time.Date(y, (m-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
	case Year:
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	panic("kpi: no calendar mark for interval " + string(iv))
}

// nextMark returns the wall time at which the bucket after the one beginning
// at the mark m begins.
func (iv Interval) nextMark(m time.Time) time.Time {
	switch iv {
	case FourHour:
		return m.Add(4 * time.Hour) // wall times have 24-hour days: 4h blocks re-align every day
	case Day:
		return m.AddDate(0, 0, 1)
	case Week:
		return m.AddDate(0, 0, 7)
	case Month:
		return m.AddDate(0, 1, 0)
	case Quarter:
		return m.AddDate(0, 3, 0)
	case Year:
		return m.AddDate(1, 0, 0)
	}
	panic("kpi: no calendar mark for interval " + string(iv))
}

// calendarFloor is Floor for the calendar intervals (all but 1h): the last
// boundary at or before t. The boundary of t's own local date is at or before
// t; where a clock change set the clock back across a boundary (t reads a date
// the calendar has already left), the next boundaries may be too.
func (iv Interval) calendarFloor(t time.Time, loc *time.Location) time.Time {
	start := firstInstantAt(iv.mark(wallOf(t, loc)), loc)
	for {
		next := iv.calendarNext(start, loc)
		if next.After(t) {
			return start
		}
		start = next
	}
}

// calendarNext is Next for the calendar intervals: the first instant at which
// the clock reaches the mark after the one that start's clock reading is in.
// It is always after start, so no bucket is empty.
func (iv Interval) calendarNext(start time.Time, loc *time.Location) time.Time {
	return firstInstantAt(iv.nextMark(iv.mark(wallOf(start, loc))), loc)
}
