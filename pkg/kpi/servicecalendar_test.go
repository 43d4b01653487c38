package kpi

import (
	"math"
	"math/rand"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/models"
)

var london = mustZone("Europe/London")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// may is local midnight in London on the day of May 2026 (May 1 is a Friday).
func may(d int) time.Time { return time.Date(2026, 5, d, 0, 0, 0, 0, london) }

// hoursOn is one window from–to on each of the days.
func hoursOn(from, to string, days ...string) []calendar.Hours {
	var hs []calendar.Hours
	for _, d := range days {
		hs = append(hs, calendar.Hours{Day: d, From: from, To: to})
	}
	return hs
}

var weekdays = []string{"mon", "tue", "wed", "thu", "fri"}

// compileCalendar compiles a calendar in London with the hours, holidays and exclusions given.
func compileCalendar(t *testing.T, hours []calendar.Hours, holidays []string, exclusions ...calendar.Exclusion) *calendar.Compiled {
	t.Helper()
	c := &calendar.Calendar{Name: "test", Timezone: "Europe/London", Hours: hours, Exclusions: exclusions}
	for _, d := range holidays {
		c.Holidays = append(c.Holidays, calendar.Holiday{Date: d, Name: "holiday"})
	}
	cc, err := calendar.Compile(c)
	if err != nil {
		t.Fatal(err)
	}
	return cc
}

// officeHours is Mon–Fri 08:00–18:00 Europe/London with the holidays given.
func officeHours(t *testing.T, holidays ...string) *calendar.Compiled {
	return compileCalendar(t, hoursOn("08:00", "18:00", weekdays...), holidays)
}

// londonTracker is an average, higher is better, target 10, in London, on the calendar cc (nil: none).
func londonTracker(t *testing.T, interval string, missing models.MissingPolicy, cc *calendar.Compiled) *Tracker {
	t.Helper()
	target := 10.0
	tr, err := Compile(models.TrackerDef{Method: "avg", Interval: interval, Timezone: "Europe/London", KPI: models.KPIDef{Direction: models.HigherIsBetter},
		Target: models.Target{Constant: &target}, Missing: missing}, "tracker")
	if err != nil {
		t.Fatal(err)
	}
	if cc != nil {
		tr.Working = cc.Working
	}
	return tr
}

func londonBuckets(t *testing.T, tr *Tracker, from, to time.Time) []time.Time {
	t.Helper()
	starts, err := Buckets(from, to, tr.Interval, tr.Location)
	if err != nil {
		t.Fatal(err)
	}
	return starts
}

func assertDurations(t *testing.T, got, want []time.Duration) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("working: got %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("working[%d]: got %v, want %v (all %v)", i, got[i], want[i], got)
		}
	}
}

