package compliance

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

func utc(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestPeriods(t *testing.T) {
	for _, tc := range []struct {
		name       string
		rp         models.ReviewPeriod
		at         time.Time
		start, end time.Time
		wantErr    string
	}{
		{name: "month", rp: models.ReviewPeriod{Kind: "month"}, at: utc(2026, 2, 14), start: utc(2026, 2, 1), end: utc(2026, 3, 1)},
		{name: "quarter", rp: models.ReviewPeriod{Kind: "quarter"}, at: utc(2026, 8, 31), start: utc(2026, 7, 1), end: utc(2026, 10, 1)},
		{name: "year", rp: models.ReviewPeriod{Kind: "year"}, at: utc(2026, 12, 31), start: utc(2026, 1, 1), end: utc(2027, 1, 1)},
		// March 2026 in London starts at GMT and ends at BST: 31 days minus an hour.
		{name: "DST month in a zone", rp: models.ReviewPeriod{Kind: "month", Timezone: "Europe/London"}, at: utc(2026, 3, 15),
			start: utc(2026, 3, 1), end: time.Date(2026, 3, 31, 23, 0, 0, 0, time.UTC)},
		// Seed 002: "met 90 percent of the time between January and September".
		{name: "custom", rp: models.ReviewPeriod{Kind: "custom", Timezone: "America/New_York", From: "2026-01-01", To: "2026-10-01"}, at: utc(2026, 5, 1),
			start: time.Date(2026, 1, 1, 5, 0, 0, 0, time.UTC), end: time.Date(2026, 10, 1, 4, 0, 0, 0, time.UTC)},
		{name: "custom ending before it starts", rp: models.ReviewPeriod{Kind: "custom", From: "2026-10-01", To: "2026-01-01"}, wantErr: "period.to: 2026-01-01 ends before it starts"},
		{name: "unknown zone", rp: models.ReviewPeriod{Kind: "month", Timezone: "Mars/Olympus"}, wantErr: "period.timezone"},
		{name: "unknown kind", rp: models.ReviewPeriod{Kind: "fortnight"}, wantErr: "period.kind"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := PeriodAt(tc.rp, tc.at)
			if tc.wantErr != "" {
				if err == nil || !contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !p.Start.Equal(tc.start) || !p.End.Equal(tc.end) {
				t.Fatalf("period %v – %v, want %v – %v", p.Start, p.End, tc.start, tc.end)
			}
		})
	}
	ps, err := Periods(models.ReviewPeriod{Kind: "quarter"}, utc(2025, 12, 15), utc(2026, 7, 2), 10)
	if err != nil || len(ps) != 4 || !ps[0].Start.Equal(utc(2025, 10, 1)) || !ps[3].Start.Equal(utc(2026, 7, 1)) {
		t.Fatalf("periods %v %v", ps, err)
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || len(s) >= len(sub) && (s == sub || indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// figures builds daily figures for the given met flags (1 met, 0 missed, NaN not evaluated),
// starting at start, closed up to now.
func figures(start, now time.Time, met ...float64) kpi.Figures {
	var f kpi.Figures
	for i, m := range met {
		s := start.AddDate(0, 0, i)
		f.Start = append(f.Start, s)
		f.End = append(f.End, s.AddDate(0, 0, 1))
		f.Closed = append(f.Closed, !s.AddDate(0, 0, 1).After(now))
		f.Met = append(f.Met, m)
	}
	return f
}

const x = -1 // a bucket that is not closed yet (its met flag is unknown)

func daily(start, now time.Time, flags ...float64) kpi.Figures {
	met := make([]float64, len(flags))
	for i, f := range flags {
		if f == x {
			met[i] = math.NaN()
		} else {
			met[i] = f
		}
	}
	return figures(start, now, met...)
}

func TestTimesliceCounts(t *testing.T) {
	p := Period{Start: utc(2026, 3, 2), End: utc(2026, 3, 12)}
	now := utc(2026, 3, 8) // 6 of the 10 days closed
	// The day before the period is outside it; 2 days are not evaluated (missing data excluded).
	f := daily(utc(2026, 3, 1), now, 0, 1, 1, math.NaN(), 0, 1, math.NaN(), x, x, x, x)
	c := TimesliceCounts(f, p, 6)
	if c.Met != 3 || c.Missed != 1 || c.Remaining != 4 || c.Consecutive != 0 {
		t.Fatalf("counts %+v", c)
	}
	if c.RecentRate != 0.75 {
		t.Fatalf("recent rate %v", c.RecentRate)
	}
}

func agreement(target float64, trackers ...models.AgreementTracker) *models.Agreement {
	return &models.Agreement{Meta: models.Meta{ID: "g"}, Name: "SLA", ContractID: "c", Period: models.ReviewPeriod{Kind: "month"}, ComplianceTarget: target, Trackers: trackers}
}

func covered(weight float64, c Counts) Covered { return Covered{Weight: weight, Counts: c} }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// docs/figures.md: weights 3 and 1, compliances 100 % and 50 % → 87.5 %.
func TestWeightedComplianceWorkedExample(t *testing.T) {
	p := Period{Start: utc(2026, 1, 1), End: utc(2026, 2, 1)}
	r := Evaluate(agreement(85), p, utc(2026, 2, 5), []Covered{
		covered(3, Counts{Mode: Timeslice, Met: 31}),
		covered(1, Counts{Mode: Timeslice, Met: 2, Missed: 2}),
	}, 0)
	if !near(float64(r.Compliance), 87.5) || r.Status != Compliant || !r.Closed {
		t.Fatalf("compliance %v status %s closed %v", r.Compliance, r.Status, r.Closed)
	}
	// A tracker without data does not count.
	r = Evaluate(agreement(85), p, utc(2026, 2, 5), []Covered{
		covered(3, Counts{Mode: Timeslice, Met: 31}),
		covered(1, Counts{Mode: Timeslice, Met: 2, Missed: 2}),
		covered(5, Counts{Mode: Timeslice}),
	}, 0)
	if !near(float64(r.Compliance), 87.5) {
		t.Fatalf("with a tracker without data: %v", r.Compliance)
	}
}

// Seed 002: a request in progress and past its goal is not counted, so the
// compliance is 100 %; Covenant also reports it as at risk, and the
// projection counts it as the miss it will be.
func TestOccurrenceSeed002InProgressCase(t *testing.T) {
	p := Period{Start: utc(2026, 1, 1), End: utc(2026, 10, 1)}
	now := utc(2026, 10, 1).Add(-time.Minute) // the last minute of the period
	cond := models.Condition{Op: "<=", Threshold: 120}
	reqs := []Request{
		{Time: utc(2026, 2, 1), Value: 30},
		{Time: utc(2026, 3, 1), Value: 90},
		{Time: now.Add(-3 * time.Hour), Value: math.NaN(), Open: true}, // 3 h open, goal 2 h: missed goal, still in progress
		{Time: now.Add(-30 * time.Minute), Value: math.NaN(), Open: true},
		{Time: utc(2025, 12, 31), Value: 500}, // before the period
	}
	c := OccurrenceCounts(reqs, cond, WallClock("m"), p, now, 6)
	if c.Met != 2 || c.Missed != 0 || c.InProgress != 2 || c.AtRisk != 1 {
		t.Fatalf("counts %+v", c)
	}
	r := Evaluate(agreement(90, models.AgreementTracker{Mode: Occurrence}), p, now, []Covered{covered(1, c)}, 0)
	if float64(r.Compliance) != 100 || r.AtRiskRequests != 1 {
		t.Fatalf("compliance %v, at risk %d", r.Compliance, r.AtRiskRequests)
	}
	// 2 met, 1 certain miss, ~1 open one still in time: projected about 3 of 4 → 75 % < 90 %.
	// Not breached: requests may still arrive in the period's last minute, and
	// enough met ones would bring it above 90 % (TestRegressionOccurrenceBreachOnlyWhenCertain).
	if r.Status != AtRisk || float64(r.Projected) >= 90 {
		t.Fatalf("status %s projected %v best %v", r.Status, r.Projected, r.Best)
	}
	// Without a duration unit the deadline is unknown: at risk is not counted (and says so: -1).
	if c := OccurrenceCounts(reqs, cond, WallClock("percent"), p, now, 6); c.AtRisk != -1 {
		t.Fatalf("at risk without a time unit: %d", c.AtRisk)
	}
}

// docs/figures.md: 500 active contracts, 10 non-compliant → 98 %.
func TestContractComplianceRateWorkedExample(t *testing.T) {
	if got := ContractComplianceRate(500, 10); got != 98 {
		t.Fatalf("rate %v", got)
	}
	if got := ContractComplianceRate(0, 0); !math.IsNaN(got) {
		t.Fatalf("rate of no contracts %v", got)
	}
}

func TestStatusAndRunRate(t *testing.T) {
	p := Period{Start: utc(2026, 3, 1), End: utc(2026, 3, 31)} // 30 daily buckets
	now := utc(2026, 3, 21)                                    // 20 closed, 10 remaining
	for _, tc := range []struct {
		name            string
		met, missed     int
		recent          float64
		target          float64
		status          string
		compliance      float64
		projected, best float64
		runRate         float64
	}{
		// 19/20 = 95 %; the recent rate 100 % projects 29/30; 27 of 30 needed: 8 of 10 remaining.
		{name: "compliant", met: 19, missed: 1, recent: 1, target: 90, status: Compliant, compliance: 95, projected: 29.0 / 30 * 100, best: 29.0 / 30 * 100, runRate: 80},
		// 18/20 = 90 % meets 90 %, but half of the last buckets missed: 23/30 projected.
		{name: "at risk by projection", met: 18, missed: 2, recent: 0.5, target: 90, status: AtRisk, compliance: 90, projected: 23.0 / 30 * 100, best: 28.0 / 30 * 100, runRate: 90},
		// 16/20 = 80 %: 27 of 30 are needed and 26 is the most it can reach → breached.
		{name: "breached", met: 16, missed: 4, recent: 1, target: 90, status: Breached, compliance: 80, projected: 26.0 / 30 * 100, best: 26.0 / 30 * 100, runRate: 110},
		// Exactly reachable: 17/20, 27/30 needed = every remaining bucket: at risk, run-rate 100 %.
		{name: "every remaining bucket needed", met: 17, missed: 3, recent: 1, target: 90, status: AtRisk, compliance: 85, projected: 90, best: 90, runRate: 100},
		// Secured: 20 met of 30 already reach 60 %, so none of the remaining buckets is needed.
		{name: "secured", met: 20, missed: 0, recent: 1, target: 60, status: Compliant, compliance: 100, projected: 100, best: 100, runRate: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Counts{Mode: Timeslice, Met: tc.met, Missed: tc.missed, Remaining: 10, RecentRate: tc.recent}
			r := Evaluate(agreement(tc.target), p, now, []Covered{covered(1, c)}, 0)
			// Compliance figures are stated at 2 decimals (the default precision).
			if r.Status != tc.status || !near(float64(r.Compliance), at2(tc.compliance)) || !near(float64(r.Projected), at2(tc.projected)) ||
				!near(float64(r.Best), at2(tc.best)) || !near(float64(r.RequiredRunRate), tc.runRate) {
				t.Fatalf("status %s compliance %v projected %v best %v run-rate %v", r.Status, r.Compliance, r.Projected, r.Best, r.RequiredRunRate)
			}
		})
	}
	// A closed period is compliant or breached on its final figure.
	closed := Evaluate(agreement(90), p, utc(2026, 4, 2), []Covered{covered(1, Counts{Mode: Timeslice, Met: 26, Missed: 4})}, 0)
	if closed.Status != Breached || !closed.RequiredRunRate.IsNaN() {
		t.Fatalf("closed: %s, run-rate %v", closed.Status, closed.RequiredRunRate)
	}
	// No evaluated bucket at all.
	none := Evaluate(agreement(90), p, now, nil, 0)
	if none.Status != NoData || !none.Compliance.IsNaN() {
		t.Fatalf("no data: %s %v", none.Status, none.Compliance)
	}
}

// Missing-data policies decide which buckets are evaluated (kpi.Evaluate sets Met).
func TestMissingDataPolicies(t *testing.T) {
	target := 99.0
	starts := []time.Time{utc(2026, 5, 1), utc(2026, 5, 2), utc(2026, 5, 3), utc(2026, 5, 4)}
	actual := []float64{99.5, math.NaN(), 98}
	p := Period{Start: utc(2026, 5, 1), End: utc(2026, 5, 4)}
	for _, tc := range []struct {
		policy        models.MissingPolicy
		met, missed   int
		compliancePct float64
	}{
		{policy: models.MissingExclude, met: 1, missed: 1, compliancePct: 50},
		{policy: models.MissingMissed, met: 1, missed: 2, compliancePct: 100.0 / 3},
		{policy: models.MissingZero, met: 1, missed: 2, compliancePct: 100.0 / 3},
	} {
		t.Run(string(tc.policy), func(t *testing.T) {
			f := kpi.Evaluate(starts, actual, utc(2026, 6, 1), kpi.Evaluation{Direction: models.HigherIsBetter, Target: models.Target{Constant: &target}, Missing: tc.policy})
			c := TimesliceCounts(f, p, 6)
			r := Evaluate(agreement(90), p, utc(2026, 6, 1), []Covered{covered(1, c)}, 0)
			if c.Met != tc.met || c.Missed != tc.missed || !near(float64(r.Compliance), at2(tc.compliancePct)) || !near(float64(r.ComplianceUnrounded), tc.compliancePct) {
				t.Fatalf("counts %+v compliance %v", c, r.Compliance)
			}
		})
	}
}

func TestBandsImpactAndCap(t *testing.T) {
	// Seed 002 style: 95–99 % → penalty 1,000; 92–95 % → penalty 3,000; below 92 → 10 % of the fee, capped at 50,000.
	g := agreement(99)
	g.ImpactCostPerMiss = 250
	g.PenaltyCap = 50000
	g.Bands = []models.Band{
		{From: 0, To: 92, Amount: -10, Percent: true},
		{From: 92, To: 95, Amount: -3000},
		{From: 95, To: 99, Amount: -1000},
		{From: 99, To: 100, Amount: 500},
	}
	p := Period{Start: utc(2026, 1, 1), End: utc(2026, 2, 1)}
	after := utc(2026, 2, 2)
	for _, tc := range []struct {
		name      string
		met, miss int
		amount    float64
		band      int
	}{
		{name: "top band, 100 % inclusive: reward", met: 100, miss: 0, amount: 500, band: 3},
		{name: "edge 99 % belongs to the band above", met: 99, miss: 1, amount: 500, band: 3},
		{name: "just below 99 %", met: 989, miss: 11, amount: -1000, band: 2},
		{name: "edge 95 %", met: 95, miss: 5, amount: -1000, band: 2},
		{name: "edge 92 %", met: 92, miss: 8, amount: -3000, band: 1},
		{name: "below 92 %: 10 % of 1.2 M is 120,000, capped at 50,000", met: 80, miss: 20, amount: -50000, band: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Evaluate(g, p, after, []Covered{covered(1, Counts{Mode: Timeslice, Met: tc.met, Missed: tc.miss})}, 1_200_000)
			if r.Band == nil || *r.Band != tc.band || float64(r.PenaltyReward) != tc.amount {
				t.Fatalf("band %v amount %v", r.Band, r.PenaltyReward)
			}
			if r.ImpactCost != 250*float64(tc.miss) {
				t.Fatalf("impact cost %v", r.ImpactCost)
			}
		})
	}
}

func TestMilestones(t *testing.T) {
	g := agreement(95)
	g.Milestones = []models.Milestone{
		{Name: "Below 95", Condition: "compliance < 95"},
		{Name: "Breached", Condition: "status = breached"},
		{Name: "Three misses", Condition: "consecutive_misses >= 3"},
		{Name: "Late requests", Condition: "at_risk_requests > 0"},
	}
	p := Period{Start: utc(2026, 3, 1), End: utc(2026, 3, 31)}
	r := Evaluate(g, p, utc(2026, 3, 21), []Covered{covered(1, Counts{Mode: Timeslice, Met: 16, Missed: 4, Remaining: 10, RecentRate: 0.25, Consecutive: 3})}, 0)
	var names []string
	for _, m := range r.Milestones {
		names = append(names, m.Name)
	}
	if len(names) != 3 || names[0] != "Below 95" || names[1] != "Breached" || names[2] != "Three misses" {
		t.Fatalf("fired %v (status %s)", names, r.Status)
	}
	for _, bad := range []struct{ cond, want string }{
		{"compliance << 95", "not an operator"},
		{"uptime < 95", "not a milestone metric"},
		{"status = late", "not a status"},
		{"compliance < lots", "not a number"},
		{"compliance<95", "is not a condition"},
	} {
		err := models.ValidateMilestones([]models.Milestone{{Name: "m", Condition: bad.cond}})
		if err == nil || !contains(err.Error(), "milestones[0].condition") || !contains(err.Error(), bad.want) {
			t.Fatalf("%q: %v", bad.cond, err)
		}
	}
}

// The figures a dispute relies on keep their shape in JSON: missing ones are null.
func TestResultJSON(t *testing.T) {
	r := Evaluate(agreement(90), Period{Start: utc(2026, 1, 1), End: utc(2026, 2, 1)}, utc(2026, 1, 5), nil, 0)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back["compliance"] != nil || back["status"] != NoData {
		t.Fatalf("%s", b)
	}
}

func TestClassifyAndRenewal(t *testing.T) {
	res := func(status string, compliance float64, trackers ...float64) Result {
		r := Result{Status: status, Compliance: Num(compliance), Target: 90}
		for _, c := range trackers {
			r.Trackers = append(r.Trackers, Covered{Compliance: Num(c)})
		}
		return r
	}
	for _, tc := range []struct {
		name    string
		results []Result
		want    string
	}{
		{"every agreement and tracker met", []Result{res(Compliant, 99, 100, 98)}, ClassActual},
		{"compliant overall, one tracker below target", []Result{res(Compliant, 96, 100, 85)}, ClassSubstantial},
		{"at risk but above the threshold", []Result{res(AtRisk, 95.5, 96, 95)}, ClassSubstantial},
		{"below the threshold", []Result{res(Compliant, 99, 100), res(AtRisk, 91, 91)}, ClassPartial},
		{"a breach", []Result{res(Compliant, 99, 100), res(Breached, 80, 80)}, ClassBreach},
		{"no data", []Result{{Status: NoData, Compliance: nan()}}, ClassUnmeasured},
		{"no agreement", nil, ClassUnmeasured},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Classify(tc.results, DefaultSubstantialThreshold); got != tc.want {
				t.Fatalf("%s, want %s", got, tc.want)
			}
		})
	}
	closed := func(statuses ...string) []Result {
		var out []Result
		for _, s := range statuses {
			out = append(out, Result{Status: s})
		}
		return out
	}
	for want, history := range map[string][]Result{
		SignalRenew:       closed(Compliant, Compliant, Compliant, Compliant),
		SignalRenegotiate: closed(Compliant, Breached, Compliant, Compliant),
		SignalExit:        closed(Breached, Breached, Compliant, Breached),
		SignalUnknown:     nil,
	} {
		if got := RenewalSignal(history); got != want {
			t.Fatalf("%v: %s, want %s", history, got, want)
		}
	}
}

