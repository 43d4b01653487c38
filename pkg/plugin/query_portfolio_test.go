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
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/engine"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/store"
)

func runQuery(t *testing.T, d *Datasource, queryType, body string, from, to time.Time) backend.DataResponse {
	t.Helper()
	q := backend.DataQuery{RefID: "A", QueryType: queryType, JSON: json.RawMessage(body), TimeRange: backend.TimeRange{From: from, To: to}}
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: pluginCtx("Viewer"), Queries: []backend.DataQuery{q}})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Responses["A"]
}

// The scorecard's compliance this period is the agreement's, tracker by tracker.
func TestContractScorecard(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	d := agreementDatasource(t)
	r := runQuery(t, d, "contractScorecard", `{"contract":"acme"}`, demoEnd.AddDate(0, 0, -30), demoEnd)
	if r.Error != nil || len(r.Frames) != 1 || r.Frames[0].Rows() != 2 {
		t.Fatalf("%v", r.Error)
	}
	f := r.Frames[0]
	ctx := context.Background()
	snap, _ := d.registry.Snapshot(ctx)
	mar := compliance.Period{Start: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	a, err := d.engine.LoadAgreement(ctx, snap, snap.Agreements["acme"][0], mar.Start, mar.End, demoEnd)
	if err != nil {
		t.Fatal(err)
	}
	res := a.Evaluate(mar, demoEnd)
	want := res.Trackers[0] // availability, by time slices
	// Responses within 60 minutes, by requests (the old scorecard counted its 14 closed days: 9/14 = 64.29 %).
	for i := 0; i < f.Rows(); i++ {
		if name, _ := f.Fields[0].ConcreteAt(i); name == "Responses within 60 min" {
			got, _ := f.Fields[9].ConcreteAt(i)
			if resp := res.Trackers[1]; resp.Mode != compliance.Occurrence || math.Abs(got.(float64)-float64(resp.Compliance)) > 1e-9 {
				t.Fatalf("responses this period: %v, the agreement says %v (%s)", got, resp.Compliance, resp.Mode)
			}
		}
	}
	for i := 0; i < f.Rows(); i++ {
		if name, _ := f.Fields[0].ConcreteAt(i); name != "Availability" {
			continue
		}
		got, _ := f.Fields[9].ConcreteAt(i)
		if math.Abs(got.(float64)-float64(want.Compliance)) > 1e-9 {
			t.Fatalf("availability this period: %v, the agreement says %v", got, want.Compliance)
		}
		if agreement, _ := f.Fields[11].ConcreteAt(i); agreement != "Service levels" {
			t.Fatalf("agreement %v", agreement)
		}
		rag, _ := f.Fields[6].ConcreteAt(i)
		if rag == nil {
			t.Fatal("no RAG for the latest bucket")
		}
		return
	}
	t.Fatal("no Availability row")
}

// demoRegistryDatasource is a datasource whose fresh store the demo registry
// seeds: the demo contracts, trackers, assignments and agreements.
func demoRegistryDatasource(t *testing.T) *Datasource {
	t.Helper()
	d := newTestDatasource(t, `{"storePath":"`+t.TempDir()+`"}`)
	t.Cleanup(d.Dispose)
	if d.registryErr != nil {
		t.Fatal(d.registryErr)
	}
	return d
}

// The scorecard's compliance this period counts each tracker the way its
// agreement does. The demo agreement "Service levels" counts "Responses within
// 60 min" by requests: in March 2026 (Europe/London, which is UTC until the
// 29th) up to the demo's end, 15 March 12:30, Acme's resolved tickets are 347,
// 271 of them answered within 60 minutes → 271/347 = 78.10 %. The old
// scorecard counted the tracker's weekly buckets instead (the one closed week
// of March, missed: 0 %). The daily availability is counted
// by buckets, as its agreement does, and the invoice accuracy, in no
// agreement, by buckets too.
func TestRegressionScorecardCountsRequestsAsTheAgreement(t *testing.T) {
	db := setupDemo(t)
	pinNow(t, demoEnd)
	d := demoRegistryDatasource(t)
	r := runQuery(t, d, "contractScorecard", `{"contract":"acme-it"}`, demoEnd.AddDate(0, 0, -30), demoEnd)
	if r.Error != nil || len(r.Frames) != 1 {
		t.Fatalf("%v", r.Error)
	}
	f := r.Frames[0]
	field := func(name string) *data.Field {
		fl, _ := f.FieldByName(name)
		if fl == nil {
			t.Fatalf("no field %q", name)
		}
		return fl
	}
	rows := map[string]int{}
	for i := 0; i < f.Rows(); i++ {
		name, _ := field("tracker").ConcreteAt(i)
		rows[name.(string)] = i
	}
	cell := func(tracker, name string) any {
		i, ok := rows[tracker]
		if !ok {
			t.Fatalf("no row %q in %v", tracker, rows)
		}
		v, _ := field(name).ConcreteAt(i)
		return v
	}
	march := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) // midnight in London too
	const tickets = `SELECT COUNT(*) FROM tickets WHERE contract = 'acme-it' AND $__timeFilter(time)
		AND status <> 'in_progress' AND response_minutes IS NOT NULL`
	resolved := sqlCount(t, db, tickets, march, demoEnd)
	met := sqlCount(t, db, tickets+" AND response_minutes <= 60", march, demoEnd)
	if met != 271 || resolved != 347 {
		t.Fatalf("the demo data changed: %v of %v tickets met; update the worked figures above", met, resolved)
	}
	got := cell("Responses within 60 min", "compliance").(float64)
	if math.Abs(got-met/resolved*100) > 1e-9 || models.CmpDec(math.Round(got*100)/100, 78.10) != 0 {
		t.Fatalf("responses within 60 min this period: %v, want %v/%v = 78.10 %%", got, met, resolved)
	}
	if cell("Responses within 60 min", "counted") != "requests" || cell("Responses within 60 min", "agreement") != "Service levels" {
		t.Fatalf("responses: counted %v, agreement %v", cell("Responses within 60 min", "counted"), cell("Responses within 60 min", "agreement"))
	}
	// The agreement's own figure for the tracker is the same.
	ctx := context.Background()
	snap, _ := d.registry.Snapshot(ctx)
	g := snap.Agreements["acme-it"][0]
	p, _ := compliance.PeriodAt(g.Period, demoEnd)
	a, err := d.engine.LoadAgreement(ctx, snap, g, p.Start, p.End, demoEnd)
	if err != nil {
		t.Fatal(err)
	}
	res := a.Evaluate(p, demoEnd)
	if resp := res.Trackers[1]; resp.Mode != compliance.Occurrence || math.Abs(float64(resp.Compliance)-got) > 1e-9 {
		t.Fatalf("the agreement counts %s: %v", resp.Mode, resp.Compliance)
	}
	if avail := res.Trackers[0]; cell("Daily availability", "counted") != "buckets" ||
		math.Abs(cell("Daily availability", "compliance").(float64)-float64(avail.Compliance)) > 1e-9 {
		t.Fatalf("availability: %v by %v, the agreement says %v", cell("Daily availability", "compliance"), cell("Daily availability", "counted"), avail.Compliance)
	}
	if cell("Invoice accuracy", "counted") != "buckets" || cell("Invoice accuracy", "agreement") != "" {
		t.Fatalf("invoice accuracy (in no agreement): counted %v, agreement %v", cell("Invoice accuracy", "counted"), cell("Invoice accuracy", "agreement"))
	}
}

