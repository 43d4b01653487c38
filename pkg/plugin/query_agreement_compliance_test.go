package plugin

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/connector"
	"github.com/covenant/contracts/pkg/engine/enginetest"
)

// sqlCount runs a COUNT(*) (or any single number) on the demo data.
func sqlCount(t *testing.T, db *connector.DemoDB, sql string, from, to time.Time) float64 {
	t.Helper()
	f, err := db.Query(context.Background(), sql, from, to, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := f.Fields[0].ConcreteAt(0)
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	t.Fatalf("not a number: %v", v)
	return 0
}

// agreementDatasource is a registry with Acme's availability (daily, ≥ 99.5) and
// responses within 60 minutes (a ratio on tickets with a status column), and an
// agreement over them: availability by time slices (weight 3), responses by requests (weight 1).
func agreementDatasource(t *testing.T) *Datasource {
	d := registryDatasource(t)
	for _, c := range enginetest.AgreementRegistry {
		mustCall(t, d, http.StatusCreated, "Admin", http.MethodPost, "registry/"+c.Kind, c.Body)
	}
	return d
}

// February 2026 (closed when the demo data ends on 15 March) computed by the
// engine equals the same counts done in SQL on the demo rows.
func TestAgreementComplianceMatchesSQL(t *testing.T) {
	db := setupDemo(t)
	pinNow(t, demoEnd)
	d := agreementDatasource(t)
	ctx := context.Background()
	snap, err := d.registry.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	g := snap.Agreements["acme"][0]
	feb := compliance.Period{Start: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	mar := compliance.Period{Start: feb.End, End: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	a, err := d.engine.LoadAgreement(ctx, snap, g, feb.Start, mar.End, demoEnd)
	if err != nil {
		t.Fatal(err)
	}
	r := a.Evaluate(feb, demoEnd)
	metDays := sqlCount(t, db, `SELECT COUNT(*) FROM (SELECT time / 86400 AS day, AVG(uptime_pct) AS a FROM uptime
		WHERE contract = 'acme-it' AND $__timeFilter(time) GROUP BY day) WHERE a >= 99.5`, feb.Start, feb.End)
	met := sqlCount(t, db, `SELECT COUNT(*) FROM tickets WHERE contract = 'acme-it' AND $__timeFilter(time) AND status <> 'in_progress' AND response_minutes <= 60`, feb.Start, feb.End)
	missed := sqlCount(t, db, `SELECT COUNT(*) FROM tickets WHERE contract = 'acme-it' AND $__timeFilter(time) AND status <> 'in_progress' AND response_minutes > 60`, feb.Start, feb.End)
	avail, resp := r.Trackers[0], r.Trackers[1]
	if avail.Met != int(metDays) || avail.Evaluated() != 28 || resp.Met != int(met) || resp.Missed != int(missed) {
		t.Fatalf("engine: availability %d/%d, responses %d met %d missed; SQL: %v/28 days, %v met, %v missed",
			avail.Met, avail.Evaluated(), resp.Met, resp.Missed, metDays, met, missed)
	}
	want := (3*metDays/28*100 + 1*met/(met+missed)*100) / 4
	// Stated at 2 decimals (half up); the unrounded figure is kept beside it.
	if math.Abs(float64(r.ComplianceUnrounded)-want) > 1e-9 || float64(r.Compliance) != math.Floor(want*100+0.5)/100 || !r.Closed {
		t.Fatalf("compliance %v (unrounded %v), want %v (closed %v)", r.Compliance, r.ComplianceUnrounded, want, r.Closed)
	}
	if r.ImpactCost != 200*float64(28-int(metDays)+int(missed)) {
		t.Fatalf("impact cost %v", r.ImpactCost)
	}
	wantStatus, wantAmount := compliance.Compliant, 0.0
	if want < 90 {
		wantStatus, wantAmount = compliance.Breached, -50000 // 5 % of 1.8 M is 90,000: capped
	}
	if r.Status != wantStatus || float64(r.PenaltyReward) != wantAmount {
		t.Fatalf("status %s, penalty/reward %v; want %s, %v", r.Status, r.PenaltyReward, wantStatus, wantAmount)
	}

	// March is open on 15 March 12:30: tickets still in progress past their 60 minutes are at risk.
	t.Logf("Feb: availability %d/%d, responses %d/%d, compliance %.3f status %s penalty %v impact %v", avail.Met, avail.Evaluated(), resp.Met, resp.Evaluated(), r.Compliance, r.Status, r.PenaltyReward, r.ImpactCost)
	rm := a.Evaluate(mar, demoEnd)
	t.Logf("Mar: compliance %.3f projected %.3f best %.3f run-rate %.1f status %s at risk %d in progress %d", rm.Compliance, rm.Projected, rm.Best, rm.RequiredRunRate, rm.Status, rm.AtRiskRequests, rm.Trackers[1].InProgress)
	atRisk := sqlCount(t, db, `SELECT COUNT(*) FROM tickets WHERE contract = 'acme-it' AND $__timeFilter(time) AND status = 'in_progress'`,
		mar.Start, demoEnd.Add(-60*time.Minute))
	if rm.Closed || rm.AtRiskRequests != int(atRisk) || rm.Trackers[0].Remaining != 17 {
		t.Fatalf("March: closed %v, at risk %d (SQL %v), remaining days %v", rm.Closed, rm.AtRiskRequests, atRisk, rm.Trackers[0].Remaining)
	}
	if atRisk == 0 {
		t.Fatal("the demo data should have tickets in progress past their goal: the test checks nothing")
	}
}

// Through Grafana's query path: a frame per agreement with the figures, labels
// for alert rules, and a milestone series.
func TestAgreementComplianceQuery(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	d := agreementDatasource(t)
	run := func(body string) backend.DataResponse {
		q := backend.DataQuery{RefID: "A", QueryType: "agreementCompliance", JSON: json.RawMessage(body),
			TimeRange: backend.TimeRange{From: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), To: demoEnd}}
		resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: pluginCtx("Viewer"), Queries: []backend.DataQuery{q}})
		if err != nil {
			t.Fatal(err)
		}
		return resp.Responses["A"]
	}
	r := run(`{"contract":"acme"}`)
	if r.Error != nil || len(r.Frames) != 2 {
		t.Fatalf("%v, %d frames", r.Error, len(r.Frames))
	}
	f := r.Frames[0]
	names := []string{}
	for _, fl := range f.Fields {
		names = append(names, fl.Name)
	}
	if strings.Join(names, ",") != "time,compliance,projected,target,required_run_rate,status,impact_cost,penalty_reward,at_risk_requests" {
		t.Fatalf("fields %v", names)
	}
	if l := f.Fields[1].Labels; l["agreementId"] != "sla" || l["contract"] != "acme" || l["counterparty"] != "Acme Corp" {
		t.Fatalf("labels %v", l)
	}
	// Feb 1 … Mar 1 (29 checkpoints: the start and each day's end), then Mar 1 … 15 March 12:30.
	if f.Rows() != 29+16 {
		t.Fatalf("rows %d", f.Rows())
	}
	last := f.Meta.Custom.(map[string]any)["result"].(compliance.Result)
	if last.Closed || !last.Period.Start.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) || last.AtRiskRequests == 0 {
		t.Fatalf("latest result %+v", last)
	}
	m := r.Frames[1]
	if m.Fields[1].Labels["milestone"] != "Late requests" {
		t.Fatalf("milestone frame %v", m.Fields[1].Labels)
	}
	if v, _ := m.Fields[1].ConcreteAt(m.Rows() - 1); v != 1.0 {
		t.Fatalf("the milestone should hold now: %v", v)
	}
	for body, want := range map[string]string{
		`{}`:                      "contract: is empty",
		`{"contract":"nope"}`:     `there is no contract "nope"`,
		`{"agreement":"missing"}`: `there is no agreement "missing"`,
	} {
		if r := run(body); r.Error == nil || !strings.Contains(r.Error.Error(), want) {
			t.Errorf("%s: %v, want %q", body, r.Error, want)
		}
	}
	if r := run(`{"contract":"*"}`); r.Error != nil || len(r.Frames) != 2 {
		t.Fatalf("every contract: %v", r.Error)
	}
}