// March 2026 in London has a 23-hour day: the month holds 31 daily buckets of the
// tracker's zone, and a custom period counts the buckets that start inside it.
func TestDSTMonthAndCustomPeriod(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	p, err := PeriodAt(models.ReviewPeriod{Kind: "month", Timezone: "Europe/London"}, utc(2026, 3, 20))
	if err != nil {
		t.Fatal(err)
	}
	starts, err := kpi.Buckets(p.Start, p.End, kpi.Day, london)
	if err != nil {
		t.Fatal(err)
	}
	actual := make([]float64, len(starts)-1)
	for i := range actual {
		actual[i] = 99.95
	}
	actual[28] = 98 // 29 March, the day the clocks go forward
	target := 99.9
	f := kpi.Evaluate(starts, actual, utc(2026, 4, 2), kpi.Evaluation{Direction: models.HigherIsBetter, Target: models.Target{Constant: &target}})
	c := TimesliceCounts(f, p, 6)
	if c.Met+c.Missed != 31 || c.Missed != 1 || c.Remaining != 0 {
		t.Fatalf("March in London: %+v", c)
	}
	if d := f.End[28].Sub(f.Start[28]); d != 23*time.Hour {
		t.Fatalf("29 March lasts %v", d)
	}
	// A custom period of 10–20 March (exclusive) in London: 10 buckets.
	cp, _ := PeriodAt(models.ReviewPeriod{Kind: "custom", Timezone: "Europe/London", From: "2026-03-10", To: "2026-03-20"}, utc(2026, 3, 1))
	if c := TimesliceCounts(f, cp, 6); c.Met+c.Missed != 10 {
		t.Fatalf("custom period: %+v", c)
	}
	r := Evaluate(agreement(95), p, utc(2026, 4, 2), []Covered{covered(1, c)}, 0)
	if !near(float64(r.Compliance), 96.77) || !near(float64(r.ComplianceUnrounded), 3000.0/31) || r.Status != Compliant {
		t.Fatalf("March: %v %s", r.Compliance, r.Status)
	}
}

