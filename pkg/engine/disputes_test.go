package engine

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/ledger"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
	"github.com/covenant/contracts/pkg/store"
)

// periodEntries are agreement sla's ledger entries of the period starting start.
func periodEntries(t *testing.T, e *Engine, start time.Time) []store.LedgerEntry {
	t.Helper()
	all, err := e.Registry.Store.Ledger(context.Background(), store.LedgerFilter{AgreementID: "sla"})
	if err != nil {
		t.Fatal(err)
	}
	var out []store.LedgerEntry
	for _, en := range all {
		if en.PeriodStart.Equal(start) {
			out = append(out, en)
		}
	}
	return out
}

// fieldErr asserts err is a field error on field whose message holds msg.
func fieldErr(t *testing.T, what string, err error, field, msg string) {
	t.Helper()
	var fe *models.FieldError
	if !errors.As(err, &fe) || fe.Field != field || !strings.Contains(fe.Msg, msg) {
		t.Fatalf("%s: got %v, want %s: …%s…", what, err, field, msg)
	}
}

// A closed period's lifecycle on the ledger: February 2026 is signed off (a
// second sign-off and a dispute are refused); January is disputed with two
// missed availability days, a resolution that names another dispute is refused, and
// the dispute is resolved by a restatement that excludes the two days. The
// restated compliance is computed by hand from the counts, the chain still
// verifies, the evaluator's next run adds nothing (it applies the agreed
// exclusions too), and the ledger imports as it is but not once changed.
func TestDisputeLifecycle(t *testing.T) {
	e, snap := closedEngine(t)
	ctx := context.Background()
	dana := ledger.User{Login: "dana", Name: "Dana Whitfield"}
	now := demoEnd.Add(time.Hour)
	act := func(period, kind string, req ActRequest) ([]store.LedgerEntry, error) {
		return e.Act(ctx, snap, "sla", period, kind, req, dana, now)
	}

	// February: signed off, then nothing more.
	if _, err := act("2026-02-01", store.LedgerSignOff, ActRequest{Comment: "Agreed at the monthly review"}); err != nil {
		t.Fatal(err)
	}
	_, err := act("2026-02-01", store.LedgerSignOff, ActRequest{})
	fieldErr(t, "a second sign-off", err, "period", "already signed off")
	var refused *Refusal
	if !errors.As(err, &refused) {
		t.Fatalf("a second sign-off is refused: %v", err)
	}
	_, err = act("2026-02-01", store.LedgerDispute, ActRequest{Comment: "late", Items: []ledger.Item{{Assignment: "a-avail", Reason: "x"}}})
	fieldErr(t, "a dispute after sign-off", err, "period", "already signed off")
	signed := periodEntries(t, e, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC))
	if lc, err := ledger.PeriodLifecycle(signed); err != nil || lc.State != ledger.StateSignedOff || signed[len(signed)-1].Actor != "dana" {
		t.Fatalf("February: %+v, %v", lc, err)
	}

	// January: two days it missed on availability are disputed.
	janStart := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	jan := periodEntries(t, e, janStart)
	var closeSnap ledger.Snapshot
	if err := json.Unmarshal(jan[0].Snapshot, &closeSnap); err != nil {
		t.Fatal(err)
	}
	before := closeSnap.Result
	avail := before.Trackers[0]
	var missed []time.Time
	for _, b := range closeSnap.Inputs.Trackers[0].Buckets {
		if !math.IsNaN(b.Actual) && b.Actual < 99.5-0.2 && len(missed) < 2 { // red days
			missed = append(missed, time.Unix(b.Start, 0).UTC())
		}
	}
	if len(missed) != 2 || avail.Missed < 2 {
		t.Fatalf("January's red availability days %v (missed %d): the demo data changed", missed, avail.Missed)
	}
	items := []ledger.Item{{Assignment: "a-avail", Bucket: &missed[0], Reason: "customer_caused", Note: "Customer's firewall change"},
		{Assignment: "a-avail", Bucket: &missed[1], Reason: "maintenance", Note: "Announced upgrade"}}

	for _, tc := range []struct {
		req        ActRequest
		field, msg string
	}{
		{ActRequest{Items: items}, "comment", "is empty"},
		{ActRequest{Comment: "x"}, "items", "is empty"},
		{ActRequest{Comment: "x", Items: []ledger.Item{{Assignment: "nope", Reason: "r"}}}, "items[0].assignmentId", "not a tracker this agreement covers"},
		{ActRequest{Comment: "x", Items: []ledger.Item{{Assignment: "a-avail", Bucket: &now, Reason: "r"}}}, "items[0].bucket", "not the start of one of the tracker's buckets"},
		{ActRequest{Comment: "x", Items: []ledger.Item{{Assignment: "a-resp", Bucket: &missed[0], Reason: "r"}}}, "items[0].bucket", "counts requests"},
		{ActRequest{Comment: "x", Items: []ledger.Item{{Assignment: "a-avail", Reason: " "}}}, "items[0].reason", "is empty"},
	} {
		_, err := act("2026-01-01", store.LedgerDispute, tc.req)
		fieldErr(t, "dispute "+tc.field, err, tc.field, tc.msg)
	}
	_, err = act("2026-01-01", store.LedgerResolution, ActRequest{Comment: "x", Dispute: 1, Outcome: ledger.Upheld})
	fieldErr(t, "a resolution without a dispute", err, "period", "no open dispute")
	_, err = act("2026-01-02", store.LedgerDispute, ActRequest{Comment: "x", Items: items})
	fieldErr(t, "not a period's first day", err, "period", "starts on 2026-01-01")

	disputed, err := act("2026-01-01", store.LedgerDispute, ActRequest{Comment: "Two outages were not ours", Items: items})
	if err != nil || len(disputed) != 1 || disputed[0].Kind != store.LedgerDispute || disputed[0].Digest != jan[len(jan)-1].Digest {
		t.Fatalf("dispute: %+v, %v", disputed, err)
	}
	_, err = act("2026-01-01", store.LedgerSignOff, ActRequest{})
	fieldErr(t, "a sign-off under dispute", err, "period", "open dispute")
	_, err = act("2026-01-01", store.LedgerResolution, ActRequest{Comment: "x", Dispute: disputed[0].Seq + 5, Outcome: ledger.Upheld})
	fieldErr(t, "another dispute's resolution", err, "dispute", "open dispute is entry")
	_, err = act("2026-01-01", store.LedgerResolution, ActRequest{Comment: "x", Dispute: disputed[0].Seq, Outcome: "maybe"})
	fieldErr(t, "an unknown outcome", err, "outcome", "not an outcome")
	_, err = act("2026-01-01", store.LedgerResolution, ActRequest{Comment: "x", Dispute: disputed[0].Seq, Outcome: ledger.Restated,
		Exclusions: []ledger.Item{{Assignment: "a-avail", Bucket: &missed[0], Reason: "duplicate"}}})
	fieldErr(t, "an exclusion without a calendar reason", err, "exclusions[0].reason", "not a reason for an exclusion")

	resolved, err := act("2026-01-01", store.LedgerResolution, ActRequest{Comment: "Both agreed at the review of 10 March", Dispute: disputed[0].Seq,
		Outcome: ledger.Restated, Exclusions: items})
	if err != nil || len(resolved) != 2 || resolved[0].Kind != store.LedgerRestatement || resolved[1].Kind != store.LedgerResolution {
		t.Fatalf("resolution: %+v, %v", resolved, err)
	}
	var restated ledger.Snapshot
	var resolution ledger.Act
	if err := json.Unmarshal(resolved[0].Snapshot, &restated); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(resolved[1].Snapshot, &resolution); err != nil {
		t.Fatal(err)
	}
	// By hand: the two excluded days were missed, so availability keeps its
	// met days over two fewer evaluated ones; the requests are unchanged; the
	// agreement weighs them 3 : 1.
	availAfter := float64(avail.Met) / float64(avail.Evaluated()-2) * 100
	resp := before.Trackers[1]
	respPct := float64(resp.Met) / float64(resp.Evaluated()) * 100
	want := (3*availAfter + respPct) / 4
	got := restated.Result
	if got.Trackers[0].Met != avail.Met || got.Trackers[0].Missed != avail.Missed-2 || math.Abs(float64(got.ComplianceUnrounded)-want) > 1e-9 ||
		models.CmpDec(float64(got.Compliance), math.Round(want*100)/100) != 0 {
		t.Fatalf("restated: availability %d met / %d missed, compliance %v; want %d / %d, %v",
			got.Trackers[0].Met, got.Trackers[0].Missed, got.ComplianceUnrounded, avail.Met, avail.Missed-2, want)
	}
	if resolution.Before == nil || resolution.After == nil || *resolution.Before.Compliance != float64(before.Compliance) ||
		*resolution.After.Compliance != float64(got.Compliance) || resolution.Result != resolved[0].Seq || resolved[1].Digest != resolved[0].Digest {
		t.Fatalf("resolution: %+v", resolution)
	}
	if got.Trackers[0].Name != "Availability" || len(restated.Inputs.Agreed) != 2 {
		t.Fatalf("restatement: names %q, agreed %v", got.Trackers[0].Name, restated.Inputs.Agreed)
	}
	// The restatement lists the agreed exclusions with the calendars' ones:
	// two whole UTC days, 24 hours each.
	if x := restated.Exclusions; len(x) != 2 || !x[0].Agreed || x[0].Reason != "customer_caused" || x[0].Working != 86400 ||
		x[0].From != missed[0].Format(time.RFC3339) || x[0].To != missed[0].AddDate(0, 0, 1).Format(time.RFC3339) || x[1].Note != "Announced upgrade" {
		t.Fatalf("the restatement's exclusions: %+v", x)
	}
	jan = periodEntries(t, e, janStart)
	if lc, err := ledger.PeriodLifecycle(jan); err != nil || lc.State != ledger.StateResolved || len(lc.Agreed) != 2 {
		t.Fatalf("January: %+v, %v", lc, err)
	}
	_, err = act("2026-01-01", store.LedgerDispute, ActRequest{Comment: "again", Items: items})
	fieldErr(t, "a dispute after the resolution", err, "period", "resolved")

	// Every act is in the agreement's audit trail, as the user who acted.
	trail, err := e.Registry.Store.Audit(ctx, "agreements", "sla")
	if err != nil {
		t.Fatal(err)
	}
	var acts []string
	for _, a := range trail {
		if a.Actor == "dana" {
			acts = append(acts, a.Action)
		}
	}
	if strings.Join(acts, ",") != "signoff,dispute,resolution" {
		t.Fatalf("audited acts %v", acts)
	}

	// The chain holds; the evaluator applies the agreed exclusions, so it
	// finds nothing new to restate.
	chains, err := e.Registry.Store.VerifyLedger(ctx, "sla")
	if err != nil || len(chains) != 1 || !chains[0].OK {
		t.Fatalf("chain: %+v, %v", chains, err)
	}
	if n, err := e.ClosePeriods(ctx, snap, snap.AllAgreements(), demoEnd.Add(2*time.Hour)); err != nil || n != 0 {
		t.Fatalf("the next evaluator run appended %d (%v)", n, err)
	}

	// The ledger imports as exported; a resolution whose exclusions were changed does not.
	chain, err := e.Registry.Store.Ledger(ctx, store.LedgerFilter{AgreementID: "sla", ChainOrder: true})
	if err != nil {
		t.Fatal(err)
	}
	agreements := map[string]string{"sla": "acme"}
	if err := ledger.CheckImport(chain, nil, agreements); err != nil {
		t.Fatalf("import as exported: %v", err)
	}
	forged := append([]store.LedgerEntry(nil), chain...)
	last := forged[len(forged)-1]
	var a ledger.Act
	_ = json.Unmarshal(last.Snapshot, &a)
	a.Exclusions = a.Exclusions[:1]
	last.Snapshot, _ = json.Marshal(a)
	prev := ""
	if len(forged) > 1 {
		prev = forged[len(forged)-2].Hash
	}
	last.Hash = store.ChainHash(prev, last) // re-chained, as a forger would
	forged[len(forged)-1] = last
	err = ledger.CheckImport(forged, nil, agreements)
	if err == nil || !strings.Contains(err.Error(), "snapshot.exclusions") {
		t.Fatalf("a forged resolution: %v", err)
	}
}

