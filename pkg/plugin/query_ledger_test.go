package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/covenant/contracts/pkg/store"
)

// The evaluator closes every ended month once; a recomputation with a corrected
// target is appended as a restatement for the months still in the restatement
// window, never an overwrite; the ledger query and GET /ledger read it.
func TestLedgerClosesAndRestates(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	d := agreementDatasource(t)
	ctx := context.Background()
	snap, err := d.registry.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n, err := d.engine.ClosePeriods(ctx, snap, snap.AllAgreements(), demoEnd)
	if err != nil {
		t.Fatal(err)
	}
	// Lookback of two years from 15 March 2026: March 2024 … February 2026.
	if n != 24 {
		t.Fatalf("closed %d periods, want 24", n)
	}
	if n, err := d.engine.ClosePeriods(ctx, snap, snap.AllAgreements(), demoEnd); err != nil || n != 0 {
		t.Fatalf("a second run appended %d (%v)", n, err)
	}

	// The target is corrected: December, January and February (ended within 90 days) are restated.
	mustCall(t, d, http.StatusOK, "Admin", http.MethodPut, "registry/trackers/availability",
		`{"id":"availability","version":1,"name":"Availability","kpiId":"uptime","method":"avg","interval":"1d","timezone":"UTC","target":{"constant":99.95},"tolerance":{"value":0.2}}`)
	snap, _ = d.registry.Snapshot(ctx)
	if n, err := d.engine.ClosePeriods(ctx, snap, snap.AllAgreements(), demoEnd); err != nil || n != 3 {
		t.Fatalf("restatements %d (%v), want 3", n, err)
	}

	q := backend.DataQuery{RefID: "A", QueryType: "ledger", JSON: json.RawMessage(`{"contract":"acme"}`)}
	resp, _ := d.QueryData(ctx, &backend.QueryDataRequest{PluginContext: pluginCtx("Viewer"), Queries: []backend.DataQuery{q}})
	r := resp.Responses["A"]
	if r.Error != nil || r.Frames[0].Rows() != 27 {
		t.Fatalf("ledger query: %v, %d rows", r.Error, r.Frames[0].Rows())
	}
	// The second frame says the agreement's hash chain holds, over all 27 entries.
	if chain := r.Frames[1]; chain.Name != "ledger chain" || chain.Rows() != 1 || chain.Fields[1].At(0) != true || chain.Fields[2].At(0) != int64(27) {
		t.Fatalf("ledger chain frame: %v", chain)
	}
	body := mustCall(t, d, http.StatusOK, "Viewer", http.MethodGet, "ledger?agreementId=sla", "")
	entries := body["entries"].([]any)
	var feb []map[string]any
	for _, e := range entries {
		m := e.(map[string]any)
		if strings.HasPrefix(m["periodStart"].(string), "2026-02-01") {
			feb = append(feb, m)
		}
	}
	if len(feb) != 2 || feb[0]["kind"] != "close" || feb[1]["kind"] != "restatement" || feb[0]["digest"] == feb[1]["digest"] {
		t.Fatalf("February: %v", feb)
	}
	first := feb[0]["snapshot"].(map[string]any)
	res := first["result"].(map[string]any)
	versions := first["versions"].(map[string]any)
	if res["status"] == nil || versions["tracker/availability"] != 1.0 || feb[1]["snapshot"].(map[string]any)["versions"].(map[string]any)["tracker/availability"] != 2.0 {
		t.Fatalf("snapshots: %v / %v", first, feb[1]["snapshot"])
	}
	// The close is what it was: the restatement did not change it.
	if res["compliance"].(float64) < 94.4 || res["compliance"].(float64) > 94.5 {
		t.Fatalf("the close's compliance changed: %v", res["compliance"])
	}
	if at, _ := time.Parse(time.RFC3339, feb[0]["computedAt"].(string)); !at.Equal(demoEnd) {
		t.Fatalf("computed at %v", feb[0]["computedAt"])
	}
}

// The ledger travels with the registry's YAML: an import adds the entries the
// other store lacks and never changes one it holds.
func TestLedgerExportImport(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	d := agreementDatasource(t)
	ctx := context.Background()
	if _, err := d.engine.CloseAll(ctx); err != nil {
		t.Fatal(err)
	}
	export := callResourceBody(t, d, "Viewer", http.MethodGet, "registry/export", "")
	if export.status != http.StatusOK || !strings.Contains(string(export.body), "ledger:") || !strings.Contains(string(export.body), "digest:") {
		t.Fatalf("export: %d", export.status)
	}
	other := registryDatasource(t)
	report := mustCall(t, other, http.StatusOK, "Admin", http.MethodPost, "registry/import", string(export.body))
	if report["ledgerAdded"] != 24.0 {
		t.Fatalf("import: %v", report)
	}
	again := mustCall(t, other, http.StatusOK, "Admin", http.MethodPost, "registry/import", string(export.body))
	if again["ledgerAdded"] != 0.0 {
		t.Fatalf("a second import: %v", again)
	}
	mine, _ := d.registry.Store.Ledger(ctx, store.LedgerFilter{})
	theirs, _ := other.registry.Store.Ledger(ctx, store.LedgerFilter{})
	if len(theirs) != len(mine) {
		t.Fatalf("the imported ledger has %d entries, not %d", len(theirs), len(mine))
	}
	for i := range mine {
		var a, b any
		_ = json.Unmarshal(mine[i].Snapshot, &a)
		_ = json.Unmarshal(theirs[i].Snapshot, &b)
		if theirs[i].Digest != mine[i].Digest || !theirs[i].PeriodStart.Equal(mine[i].PeriodStart) || !reflect.DeepEqual(a, b) {
			t.Fatalf("entry %d differs after the round trip", i)
		}
	}
}