// at2 is a figure at 2 decimals (the test figures are never a half).
func at2(x float64) float64 { return math.Round(x*100) / 100 }

// Regression: Asuncion moved from 00:00 -04 to 01:00 -03 on 1 Oct 2023, so
// local midnight of 1 October does not exist. By hand the months are August
// [1 Aug 00:00 -04 = 04:00Z, 1 Sep 00:00 -04 = 04:00Z), September [.., 1 Oct
// 01:00 -03 = 04:00Z), October [.., 1 Nov 00:00 -03 = 03:00Z), November [..,
// 1 Dec 00:00 -03 = 03:00Z): four periods. Before, September ended at the
// instant time.Date gave for the missing midnight (30 Sep 23:00 -04), which is
// still in September, so Periods repeated September up to its limit (36).
func TestMonthlyPeriodsWhereMidnightIsSkippedAsuncion(t *testing.T) {
	rp := models.ReviewPeriod{Kind: "month", Timezone: "America/Asuncion"}
	h := func(m time.Month, d, hour int) time.Time { return time.Date(2023, m, d, hour, 0, 0, 0, time.UTC) }
	ps, err := Periods(rp, h(8, 1, 4), h(12, 1, 3), 36)
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Time{h(8, 1, 4), h(9, 1, 4), h(10, 1, 4), h(11, 1, 3), h(12, 1, 3)}
	if len(ps) != 4 {
		t.Fatalf("%d periods %v, want 4", len(ps), ps)
	}
	for i, p := range ps {
		if !p.Start.Equal(want[i]) || !p.End.Equal(want[i+1]) {
			t.Fatalf("period %d = %v – %v, want %v – %v", i, p.Start, p.End, want[i], want[i+1])
		}
	}
	// A custom period from 1 Oct reads that date as its first instant, 01:00 -03.
	cp, err := PeriodAt(models.ReviewPeriod{Kind: "custom", Timezone: "America/Asuncion", From: "2023-10-01", To: "2023-10-02"}, h(10, 1, 12))
	if err != nil || !cp.Start.Equal(h(10, 1, 4)) || !cp.End.Equal(h(10, 2, 3)) {
		t.Fatalf("custom period %v – %v, %v", cp.Start, cp.End, err)
	}
}

