package registry

import (
	"context"
	"encoding/json"

	"github.com/covenant/contracts/pkg/connector"
)

// demoKPIs and demoTrackers are the registry a fresh install starts with, on the demo connector.
var demoKPIs = []map[string]any{
	{"id": "uptime", "name": "Availability", "unit": "percent", "direction": "higher_is_better", "connector": "demo",
		"description": "Hourly availability of the contracted service",
		"rawSql":      "SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key"},
	{"id": "first-response", "name": "First response time", "unit": "m", "direction": "lower_is_better", "connector": "demo",
		"description": "Minutes from a ticket's opening to the first response",
		"rawSql":      "SELECT time, response_minutes AS value, status FROM tickets WHERE $__timeFilter(time) AND contract = $__key"},
	{"id": "on-time-deliveries", "name": "Deliveries on time", "unit": "percent", "direction": "higher_is_better", "connector": "demo",
		"rawSql": "SELECT time, on_time * 100.0 AS value FROM deliveries WHERE $__timeFilter(time) AND contract = $__key"},
	{"id": "invoice-accuracy", "name": "Invoice accuracy", "unit": "percent", "direction": "higher_is_better", "connector": "demo",
		"rawSql": "SELECT time, accurate * 100.0 AS value FROM invoices WHERE $__timeFilter(time) AND contract = $__key"},
}

var demoTrackers = []map[string]any{
	{"id": "daily-availability", "name": "Daily availability", "kpiId": "uptime", "method": "avg", "interval": "1d",
		"timezone": "Europe/London", "target": map[string]any{"constant": 99.9}, "tolerance": map[string]any{"value": 0.2}},
	{"id": "responses-within-60", "name": "Responses within 60 min", "kpiId": "first-response", "method": "ratio",
		"condition": map[string]any{"op": "<=", "threshold": 60}, "interval": "1w", "timezone": "Europe/London",
		"target": map[string]any{"constant": 80}, "tolerance": map[string]any{"value": 5, "percent": true}},
	{"id": "p90-first-response", "name": "P90 first response", "kpiId": "first-response", "method": "p90", "interval": "1M",
		"timezone": "UTC", "target": map[string]any{"constant": 120}, "tolerance": map[string]any{"value": 10, "percent": true}, "missing": "missed"},
	{"id": "weekly-on-time", "name": "On-time deliveries", "kpiId": "on-time-deliveries", "method": "avg", "interval": "1w",
		"timezone": "America/New_York", "target": map[string]any{"constant": 95}, "tolerance": map[string]any{"value": 2}},
	{"id": "monthly-invoice-accuracy", "name": "Invoice accuracy", "kpiId": "invoice-accuracy", "method": "avg", "interval": "1M",
		"timezone": "UTC", "target": map[string]any{"constant": 98}, "tolerance": map[string]any{"value": 1}},
}

// demoAssignments: which trackers each demo contract has.
var demoAssignments = map[string][]string{
	"acme-it":          {"daily-availability", "responses-within-60", "monthly-invoice-accuracy"},
	"globex-logistics": {"weekly-on-time", "monthly-invoice-accuracy"},
	"initech-cloud":    {"daily-availability", "p90-first-response", "monthly-invoice-accuracy"},
}

// demoAgreements: one agreement per demo contract over some of its trackers.
func demoAgreements() []map[string]any {
	tracker := func(contract, trackerID string, weight float64, mode string) map[string]any {
		t := map[string]any{"assignmentId": contract + "-" + trackerID, "weight": weight}
		if mode != "" {
			t["mode"] = mode
		}
		return t
	}
	return []map[string]any{
		{"id": "acme-it-service-levels", "name": "Service levels", "contractId": "acme-it",
			"period": map[string]any{"kind": "month", "timezone": "Europe/London"}, "complianceTarget": 90,
			"trackers":          []any{tracker("acme-it", "daily-availability", 3, ""), tracker("acme-it", "responses-within-60", 1, "occurrence")},
			"impactCostPerMiss": 250, "penaltyCap": 50000,
			"bands": []any{
				map[string]any{"from": 0, "to": 85, "amount": -2, "percent": true},
				map[string]any{"from": 85, "to": 90, "amount": -5000},
				map[string]any{"from": 90, "to": 99, "amount": 0},
				map[string]any{"from": 99, "to": 100, "amount": 2000},
			},
			"milestones": []any{
				map[string]any{"name": "Below target", "condition": "compliance < 90"},
				map[string]any{"name": "Requests past their goal", "condition": "at_risk_requests > 0"},
			}},
		{"id": "globex-delivery-performance", "name": "Delivery performance", "contractId": "globex-logistics",
			"period": map[string]any{"kind": "quarter", "timezone": "America/New_York"}, "complianceTarget": 80,
			"trackers":          []any{tracker("globex-logistics", "weekly-on-time", 2, ""), tracker("globex-logistics", "monthly-invoice-accuracy", 1, "")},
			"impactCostPerMiss": 1000,
			"bands":             []any{map[string]any{"from": 0, "to": 80, "amount": -10000}, map[string]any{"from": 80, "to": 100, "amount": 0}},
			"milestones":        []any{map[string]any{"name": "Three late weeks in a row", "condition": "consecutive_misses >= 3"}}},
		{"id": "initech-platform-availability", "name": "Platform availability", "contractId": "initech-cloud",
			"period": map[string]any{"kind": "month", "timezone": "UTC"}, "complianceTarget": 95,
			"trackers": []any{tracker("initech-cloud", "daily-availability", 1, "")},
			"bands": []any{
				map[string]any{"from": 0, "to": 95, "amount": -5, "percent": true},
				map[string]any{"from": 95, "to": 100, "amount": 0},
			},
			"penaltyCap": 25000},
	}
}

// SeedDemo gives a registry that has never held anything the demo contracts,
// their KPIs, trackers and assignments on the demo connector, so that a fresh
// install shows trends with no manual step. It reports whether it seeded.
// demo is only called (it generates the demo data) when the store is unused.
func (r *Registry) SeedDemo(ctx context.Context, demo func(context.Context) (*connector.DemoDB, error)) (bool, error) {
	used, err := r.Store.Used(ctx)
	if err != nil || used {
		return false, err
	}
	db, err := demo(ctx)
	if err != nil {
		return false, err
	}
	contracts := db.Contracts
	doc := map[string]any{"apiVersion": APIVersion, "kind": "Registry", "kpis": demoKPIs, "trackers": demoTrackers}
	var cs, as []map[string]any
	for _, c := range contracts {
		cs = append(cs, map[string]any{"id": c.Key, "name": c.Name, "counterparty": c.Counterparty, "owner": c.Owner,
			"description": c.Description, "startDate": c.StartDate, "endDate": c.EndDate, "renewalDate": c.RenewalDate,
			"noticeDays": c.NoticeDays, "value": c.Value, "currency": c.Currency, "status": c.Status, "tags": []string{"demo"}})
		for _, t := range demoAssignments[c.Key] {
			as = append(as, map[string]any{"id": c.Key + "-" + t, "contractId": c.Key, "trackerId": t, "key": c.Key, "weight": 1})
		}
	}
	doc["contracts"], doc["assignments"], doc["agreements"] = cs, as, demoAgreements()
	raw, err := json.Marshal(doc) // JSON is YAML
	if err != nil {
		return false, err
	}
	if _, err := r.Import(ctx, raw, "covenant-demo", false); err != nil {
		return false, err
	}
	return true, nil
}