// TestDailyTrackerOnOfficeHours: a daily tracker (target 10, higher is better,
// missing: missed) on Mon–Fri 08:00–18:00 Europe/London over Mon 18 – Sun 31
// May 2026, with the spring bank holiday on Mon 25 May. No rows on the
// weekends or the holiday, except a stray 7 on Sat 30. All closed (now is
// Mon 1 June).
//
// By hand, day by day (actual → met, run of misses):
//
//	Mon 18  12  met                    run 0
//	Tue 19   5  miss                   run 1
//	Wed 20  12  met                    run 0
//	Thu 21   5  miss                   run 1
//	Fri 22   —  missed (policy): red   run 2
//	Sat 23   —  no working time: not evaluated (not red), run carries 2
//	Sun 24   —  not evaluated, run 2
//	Mon 25   —  holiday: not evaluated, run 2
//	Tue 26   5  miss                   run 3 (Thu 21, Fri 22, Tue 26)
//	Wed 27   —  missed: red            run 4
//	Thu 28  12  met                    run 0
//	Fri 29  12  met                    run 0
//	Sat 30   7  not evaluated; actual 7, target 10, variance −3 still shown; run 0
//	Sun 31   —  not evaluated          run 0
//
// Working time: 10 h on each of the 9 working days, 0 on the 4 weekend days and the holiday.
func TestDailyTrackerOnOfficeHours(t *testing.T) {
	cc := officeHours(t, "2026-05-25")
	tr := londonTracker(t, "1d", models.MissingMissed, cc)
	starts := londonBuckets(t, tr, may(18), time.Date(2026, 6, 1, 0, 0, 0, 0, london))
	if len(starts) != 15 {
		t.Fatalf("%d buckets, want 14", len(starts)-1)
	}
	actual := []float64{12, 5, 12, 5, nan, nan, nan, nan, 5, nan, 12, 12, 7, nan}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, london)
	s := tr.Evaluate(starts, actual, now)
	f := s.Figures
	assertFloats(t, f.Met, []float64{1, 0, 1, 0, 0, nan, nan, nan, 0, 0, 1, 1, nan, nan})
	assertFloats(t, f.RAG, []float64{Green, Red, Green, Red, Red, nan, nan, nan, Red, Red, Green, Green, nan, nan})
	assertInts(t, f.Consecutive, []int64{0, 1, 0, 1, 2, 2, 2, 2, 3, 4, 0, 0, 0, 0})
	assertFloats(t, f.Actual, actual)
	assertFloats(t, f.Variance, []float64{2, -5, 2, -5, nan, nan, nan, nan, -5, nan, 2, 2, -3, nan})
	assertFloats(t, f.VariancePct, []float64{20, -50, 20, -50, nan, nan, nan, nan, -50, nan, 20, 20, -30, nan})
	for i, v := range f.Target {
		if v != 10 {
			t.Fatalf("target[%d] = %v, want 10 on every bucket", i, v)
		}
	}
	h := 10 * time.Hour
	assertDurations(t, f.Working, []time.Duration{h, h, h, h, h, 0, 0, 0, h, h, h, h, 0, 0})

	// Without the calendar the weekends and the holiday are missed (red), the
	// stray Saturday is red too, and the run reaches 8 on Wed 27.
	plain := londonTracker(t, "1d", models.MissingMissed, nil).Evaluate(starts, actual, now).Figures
	assertFloats(t, plain.Met, []float64{1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0})
	assertInts(t, plain.Consecutive, []int64{0, 1, 0, 1, 2, 3, 4, 5, 6, 7, 0, 0, 1, 2})
	if plain.Working != nil {
		t.Fatalf("a tracker without a calendar has no working time: %v", plain.Working)
	}

	// The open bucket: as of Sat 30 at noon, Saturday's 7 is not judged even provisionally.
	open := tr.Evaluate(starts[:14], actual[:13], may(30).Add(12*time.Hour)).Figures
	if !math.IsNaN(open.MetProvisional[12]) || !math.IsNaN(open.RAGProvisional[12]) || open.Closed[12] {
		t.Fatalf("open Saturday: provisional met %v, RAG %v", open.MetProvisional[12], open.RAGProvisional[12])
	}
	if open.Consecutive[12] != 0 {
		t.Fatalf("open Saturday carries the run 0, got %d", open.Consecutive[12])
	}
}

// TestMissingZeroSkipsIdleBuckets: with missing: zero a weekend without rows is
// not taken as 0 (and not judged), while a working day without rows is
// (0 < 10: red). Fri 1 – Mon 4 May 2026, Mon–Fri office hours, no holidays.
func TestMissingZeroSkipsIdleBuckets(t *testing.T) {
	tr := londonTracker(t, "1d", models.MissingZero, officeHours(t))
	starts := londonBuckets(t, tr, may(1), may(5))
	f := tr.Evaluate(starts, []float64{nan, nan, nan, 12}, may(6)).Figures
	assertFloats(t, f.Actual, []float64{0, nan, nan, 12})
	assertFloats(t, f.RAG, []float64{Red, nan, nan, Green})
	assertInts(t, f.Consecutive, []int64{1, 1, 1, 0})
}

