package kpi

import (
	"math"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// history is a tracker's data by bucket start: a Fetch over it, counting the calls and
// the buckets fetched; buckets it does not hold have no data.
type history struct {
	values  map[time.Time]float64
	calls   int
	buckets int
}

func (h *history) fetch(starts []time.Time) ([]float64, error) {
	h.calls++
	out := make([]float64, len(starts)-1)
	for i := range out {
		v, ok := h.values[starts[i]]
		if !ok {
			v = math.NaN()
		}
		out[i] = v
	}
	h.buckets += len(out)
	return out, nil
}

// dailyHistory holds actuals for days 1, 2, … of January 2026.
func dailyHistory(actuals ...float64) *history {
	h := &history{values: map[time.Time]float64{}}
	for i, v := range actuals {
		h.values[day(1+i)] = v
	}
	return h
}

// evalRange evaluates days first…last (inclusive) of h with look-back, as of now.
func evalRange(t *testing.T, tr *Tracker, h *history, first, last int, now time.Time) (Series, LookBack) {
	t.Helper()
	return evalSpan(t, tr, h, day(first), day(last+1), now)
}

// evalSpan evaluates the buckets of h that intersect [from, to) with look-back, as of now.
func evalSpan(t *testing.T, tr *Tracker, h *history, from, to, now time.Time) (Series, LookBack) {
	t.Helper()
	starts, err := Buckets(from, to, tr.Interval, tr.Location)
	if err != nil {
		t.Fatal(err)
	}
	actual, _ := h.fetch(starts)
	s, lb, err := tr.EvaluateBack(starts, actual, now, h.fetch)
	if err != nil {
		t.Fatal(err)
	}
	return s, lb
}

func dailyTracker(t *testing.T, target float64) *Tracker { return avgTracker(t, "1d", target) }

// avgTracker is an average, higher is better, with a constant target, in UTC.
func avgTracker(t *testing.T, interval string, target float64) *Tracker {
	t.Helper()
	tr, err := Compile(models.TrackerDef{Method: "avg", Interval: interval, Timezone: "UTC", KPI: models.KPIDef{Direction: models.HigherIsBetter},
		Target: models.Target{Constant: &target}}, "tracker")
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// TestRunDoesNotDependOnTheRange (defect A): daily tracker, target 10, higher is better,
// actuals 12, 5, 5, 5, 5, 5, 5 on days 1–7, all closed (now is day 9).
// By hand: day 1 is met (12 ≥ 10), days 2–7 miss (5 < 10), so the run on day 7 is
// 6 (days 2, 3, 4, 5, 6, 7), on day 6 it is 5 and on day 5 it is 4. Main gave 6 over
// days 1–7 but 3 over days 5–7 (it counted only the range's misses). Over days 5–7
// the look-back fetches the 6 days before (the trend window: days −1…4, Dec 30 – Jan 4),
// finds day 1 met and stops: one fetch.
func TestRunDoesNotDependOnTheRange(t *testing.T) {
	tr := dailyTracker(t, 10)
	now := day(9)
	h := dailyHistory(12, 5, 5, 5, 5, 5, 5)
	whole, lb := evalRange(t, tr, h, 1, 7, now)
	assertInts(t, whole.Figures.Consecutive, []int64{0, 1, 2, 3, 4, 5, 6})
	// Days 1–7 start with a met day and hold 7 closed days with data: nothing to look back for.
	if lb.Buckets != 0 || !lb.Complete || h.calls != 1 {
		t.Fatalf("days 1–7: look-back %+v after %d fetches, want none", lb, h.calls)
	}
	h.calls = 0
	part, lb := evalRange(t, tr, h, 5, 7, now)
	assertInts(t, part.Figures.Consecutive, []int64{4, 5, 6})
	if len(part.Figures.Start) != 3 || !part.Figures.Start[0].Equal(day(5)) {
		t.Fatalf("the series is cut back to days 5–7: %v", part.Figures.Start)
	}
	if lb.Buckets != 6 || !lb.From.Equal(day(-1)) || !lb.Complete || lb.Bound != LookBackBound || h.calls != 2 {
		t.Fatalf("days 5–7: look-back %+v after %d fetches, want 6 days from Dec 30 in one more fetch", lb, h.calls)
	}
}

// TestTrendDoesNotDependOnTheRange (defect A): target 10, actuals 30, 20, 18, 16, 14, 12, 13
// on days 1–7, all closed. The trend fits the last 6 closed days with data, days 2–7:
// x = 0…5, y = 20, 18, 16, 14, 12, 13; x̄ = 2.5, ȳ = 15.5; Σ(x−x̄)(y−ȳ) = −11.25 − 3.75 − 0.25
// − 0.75 − 5.25 − 6.25 = −27.5; Σ(x−x̄)² = 17.5; slope = −27.5 / 17.5 = −11/7 ≈ −1.571 a day:
// deteriorating. Over days 6–7 main fitted only 12, 13: slope +1, "improving".
func TestTrendDoesNotDependOnTheRange(t *testing.T) {
	tr := dailyTracker(t, 10)
	h := dailyHistory(30, 20, 18, 16, 14, 12, 13)
	for _, first := range []int{1, 6} {
		s, lb := evalRange(t, tr, h, first, 7, day(9))
		if s.Trend.Points != 6 || math.Abs(s.Trend.Slope+11.0/7) > 1e-9 || s.Trend.Direction != "deteriorating" || !lb.Complete {
			t.Fatalf("days %d–7: trend %+v, look-back %+v; want 6 points, slope −11/7, deteriorating", first, s.Trend, lb)
		}
	}
}

// TestMonthlyRunSeenFromAShortRange (defect A): the provisioned rules looked back 31 days,
// so a monthly tracker's range held one or two months and never showed more than one
// closed miss in a row. Monthly tracker, target 98: Jan 100 (met), Feb 95, Mar 96, Apr 90
// (misses); now is May 10, the range is Apr 9 – May 10 (31 days): buckets April (closed)
// and May (open, no data yet). By hand: the run in April is 3 (Feb, Mar, Apr); May is
// open, carries that run and is not judged. Main said 1.
func TestMonthlyRunSeenFromAShortRange(t *testing.T) {
	tr := avgTracker(t, "1M", 98)
	month := func(m time.Month) time.Time { return time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC) }
	h := &history{values: map[time.Time]float64{month(1): 100, month(2): 95, month(3): 96, month(4): 90}}
	now := time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC)
	s, lb := evalSpan(t, tr, h, now.AddDate(0, 0, -31), now, now)
	assertInts(t, s.Figures.Consecutive, []int64{3, 3})
	assertFloats(t, s.Figures.RAG, []float64{Red, nan})
	// The trend window (6) is not full before the bound (the history has 4 months), so the
	// look-back goes to the bound: 1,000 months before April, in fetches of 6, 6, 12, 24, …
	if lb.Buckets != LookBackBound || lb.Complete || s.Trend.Points != 4 {
		t.Fatalf("look-back %+v, trend %+v", lb, s.Trend)
	}
}

