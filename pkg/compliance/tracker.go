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
	return timesliceCounts(f, p, window, time.Time{}, false)
}

// TimesliceCountsAt is TimesliceCounts of the figures as they stood at t: a
// bucket closed in f that ends after t is still open.
func TimesliceCountsAt(f kpi.Figures, p Period, window int, t time.Time) Counts {
	return timesliceCounts(f, p, window, t, true)
}

func timesliceCounts(f kpi.Figures, p Period, window int, t time.Time, asOf bool) Counts {
	c := Counts{Mode: Timeslice, RecentRate: math.NaN()}
	var recent recentUnits
	for i := range f.Start {
		if !CountsIn(f.Start[i], p) || f.Idle(i) {
			// A bucket without working time under the tracker's calendar is never evaluated.
			continue
		}
		if !f.Closed[i] || asOf && f.End[i].After(t) {
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
		recent.add(met, window)
	}
	c.RecentRate = recent.rate()
	return c
}

// recentUnits keeps the last window units evaluated (rateOf of them all).
type recentUnits struct {
	last  [16]float64
	units []float64 // when the window is longer than last
	n     int       // units added
	w     int
}

func (r *recentUnits) add(u float64, window int) {
	if window <= 0 {
		window = 6
	}
	r.w = window
	if window > len(r.last) {
		r.units = append(r.units, u)
	} else {
		r.last[r.n%window] = u
	}
	r.n++
}

// rate is rateOf the units added: the mean of the last window, summed oldest first.
func (r *recentUnits) rate() float64 {
	if r.n == 0 {
		return math.NaN()
	}
	if r.w > len(r.last) {
		return rateOf(r.units, r.w)
	}
	k := min(r.n, r.w)
	sum := 0.0
	for i := r.n - k; i < r.n; i++ {
		sum += r.last[i%r.w]
	}
	return sum / float64(k)
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
	return OccurrenceCountsOrdered(OrderRequests(reqs), cond, clock, p, now, window)
}

// OrderRequests is a copy of reqs in the order they were opened (requests
// opened at the same time keep their order).
func OrderRequests(reqs []Request) []Request {
	ordered := append([]Request(nil), reqs...)
	sort.SliceStable(ordered, func(a, b int) bool { return ordered[a].Time.Before(ordered[b].Time) })
	return ordered
}

// OccurrenceCountsOrdered is OccurrenceCounts of requests already in the
// order they were opened (OrderRequests), to count them at many times.
func OccurrenceCountsOrdered(ordered []Request, cond models.Condition, clock GoalClock, p Period, now time.Time, window int) Counts {
	c := Counts{Mode: Occurrence}
	timed := clock.Per > 0
	if !timed {
		c.AtRisk = -1
	}
	end := p.End
	if now.Before(end) {
		end = now
	}
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

// TimesliceCursor counts one tracker's buckets in one period as of any number
// of times, without going over the whole series for each: what
// TimesliceCounts(closedBy(f, t), p, window) gives, where closedBy keeps a
// bucket closed only if it is closed in f and ends by t. The buckets that
// count in p (not idle, closed in f) are taken in order once; as long as
// their ends do not decrease (buckets follow one another), those closed by t
// are a prefix of them, whose counts are kept per prefix length.
type TimesliceCursor struct {
	f      kpi.Figures
	p      Period
	window int
	// exact is false when the buckets' ends decrease somewhere: each time is
	// then counted from scratch.
	exact bool
	// counting is how many buckets count in p (not idle): those not closed by
	// a time are its remaining ones.
	counting int
	ends     []time.Time // of the closed buckets that count, in order
	met      []int32     // met, missed and the run of misses after the first k of them
	missed   []int32
	run      []int32
	units    []float64 // evaluated units in order (the recent rate's)
	nUnits   []int32   // how many units after the first k closed buckets
}

// NewTimesliceCursor prepares the counts of f's buckets in p.
func NewTimesliceCursor(f kpi.Figures, p Period, window int) *TimesliceCursor {
	c := &TimesliceCursor{f: f, p: p, window: window, exact: true}
	c.met, c.missed, c.run, c.nUnits = []int32{0}, []int32{0}, []int32{0}, []int32{0}
	var met, missed, run int32
	for i := range f.Start {
		if !CountsIn(f.Start[i], p) || f.Idle(i) {
			continue
		}
		c.counting++
		if !f.Closed[i] {
			continue
		}
		if n := len(c.ends); n > 0 && f.End[i].Before(c.ends[n-1]) {
			c.exact = false
			return c
		}
		c.ends = append(c.ends, f.End[i])
		if m := f.Met[i]; !math.IsNaN(m) {
			if m == 1 {
				met++
				run = 0
			} else {
				missed++
				run++
			}
			c.units = append(c.units, m)
		}
		c.met, c.missed, c.run = append(c.met, met), append(c.missed, missed), append(c.run, run)
		c.nUnits = append(c.nUnits, int32(len(c.units)))
	}
	return c
}

// At is the tracker's counts in the period as of t.
func (c *TimesliceCursor) At(t time.Time) Counts {
	if !c.exact {
		return TimesliceCountsAt(c.f, c.p, c.window, t)
	}
	k := sort.Search(len(c.ends), func(i int) bool { return c.ends[i].After(t) })
	return Counts{Mode: Timeslice, Met: int(c.met[k]), Missed: int(c.missed[k]), Remaining: float64(c.counting - k),
		RecentRate: rateOf(c.units[:c.nUnits[k]], c.window), Consecutive: int(c.run[k])}
}