// TestWeeklyTrackerOnAHolidayWeek: a weekly tracker (ISO weeks, Monday first)
// on Mon–Fri office hours where Mon 28 Dec 2026 – Fri 1 Jan 2027 are all
// holidays, with missing: missed and no rows that week. The weeks of 21 Dec
// (50 h: 5 days × 10 h) and 4 Jan (50 h) are judged (8 < 10: red, then 12:
// met); the week of 28 Dec has 0 h: not evaluated, so the run carries 1 over it.
func TestWeeklyTrackerOnAHolidayWeek(t *testing.T) {
	cc := officeHours(t, "2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31", "2027-01-01")
	tr := londonTracker(t, "1w", models.MissingMissed, cc)
	dec21 := time.Date(2026, 12, 21, 0, 0, 0, 0, london)
	starts := londonBuckets(t, tr, dec21, dec21.AddDate(0, 0, 21))
	if len(starts) != 4 || !starts[1].Equal(dec21.AddDate(0, 0, 7)) {
		t.Fatalf("weeks: %v", starts)
	}
	f := tr.Evaluate(starts, []float64{8, nan, 12}, dec21.AddDate(0, 1, 0)).Figures
	assertDurations(t, f.Working, []time.Duration{50 * time.Hour, 0, 50 * time.Hour})
	assertFloats(t, f.Met, []float64{0, nan, 1})
	assertFloats(t, f.RAG, []float64{Red, nan, Green})
	assertInts(t, f.Consecutive, []int64{1, 1, 0})
}

// TestTrackersAcrossDST: the days the clocks change in London.
//
// A daily tracker on a 24/7 calendar (00:00–24:00 every day): Sun 29 Mar 2026
// has 23 h of working time (clocks forward at 01:00), Sun 25 Oct 25 h (back
// at 02:00); every day is evaluated, and the figures are those without a calendar.
//
// A weekly tracker on a calendar of Sundays 01:00–02:00: on 29 Mar both ends
// fall in the gap (01:00 and 02:00 resolve to 02:00 BST, doc.go rule 4), so
// the window is empty and the week of 23 Mar has no working time: not
// evaluated. The week of 16 Mar has 1 h, the week of 30 Mar 1 h; on 25 Oct
// 01:00 is read as GMT (the second 01:00), so the window is 1 h too.
func TestTrackersAcrossDST(t *testing.T) {
	allDays := []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	always := compileCalendar(t, hoursOn("00:00", "24:00", allDays...), nil)
	daily := londonTracker(t, "1d", models.MissingMissed, always)
	for _, c := range []struct {
		from time.Time
		want []time.Duration
	}{
		{time.Date(2026, 3, 28, 0, 0, 0, 0, london), []time.Duration{24 * time.Hour, 23 * time.Hour, 24 * time.Hour}},
		{time.Date(2026, 10, 24, 0, 0, 0, 0, london), []time.Duration{24 * time.Hour, 25 * time.Hour, 24 * time.Hour}},
	} {
		starts := londonBuckets(t, daily, c.from, c.from.AddDate(0, 0, 3))
		actual := []float64{12, nan, 5}
		f := daily.Evaluate(starts, actual, c.from.AddDate(0, 1, 0)).Figures
		assertDurations(t, f.Working, c.want)
		assertFloats(t, f.Met, []float64{1, 0, 0})
		assertInts(t, f.Consecutive, []int64{0, 1, 2})
	}

	sundayNight := compileCalendar(t, hoursOn("01:00", "02:00", "sun"), nil)
	weekly := londonTracker(t, "1w", models.MissingMissed, sundayNight)
	mar16 := time.Date(2026, 3, 16, 0, 0, 0, 0, london)
	starts := londonBuckets(t, weekly, mar16, mar16.AddDate(0, 0, 21))
	f := weekly.Evaluate(starts, []float64{5, nan, 5}, mar16.AddDate(0, 2, 0)).Figures
	assertDurations(t, f.Working, []time.Duration{time.Hour, 0, time.Hour})
	assertFloats(t, f.Met, []float64{0, nan, 0})
	assertInts(t, f.Consecutive, []int64{1, 1, 2})
	oct19 := time.Date(2026, 10, 19, 0, 0, 0, 0, london)
	starts = londonBuckets(t, weekly, oct19, oct19.AddDate(0, 0, 7))
	f = weekly.Evaluate(starts, []float64{nan}, oct19.AddDate(0, 1, 0)).Figures
	assertDurations(t, f.Working, []time.Duration{time.Hour})
	assertFloats(t, f.RAG, []float64{Red})
}

