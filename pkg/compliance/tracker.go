package compliance

import (
	"math"
	"sort"
	"time"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// Modes of a covered tracker's compliance.
const (
	// Timeslice counts the period's closed buckets: met / evaluated.
	Timeslice = "timeslice"
	// Occurrence counts the requests opened in the period: met / resolved.
	Occurrence = "occurrence"
)

// Counts is what one covered tracker contributes in a period: met and missed
// units (closed buckets, or resolved requests) and what is still to come.
type Counts struct {
	Mode string `json:"mode"`
	// Met and Missed closed buckets (timeslice) or resolved requests (occurrence).
	Met    int `json:"met"`
	Missed int `json:"missed"`
	// Remaining units the period may still count: buckets not closed yet, or
	// open requests not yet past their goal and those expected by the period's
	// end at the rate they came so far. Open requests past their goal (AtRisk)
	// are not remaining: they will be misses.
	Remaining float64 `json:"remaining"`
	// RecentRate is the share of the last evaluated units that were met (the
	// projection's rate); NaN when none was evaluated.
	RecentRate float64 `json:"-"`
	// InProgress requests are open (excluded from compliance); AtRisk of them
	// are already past their goal. AtRisk is -1 when the KPI's unit is not a
	// duration, so the goal's deadline is unknown.
	InProgress int `json:"inProgress,omitempty"`
	AtRisk     int `json:"atRisk,omitempty"`
	// Consecutive is the tracker's current run of misses (timeslice).
	Consecutive int `json:"consecutiveMisses"`
}

// Evaluated is how many units count so far.
func (c Counts) Evaluated() int { return c.Met + c.Missed }

// CountsIn reports whether a bucket starting at start counts in the period:
// every bucket counts in exactly one period, the one that holds its start, so
// a bucket that straddles the period's end counts in it, and one that
// straddles its start counts in the period before.
func CountsIn(start time.Time, p Period) bool {
	return !start.Before(p.Start) && start.Before(p.End)
}

// SettledAt is when the last of the figures' buckets that count in p ends: the
// period's end, or later when a bucket starting inside it ends after it. The
// period's result is final from then on.
func SettledAt(f kpi.Figures, p Period) time.Time {
	settled := p.End
	for i := range f.Start {
		if CountsIn(f.Start[i], p) && f.End[i].After(settled) {
			settled = f.End[i]
		}
	}
	return settled
}

// TimesliceCounts counts a tracker's buckets that count in the period (see
// CountsIn): closed ones met or not (the missing-data policy has decided which
// are evaluated: excluded buckets count neither way), and the ones still to
// close (not those without working time under the tracker's service calendar,
// which will not be evaluated). window is how many of the latest evaluated
// buckets give the recent rate.
func TimesliceCounts(f kpi.Figures, p Period, window int) Counts {
	c := Counts{Mode: Timeslice, RecentRate: math.NaN()}
	var recent []float64
	for i := range f.Start {
		if !CountsIn(f.Start[i], p) || f.Idle(i) {
			// A bucket without working time under the tracker's calendar is never evaluated.
			continue
		}
		if !f.Closed[i] {
			c.Remaining++
			continue
		}
		met := f.Met[i]
		if math.IsNaN(met) {
			continue
		}
		if met == 1 {
			c.Met++
			c.Consecutive = 0
		} else {
			c.Missed++
			c.Consecutive++
		}
		recent = append(recent, met)
	}
	c.RecentRate = rateOf(recent, window)
	return c
}

func rateOf(units []float64, window int) float64 {
	if window <= 0 {
		window = 6
	}
	if len(units) > window {
		units = units[len(units)-window:]
	}
	if len(units) == 0 {
		return math.NaN()
	}
	sum := 0.0
	for _, u := range units {
		sum += u
	}
	return sum / float64(len(units))
}

// Request is one row of a request-based KPI: when it was opened, its value (a
// duration once resolved; NaN if not measured yet) and whether it is still open.
type Request struct {
	Time  time.Time
	Value float64
	Open  bool
}

// unitLengths are the Grafana duration units a request's goal clock knows.
var unitLengths = map[string]time.Duration{"ms": time.Millisecond, "s": time.Second, "m": time.Minute, "h": time.Hour, "d": 24 * time.Hour}

// GoalClock measures how long an open request has been open, in the unit of
// the KPI's values, to tell whether it has already passed its goal.
type GoalClock struct {
	// Per is the length of one unit of the KPI's values; 0 when they are not
	// durations, so no deadline is known.
	Per time.Duration
	// Working is the business time between two instants, for a KPI measured
	// in business time; nil measures elapsed (wall-clock) time.
	Working func(from, to time.Time) time.Duration
}

// WallClock is the goal clock of a KPI whose values are durations in the
// Grafana unit unit (ms, s, m, h or d); other units have none.
func WallClock(unit string) GoalClock { return GoalClock{Per: unitLengths[unit]} }

// span is how long [from, to) lasts on the clock, in seconds.
func (g GoalClock) span(from, to time.Time) float64 {
	if g.Working != nil {
		return g.Working(from, to).Seconds()
	}
	return to.Sub(from).Seconds()
}

// elapsed is how long [from, to) lasts on the clock, in the KPI's unit.
func (g GoalClock) elapsed(from, to time.Time) float64 {
	d := to.Sub(from)
	if g.Working != nil {
		d = g.Working(from, to)
	}
	return float64(d) / float64(g.Per)
}

// OccurrenceCounts counts the requests opened in the period up to now: a
// resolved request is met when its value passes the tracker's condition; open
// requests are excluded from compliance, and those that can no longer meet
// their goal on the clock (wall-clock or business time) are counted as at
// risk (see pastGoal). Requests expected by the
// period's end, at the rate they came so far, are the remaining units.
//
// The requests are taken in the order they were opened, whatever order the
// KPI's query returned them in: the recent rate is that of the latest ones.
func OccurrenceCounts(reqs []Request, cond models.Condition, clock GoalClock, p Period, now time.Time, window int) Counts {
	c := Counts{Mode: Occurrence}
	timed := clock.Per > 0
	if !timed {
		c.AtRisk = -1
	}
	end := p.End
	if now.Before(end) {
		end = now
	}
	ordered := append([]Request(nil), reqs...)
	sort.SliceStable(ordered, func(a, b int) bool { return ordered[a].Time.Before(ordered[b].Time) })
	var recent []float64
	for _, r := range ordered {
		if r.Time.Before(p.Start) || !r.Time.Before(end) {
			continue
		}
		if r.Open {
			c.InProgress++
			if timed && pastGoal(cond, clock.elapsed(r.Time, now)) {
				c.AtRisk++
			}
			continue
		}
		if math.IsNaN(r.Value) {
			continue
		}
		if cond.Holds(r.Value) {
			c.Met++
			recent = append(recent, 1)
		} else {
			c.Missed++
			recent = append(recent, 0)
		}
	}
	c.RecentRate = rateOf(recent, window)
	// Requests still to come: as many per second as so far. This is a
	// forecast, used for the projection only: the number of requests a period
	// receives has no bound, so it never makes a breach certain (status).
	// On a business clock the rate is per working second: requests are
	// expected in the working time left, not over nights and weekends.
	if elapsed := clock.span(p.Start, end); elapsed > 0 && now.Before(p.End) {
		c.Remaining = float64(c.Evaluated()+c.InProgress) / elapsed * clock.span(end, p.End)
	}
	if c.AtRisk > 0 {
		c.Remaining += float64(c.InProgress - c.AtRisk)
	} else if c.AtRisk == 0 {
		c.Remaining += float64(c.InProgress)
	}
	return c
}

// pastGoal reports whether a request open for elapsed (in the KPI's unit) can
// no longer meet its goal, whatever its value turns out to be: its value will
// be at least elapsed. A goal "< 60" is lost once 60 have passed (a value of
// exactly 60 fails it), "<= 60" and "= 60" once more than 60 have. Goals of
// the other operators (">", ">=", "!=") cannot be lost by waiting. The
// comparison is made on decimals as read, so 60 minutes are exactly 60.
func pastGoal(cond models.Condition, elapsed float64) bool {
	cmp := models.CmpDec(elapsed, cond.Threshold)
	switch cond.Op {
	case "<":
		return cmp >= 0
	case "<=", "=":
		return cmp > 0
	}
	return false
}