// TestLookBackIsBounded: a tracker that has missed every day (0 against 10) for years.
// The look-back stops after LookBackBound days before the range, fetching 6, 6, 12, 24, …
// (doubling: 9 fetches after the range's own), and says the figures are a lower bound:
// over days 5–7 the run on day 7 is 1,000 + 3, and Complete is false.
func TestLookBackIsBounded(t *testing.T) {
	tr := dailyTracker(t, 10)
	h := &history{values: map[time.Time]float64{}}
	for d := -2000; d <= 7; d++ {
		h.values[day(d)] = 0
	}
	s, lb := evalRange(t, tr, h, 5, 7, day(9))
	assertInts(t, s.Figures.Consecutive, []int64{1001, 1002, 1003})
	// 6, 6, 12, 24, 48, 96, 192, 384, and 232 to reach 1,000.
	if lb.Buckets != LookBackBound || lb.Complete || h.calls != 10 || h.buckets != 3+LookBackBound {
		t.Fatalf("look-back %+v after %d fetches of %d buckets", lb, h.calls, h.buckets)
	}
}

// TestLookBackStopsBeforeTheTargetSchedule: a schedule whose first entry is day 3 (target
// 10); actuals 5 on days 1–9, all misses from day 3. Over days 8–9 the look-back fetches the
// 6 days before (days 2–7) and stops: day 2 has no target, so no earlier day can be judged
// and the run is exact without reaching the bound. By hand: days 3–9 miss, so the run is 6
// on day 8 and 7 on day 9. The trend has 8 points (days 2–9) ≥ 6.
func TestLookBackStopsBeforeTheTargetSchedule(t *testing.T) {
	tr := dailyTracker(t, 10)
	tr.Def.Target = models.Target{Schedule: []models.TargetStep{{From: day(3), Value: 10}}}
	h := dailyHistory(5, 5, 5, 5, 5, 5, 5, 5, 5)
	s, lb := evalRange(t, tr, h, 8, 9, day(11))
	assertInts(t, s.Figures.Consecutive, []int64{6, 7})
	if lb.Buckets != 6 || !lb.Complete || h.calls != 2 {
		t.Fatalf("look-back %+v after %d fetches", lb, h.calls)
	}
}
