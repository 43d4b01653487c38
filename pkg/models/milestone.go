package models

import (
	"fmt"
	"strconv"
	"strings"
)

// Milestone metrics: what a condition may test.
var milestoneMetrics = []string{"compliance", "projected", "status", "consecutive_misses", "at_risk_requests", "required_run_rate"}

// ParseMilestone reads a milestone condition "<metric> <op> <value>", e.g.
// "compliance < 95", "status = at_risk", "consecutive_misses >= 3".
func ParseMilestone(cond string) (metric, op, value string, err error) {
	f := strings.Fields(cond)
	if len(f) != 3 {
		return "", "", "", fmt.Errorf("%q is not a condition: write <metric> <op> <value>, e.g. \"compliance < 95\" or \"status = breached\"", cond)
	}
	metric, op, value = f[0], f[1], f[2]
	known := false
	for _, m := range milestoneMetrics {
		known = known || m == metric
	}
	if !known {
		return "", "", "", fmt.Errorf("%q is not a milestone metric: use one of %s", metric, strings.Join(milestoneMetrics, ", "))
	}
	if metric == "status" {
		if op != "=" && op != "!=" {
			return "", "", "", fmt.Errorf("status is compared with = or !=, not %q", op)
		}
		switch value {
		case "compliant", "at_risk", "breached", "no_data":
		default:
			return "", "", "", fmt.Errorf("%q is not a status: use compliant, at_risk, breached or no_data", value)
		}
		return metric, op, value, nil
	}
	c := Condition{Op: op}
	if c.Threshold, err = strconv.ParseFloat(value, 64); err != nil {
		return "", "", "", fmt.Errorf("%q is not a number", value)
	}
	if err := c.Validate("condition"); err != nil {
		return "", "", "", fmt.Errorf("%q is not an operator: use < <= > >= = !=", op)
	}
	return metric, op, value, nil
}

// ValidateMilestones checks an agreement's milestones, naming the one at fault.
func ValidateMilestones(ms []Milestone) error {
	for i, m := range ms {
		if strings.TrimSpace(m.Name) == "" {
			return QueryFieldError(fmt.Sprintf("milestones[%d].name", i), "is empty: name the milestone")
		}
		if _, _, _, err := ParseMilestone(m.Condition); err != nil {
			return QueryFieldError(fmt.Sprintf("milestones[%d].condition", i), err.Error())
		}
	}
	return nil
}
