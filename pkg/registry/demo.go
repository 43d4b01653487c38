package registry

import (
	"context"
	"encoding/json"
	"time"

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

// demoBusinessKPIs are the KPIs measured on the demo's business-hours calendar.
var demoBusinessKPIs = []map[string]any{
	{"id": "first-response-business", "name": "First response (business hours)", "unit": "m", "direction": "lower_is_better", "connector": "demo",
		"description":  "Business minutes from a ticket's opening to the first response, on UK business hours",
		"businessTime": map[string]any{"calendarId": demoCalendarID, "unit": "m"},
		"rawSql":       `SELECT time, time + CAST(response_minutes * 60 AS INTEGER) AS "end", status FROM tickets WHERE $__timeFilter(time) AND contract = $__key`},
}

// demoBusinessTrackers follow the demo's business-hours calendar.
var demoBusinessTrackers = []map[string]any{
	{"id": "business-hours-availability", "name": "Availability in business hours", "kpiId": "uptime", "method": "avg", "interval": "1d",
		"timezone": "Europe/London", "target": map[string]any{"constant": 99.9}, "tolerance": map[string]any{"value": 0.2},
		"calendarId": demoCalendarID, "workingTimeOnly": true},
	{"id": "responses-within-1-business-hour", "name": "Responses within 1 business hour", "kpiId": "first-response-business", "method": "ratio",
		"condition": map[string]any{"op": "<=", "threshold": 60}, "interval": "1w", "timezone": "Europe/London",
		"target": map[string]any{"constant": 80}, "tolerance": map[string]any{"value": 5, "percent": true}, "calendarId": demoCalendarID},
}

// demoCalendarID is the demo's service calendar: UK business hours.
const demoCalendarID = "uk-business-hours"

// ukBankHolidays are the bank holidays of England and Wales, 2025–2027 (and
// the substitute day for New Year 2028).
var ukBankHolidays = [][2]string{
	{"2025-01-01", "New Year's Day"}, {"2025-04-18", "Good Friday"}, {"2025-04-21", "Easter Monday"}, {"2025-05-05", "Early May bank holiday"},
	{"2025-05-26", "Spring bank holiday"}, {"2025-08-25", "Summer bank holiday"}, {"2025-12-25", "Christmas Day"}, {"2025-12-26", "Boxing Day"},
	{"2026-01-01", "New Year's Day"}, {"2026-04-03", "Good Friday"}, {"2026-04-06", "Easter Monday"}, {"2026-05-04", "Early May bank holiday"},
	{"2026-05-25", "Spring bank holiday"}, {"2026-08-31", "Summer bank holiday"}, {"2026-12-25", "Christmas Day"}, {"2026-12-28", "Boxing Day (substitute day)"},
	{"2027-01-01", "New Year's Day"}, {"2027-03-26", "Good Friday"}, {"2027-03-29", "Easter Monday"}, {"2027-05-03", "Early May bank holiday"},
	{"2027-05-31", "Spring bank holiday"}, {"2027-08-30", "Summer bank holiday"}, {"2027-12-27", "Christmas Day (substitute day)"},
	{"2027-12-28", "Boxing Day (substitute day)"}, {"2028-01-03", "New Year's Day (substitute day)"},
}

// demoCalendar is UK business hours, Mon–Fri 08:00–18:00 Europe/London, with
// the bank holidays of England and Wales and one announced maintenance
// window: 09:00–11:00 on the Tuesday two weeks before the demo data ends, so
// that it lies in the charts a fresh install shows.
func demoCalendar(end time.Time) map[string]any {
	london, _ := time.LoadLocation("Europe/London")
	day := end.In(london).AddDate(0, 0, -14)
	for day.Weekday() != time.Tuesday {
		day = day.AddDate(0, 0, -1)
	}
	y, m, d := day.Date()
	var hours, holidays []any
	for _, wd := range []string{"mon", "tue", "wed", "thu", "fri"} {
		hours = append(hours, map[string]any{"day": wd, "from": "08:00", "to": "18:00"})
	}
	for _, h := range ukBankHolidays {
		holidays = append(holidays, map[string]any{"date": h[0], "name": h[1]})
	}
	return map[string]any{"id": demoCalendarID, "name": "UK business hours", "timezone": "Europe/London",
		"description": "Mon–Fri 08:00–18:00 in London, without the bank holidays of England and Wales",
		"hours":       hours, "holidays": holidays,
		"exclusions": []any{map[string]any{"from": time.Date(y, m, d, 9, 0, 0, 0, london).Format(time.RFC3339), "to": time.Date(y, m, d, 11, 0, 0, 0, london).Format(time.RFC3339),
			"reason": "maintenance", "note": "Announced platform upgrade"}},
	}
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
	"initech-cloud":    {"daily-availability", "p90-first-response", "monthly-invoice-accuracy", "business-hours-availability", "responses-within-1-business-hour"},
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
	doc := map[string]any{"apiVersion": APIVersion, "kind": "Registry", "calendars": []any{demoCalendar(db.To)},
		"kpis": append(append([]map[string]any{}, demoKPIs...), demoBusinessKPIs...), "trackers": append(append([]map[string]any{}, demoTrackers...), demoBusinessTrackers...)}
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
