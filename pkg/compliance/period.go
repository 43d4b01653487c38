// Package compliance computes agreements' compliance over review periods (SPEC §5):
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

// Period is one review period [Start, End), as UTC instants of local midnights.
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
	l := t.In(loc)
	var start, end time.Time
	switch rp.Kind {
	case "month":
		start = time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, loc)
		end = start.AddDate(0, 1, 0)
	case "quarter":
		start = time.Date(l.Year(), time.Month((int(l.Month())-1)/3*3+1), 1, 0, 0, 0, 0, loc)
		end = start.AddDate(0, 3, 0)
	case "year":
		start = time.Date(l.Year(), 1, 1, 0, 0, 0, 0, loc)
		end = start.AddDate(1, 0, 0)
	case "custom":
		return customPeriod(rp, loc)
	default:
		return Period{}, models.QueryFieldError("period.kind", fmt.Sprintf("%q is not a review period: use month, quarter, year or custom", rp.Kind))
	}
	return Period{Start: start.UTC(), End: end.UTC()}, nil
}

func customPeriod(rp models.ReviewPeriod, loc *time.Location) (Period, error) {
	from, err := time.ParseInLocation(time.DateOnly, rp.From, loc)
	if err != nil {
		return Period{}, models.QueryFieldError("period.from", fmt.Sprintf("%q is not a date: use YYYY-MM-DD", rp.From))
	}
	to, err := time.ParseInLocation(time.DateOnly, rp.To, loc)
	if err != nil {
		return Period{}, models.QueryFieldError("period.to", fmt.Sprintf("%q is not a date: use YYYY-MM-DD", rp.To))
	}
	if !to.After(from) {
		return Period{}, models.QueryFieldError("period.to", fmt.Sprintf("%s ends before it starts (%s): the end must be after the start", rp.To, rp.From))
	}
	return Period{Start: from.UTC(), End: to.UTC()}, nil
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
