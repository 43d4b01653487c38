package compliance

import (
	"math"
	"strconv"

	"github.com/covenant/contracts/pkg/models"
)

// Fired is a milestone whose condition holds at an evaluation.
type Fired struct {
	Name      string `json:"name"`
	Condition string `json:"condition"`
}

// milestones returns the agreement's milestones whose condition holds for r.
func milestones(g *models.Agreement, r Result) []Fired {
	var out []Fired
	for _, m := range g.Milestones {
		metric, op, value, err := models.ParseMilestone(m.Condition)
		if err != nil {
			continue // refused when the agreement was saved
		}
		if metric == "status" {
			if (op == "=") == (r.Status == value) {
				out = append(out, Fired{Name: m.Name, Condition: m.Condition})
			}
			continue
		}
		var v float64
		switch metric {
		case "compliance":
			v = float64(r.Compliance)
		case "projected":
			v = float64(r.Projected)
		case "required_run_rate":
			v = float64(r.RequiredRunRate)
		case "at_risk_requests":
			v = float64(r.AtRiskRequests)
		case "consecutive_misses":
			for _, c := range r.Trackers {
				v = math.Max(v, float64(c.Consecutive))
			}
		}
		threshold, _ := strconv.ParseFloat(value, 64)
		if !math.IsNaN(v) && (models.Condition{Op: op, Threshold: threshold}).Holds(v) {
			out = append(out, Fired{Name: m.Name, Condition: m.Condition})
		}
	}
	return out
}
