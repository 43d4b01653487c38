//go:build integration

package integration

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/covenant/contracts/pkg/store"
)

func resourcePath(uid, p string) string { return "/api/datasources/uid/" + uid + "/resources/" + p }

// ledgerVerify is GET /ledger/verify as c: whether every chain holds, and how many there are.
func ledgerVerify(t *testing.T, c *client, uid string) (bool, int) {
	t.Helper()
	var v struct {
		OK         bool `json:"ok"`
		Agreements []struct {
			AgreementID string `json:"agreementId"`
			OK          bool   `json:"ok"`
			Reason      string `json:"reason"`
		} `json:"agreements"`
	}
	c.must(http.StatusOK, http.MethodGet, resourcePath(uid, "ledger/verify"), nil).decode(t, &v)
	return v.OK, len(v.Agreements)
}

// exportRegistry is GET /registry/export as c, read back from YAML, with its ledger.
func exportRegistry(t *testing.T, c *client, uid string) (map[string]any, []store.LedgerEntry) {
	t.Helper()
	r := c.must(http.StatusOK, http.MethodGet, resourcePath(uid, "registry/export"), nil)
	raw, err := yaml.YAMLToJSON(r.body)
	if err != nil {
		t.Fatal(err)
	}
	doc := map[string]any{}
	var ledger struct {
		Ledger []store.LedgerEntry `json:"ledger"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil || json.Unmarshal(raw, &ledger) != nil {
		t.Fatalf("the export is not a registry document: %v", err)
	}
	return doc, ledger.Ledger
}

// TestEditorCannotForgeTheLedger: an Editor exports the registry and imports it
// back with a forged restatement (full compliance, no cost, the real close's
// digest, correctly chained) through the real Grafana: the import is refused
// with 400 naming the entry's digest, on a dry run too, and nothing changes;
// GET /ledger/verify holds before and after; a legitimate export → import
// round trip into another datasource restores the ledger, which verifies there.
func TestEditorCannotForgeTheLedger(t *testing.T) {
	editor, viewer := newUser(t, "Editor"), newUser(t, "Viewer")
	// Reading the ledger closes the demo agreements' ended periods.
	editor.must(http.StatusOK, http.MethodGet, resourcePath(datasourceUID, "ledger"), nil)
	if ok, n := ledgerVerify(t, viewer, datasourceUID); !ok || n == 0 {
		t.Fatalf("before: verify ok=%v over %d agreements", ok, n)
	}
	doc, entries := exportRegistry(t, editor, datasourceUID)
	if len(entries) == 0 {
		t.Fatal("the demo ledger is empty")
	}
	// The forged restatement of the first agreement's last close that stands alone in its
	// period, chained after the agreement's last entry.
	perPeriod := map[string]int{}
	for _, e := range entries {
		perPeriod[e.AgreementID+e.PeriodStart.String()]++
	}
	var last, tip store.LedgerEntry
	for _, e := range entries {
		if e.AgreementID != entries[0].AgreementID {
			continue
		}
		tip = e
		if perPeriod[e.AgreementID+e.PeriodStart.String()] == 1 {
			last = e
		}
	}
	forged := last
	forged.Seq, forged.Kind, forged.Position = 2, store.LedgerRestatement, tip.Position+1
	var snap map[string]any
	if err := json.Unmarshal(last.Snapshot, &snap); err != nil {
		t.Fatal(err)
	}
	result := snap["result"].(map[string]any)
	result["compliance"], result["impactCost"], result["status"] = 100, 0, "compliant"
	forged.Snapshot, _ = json.Marshal(snap)
	forged.Hash = store.ChainHash(tip.Hash, forged)
	// The forged entry goes right after its agreement's chain.
	var withForgery []store.LedgerEntry
	field := ""
	for _, e := range entries {
		withForgery = append(withForgery, e)
		if e.AgreementID == tip.AgreementID && e.Position == tip.Position {
			field = fmt.Sprintf("ledger[%d].digest", len(withForgery))
			withForgery = append(withForgery, forged)
		}
	}
	doc["ledger"] = withForgery
	for _, path := range []string{"registry/import?dryRun=true", "registry/import"} {
		var e struct {
			Error string `json:"error"`
			Field string `json:"field"`
		}
		editor.must(http.StatusBadRequest, http.MethodPost, resourcePath(datasourceUID, path), doc).decode(t, &e)
		if e.Field != field {
			t.Fatalf("%s: the error names %q, want %q: %s", path, e.Field, field, e.Error)
		}
	}
	if ok, _ := ledgerVerify(t, viewer, datasourceUID); !ok {
		t.Fatal("after the refused import the ledger does not verify")
	}
	if _, after := exportRegistry(t, editor, datasourceUID); len(after) < len(entries) {
		t.Fatalf("%d entries after the refused import, %d before", len(after), len(entries))
	}

	// A legitimate round trip: the export imports into a new datasource with its ledger.
	uid := fmt.Sprintf("covenant-copy-%d", time.Now().UnixNano())
	admin(t).must(http.StatusOK, http.MethodPost, "/api/datasources", map[string]any{
		"name": uid, "uid": uid, "type": "covenant-kpi-datasource", "access": "proxy", "jsonData": map[string]any{},
	})
	t.Cleanup(func() { admin(t).do(http.MethodDelete, "/api/datasources/uid/"+uid, nil) })
	doc["ledger"] = entries
	var report struct {
		LedgerAdded int `json:"ledgerAdded"`
	}
	editor.must(http.StatusOK, http.MethodPost, resourcePath(uid, "registry/import"), doc).decode(t, &report)
	if report.LedgerAdded != len(entries) {
		t.Fatalf("the round trip restored %d of %d entries", report.LedgerAdded, len(entries))
	}
	if ok, n := ledgerVerify(t, viewer, uid); !ok || n == 0 {
		t.Fatalf("the copy: verify ok=%v over %d agreements", ok, n)
	}
	var audit struct {
		Entries []struct {
			Actor  string `json:"actor"`
			Action string `json:"action"`
		} `json:"entries"`
	}
	viewer.must(http.StatusOK, http.MethodGet, resourcePath(uid, "registry/import/audit"), nil).decode(t, &audit)
	// The new datasource's demo seed is an import too (by covenant-demo); the Editor's comes last.
	if n := len(audit.Entries); n == 0 || !strings.EqualFold(audit.Entries[n-1].Actor, editor.user) || audit.Entries[n-1].Action != "import" {
		t.Fatalf("the import's audit: %+v", audit.Entries)
	}
}