// TestBucketInsideAnExclusion: on Mon–Fri office hours, an exclusion from Wed
// 13 May 2026 07:00 to 18:30 BST covers all of Wednesday's 08:00–18:00: that
// day has no working time and is not evaluated. One from Tue 12 May 09:00 to
// 11:00 leaves Tuesday 10 − 2 = 8 h: judged as usual. An hourly tracker over
// Tuesday 08:00–12:00 evaluates 08:00 (1 h) and 11:00 (1 h) and not 09:00 or
// 10:00 (inside the exclusion).
func TestBucketInsideAnExclusion(t *testing.T) {
	bst := func(d, h, m int) time.Time { return time.Date(2026, 5, d, h, m, 0, 0, london) }
	cc := compileCalendar(t, hoursOn("08:00", "18:00", weekdays...), nil,
		calendar.Exclusion{From: bst(12, 9, 0), To: bst(12, 11, 0), Reason: calendar.ReasonMaintenance},
		calendar.Exclusion{From: bst(13, 7, 0), To: bst(13, 18, 30), Reason: calendar.ReasonForceMajeure})
	daily := londonTracker(t, "1d", models.MissingMissed, cc)
	starts := londonBuckets(t, daily, may(11), may(15))
	f := daily.Evaluate(starts, []float64{5, 5, nan, 5}, may(20)).Figures
	assertDurations(t, f.Working, []time.Duration{10 * time.Hour, 8 * time.Hour, 0, 10 * time.Hour})
	assertFloats(t, f.Met, []float64{0, 0, nan, 0})
	assertInts(t, f.Consecutive, []int64{1, 2, 2, 3})

	hourly := londonTracker(t, "1h", models.MissingMissed, cc)
	starts = londonBuckets(t, hourly, bst(12, 8, 0), bst(12, 12, 0))
	f = hourly.Evaluate(starts, []float64{nan, nan, nan, nan}, may(20)).Figures
	assertDurations(t, f.Working, []time.Duration{time.Hour, 0, 0, time.Hour})
	assertFloats(t, f.RAG, []float64{Red, nan, nan, Red})
	assertInts(t, f.Consecutive, []int64{1, 1, 1, 2})
}

