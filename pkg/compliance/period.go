// Package compliance computes agreements' compliance over review periods (docs/figures.md):
// periods, timeslice and occurrence compliance per tracker, the weighted agreement
// compliance, status, projection and required run-rate, impact cost, penalties and
// rewards, and milestones. It is pure: the plugin fetches the figures and rows.
package compliance

import (
	"fmt"
	"time"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// Period is one review period [Start, End), as UTC instants: the first
// instants of local dates (midnight, or the end of a DST gap that skips it).
type Period struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Closed reports whether the period has ended by now.
func (p Period) Closed(now time.Time) bool { return !p.End.After(now) }

// Location is the review period's time zone (UTC when none is given).
func Location(rp models.ReviewPeriod) (*time.Location, error) {
	return kpi.LoadLocation("period.timezone", rp.Timezone)
}

// PeriodAt returns the review period that contains t: the calendar month,
// quarter or year in the period's zone, or the custom range itself.
func PeriodAt(rp models.ReviewPeriod, t time.Time) (Period, error) {
	loc, err := Location(rp)
	if err != nil {
		return Period{}, err
	}
	var iv kpi.Interval
	switch rp.Kind {
	case "month":
		iv = kpi.Month
	case "quarter":
		iv = kpi.Quarter
	case "year":
		iv = kpi.Year
	case "custom":
		return customPeriod(rp, loc)
	default:
		return Period{}, models.QueryFieldError("period.kind", fmt.Sprintf("%q is not a review period: use month, quarter, year or custom", rp.Kind))
	}
	// The calendar's own boundaries: a period starts where the tracker's buckets of that length do.
	start := iv.Floor(t, loc)
	return Period{Start: start, End: iv.Next(start, loc)}, nil
}

// customPeriod is [from, to) of a custom period, each date read as its first instant in loc.
func customPeriod(rp models.ReviewPeriod, loc *time.Location) (Period, error) {
	from, err := localDate("period.from", rp.From, loc)
	if err != nil {
		return Period{}, err
	}
	to, err := localDate("period.to", rp.To, loc)
	if err != nil {
		return Period{}, err
	}
	if !to.After(from) {
		return Period{}, models.QueryFieldError("period.to", fmt.Sprintf("%s ends before it starts (%s): the end must be after the start", rp.To, rp.From))
	}
	return Period{Start: from, End: to}, nil
}

// localDate reads a YYYY-MM-DD date as the first instant of that date in loc.
func localDate(field, s string, loc *time.Location) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, models.QueryFieldError(field, fmt.Sprintf("%q is not a date: use YYYY-MM-DD", s))
	}
	return kpi.StartOfLocalDate(d.Year(), d.Month(), d.Day(), loc), nil
}

// Periods returns the review periods that intersect [from, to), oldest first, at most limit.
func Periods(rp models.ReviewPeriod, from, to time.Time, limit int) ([]Period, error) {
	p, err := PeriodAt(rp, from)
	if err != nil {
		return nil, err
	}
	if rp.Kind == "custom" {
		if p.End.After(from) && p.Start.Before(to) {
			return []Period{p}, nil
		}
		return nil, nil
	}
	var out []Period
	for p.Start.Before(to) && len(out) < limit {
		out = append(out, p)
		if p, err = PeriodAt(rp, p.End); err != nil {
			return nil, err
		}
	}
	return out, nil
}
