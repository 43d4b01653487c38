// Package kpi turns connector rows into tracker series: calendar buckets in a
// time zone, compute methods, targets, variance and Red/Amber/Green (docs/figures.md).
package kpi

import (
	"fmt"
	"strings"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// Interval is a bucket width aligned to calendar boundaries in a time zone.
type Interval string

// The intervals a tracker may use.
const (
	Hour     Interval = "1h" // local clock hours
	FourHour Interval = "4h" // local 00:00, 04:00, 08:00, …
	Day      Interval = "1d" // local days (23 or 25 hours across a DST change)
	Week     Interval = "1w" // ISO weeks, starting Monday
	Month    Interval = "1M" // calendar months
	Quarter  Interval = "1Q" // calendar quarters
	Year     Interval = "1Y" // calendar years
)

// Intervals lists every interval, shortest first.
var Intervals = []Interval{Hour, FourHour, Day, Week, Month, Quarter, Year}

// ParseInterval checks an interval name; field names the query field for the error.
func ParseInterval(field, s string) (Interval, error) {
	return parseEnum(field, s, "an interval", Intervals)
}

// parseEnum finds s among the allowed values, or names the field and the choices.
func parseEnum[T ~string](field, s, what string, allowed []T) (T, error) {
	names := make([]string, len(allowed))
	for i, v := range allowed {
		if string(v) == s {
			return v, nil
		}
		names[i] = string(v)
	}
	return "", models.QueryFieldError(field, fmt.Sprintf("%q is not %s: use one of %s", s, what, strings.Join(names, ", ")))
}

// LoadLocation resolves an IANA time zone name; empty means UTC.
func LoadLocation(field, name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil || strings.EqualFold(name, "local") {
		return nil, models.QueryFieldError(field, fmt.Sprintf("%q is not an IANA time zone: use a name such as UTC, Europe/London or America/New_York", name))
	}
	return loc, nil
}

// Floor returns the start of the bucket that contains t, as a UTC instant.
func (iv Interval) Floor(t time.Time, loc *time.Location) time.Time {
	if iv == Hour {
		// Local clock hours, by offset arithmetic: a repeated hour at a DST fall-back stays two
		// buckets. Where an offset change lands mid-hour (Lord Howe's 30-minute DST), the
		// bucket starts at the change, so every bucket's timestamp is its real start.
		l := t.In(loc)
		_, off := l.Zone()
		local := t.Unix() + int64(off)
		start := time.Unix(t.Unix()-mod(local, 3600), 0).UTC()
		if zoneStart, _ := l.ZoneBounds(); !zoneStart.IsZero() && zoneStart.After(start) {
			start = zoneStart.UTC()
		}
		return start
	}
	return iv.calendarFloor(t, loc)
}

// Next returns the start of the bucket after the one starting at start.
func (iv Interval) Next(start time.Time, loc *time.Location) time.Time {
	if iv == Hour {
		// The next local hh:00 in the current offset, or the next offset change if sooner.
		l := start.In(loc)
		_, off := l.Zone()
		local := start.Unix() + int64(off)
		next := start.Add(time.Duration(3600-mod(local, 3600)) * time.Second)
		if _, zoneEnd := l.ZoneBounds(); !zoneEnd.IsZero() && zoneEnd.Before(next) {
			next = zoneEnd
		}
		return next.UTC()
	}
	return iv.calendarNext(start, loc)
}

// maxBuckets bounds a series so a wide range with a short interval fails clearly instead of exhausting memory.
const maxBuckets = 1_000_000

// Buckets returns the start of every bucket that intersects [from, to), and
// the end of the last one, so bucket i is [starts[i], starts[i+1]) with
// starts[len-1] the end.
func Buckets(from, to time.Time, iv Interval, loc *time.Location) ([]time.Time, error) {
	if !from.Before(to) {
		return nil, models.QueryFieldError("timeRange", fmt.Sprintf("the range %s – %s is empty: its end must be after its start", from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339)))
	}
	if err := models.CheckTimeRange("timeRange", from, to); err != nil {
		return nil, err
	}
	starts := []time.Time{iv.Floor(from, loc)}
	for starts[len(starts)-1].Before(to) {
		if len(starts) > maxBuckets {
			return nil, models.QueryFieldError("interval", fmt.Sprintf("%s buckets over this range would be more than %d: pick a longer interval or a shorter range", iv, maxBuckets))
		}
		starts = append(starts, iv.Next(starts[len(starts)-1], loc))
	}
	return starts, nil
}

func mod(a, b int64) int64 {
	r := a % b
	if r < 0 {
		r += b
	}
	return r
}