// TestAlwaysWorkingCalendarChangesNothing: on a calendar working around the
// clock every day, every bucket has working time, so every figure and the
// trend are exactly those without a calendar: random data (with gaps, ±Inf
// and a stray open bucket), every missing policy, interval and a few zones.
func TestAlwaysWorkingCalendarChangesNothing(t *testing.T) {
	allDays := []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	crossings := 0
	for _, zone := range []string{"UTC", "Europe/London", "America/New_York", "Asia/Kolkata"} {
		c := &calendar.Calendar{Name: "24/7", Timezone: zone, Hours: hoursOn("00:00", "24:00", allDays...)}
		cc, err := calendar.Compile(c)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewSource(int64(len(zone))))
		for _, iv := range []string{"1h", "4h", "1d", "1w", "1M"} {
			for _, missing := range []models.MissingPolicy{models.MissingExclude, models.MissingMissed, models.MissingZero} {
				target := 10.0
				def := models.TrackerDef{Method: "avg", Interval: iv, Timezone: "Europe/London", KPI: models.KPIDef{Direction: models.LowerIsBetter},
					Target: models.Target{Constant: &target}, Tolerance: models.Tolerance{Value: 1}, Missing: missing, TrendWindow: 1 + rng.Intn(8)}
				plain, err := Compile(def, "tracker")
				if err != nil {
					t.Fatal(err)
				}
				on, _ := Compile(def, "tracker")
				on.Working = cc.Working
				from := time.Date(2026, time.Month(1+rng.Intn(12)), 1+rng.Intn(28), rng.Intn(24), 0, 0, 0, time.UTC)
				starts := londonBuckets(t, plain, from, from.Add(time.Duration(24+rng.Intn(24*200))*time.Hour))
				if len(starts) > 200 {
					starts = starts[:200]
				}
				actual := make([]float64, len(starts)-1)
				for i := range actual {
					switch r := rng.Intn(20); {
					case r < 4:
						actual[i] = nan
					case r == 4:
						actual[i] = math.Inf(1)
					default:
						actual[i] = float64(rng.Intn(200)) / 10
					}
				}
				now := starts[rng.Intn(len(starts))].Add(time.Minute)
				a, b := plain.Evaluate(starts, actual, now), on.Evaluate(starts, actual, now)
				sameFigures(t, zone+" "+iv+" "+string(missing), a.Figures, b.Figures)
				if !a.Trend.Crossing.IsZero() {
					crossings++
				}
				if a.Trend.Points != b.Trend.Points || !sameFloat(a.Trend.Slope, b.Trend.Slope) || a.Trend.Direction != b.Trend.Direction || !a.Trend.Crossing.Equal(b.Trend.Crossing) {
					t.Fatalf("%s %s %s: trend %+v without a calendar, %+v on 24/7", zone, iv, missing, a.Trend, b.Trend)
				}
				for i, w := range b.Figures.Working {
					if want := b.Figures.End[i].Sub(b.Figures.Start[i]); w != want {
						t.Fatalf("%s %s: bucket %d works %v of its %v", zone, iv, i, w, want)
					}
				}
			}
		}
	}
	if crossings == 0 {
		t.Fatal("no trend crossed its target: the data do not exercise the projection")
	}
	t.Logf("%d trends projected a crossing", crossings)
}