// Bad definitions are refused when saved, naming the field.
func TestAgreementValidation(t *testing.T) {
	setupDemo(t)
	d := agreementDatasource(t)
	for body, want := range map[string]string{
		`{"name":"x","contractId":"acme","period":{"kind":"month"},"complianceTarget":90,"trackers":[]}`:                                                                                                               `"field":"trackers"`,
		`{"name":"x","contractId":"acme","period":{"kind":"month"},"complianceTarget":90,"trackers":[{"assignmentId":"a-avail","weight":0}]}`:                                                                          `"field":"trackers[0].weight"`,
		`{"name":"x","contractId":"acme","period":{"kind":"custom","from":"2026-06-01","to":"2026-01-01"},"complianceTarget":90,"trackers":[{"assignmentId":"a-avail","weight":1}]}`:                                   `"field":"period.to"`,
		`{"name":"x","contractId":"acme","period":{"kind":"month"},"complianceTarget":90,"trackers":[{"assignmentId":"a-avail","weight":1}],"bands":[{"from":0,"to":90,"amount":-1},{"from":91,"to":100,"amount":0}]}`: `"field":"bands[1].from"`,
		`{"name":"x","contractId":"acme","period":{"kind":"month"},"complianceTarget":90,"trackers":[{"assignmentId":"a-avail","weight":1}],"bands":[{"from":0,"to":95,"amount":-1},{"from":90,"to":100,"amount":0}]}`: `leaves an overlap`,
		`{"name":"x","contractId":"acme","period":{"kind":"month"},"complianceTarget":90,"trackers":[{"assignmentId":"a-avail","weight":1,"mode":"occurrence"}]}`:                                                      `"field":"trackers[0].mode"`,
		`{"name":"x","contractId":"acme","period":{"kind":"month"},"complianceTarget":90,"trackers":[{"assignmentId":"a-avail","weight":1}],"milestones":[{"name":"m","condition":"uptime < 3"}]}`:                     `"field":"milestones[0].condition"`,
	} {
		r := callResourceBody(t, d, "Admin", http.MethodPost, "registry/agreements", body)
		if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), want) {
			t.Errorf("%s: %d %s, want %s", body, r.status, r.body, want)
		}
	}
}
