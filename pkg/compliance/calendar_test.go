package compliance

import (
	"math"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// mayFigures evaluates a daily tracker (target 10, higher is better, missing:
// missed) in London over May 2026 as of now, on Mon–Fri 08:00–18:00
// Europe/London with the bank holidays of 4 and 25 May, or with no calendar.
// Every weekday has a row: 5 on Tuesdays (a miss), 12 otherwise (met); the
// weekends have none.
func mayFigures(t *testing.T, p Period, now time.Time, onCalendar bool) kpi.Figures {
	t.Helper()
	target := 10.0
	tr, err := kpi.Compile(models.TrackerDef{Method: "avg", Interval: "1d", Timezone: "Europe/London", KPI: models.KPIDef{Direction: models.HigherIsBetter},
		Target: models.Target{Constant: &target}, Missing: models.MissingMissed}, "tracker")
	if err != nil {
		t.Fatal(err)
	}
	if onCalendar {
		var hours []calendar.Hours
		for _, d := range []string{"mon", "tue", "wed", "thu", "fri"} {
			hours = append(hours, calendar.Hours{Day: d, From: "08:00", To: "18:00"})
		}
		cc, err := calendar.Compile(&calendar.Calendar{Name: "UK office", Timezone: "Europe/London", Hours: hours,
			Holidays: []calendar.Holiday{{Date: "2026-05-04", Name: "Early May bank holiday"}, {Date: "2026-05-25", Name: "Spring bank holiday"}}})
		if err != nil {
			t.Fatal(err)
		}
		tr.Working = cc.Working
	}
	starts, err := kpi.Buckets(p.Start, p.End, tr.Interval, tr.Location)
	if err != nil {
		t.Fatal(err)
	}
	actual := make([]float64, len(starts)-1)
	for i, s := range starts[:len(actual)] {
		switch s.In(tr.Location).Weekday() {
		case time.Saturday, time.Sunday:
			actual[i] = math.NaN()
		case time.Tuesday:
			actual[i] = 5
		default:
			actual[i] = 12
		}
	}
	return tr.Evaluate(starts, actual, now).Figures
}

// TestTimesliceCountsOnAServiceCalendar: May 2026 in London (31 days; May 1
// is a Friday) has 21 weekdays — Fridays 1, 8, 15, 22, 29 (5) and four each
// of Mondays (4, 11, 18, 25), Tuesdays (5, 12, 19, 26), Wednesdays and
// Thursdays — less the bank holidays on Mondays 4 and 25: 19 working days.
// The 4 Tuesdays miss, the other 15 working days are met: 15 met of 19
// evaluated, 78.947…% (78.95 at two decimals). The 10 weekend days
// (Saturdays 2, 9, 16, 23, 30 and the Sundays after them) and the 2 holidays
// are not evaluated, though the tracker treats missing data as missed:
// 19 + 10 + 2 = 31.
//
// Mid-month, as of Wed 20 May 12:00: closed are May 1–19, of which the
// working days are 1, 5–8, 11–15, 18, 19 (12; the 4th is a holiday), the
// Tuesdays 5, 12 and 19 missed: 9 met, 3 missed, the run 1 (Tue 19). Still
// to close are only the working days 20, 21, 22, 26, 27, 28, 29 (7): the
// weekends and the 25th will never be evaluated.
func TestTimesliceCountsOnAServiceCalendar(t *testing.T) {
	p, err := PeriodAt(models.ReviewPeriod{Kind: "month", Timezone: "Europe/London"}, time.Date(2026, 5, 15, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	june := p.End.Add(time.Hour)
	c := TimesliceCounts(mayFigures(t, p, june, true), p, 6)
	if c.Met != 15 || c.Missed != 4 || c.Evaluated() != 19 || c.Remaining != 0 {
		t.Fatalf("on the calendar: %+v, want 15 met of 19 evaluated", c)
	}
	// The last evaluated days are Wed 27, Thu 28, Fri 29: the run ended on Tue 26.
	if c.Consecutive != 0 {
		t.Fatalf("run %d, want 0", c.Consecutive)
	}
	r := Evaluate(&models.Agreement{Meta: models.Meta{ID: "g"}, ContractID: "c", ComplianceTarget: 80, Trackers: []models.AgreementTracker{{AssignmentID: "a", Weight: 1}}},
		p, june, []Covered{{AssignmentID: "a", Weight: 1, Counts: c}}, 0)
	if got := float64(r.Compliance); got != 78.95 || r.Status == "" {
		t.Fatalf("compliance %v (%s), want 78.95 (15 / 19)", got, r.Status)
	}

	// Without the calendar all 31 days are evaluated: the 21 weekdays (the
	// holidays have rows of 12 too) give 17 met and the 4 Tuesdays missed, and
	// the 10 weekend days have no rows: missed. 17 met, 4 + 10 = 14 missed.
	plain := TimesliceCounts(mayFigures(t, p, june, false), p, 6)
	if plain.Met != 17 || plain.Missed != 14 || plain.Evaluated() != 31 {
		t.Fatalf("without the calendar: %+v", plain)
	}

	mid := time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)
	c = TimesliceCounts(mayFigures(t, p, mid, true), p, 6)
	if c.Met != 9 || c.Missed != 3 || c.Remaining != 7 || c.Consecutive != 1 {
		t.Fatalf("as of 20 May: %+v, want 9 met, 3 missed, 7 to close, run 1", c)
	}
}

// TestGoalClockInBusinessTime: a request opened on Friday 6 March 2026 at
// 17:30 UTC, still open, with the goal "answered within 60 minutes", on
// Mon–Fri 08:00–18:00 UTC. On the wall clock it is lost by Friday 18:30; in
// business time it has been open 30 minutes by Saturday noon (17:30–18:00),
// 60 minutes at 08:30 on Monday and 61 at 08:31, when "<= 60" is lost and
// the request is at risk.
func TestGoalClockInBusinessTime(t *testing.T) {
	cc := weekdaysUTC(t)
	business := GoalClock{Per: time.Minute, Working: cc.Working}
	p := Period{Start: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	reqs := []Request{{Time: time.Date(2026, 3, 6, 17, 30, 0, 0, time.UTC), Value: math.NaN(), Open: true}}
	within60 := models.Condition{Op: "<=", Threshold: 60}
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name  string
		clock GoalClock
		now   time.Time
		risk  int
	}{
		{"wall clock, Saturday noon", WallClock("m"), at(7, 12, 0), 1},
		{"business, Saturday noon", business, at(7, 12, 0), 0},
		{"business, Monday 08:30 (exactly 60)", business, at(9, 8, 30), 0},
		{"business, Monday 08:31", business, at(9, 8, 31), 1},
	} {
		c := OccurrenceCounts(reqs, within60, tc.clock, p, tc.now, 6)
		if c.InProgress != 1 || c.AtRisk != tc.risk {
			t.Errorf("%s: in progress %d, at risk %d; want 1, %d", tc.name, c.InProgress, c.AtRisk, tc.risk)
		}
	}
	// "< 60" is lost the moment 60 business minutes have passed.
	if c := OccurrenceCounts(reqs, models.Condition{Op: "<", Threshold: 60}, business, p, at(9, 8, 30), 6); c.AtRisk != 1 {
		t.Errorf("< 60 at 60 business minutes: at risk %d, want 1", c.AtRisk)
	}
	// A goal in hours on a business clock in hours: 1 h at Monday 08:30.
	hoursClock := GoalClock{Per: time.Hour, Working: cc.Working}
	if c := OccurrenceCounts(reqs, models.Condition{Op: "<=", Threshold: 1}, hoursClock, p, at(9, 8, 30), 6); c.AtRisk != 0 {
		t.Errorf("<= 1 h at exactly 1 business hour: at risk %d, want 0", c.AtRisk)
	}
}

// TestExpectedArrivalsInBusinessTime: on a business clock the requests still
// to come are forecast per working second. March 2026 on Mon–Fri
// 08:00–18:00 UTC, now Friday 6 March 18:00: 5 requests came in the 50
// working hours so far (2–6 March); 170 working hours are left (17 weekdays,
// 9–31 March), so 5 / 50 × 170 = 17 more are expected. On the wall clock it
// would be 5 / 138 h × 606 h ≈ 21.96.
func TestExpectedArrivalsInBusinessTime(t *testing.T) {
	cc := weekdaysUTC(t)
	p := Period{Start: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	var reqs []Request
	for d := 2; d <= 6; d++ {
		reqs = append(reqs, Request{Time: time.Date(2026, 3, d, 10, 0, 0, 0, time.UTC), Value: 30})
	}
	now := time.Date(2026, 3, 6, 18, 0, 0, 0, time.UTC)
	within60 := models.Condition{Op: "<=", Threshold: 60}
	c := OccurrenceCounts(reqs, within60, GoalClock{Per: time.Minute, Working: cc.Working}, p, now, 6)
	if c.Met != 5 || models.CmpDec(c.Remaining, 17) != 0 {
		t.Fatalf("business clock: met %d, remaining %v; want 5, 17", c.Met, c.Remaining)
	}
	c = OccurrenceCounts(reqs, within60, WallClock("m"), p, now, 6)
	if math.Abs(c.Remaining-5.0/138*606) > 1e-9 {
		t.Fatalf("wall clock: remaining %v, want %v", c.Remaining, 5.0/138*606)
	}
}

// weekdaysUTC is Mon–Fri 08:00–18:00 UTC, compiled.
func weekdaysUTC(t *testing.T) *calendar.Compiled {
	t.Helper()
	var hours []calendar.Hours
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri"} {
		hours = append(hours, calendar.Hours{Day: d, From: "08:00", To: "18:00"})
	}
	cc, err := calendar.Compile(&calendar.Calendar{Name: "Weekdays", Timezone: "UTC", Hours: hours})
	if err != nil {
		t.Fatal(err)
	}
	return cc
}
