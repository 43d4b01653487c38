package kpi

import (
	"math"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

func TestTrendDeterioratingProjectsCrossing(t *testing.T) {
	// Uptime falling 0.1 point a day from 100 towards a 99.5 target; days 1–5 closed, day 6 open.
	ev := Evaluation{Direction: models.HigherIsBetter, Target: models.Target{Constant: f64(99.5)}}
	f := Evaluate(days(6), []float64{100, 99.9, 99.8, 99.7, 99.6, 99.0}, day(6).Add(time.Hour), ev)
	tr := ComputeTrend(f, 6, models.HigherIsBetter, Day, time.UTC)
	if tr.Points != 5 || math.Abs(tr.Slope+0.1) > 1e-9 || tr.Direction != "deteriorating" {
		t.Fatalf("trend: %+v", tr)
	}
	// Line: 100 - 0.1·i reaches 99.5 at i = 5, the bucket starting Jan 6.
	if !tr.Crossing.Equal(day(6)) {
		t.Fatalf("crossing %s, want %s", tr.Crossing, day(6))
	}
}

func TestTrendImprovingForLowerIsBetter(t *testing.T) {
	ev := Evaluation{Direction: models.LowerIsBetter, Target: models.Target{Constant: f64(60)}}
	f := Evaluate(days(4), []float64{90, nan, 70, 65}, day(30), ev)
	tr := ComputeTrend(f, 0, models.LowerIsBetter, Day, time.UTC)
	if tr.Direction != "improving" || tr.Points != 3 || !tr.Crossing.IsZero() {
		t.Fatalf("trend: %+v", tr)
	}
}

func TestTrendWindowAndTooFewPoints(t *testing.T) {
	ev := Evaluation{Direction: models.HigherIsBetter, Target: models.Target{Constant: f64(1)}}
	f := Evaluate(days(3), []float64{nan, 5, nan}, day(30), ev)
	if tr := ComputeTrend(f, 6, models.HigherIsBetter, Day, time.UTC); tr.Direction != "" || !math.IsNaN(tr.Slope) || tr.Points != 1 {
		t.Fatalf("trend: %+v", tr)
	}
	// Only the last two of a rising-then-falling series count with window 2.
	f = Evaluate(days(4), []float64{1, 2, 9, 8}, day(30), ev)
	if tr := ComputeTrend(f, 2, models.HigherIsBetter, Day, time.UTC); tr.Direction != "deteriorating" || tr.Points != 2 {
		t.Fatalf("trend: %+v", tr)
	}
}