func sameFloat(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

func sameFigures(t *testing.T, what string, a, b Figures) {
	t.Helper()
	for name, pair := range map[string][2][]float64{
		"actual": {a.Actual, b.Actual}, "target": {a.Target, b.Target}, "variance": {a.Variance, b.Variance}, "variancePct": {a.VariancePct, b.VariancePct},
		"favourable": {a.Favourable, b.Favourable}, "met": {a.Met, b.Met}, "rag": {a.RAG, b.RAG},
		"metProvisional": {a.MetProvisional, b.MetProvisional}, "ragProvisional": {a.RAGProvisional, b.RAGProvisional},
	} {
		for i := range pair[0] {
			if !sameFloat(pair[0][i], pair[1][i]) {
				t.Fatalf("%s: %s[%d] is %v without a calendar, %v on 24/7", what, name, i, pair[0][i], pair[1][i])
			}
		}
	}
	for i := range a.Consecutive {
		if a.Consecutive[i] != b.Consecutive[i] || a.Closed[i] != b.Closed[i] {
			t.Fatalf("%s: bucket %d: run %d/%d, closed %v/%v", what, i, a.Consecutive[i], b.Consecutive[i], a.Closed[i], b.Closed[i])
		}
	}
}

// TestTrendSkipsIdleBuckets: a daily tracker (target 3, higher is better,
// trend window 6) on Mon–Fri office hours, actuals Thu 30 Apr – Thu 7 May
// 2026 of 11, 10, (Sat) 100, (Sun) 100, 9, 8, 7, 6; now is Fri 8 May, so
// those 8 days are closed. The weekend is not evaluated and takes no part in
// the trend: the 6 points are Thu 7 … Thu 30 without the weekend, at x = 0,
// −1, −2, −3 (Mon 4), −4 (Fri 1), −5 (Thu 30), y = 6, 7, 8, 9, 10, 11: slope
// exactly −1 a day, intercept 6, deteriorating. The line reaches 3 at x =
// (3 − 6) / −1 = 3 working days after Thu 7: Fri 8, Mon 11, Tue 12 — the
// crossing is Tue 12 May. Without the calendar the points would be Thu 7 back
// to Sat 2, with both 100s.
func TestTrendSkipsIdleBuckets(t *testing.T) {
	target := 3.0
	tr, err := Compile(models.TrackerDef{Method: "avg", Interval: "1d", Timezone: "Europe/London", KPI: models.KPIDef{Direction: models.HigherIsBetter},
		Target: models.Target{Constant: &target}, TrendWindow: 6}, "tracker")
	if err != nil {
		t.Fatal(err)
	}
	tr.Working = officeHours(t).Working
	starts := londonBuckets(t, tr, time.Date(2026, 4, 30, 0, 0, 0, 0, london), may(8))
	actual := []float64{11, 10, 100, 100, 9, 8, 7, 6}
	tn := tr.Evaluate(starts, actual, may(8)).Trend
	if tn.Points != 6 || tn.Slope != -1 || tn.Direction != "deteriorating" || !tn.Crossing.Equal(may(12)) {
		t.Fatalf("trend %+v, want 6 points, slope −1, deteriorating, crossing on Tue 12 May", tn)
	}
	tr.Working = nil
	if plain := tr.Evaluate(starts, actual, may(8)).Trend; plain.Slope == -1 {
		t.Fatalf("without the calendar the weekend's 100s are points: %+v", plain)
	}
}

// TestLookBackSkipsIdleBuckets: a daily tracker (target 10, missing: missed,
// trend window 2) on Mon–Fri office hours, with Wed 6 May 2026 met (12), Thu
// 7 and Fri 8 missed (5), a stray 100 on Sat 9, nothing on Sun 10 and a miss
// (5) on Mon 11. Seen over Mon 11 alone as of Tue 12, the run is 3 (Thu, Fri,
// Mon): the weekend is not evaluated, so Saturday's 100 does not end it and
// Sunday's gap does not extend it. The look-back fetches 2 days (the trend
// window: Sat 9, Sun 10; not settled, as neither is evaluated), then 2 more
// (Thu 7, Fri 8: misses), then 4 (Sun 3 – Wed 6), finding Wed 6 met: 8 buckets
// from Sun 3, complete. Without the calendar Saturday is met and the run on
// Monday is 2 (Sun 10 missed, Mon 11).
func TestLookBackSkipsIdleBuckets(t *testing.T) {
	target := 10.0
	tr, err := Compile(models.TrackerDef{Method: "avg", Interval: "1d", Timezone: "Europe/London", KPI: models.KPIDef{Direction: models.HigherIsBetter},
		Target: models.Target{Constant: &target}, Missing: models.MissingMissed, TrendWindow: 2}, "tracker")
	if err != nil {
		t.Fatal(err)
	}
	tr.Working = officeHours(t).Working
	// The history's keys are the buckets' starts as Buckets gives them: UTC instants.
	at := func(d int) time.Time { return may(d).UTC() }
	h := &history{values: map[time.Time]float64{at(6): 12, at(7): 5, at(8): 5, at(9): 100, at(11): 5}}
	s, lb := evalSpan(t, tr, h, may(11), may(12), may(12))
	assertInts(t, s.Figures.Consecutive, []int64{3})
	assertDurations(t, s.Figures.Working, []time.Duration{10 * time.Hour})
	if lb.Buckets != 8 || !lb.From.Equal(may(3)) || !lb.Complete || h.calls != 4 {
		t.Fatalf("look-back %+v after %d fetches, want 8 buckets from Sun 3 May, complete, in 4 fetches", lb, h.calls)
	}
	tr.Working = nil
	s, _ = evalSpan(t, tr, h, may(11), may(12), may(12))
	assertInts(t, s.Figures.Consecutive, []int64{2})
}