// Rows evidence: the digest covers every time, value and open flag, and the
// rows are changed when their actual is not the one at close.
func TestRowsEvidence(t *testing.T) {
	rows := BucketRows{Rows: kpiRows([]int64{1, 2}, []float64{99.5, math.NaN()}), Actual: 99.5}
	same := BucketRows{Rows: kpiRows([]int64{1, 2}, []float64{99.5, math.NaN()}), Actual: 99.5}
	other := BucketRows{Rows: kpiRows([]int64{1, 2}, []float64{99.4, math.NaN()}), Actual: 99.4}
	if rows.Digest() != same.Digest() || rows.Digest() == other.Digest() {
		t.Fatal("the digest does not follow the rows")
	}
	if ev := rows.Evidence(99.5); ev.Changed || ev.Rows != 2 || *ev.Actual != 99.5 {
		t.Fatalf("unchanged: %+v", ev)
	}
	if ev := other.Evidence(99.5); !ev.Changed {
		t.Fatalf("changed since close: %+v", ev)
	}
	if ev := (BucketRows{Actual: math.NaN()}).Evidence(99.5); !ev.Changed || ev.Actual != nil {
		t.Fatalf("rows gone since close: %+v", ev)
	}
}

func kpiRows(times []int64, values []float64) kpi.Rows { return kpi.Rows{Times: times, Values: values} }