// trackerFigures evaluates a tracker's buckets over [from, to) in loc against
// the target 1 (higher is better), as of now: the actuals are 1 (met) unless
// the bucket's index is in missed, where they are 0.
func trackerFigures(t *testing.T, iv kpi.Interval, loc *time.Location, from, to, now time.Time, missed ...int) kpi.Figures {
	t.Helper()
	starts, err := kpi.Buckets(from, to, iv, loc)
	if err != nil {
		t.Fatal(err)
	}
	actual := make([]float64, len(starts)-1)
	for i := range actual {
		actual[i] = 1
	}
	for _, i := range missed {
		actual[i] = 0
	}
	target := 1.0
	return kpi.Evaluate(starts, actual, now, kpi.Evaluation{Direction: models.HigherIsBetter, Target: models.Target{Constant: &target}})
}

// Regression: a missed week across a month end counted in neither month. A
// weekly UTC tracker over June–July 2026 (Mondays 1, 8, 15, 22, 29 Jun, 6, 13,
// 20, 27 Jul, the last ending 3 Aug) misses only the week of 29 Jun – 6 Jul.
// By hand, each week counts in the month that holds its Monday: June has 5
// weeks, 4 met and 1 missed (80 %); July has 4, all met (100 %). Before, June
// counted 4 met of 4 and July 3 of 3 (27 Jul – 3 Aug straddles too): the miss
// was nowhere.
func TestStraddlingWeekCountsInTheMonthOfItsStart(t *testing.T) {
	now := utc(2026, 8, 10)
	f := trackerFigures(t, kpi.Week, time.UTC, utc(2026, 6, 1), utc(2026, 8, 1), now, 4) // week 4 is 29 Jun
	june := Period{Start: utc(2026, 6, 1), End: utc(2026, 7, 1)}
	july := Period{Start: utc(2026, 7, 1), End: utc(2026, 8, 1)}
	if c := TimesliceCounts(f, june, 6); c.Met != 4 || c.Missed != 1 || c.Remaining != 0 {
		t.Fatalf("June: %+v, want 4 met, 1 missed", c)
	}
	if c := TimesliceCounts(f, july, 6); c.Met != 4 || c.Missed != 0 || c.Remaining != 0 {
		t.Fatalf("July: %+v, want 4 met", c)
	}
	if s := SettledAt(f, june); !s.Equal(utc(2026, 7, 6)) {
		t.Fatalf("June settles at %v, want 6 Jul (the end of its last week)", s)
	}
	// Until that week has closed, June has ended but its result is not final.
	g := agreement(90, models.AgreementTracker{AssignmentID: "a", Weight: 1})
	r := Evaluate(g, june, utc(2026, 7, 2), []Covered{covered(1, TimesliceCounts(trackerFigures(t, kpi.Week, time.UTC, utc(2026, 6, 1), utc(2026, 8, 1), utc(2026, 7, 2), 4), june, 6))}, 0)
	if r.Closed || r.Status != Compliant || !near(float64(r.Compliance), 100) {
		t.Fatalf("2 Jul: closed %v, status %s, compliance %v; want open, compliant, 100 (4 of 4 so far)", r.Closed, r.Status, r.Compliance)
	}
	r = Evaluate(g, june, now, []Covered{covered(1, TimesliceCounts(f, june, 6))}, 0)
	if !r.Closed || r.Status != Breached || !near(float64(r.Compliance), 80) {
		t.Fatalf("10 Aug: closed %v, status %s, compliance %v; want closed, breached, 80", r.Closed, r.Status, r.Compliance)
	}
}

