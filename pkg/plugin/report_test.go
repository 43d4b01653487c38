package plugin

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/engine"
	"github.com/covenant/contracts/pkg/report"
	"github.com/covenant/contracts/pkg/store"
)

// The report's sections hold the figures the agreements and trackers give for its period.
func TestContractReport(t *testing.T) {
	db := setupDemo(t)
	pinNow(t, demoEnd)
	d := agreementDatasource(t)
	ctx := context.Background()
	body := mustCall(t, d, http.StatusOK, "Viewer", http.MethodGet, "report?contractId=acme&from=2026-01-01&to=2026-04-01", "")
	raw, _ := json.Marshal(body)
	var r report.Report
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	// 1. Overview.
	if r.Contract.Name != "Acme IT" || r.Contract.Value != 1800000 {
		t.Fatalf("overview %+v", r.Contract)
	}
	// 2. Obligations: availability's closed days of the quarter so far, counted in SQL too.
	q1 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	today := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)
	metDays := sqlCount(t, db, `SELECT COUNT(*) FROM (SELECT time / 86400 AS day, AVG(uptime_pct) AS a FROM uptime
		WHERE contract = 'acme-it' AND $__timeFilter(time) GROUP BY day) WHERE a >= 99.5`, q1, today)
	avail := r.Obligations[0]
	if avail.Tracker != "Availability" || avail.Met != int(metDays) || avail.Met+avail.Missed != 73 || avail.Status == "no_data" {
		t.Fatalf("availability: %+v (SQL: %v met of 73 days)", avail, metDays)
	}
	// 3 and 4. The agreement's month that holds the report's end (March, open): a live evaluation.
	snap, _ := d.registry.Snapshot(ctx)
	mar := compliance.Period{Start: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	a, _ := d.engine.LoadAgreement(ctx, snap, snap.Agreements["acme"][0], mar.Start, mar.End, demoEnd)
	want := a.Evaluate(mar, demoEnd)
	// The quarter's three months: January and February as the ledger closed them, March live.
	entries, _ := d.registry.Store.Ledger(ctx, store.LedgerFilter{AgreementID: "sla"})
	closed := engine.LatestClosed(entries)["sla"]
	ledgerOf := func(start time.Time) compliance.Result {
		for _, c := range closed {
			if c.Period.Start.Equal(start) {
				return c
			}
		}
		t.Fatalf("no ledger entry for %v", start)
		return compliance.Result{}
	}
	months := r.Financial.Agreements
	if len(months) != 3 {
		t.Fatalf("financial: %d periods, want the quarter's 3 months", len(months))
	}
	jan, feb := ledgerOf(q1), ledgerOf(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC))
	got := months[2]
	if !months[0].Final || !months[1].Final || months[0].Result.Compliance != jan.Compliance || months[1].Result.Compliance != feb.Compliance {
		t.Fatalf("January and February: %+v, ledger %v and %v", months[:2], jan.Compliance, feb.Compliance)
	}
	if got.Final || math.Abs(float64(got.Result.Compliance)-float64(want.Compliance)) > 1e-9 {
		t.Fatalf("March: %+v, want compliance %v", got, want.Compliance)
	}
	if sum := jan.ImpactCost + feb.ImpactCost + want.ImpactCost; math.Abs(r.Financial.ImpactCost-sum) > 1e-9 || sum == 0 {
		t.Fatalf("impact cost %v, want the months' sum %v", r.Financial.ImpactCost, sum)
	}
	var penalties float64
	for _, res := range []compliance.Result{jan, feb, want} {
		if !res.PenaltyReward.IsNaN() && res.PenaltyReward < 0 {
			penalties += float64(res.PenaltyReward)
		}
	}
	if math.Abs(r.Financial.Penalties-penalties) > 1e-9 {
		t.Fatalf("penalties %v, want %v", r.Financial.Penalties, penalties)
	}
	if r.Financial.ValueAtStake != 3*50000 { // 5 % of 1.8 M, capped at 50,000, in each month
		t.Fatalf("value at stake %v", r.Financial.ValueAtStake)
	}
	if r.Risk.AtRiskRequests != want.AtRiskRequests || want.AtRiskRequests == 0 {
		t.Fatalf("at-risk requests %d, want %d", r.Risk.AtRiskRequests, want.AtRiskRequests)
	}
	// 5. Issues: the at-risk milestone fired in the quarter and still holds.
	if len(r.Issues) == 0 || r.Issues[0].Milestone != "Late requests" || !r.Issues[0].Active || r.Issues[0].First.Before(q1) {
		t.Fatalf("issues %+v", r.Issues)
	}
	// 6. Renewal: judged on the last four closed months in the ledger.
	last4 := closed[len(closed)-4:]
	if r.Renewal.Signal != compliance.RenewalSignal(last4) || len(r.Renewal.Evidence) != 4 || !r.Renewal.Evidence[3].Period.Start.Equal(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("renewal %s from %d periods", r.Renewal.Signal, len(r.Renewal.Evidence))
	}

	// A closed quarter: the agreement's last month is read from the ledger, as frozen.
	past := mustCall(t, d, http.StatusOK, "Viewer", http.MethodGet, "report?contractId=acme&from=2025-10-01&to=2026-01-01", "")
	raw, _ = json.Marshal(past)
	var pr report.Report
	_ = json.Unmarshal(raw, &pr)
	if len(pr.Financial.Agreements) != 3 {
		t.Fatalf("Q4: %d periods", len(pr.Financial.Agreements))
	}
	dec := pr.Financial.Agreements[2]
	var ledgerDec compliance.Result
	for _, c := range closed {
		if c.Period.Start.Equal(time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)) {
			ledgerDec = c
		}
	}
	if !dec.Final || math.Abs(float64(dec.Result.Compliance)-float64(ledgerDec.Compliance)) > 1e-9 {
		t.Fatalf("December: %+v, ledger %v", dec, ledgerDec.Compliance)
	}

	// Each obligation's trend is its series' trend over the report's period, as the report's charts
	// show it, not that of the buckets after the period.
	series := runQuery(t, d, "trackerSeries", `{"contract":"acme"}`, pr.From, pr.To)
	if series.Error != nil || len(series.Frames) != len(pr.Obligations) {
		t.Fatalf("series %v: %d frames for %d obligations", series.Error, len(series.Frames), len(pr.Obligations))
	}
	for i, o := range pr.Obligations {
		trend := series.Frames[i].Meta.Custom.(map[string]any)["trend"].(map[string]any)["direction"]
		if o.Trend != trend || o.Trend == "" {
			t.Errorf("%s: the report says %q, the series over the period %q", o.Tracker, o.Trend, trend)
		}
	}

	for path, want := range map[string]int{
		"report?contractId=nope&from=2026-01-01&to=2026-04-01": http.StatusNotFound,
		"report?contractId=acme&from=2026-04-01&to=2026-01-01": http.StatusBadRequest,
		"report?contractId=acme&from=soon&to=2026-01-01":       http.StatusBadRequest,
	} {
		if r := callResourceBody(t, d, "Viewer", http.MethodGet, path, ""); r.status != want {
			t.Errorf("%s: %d %s", path, r.status, r.body)
		}
	}
}