// Acts hold no result: after February is signed off and January disputed,
// the latest result of each period is still its close (the portfolio and
// the report read them), and the annotations mark the closes only.
func TestActsAreNotResults(t *testing.T) {
	e, snap := closedEngine(t)
	ctx := context.Background()
	dana := ledger.User{Login: "dana"}
	now := demoEnd.Add(time.Hour)
	if _, err := e.Act(ctx, snap, "sla", "2026-02-01", store.LedgerSignOff, ActRequest{}, dana, now); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Act(ctx, snap, "sla", "2026-01-01", store.LedgerDispute, ActRequest{Comment: "x",
		Items: []ledger.Item{{Assignment: "a-avail", Reason: "late data"}}}, dana, now); err != nil {
		t.Fatal(err)
	}
	all, err := e.Registry.Store.Ledger(ctx, store.LedgerFilter{AgreementID: "sla"})
	if err != nil {
		t.Fatal(err)
	}
	results := 0
	for _, en := range all {
		if ledger.IsResult(en.Kind) {
			results++
		}
	}
	history := LatestClosed(all)["sla"]
	if len(history) != results || len(history) == len(all) {
		t.Fatalf("%d periods' results of %d entries (%d results)", len(history), len(all), results)
	}
	for _, r := range history {
		if r.Status == "" || r.Period.Start.IsZero() {
			t.Fatalf("a period's result is empty: %+v", r)
		}
	}
	q := &models.AnnotationsQuery{Contract: "acme", Kinds: models.AnnotationKinds}
	evs, err := LedgerEvents(snap, all, q, time.Date(2025, 12, 15, 0, 0, 0, 0, time.UTC), demoEnd)
	if err != nil || len(evs) != 3 {
		t.Fatalf("%d events (%v), want the closes of December, January and February: %+v", len(evs), err, evs)
	}
	for _, ev := range evs {
		if ev.Kind != models.AnnotationCloses {
			t.Fatalf("event %+v", ev)
		}
	}
}

// closedEngine is agreementEngine with every ended period closed, and its registry snapshot.
func closedEngine(t *testing.T) (*Engine, *registry.Snapshot) {
	t.Helper()
	e := agreementEngine(t)
	ctx := context.Background()
	if _, err := e.CloseAll(ctx); err != nil {
		t.Fatal(err)
	}
	snap, err := e.Registry.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return e, snap
}