// Regression: a UTC agreement over a Europe/London daily tracker evaluated 29
// of June's 30 days. In June London is UTC+1, so its local day D runs from
// (D-1) 23:00Z to D 23:00Z. By hand, the days that start in [1 Jun 00:00Z,
// 1 Jul 00:00Z) are London 2 Jun (starting 1 Jun 23:00Z) to London 1 Jul
// (starting 30 Jun 23:00Z): 30 days. London 1 Jun starts 31 May 23:00Z and
// counts in May. Before, only the 29 days wholly inside June counted (2–30
// June); London 1 Jun and 1 Jul counted nowhere. Over the UTC months May–July
// every day counts exactly once: 31 + 30 + 31 = 92 buckets, London 2 May
// (starting 1 May 23:00Z) to London 1 Aug (starting 31 Jul 23:00Z); London
// 1 May starts on 30 Apr at 23:00Z and counts in April.
func TestUTCAgreementOverLondonDaysCountsEveryDayOnce(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	f := trackerFigures(t, kpi.Day, london, utc(2026, 4, 25), utc(2026, 8, 5), utc(2026, 9, 1))
	june := Period{Start: utc(2026, 6, 1), End: utc(2026, 7, 1)}
	if c := TimesliceCounts(f, june, 6); c.Met != 30 || c.Missed != 0 {
		t.Fatalf("June: %+v, want 30 days", c)
	}
	total := 0
	for _, m := range []time.Month{5, 6, 7} {
		c := TimesliceCounts(f, Period{Start: utc(2026, m, 1), End: utc(2026, m+1, 1)}, 6)
		total += c.Evaluated()
	}
	first := kpi.Day.Floor(utc(2026, 5, 1), london) // London 1 May, which starts on 30 Apr at 23:00Z
	n := 0
	for i := range f.Start {
		if f.Start[i].After(first) && f.Start[i].Before(utc(2026, 8, 1)) {
			n++
		}
	}
	if total != 92 || n != 92 {
		t.Fatalf("May–July count %d buckets of %d, want 92", total, n)
	}
}