// The portfolio classifies each contract from its agreements this period and
// judges renewal from the ledger's last closed periods.
func TestPortfolio(t *testing.T) {
	d, table, _, cell := portfolioOfAcmeAndIdle(t)
	// Acme: classification from this month's result; renewal from the last 4 closed months in the ledger.
	ctx := context.Background()
	snap, _ := d.registry.Snapshot(ctx)
	mar := compliance.Period{Start: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	a, _ := d.engine.LoadAgreement(ctx, snap, snap.Agreements["acme"][0], mar.Start, mar.End, demoEnd)
	current := a.Evaluate(mar, demoEnd)
	if cell("acme", 4) != compliance.Classify([]compliance.Result{current}, 95) {
		t.Fatalf("acme classified %v, status %s compliance %v", cell("acme", 4), current.Status, current.Compliance)
	}
	entries, _ := d.registry.Store.Ledger(ctx, store.LedgerFilter{AgreementID: "sla"})
	last := engine.LatestClosed(entries)["sla"]
	if len(last) < 4 || cell("acme", 9) != compliance.RenewalSignal(last[len(last)-4:]) {
		t.Fatalf("acme renewal signal %v from %d closed periods", cell("acme", 9), len(last))
	}
	// 30 June minus 90 days is 1 April: the window opens 90 days before, so it is open on 15 March.
	if nb := cell("acme", 8).(time.Time); !nb.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)) || cell("acme", 10) != "open" {
		t.Fatalf("acme notice by %v, window %v", nb, cell("acme", 10))
	}
	if cell("idle", 4) != compliance.ClassUnmeasured || cell("idle", 9) != compliance.SignalUnknown {
		t.Fatalf("idle: %v %v", cell("idle", 4), cell("idle", 9))
	}
	if r := runQuery(t, d, "portfolio", `{"historyPeriods":99}`, demoEnd.AddDate(0, -1, 0), demoEnd); r.Error == nil {
		t.Fatal("99 periods accepted")
	}
	if table.Rows() != 2 {
		t.Fatalf("%d rows", table.Rows())
	}
}

