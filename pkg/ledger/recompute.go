package ledger

import (
	"fmt"
	"math"
	"time"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/kpi"
)

// Result computes the period's result again from the inputs, as of at (the
// entry's computedAt), the way the evaluator did: each tracker's buckets are
// judged against its target (timeslice) or its requests against its condition
// (occurrence), and the agreement combines them.
func (in *Inputs) Result(at time.Time) (compliance.Result, error) {
	covered := make([]compliance.Covered, 0, len(in.Trackers))
	for i, ti := range in.Trackers {
		c, err := ti.counts(in.Period, at, in.ByStart, in.agreedFor(ti.Assignment))
		if err != nil {
			return compliance.Result{}, fmt.Errorf("trackers[%d]: %w", i, err)
		}
		covered = append(covered, compliance.Covered{AssignmentID: ti.Assignment, Weight: ti.Weight, Counts: c})
	}
	g := in.Agreement
	return compliance.Evaluate(&g, in.Period, at, covered, in.ContractValue), nil
}

// counts are one tracker's counts in period p as of at; byStart is the
// inputs' ByStart (without it, a bucket ending after p does not count).
func (ti TrackerInput) counts(p compliance.Period, at time.Time, byStart bool, agreed []Item) (compliance.Counts, error) {
	if ti.Mode == compliance.Occurrence {
		if ti.Def.Condition == nil {
			return compliance.Counts{}, fmt.Errorf("an occurrence tracker needs its condition")
		}
		reqs := make([]compliance.Request, 0, len(ti.Requests))
		for _, r := range ti.Requests {
			if !excludesRequest(agreed, r.Time) {
				reqs = append(reqs, compliance.Request{Time: time.Unix(0, r.Time), Value: r.Value, Open: r.Open})
			}
		}
		clock := compliance.WallClock(ti.Def.KPI.Unit)
		if b := ti.Def.KPI.BusinessTime; b != nil {
			if ti.GoalCalendar == nil {
				return compliance.Counts{}, fmt.Errorf("the KPI is measured on calendar %q, which the inputs do not hold", b.CalendarID)
			}
			cc, err := calendar.Compile(ti.GoalCalendar)
			if err != nil {
				return compliance.Counts{}, fmt.Errorf("goal calendar: %w", err)
			}
			clock = compliance.GoalClock{Per: b.Per(), Working: cc.Working}
		}
		return compliance.OccurrenceCounts(reqs, *ti.Def.Condition, clock, p, at, ti.Def.TrendWindow), nil
	}
	t, err := kpi.Compile(ti.Def, "def")
	if err != nil {
		return compliance.Counts{}, err
	}
	if ti.Def.CalendarID != "" {
		if ti.Calendar == nil {
			return compliance.Counts{}, fmt.Errorf("the tracker follows calendar %q, which the inputs do not hold", ti.Def.CalendarID)
		}
		cc, err := calendar.Compile(ti.Calendar)
		if err != nil {
			return compliance.Counts{}, fmt.Errorf("calendar: %w", err)
		}
		t.Working = cc.Working
	}
	if len(agreed) > 0 {
		// An agreed exclusion takes its bucket out as a calendar does a bucket
		// without working time: not evaluated, neither met nor missed.
		working := t.Working
		t.Working = func(from, to time.Time) time.Duration {
			if excludesBucket(agreed, from) {
				return 0
			}
			if working != nil {
				return working(from, to)
			}
			return to.Sub(from)
		}
	}
	starts, err := kpi.Buckets(p.Start, p.End, t.Interval, t.Location)
	if err != nil || len(starts) < 2 {
		return compliance.Counts{}, fmt.Errorf("the period has no buckets: %v", err)
	}
	if !byStart && starts[len(starts)-1].After(p.End) {
		// As such entries were computed: the bucket that straddles the end counted nowhere.
		if starts = starts[:len(starts)-1]; len(starts) < 2 {
			return compliance.TimesliceCounts(kpi.Figures{}, p, ti.Def.TrendWindow), nil
		}
	}
	actuals := make(map[int64]float64, len(ti.Buckets))
	for _, b := range ti.Buckets {
		actuals[b.Start] = b.Actual
	}
	actual := make([]float64, len(starts)-1)
	for i := range actual {
		a, ok := actuals[starts[i].Unix()]
		if !ok {
			a = math.NaN()
		}
		actual[i] = a
	}
	return compliance.TimesliceCounts(t.Evaluate(starts, actual, at).Figures, p, ti.Def.TrendWindow), nil
}

// agreedFor are the agreed exclusions of one covered tracker.
func (in *Inputs) agreedFor(assignment string) []Item {
	var out []Item
	for _, it := range in.Agreed {
		if it.Assignment == assignment {
			out = append(out, it)
		}
	}
	return out
}

func excludesBucket(agreed []Item, start time.Time) bool {
	for _, it := range agreed {
		if it.Bucket != nil && it.Bucket.Equal(start) {
			return true
		}
	}
	return false
}

func excludesRequest(agreed []Item, opened int64) bool {
	for _, it := range agreed {
		if it.Request != nil && it.Request.UnixNano() == opened {
			return true
		}
	}
	return false
}
