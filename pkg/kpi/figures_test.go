package kpi

import (
	"math"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

func f64(v float64) *float64 { return &v }

func days(n int) []time.Time {
	out := make([]time.Time, n+1)
	for i := range out {
		out[i] = day(1).AddDate(0, 0, i)
	}
	return out
}

func TestEvaluateHigherIsBetterWithAbsoluteTolerance(t *testing.T) {
	// Target 99.5 % uptime, amber within 0.3 points; day 4 has no data; now is inside day 5.
	ev := Evaluation{Direction: models.HigherIsBetter, Target: models.Target{Constant: f64(99.5)}, Tolerance: models.Tolerance{Value: 0.3}, Missing: models.MissingExclude}
	actual := []float64{99.9, 99.3, 98, nan, 97}
	f := Evaluate(days(5), actual, day(5).Add(time.Hour), ev)
	assertFloats(t, f.Variance, []float64{0.4, -0.2, -1.5, nan, -2.5})
	assertFloats(t, f.VariancePct, []float64{0.4 / 99.5 * 100, -0.2 / 99.5 * 100, -1.5 / 99.5 * 100, nan, -2.5 / 99.5 * 100})
	assertFloats(t, f.Favourable, []float64{0.4, -0.2, -1.5, nan, -2.5})
	// Day 5 is open: judged only provisionally (red so far), never in met and RAG.
	assertFloats(t, f.Met, []float64{1, 0, 0, nan, nan})
	assertFloats(t, f.RAG, []float64{Green, Amber, Red, nan, nan})
	assertFloats(t, f.MetProvisional, []float64{nan, nan, nan, nan, 0})
	assertFloats(t, f.RAGProvisional, []float64{nan, nan, nan, nan, Red})
	wantClosed := []bool{true, true, true, true, false}
	for i, c := range wantClosed {
		if f.Closed[i] != c {
			t.Fatalf("closed: %v", f.Closed)
		}
	}
	// Misses on days 2 and 3; day 4 is excluded (neither breaks nor extends the run); day 5 is open and carries 2.
	assertInts(t, f.Consecutive, []int64{0, 1, 2, 2, 2})
}

func TestEvaluateLowerIsBetterWithPercentTolerance(t *testing.T) {
	// Response time target 60 min, amber within 10 % (6 min).
	ev := Evaluation{Direction: models.LowerIsBetter, Target: models.Target{Constant: f64(60)}, Tolerance: models.Tolerance{Value: 10, Percent: true}}
	f := Evaluate(days(4), []float64{45, 66, 66.5, 60}, day(30), ev)
	assertFloats(t, f.Variance, []float64{-15, 6, 6.5, 0})
	assertFloats(t, f.Favourable, []float64{15, -6, -6.5, 0})
	assertFloats(t, f.RAG, []float64{Green, Amber, Red, Green})
	assertFloats(t, f.Met, []float64{1, 0, 0, 1})
	assertInts(t, f.Consecutive, []int64{0, 1, 2, 0})
}

func TestEvaluateMissingPolicies(t *testing.T) {
	base := Evaluation{Direction: models.HigherIsBetter, Target: models.Target{Constant: f64(10)}}
	actual := []float64{12, nan, 12}
	tests := []struct {
		policy     models.MissingPolicy
		wantActual []float64
		wantMet    []float64
		wantRAG    []float64
		wantRun    []int64
	}{
		{models.MissingExclude, []float64{12, nan, 12}, []float64{1, nan, 1}, []float64{Green, nan, Green}, []int64{0, 0, 0}},
		{models.MissingMissed, []float64{12, nan, 12}, []float64{1, 0, 1}, []float64{Green, Red, Green}, []int64{0, 1, 0}},
		{models.MissingZero, []float64{12, 0, 12}, []float64{1, 0, 1}, []float64{Green, Red, Green}, []int64{0, 1, 0}},
	}
	for _, tt := range tests {
		t.Run(string(tt.policy), func(t *testing.T) {
			ev := base
			ev.Missing = tt.policy
			f := Evaluate(days(3), actual, day(30), ev)
			assertFloats(t, f.Actual, tt.wantActual)
			assertFloats(t, f.Met, tt.wantMet)
			assertFloats(t, f.RAG, tt.wantRAG)
			assertInts(t, f.Consecutive, tt.wantRun)
		})
	}
}

// TestOpenBucketIsNeverRedForMissingData (defect B): a daily tracker, target 10, higher
// is better, actuals 12, 12 and nothing yet on day 3, which is open (now is day 3, 01:00).
// By hand: days 1–2 are closed and met (12 ≥ 10): met 1, green, run 0. Day 3 has no rows
// so far: under every policy it is not judged (met, RAG and their provisional figures
// null), and under `zero` its actual stays null (no data yet is not a zero). With main's
// rules, `missed` and `zero` made day 3 red, and a rule reading the last RAG fired at 00:00.
func TestOpenBucketIsNeverRedForMissingData(t *testing.T) {
	for _, policy := range []models.MissingPolicy{models.MissingExclude, models.MissingMissed, models.MissingZero} {
		t.Run(string(policy), func(t *testing.T) {
			ev := Evaluation{Direction: models.HigherIsBetter, Target: models.Target{Constant: f64(10)}, Missing: policy}
			f := Evaluate(days(3), []float64{12, 12, nan}, day(3).Add(time.Hour), ev)
			assertFloats(t, f.Actual, []float64{12, 12, nan})
			assertFloats(t, f.Met, []float64{1, 1, nan})
			assertFloats(t, f.RAG, []float64{Green, Green, nan})
			assertFloats(t, f.MetProvisional, []float64{nan, nan, nan})
			assertFloats(t, f.RAGProvisional, []float64{nan, nan, nan})
			assertInts(t, f.Consecutive, []int64{0, 0, 0})
		})
	}
}

// TestOpenBucketFiguresAreProvisional (defect B): target 10, higher is better, tolerance 1,
// actuals 8, 7 (closed) and a partial 3 on day 3 (open). By hand: day 1: 8 − 10 = −2, beyond
// the tolerance: red, run 1; day 2: −3: red, run 2; day 3: −7 so far: red provisionally
// (RAGProvisional 2, MetProvisional 0) but RAG and met null, and its run is the closed run
// before it, 2 (not 3: an open bucket never adds to the run). A provisional green does not
// reset the run either: with 11 on day 3 the run stays 2.
func TestOpenBucketFiguresAreProvisional(t *testing.T) {
	ev := Evaluation{Direction: models.HigherIsBetter, Target: models.Target{Constant: f64(10)}, Tolerance: models.Tolerance{Value: 1}, Missing: models.MissingMissed}
	f := Evaluate(days(3), []float64{8, 7, 3}, day(3).Add(time.Hour), ev)
	assertFloats(t, f.RAG, []float64{Red, Red, nan})
	assertFloats(t, f.Met, []float64{0, 0, nan})
	assertFloats(t, f.RAGProvisional, []float64{nan, nan, Red})
	assertFloats(t, f.MetProvisional, []float64{nan, nan, 0})
	assertInts(t, f.Consecutive, []int64{1, 2, 2})
	f = Evaluate(days(3), []float64{8, 7, 11}, day(3).Add(time.Hour), ev)
	assertFloats(t, f.RAGProvisional, []float64{nan, nan, Green})
	assertFloats(t, f.MetProvisional, []float64{nan, nan, 1})
	assertInts(t, f.Consecutive, []int64{1, 2, 2})
}

func TestEvaluateEffectiveDatedTarget(t *testing.T) {
	tgt := models.Target{Schedule: []models.TargetStep{{From: day(3), Value: 95}, {From: day(2), Value: 90}}}
	if err := tgt.Validate("target"); err != nil {
		t.Fatal(err)
	}
	f := Evaluate(days(4), []float64{93, 93, 93, 93}, day(30), Evaluation{Direction: models.HigherIsBetter, Target: tgt})
	// Day 1: no target yet; day 2: 90 applies; days 3–4: 95 applies.
	assertFloats(t, f.Target, []float64{nan, 90, 95, 95})
	assertFloats(t, f.Met, []float64{nan, 1, 0, 0})
	assertInts(t, f.Consecutive, []int64{0, 0, 1, 2})
}

func TestEvaluateZeroTargetHasNoVariancePercent(t *testing.T) {
	// Zero incidents allowed, lower is better.
	f := Evaluate(days(2), []float64{0, 2}, day(30), Evaluation{Direction: models.LowerIsBetter, Target: models.Target{Constant: f64(0)}})
	assertFloats(t, f.VariancePct, []float64{nan, nan})
	assertFloats(t, f.RAG, []float64{Green, Red})
}

func TestTargetValidate(t *testing.T) {
	tests := []struct {
		name string
		t    models.Target
		want string
	}{
		{"neither", models.Target{}, "target: give either a constant target or a schedule"},
		{"both", models.Target{Constant: f64(1), Schedule: []models.TargetStep{{From: day(1), Value: 1}}}, "target: give either"},
		{"NaN constant", models.Target{Constant: f64(math.NaN())}, "target.constant: must be a finite number"},
		{"missing from", models.Target{Schedule: []models.TargetStep{{Value: 1}}}, "target.schedule[0].from: is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.t.Validate("target")
			if err == nil || len(err.Error()) < len(tt.want) || err.Error()[:len(tt.want)] != tt.want {
				t.Fatalf("got %v, want %q…", err, tt.want)
			}
		})
	}
}

func assertInts(t *testing.T, got, want []int64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}