// portfolioOfAcmeAndIdle is the portfolio at the demo's end of two active
// contracts: Acme (agreementDatasource's) and Idle (no agreement); its frames
// and a cell of the table by contract and field index.
func portfolioOfAcmeAndIdle(t *testing.T) (*Datasource, *data.Frame, *data.Frame, func(id string, field int) any) {
	t.Helper()
	setupDemo(t)
	pinNow(t, demoEnd)
	d := agreementDatasource(t)
	mustCall(t, d, http.StatusCreated, "Admin", http.MethodPost, "registry/contracts",
		`{"id":"idle","name":"Idle","counterparty":"Nobody","status":"active","renewalDate":"2026-05-01","noticeDays":30}`)
	mustCall(t, d, http.StatusOK, "Admin", http.MethodPut, "registry/contracts/acme",
		`{"id":"acme","version":1,"name":"Acme IT","counterparty":"Acme Corp","value":1800000,"currency":"EUR","status":"active","renewalDate":"2026-06-30","noticeDays":90}`)
	r := runQuery(t, d, "portfolio", `{}`, demoEnd.AddDate(0, -1, 0), demoEnd)
	if r.Error != nil || len(r.Frames) != 2 {
		t.Fatalf("%v", r.Error)
	}
	table, summary := r.Frames[0], r.Frames[1]
	rows := map[string]int{}
	for i := 0; i < table.Rows(); i++ {
		id, _ := table.Fields[0].ConcreteAt(i)
		rows[id.(string)] = i
	}
	cell := func(id string, field int) any {
		i, ok := rows[id]
		if !ok {
			t.Fatalf("no contract %q", id)
		}
		v, _ := table.Fields[field].ConcreteAt(i)
		return v
	}
	return d, table, summary, cell
}

// The contract compliance rate divides by the active contracts, not by the
// measured ones. Acme (partial: compliance below 95 %, no breach) and Idle (active, no
// agreement: unmeasured) are the two active contracts; 1 is non-compliant:
// (2 − 1) / 2 × 100 = 50 %, with 1 unmeasured shown beside it. The old rate
// divided by the 1 measured contract: (1 − 1) / 1 = 0 %.
func TestRegressionContractComplianceRateOverActiveContracts(t *testing.T) {
	_, table, summary, cell := portfolioOfAcmeAndIdle(t)
	if cell("acme", 4) != compliance.ClassPartial || cell("idle", 4) != compliance.ClassUnmeasured {
		t.Fatalf("acme is %v, idle %v: the worked example expects partial and unmeasured", cell("acme", 4), cell("idle", 4))
	}
	get := func(name string) any {
		f, _ := summary.FieldByName(name)
		if f == nil {
			t.Fatalf("no summary field %q", name)
		}
		v, _ := f.ConcreteAt(0)
		return v
	}
	if rate := get("contract_compliance_rate"); rate != 50.0 {
		t.Fatalf("contract compliance rate %v, want (2 − 1) / 2 = 50 %%", rate)
	}
	if get("active") != int64(2) || get("non_compliant") != int64(1) ||
		get("measured") != int64(1) || get("unmeasured") != int64(1) {
		t.Fatalf("rate %v: active %v, measured %v, unmeasured %v, non-compliant %v", get("contract_compliance_rate"),
			get("active"), get("measured"), get("unmeasured"), get("non_compliant"))
	}
	if m := table.Meta.Custom.(map[string]any); m["contractComplianceRate"] != 50.0 || m["unmeasured"] != 1 {
		t.Fatalf("meta %v", m)
	}
}

// For alert rules: one figure per frame, so each tracker or agreement is one series with its labels.
func TestFieldsForAlertRules(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	d := agreementDatasource(t)
	from := demoEnd.AddDate(0, 0, -10)
	r := runQuery(t, d, "trackerSeries", `{"contract":"*","fields":["rag"]}`, from, demoEnd)
	if r.Error != nil || len(r.Frames) != 2 {
		t.Fatalf("%v, %d frames", r.Error, len(r.Frames))
	}
	for _, f := range r.Frames {
		if len(f.Fields) != 2 || f.Fields[1].Name != "rag" || f.Fields[1].Labels["contract"] != "acme" || f.Meta.Type != data.FrameTypeTimeSeriesMulti {
			t.Fatalf("frame %s: %d fields, labels %v", f.Name, len(f.Fields), f.Fields[1].Labels)
		}
	}
	a := runQuery(t, d, "agreementCompliance", `{"contract":"*","fields":["status"]}`, from, demoEnd)
	if a.Error != nil || len(a.Frames) != 1 || len(a.Frames[0].Fields) != 2 || a.Frames[0].Fields[1].Labels["agreementId"] != "sla" {
		t.Fatalf("%v, %d frames", a.Error, len(a.Frames))
	}
	if bad := runQuery(t, d, "trackerSeries", `{"contract":"acme","fields":["colour"]}`, from, demoEnd); bad.Error == nil ||
		!strings.Contains(bad.Error.Error(), `fields: "colour" is not a figure of these frames: use some of actual, target`) {
		t.Fatalf("unknown field: %v", bad.Error)
	}
}
