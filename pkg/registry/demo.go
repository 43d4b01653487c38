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
		"rawSql":      "SELECT time, response_minutes AS value FROM tickets WHERE $__timeFilter(time) AND contract = $__key"},
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
	doc["contracts"], doc["assignments"] = cs, as
	raw, err := json.Marshal(doc) // JSON is YAML
	if err != nil {
		return false, err
	}
	if _, err := r.Import(ctx, raw, "covenant-demo", false); err != nil {
		return false, err
	}
	return true, nil
}
