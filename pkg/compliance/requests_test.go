package compliance

import (
	"math"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// Regression tests for the counting of requests (occurrence trackers) and the
// status built on it. Each states its figures by hand.

var within60 = models.Condition{Op: "<=", Threshold: 60}

// resolved is a resolved request opened at t that took minutes.
func resolved(t time.Time, minutes float64) Request { return Request{Time: t, Value: minutes} }

// open is a request opened at t and still in progress.
func open(t time.Time) Request { return Request{Time: t, Value: math.NaN(), Open: true} }

func occurrenceAgreement(target float64) *models.Agreement {
	return agreement(target, models.AgreementTracker{Mode: Occurrence})
}

// A closed period whose only requests are still in progress has nothing
// evaluated: no compliance, so no_data (it was breached, judged on a
// projection of 0 %).
//
// February 2026, evaluated on 5 March: two requests opened on 27 and 28
// February are still open. Met 0, missed 0 → compliance none; both are past
// their 60-minute goal (at risk 2), nothing remains → status no_data.
func TestRegressionClosedPeriodOnlyInProgressIsNoData(t *testing.T) {
	p := Period{Start: utc(2026, 2, 1), End: utc(2026, 3, 1)}
	now := utc(2026, 3, 5)
	reqs := []Request{open(utc(2026, 2, 27).Add(10 * time.Hour)), open(utc(2026, 2, 28).Add(23*time.Hour + 30*time.Minute))}
	c := OccurrenceCounts(reqs, within60, WallClock("m"), p, now, 6)
	if c.Met != 0 || c.Missed != 0 || c.InProgress != 2 || c.AtRisk != 2 || c.Remaining != 0 {
		t.Fatalf("counts %+v", c)
	}
	r := Evaluate(occurrenceAgreement(90), p, now, []Covered{covered(1, c)}, 0)
	if !r.Closed || r.Status != NoData || !r.Compliance.IsNaN() || r.AtRiskRequests != 2 {
		t.Fatalf("closed %v status %s compliance %v at risk %d", r.Closed, r.Status, r.Compliance, r.AtRiskRequests)
	}
	// The same period with one resolved, met request is judged on it: 1/1 = 100 % ≥ 90 %.
	reqs = append(reqs, resolved(utc(2026, 2, 10), 20))
	r = Evaluate(occurrenceAgreement(90), p, now, []Covered{covered(1, OccurrenceCounts(reqs, within60, WallClock("m"), p, now, 6))}, 0)
	if r.Status != Compliant || float64(r.Compliance) != 100 {
		t.Fatalf("with a resolved request: %s %v", r.Status, r.Compliance)
	}
}

// The projection does not depend on the order the KPI's query returns rows in:
// requests are taken in the order they were opened.
//
// Period 1–11 March 2026 (10 days), now 6 March 00:00 (5 days elapsed, 5 to
// go). Eight resolved requests every 12 hours from 1 March 06:00, in time
// order missed, missed, met, missed, met, missed, met, met (goal ≤ 60 min):
// met 4 of 8 → compliance 50 %. The recent rate is the share met of the last
// 6 in time: met, missed, met, missed, met, met → 4/6. Expected arrivals: 8
// requests in 5 days → 8 more in the 5 days left. Projected =
// (4 + 8 × 4/6) / (8 + 8) = 9.3333 / 16 = 58.33 %. Read in reverse, the old
// code took the first 6 in time as the latest (2/6 met) and gave
// (4 + 8 × 2/6) / 16 = 41.67 %.
func TestRegressionOccurrenceProjectionIgnoresRowOrder(t *testing.T) {
	p := Period{Start: utc(2026, 3, 1), End: utc(2026, 3, 11)}
	now := utc(2026, 3, 6)
	minutes := []float64{90, 90, 30, 90, 30, 90, 30, 30}
	var inOrder []Request
	for i, m := range minutes {
		inOrder = append(inOrder, resolved(utc(2026, 3, 1).Add(6*time.Hour+time.Duration(i)*12*time.Hour), m))
	}
	reversed := make([]Request, len(inOrder))
	for i, r := range inOrder {
		reversed[len(inOrder)-1-i] = r
	}
	want := (4 + 8*4.0/6) / 16 * 100 // 58.33
	for name, reqs := range map[string][]Request{"in time order": inOrder, "reversed": reversed} {
		c := OccurrenceCounts(reqs, within60, WallClock("m"), p, now, 6)
		r := Evaluate(occurrenceAgreement(90), p, now, []Covered{covered(1, c)}, 0)
		if c.Met != 4 || c.Missed != 4 || !near(c.Remaining, 8) || !near(c.RecentRate, 4.0/6) {
			t.Fatalf("%s: counts %+v", name, c)
		}
		if !near(float64(r.Compliance), 50) || !near(float64(r.Projected), at2(want)) { // stated at 2 decimals
			t.Fatalf("%s: compliance %v projected %v, want 50 and %.4f", name, r.Compliance, r.Projected, want)
		}
	}
	// The caller's slice is left in its order.
	if !reversed[0].Time.After(reversed[1].Time) {
		t.Fatal("OccurrenceCounts reordered its argument")
	}
}

// An open request is at risk once it can no longer meet its goal. With a strict
// goal "< 60" minutes, a request open for exactly 60 minutes has lost it (a
// response at 60 fails "< 60"); with "<= 60" it still meets it at 60 and is
// lost only after. The old code counted neither at 60.
//
// Now 15 March 12:00; requests opened 60 min, 60 min 1 s and 59 min ago:
//
//	"< 60":  60 → at risk, 60:01 → at risk, 59 → in time: at risk 2
//	"<= 60": 60 → in time, 60:01 → at risk, 59 → in time: at risk 1
//	"= 60":  as "<= 60" (more than 60 can no longer equal 60): at risk 1
//	">= 60": waiting never loses it: at risk 0
func TestRegressionStrictGoalAtThreshold(t *testing.T) {
	p := Period{Start: utc(2026, 3, 1), End: utc(2026, 4, 1)}
	now := utc(2026, 3, 15).Add(12 * time.Hour)
	reqs := []Request{open(now.Add(-60 * time.Minute)), open(now.Add(-60*time.Minute - time.Second)), open(now.Add(-59 * time.Minute))}
	for _, tc := range []struct {
		op     string
		unit   string
		thresh float64
		atRisk int
	}{
		{op: "<", unit: "m", thresh: 60, atRisk: 2},
		{op: "<=", unit: "m", thresh: 60, atRisk: 1},
		{op: "=", unit: "m", thresh: 60, atRisk: 1},
		{op: ">=", unit: "m", thresh: 60, atRisk: 0},
		// The same goals in hours: 60 minutes are exactly 1 h.
		{op: "<", unit: "h", thresh: 1, atRisk: 2},
		{op: "<=", unit: "h", thresh: 1, atRisk: 1},
		// And in seconds.
		{op: "<", unit: "s", thresh: 3600, atRisk: 2},
	} {
		c := OccurrenceCounts(reqs, models.Condition{Op: tc.op, Threshold: tc.thresh}, WallClock(tc.unit), p, now, 6)
		if c.InProgress != 3 || c.AtRisk != tc.atRisk {
			t.Fatalf("%s %v %s: in progress %d, at risk %d, want %d", tc.op, tc.thresh, tc.unit, c.InProgress, c.AtRisk, tc.atRisk)
		}
	}
}

// While a period is open, breached means no future can reach the target. For
// an occurrence tracker the number of requests still to come has no bound, so
// the forecast of arrivals never makes a breach certain.
//
// March 2026, now 16 March 00:00 (15 days elapsed, 16 to go), goal ≤ 60 min,
// target 90 %. Three missed requests (1–3 March), then seven met (4–10 March):
// compliance 7/10 = 70 %. Forecast: 10 requests in 15 days → 10.667 more;
// the last 6 were met, so projected = (7 + 10.667) / 20.667 = 85.48 % < 90 %.
// The old code took "every forecast request met" (the same 85.48 %) as the
// best case and said breached. But 30 more met requests give 37/40 = 92.5 %:
// the status is at_risk, and the period indeed closes compliant with them.
func TestRegressionOccurrenceBreachOnlyWhenCertain(t *testing.T) {
	p := Period{Start: utc(2026, 3, 1), End: utc(2026, 4, 1)}
	mid := utc(2026, 3, 16)
	var reqs []Request
	for d := 1; d <= 10; d++ {
		minutes := 30.0
		if d <= 3 {
			minutes = 90
		}
		reqs = append(reqs, resolved(utc(2026, 3, d).Add(9*time.Hour), minutes))
	}
	c := OccurrenceCounts(reqs, within60, WallClock("m"), p, mid, 6)
	if c.Met != 7 || c.Missed != 3 || !near(c.Remaining, 10.0/15*16) || c.RecentRate != 1 {
		t.Fatalf("counts %+v", c)
	}
	r := Evaluate(occurrenceAgreement(90), p, mid, []Covered{covered(1, c)}, 0)
	projected := (7 + 10.0/15*16) / (10 + 10.0/15*16) * 100 // 85.48
	if r.Status != AtRisk || !near(float64(r.Compliance), 70) || !near(float64(r.Projected), at2(projected)) || float64(r.Best) != 100 {
		t.Fatalf("status %s compliance %v projected %v (want %.2f) best %v", r.Status, r.Compliance, r.Projected, projected, r.Best)
	}
	// Thirty more met requests, one every 12 hours from 16 March: 37/40 = 92.5 % at the close.
	more := append([]Request(nil), reqs...)
	for i := 0; i < 30; i++ {
		more = append(more, resolved(mid.Add(time.Duration(i)*12*time.Hour), 45))
	}
	closed := Evaluate(occurrenceAgreement(90), p, p.End, []Covered{covered(1, OccurrenceCounts(more, within60, WallClock("m"), p, p.End, 6))}, 0)
	if closed.Status != Compliant || !near(float64(closed.Compliance), 92.5) {
		t.Fatalf("at the close: %s %v", closed.Status, closed.Compliance)
	}

	// The exception: a target only 100 % reaches. With a miss, no number of
	// met requests brings 7/10 to 100 % ((7 + k) / (10 + k) < 1 for every k):
	// breached. Without a miss (7/7), it is compliant.
	if r := Evaluate(occurrenceAgreement(100), p, mid, []Covered{covered(1, c)}, 0); r.Status != Breached {
		t.Fatalf("target 100 %% with a miss: %s", r.Status)
	}
	// A request past its goal is a miss to come: breached as well.
	late := OccurrenceCounts([]Request{resolved(utc(2026, 3, 2), 20), open(utc(2026, 3, 15))}, within60, WallClock("m"), p, mid, 6)
	if r := Evaluate(occurrenceAgreement(100), p, mid, []Covered{covered(1, late)}, 0); late.AtRisk != 1 || r.Status != Breached {
		t.Fatalf("target 100 %% with a request past its goal: at risk %d, %s", late.AtRisk, r.Status)
	}
	allMet := OccurrenceCounts(reqs[3:], within60, WallClock("m"), p, mid, 6)
	if r := Evaluate(occurrenceAgreement(100), p, mid, []Covered{covered(1, allMet)}, 0); r.Status != Compliant {
		t.Fatalf("target 100 %% without a miss: %s", r.Status)
	}

	// With a timeslice tracker too, the best case counts the occurrence tracker
	// at 100 %. Time slices (weight 3): 10 met, 10 missed, 10 buckets to come →
	// at best 20/30 = 66.67 %. Requests (weight 1) at best 100 %. Best =
	// (3 × 66.67 + 100) / 4 = 75 %: target 90 → breached. Target 75: reached
	// only if the requests reached 100 %, which their 3 misses forbid → breached.
	// Target 74: at_risk.
	slices := Counts{Mode: Timeslice, Met: 10, Missed: 10, Remaining: 10, RecentRate: 0.5}
	for target, want := range map[float64]string{90: Breached, 75: Breached, 74: AtRisk} {
		g := agreement(target, models.AgreementTracker{}, models.AgreementTracker{Mode: Occurrence})
		r := Evaluate(g, p, mid, []Covered{covered(3, slices), covered(1, c)}, 0)
		if r.Status != want || !near(float64(r.Best), 75) {
			t.Fatalf("target %v: %s (best %v), want %s", target, r.Status, r.Best, want)
		}
	}
}
