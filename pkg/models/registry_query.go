package models

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ContractIDs splits a contract field that may hold several ids (a multi-value
// variable, formatted as csv or {a,b}), each once; ids cannot hold commas.
func ContractIDs(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range strings.Split(strings.Trim(s, "{}"), ",") {
		if p = strings.TrimSpace(p); p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// PortfolioQuery tunes the portfolio: the classification threshold, how many
// closed periods the renewal signal reads, and how long before the notice date
// the signal is shown.
type PortfolioQuery struct {
	Contract             string  `json:"contract"`
	SubstantialThreshold float64 `json:"substantialThreshold"`
	HistoryPeriods       int     `json:"historyPeriods"`
	LeadDays             int     `json:"leadDays"`
}

// DefaultSubstantialThreshold is the compliance (%) at or above which a
// contract that missed is "substantially compliant".
const DefaultSubstantialThreshold = 95.0

// LoadPortfolioQuery parses and checks a portfolio query, filling defaults.
func LoadPortfolioQuery(raw json.RawMessage) (*PortfolioQuery, error) {
	q := &PortfolioQuery{}
	if err := json.Unmarshal(raw, q); err != nil {
		return nil, fmt.Errorf("%w: the query is not valid JSON (%v)", ErrInvalidQuery, err)
	}
	if q.SubstantialThreshold == 0 {
		q.SubstantialThreshold = DefaultSubstantialThreshold
	}
	if q.HistoryPeriods == 0 {
		q.HistoryPeriods = 4
	}
	if q.LeadDays == 0 {
		q.LeadDays = 90
	}
	switch {
	case q.SubstantialThreshold <= 0 || q.SubstantialThreshold > 100:
		return nil, QueryFieldError("substantialThreshold", "must be a percentage above 0 and at most 100")
	case q.HistoryPeriods < 1 || q.HistoryPeriods > 36:
		return nil, QueryFieldError("historyPeriods", "must be 1 to 36 periods")
	case q.LeadDays < 0 || q.LeadDays > 3650:
		return nil, QueryFieldError("leadDays", "must be 0 to 3650 days")
	}
	return q, nil
}

// VariablesQuery lists registry objects for a template variable.
type VariablesQuery struct {
	// Kind is contracts, trackers or kpis.
	Kind string `json:"kind"`
	// Contract, for trackers, keeps the trackers assigned to these contracts (comma-separated ids).
	Contract string `json:"contract"`
}

// LoadVariablesQuery parses and checks a variables query.
func LoadVariablesQuery(raw json.RawMessage) (*VariablesQuery, error) {
	q := &VariablesQuery{}
	if err := json.Unmarshal(raw, q); err != nil {
		return nil, fmt.Errorf("%w: the query is not valid JSON for variables (%v)", ErrInvalidQuery, err)
	}
	if q.Kind != "contracts" && q.Kind != "trackers" && q.Kind != "kpis" {
		return nil, QueryFieldError("kind", fmt.Sprintf("%q is not a variable kind: use contracts, trackers or kpis", q.Kind))
	}
	return q, nil
}
