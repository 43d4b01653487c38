package kpi

import (
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// A ratio counts the rows that pass its condition, so a higher share is better even on a KPI where
// lower values are better: 75 % of responses within 60 minutes misses a target of 80 %.
func TestRatioIsBetterHigherWhateverTheKPIDirection(t *testing.T) {
	target := 80.0
	def := models.TrackerDef{
		Name: "Responses within 60 min", Method: "ratio", Condition: &models.Condition{Op: "<=", Threshold: 60},
		Interval: "1d", Timezone: "UTC", Target: models.Target{Constant: &target}, Tolerance: models.Tolerance{Value: 2},
		KPI: models.KPIDef{Name: "First response", Direction: models.LowerIsBetter, ConnectorQuery: models.ConnectorQuery{RawSQL: "-"}},
	}
	if def.Direction() != models.HigherIsBetter {
		t.Fatalf("direction %s", def.Direction())
	}
	tr, err := Compile(def, "tracker")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	starts := []time.Time{day, day.AddDate(0, 0, 1), day.AddDate(0, 0, 2), day.AddDate(0, 0, 3)} // bucket bounds
	s := tr.Evaluate(starts, []float64{75, 85, 79}, day.AddDate(0, 0, 10))
	for i, want := range []float64{Red, Green, Amber} {
		if s.Figures.RAG[i] != want {
			t.Fatalf("bucket %d: RAG %v, want %v (actuals 75, 85, 79 against 80, tolerance 2)", i, s.Figures.RAG[i], want)
		}
	}
	// The KPI's own direction still rules its other methods.
	def.Method, def.Condition = "p90", nil
	if def.Direction() != models.LowerIsBetter {
		t.Fatalf("p90 direction %s", def.Direction())
	}
}
