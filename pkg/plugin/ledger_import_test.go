package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/ledger"
	"github.com/covenant/contracts/pkg/store"
)

// closedLedger is the agreement datasource with its ended months closed and
// three of them restated (a corrected target), and its registry export.
func closedLedger(t *testing.T) (*Datasource, map[string]any) {
	t.Helper()
	setupDemo(t)
	pinNow(t, demoEnd)
	d := agreementDatasource(t)
	ctx := context.Background()
	snap, _ := d.registry.Snapshot(ctx)
	if _, err := d.engine.ClosePeriods(ctx, snap, snap.AllAgreements(), demoEnd); err != nil {
		t.Fatal(err)
	}
	mustCall(t, d, http.StatusOK, "Admin", http.MethodPut, "registry/trackers/availability",
		`{"id":"availability","version":1,"name":"Availability","kpiId":"uptime","method":"avg","interval":"1d","timezone":"UTC","target":{"constant":99.95},"tolerance":{"value":0.2}}`)
	snap, _ = d.registry.Snapshot(ctx)
	if n, err := d.engine.ClosePeriods(ctx, snap, snap.AllAgreements(), demoEnd); err != nil || n != 3 {
		t.Fatalf("restatements %d (%v)", n, err)
	}
	return d, exportDoc(t, d)
}

// exportDoc is GET /registry/export, read back from YAML.
func exportDoc(t *testing.T, d *Datasource) map[string]any {
	t.Helper()
	r := callResourceBody(t, d, "Viewer", http.MethodGet, "registry/export", "")
	raw, err := yaml.YAMLToJSON(r.body)
	if err != nil || r.status != http.StatusOK {
		t.Fatalf("export: %d %v", r.status, err)
	}
	doc := map[string]any{}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// docLedger and withLedger read and replace a document's ledger as store entries.
func docLedger(t *testing.T, doc map[string]any) []store.LedgerEntry {
	t.Helper()
	raw, _ := json.Marshal(doc["ledger"])
	var out []store.LedgerEntry
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func withLedger(t *testing.T, doc map[string]any, entries []store.LedgerEntry) string {
	t.Helper()
	cp := map[string]any{}
	for k, v := range doc {
		cp[k] = v
	}
	cp["ledger"] = entries
	raw, err := json.Marshal(cp)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// rechain recomputes every hash of entries (in chain order per agreement), as a forger would.
func rechain(entries []store.LedgerEntry) {
	prev := map[string]string{}
	for i := range entries {
		e := &entries[i]
		e.Hash = store.ChainHash(prev[e.AgreementID], *e)
		prev[e.AgreementID] = e.Hash
	}
}

// verifyOK fails unless GET /ledger/verify says every chain holds.
func verifyOK(t *testing.T, d *Datasource) {
	t.Helper()
	v := mustCall(t, d, http.StatusOK, "Viewer", http.MethodGet, "ledger/verify", "")
	if v["ok"] != true || len(v["agreements"].([]any)) == 0 {
		t.Fatalf("verify: %v", v)
	}
}

// An export imports into an empty registry with its whole ledger (every entry
// checked), verifies there, and the import is in the audit trail.
func TestLedgerExportImportRoundTrip(t *testing.T) {
	src, doc := closedLedger(t)
	verifyOK(t, src)
	entries := docLedger(t, doc)
	if len(entries) != 27 {
		t.Fatalf("%d entries exported", len(entries))
	}
	dst := registryDatasource(t)
	raw := withLedger(t, doc, entries)
	dry := mustCall(t, dst, http.StatusOK, "Editor", http.MethodPost, "registry/import?dryRun=true", raw)
	if dry["ledgerAdded"] != 27.0 {
		t.Fatalf("dry run: %v", dry)
	}
	got := mustCall(t, dst, http.StatusOK, "Editor", http.MethodPost, "registry/import", raw)
	if got["ledgerAdded"] != 27.0 {
		t.Fatalf("import: %v", got)
	}
	verifyOK(t, dst)
	again := mustCall(t, dst, http.StatusOK, "Editor", http.MethodPost, "registry/import", raw)
	if again["ledgerAdded"] != 0.0 {
		t.Fatalf("a second import added %v", again["ledgerAdded"])
	}
	audit := mustCall(t, dst, http.StatusOK, "Viewer", http.MethodGet, "registry/import/audit", "")
	trail := audit["entries"].([]any)
	first := trail[0].(map[string]any)
	if len(trail) != 2 || first["actor"] != "u-Editor" || first["action"] != "import" || !strings.Contains(first["changes"].(string), `"ledgerAdded":27`) {
		t.Fatalf("the imports' audit: %v", trail)
	}
}

// snapshotOf and setSnapshot read and write an entry's snapshot.
func snapshotOf(t *testing.T, e store.LedgerEntry) ledger.Snapshot {
	t.Helper()
	var s ledger.Snapshot
	if err := json.Unmarshal(e.Snapshot, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func setSnapshot(t *testing.T, e *store.LedgerEntry, s ledger.Snapshot) {
	t.Helper()
	raw, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	e.Snapshot = raw
}

// forgeRestatement appends to entries a restatement of the close at index i
// that reports full compliance and no cost, changed by change, rechained.
func forgeRestatement(t *testing.T, entries []store.LedgerEntry, i int, change func(e *store.LedgerEntry, s *ledger.Snapshot)) []store.LedgerEntry {
	f := entries[i]
	f.Seq, f.Kind, f.Position = 2, store.LedgerRestatement, len(entries)+1
	s := snapshotOf(t, f)
	s.Result.Compliance, s.Result.ImpactCost, s.Result.Missed, s.Result.Status = 100, 0, 0, compliance.Compliant
	change(&f, &s)
	setSnapshot(t, &f, s)
	out := append(append([]store.LedgerEntry{}, entries...), f)
	rechain(out)
	return out
}

// Each forged or broken ledger is refused as a whole, naming the entry's field,
// on a dry run too; the stored ledger is left as it was and still verifies.
func TestLedgerImportRefusesForgeries(t *testing.T) {
	src, doc := closedLedger(t)
	entries := docLedger(t, doc)
	june := -1 // a month with only its close
	for i, e := range entries {
		if e.PeriodStart.Format("2006-01") == "2025-06" {
			june = i
		}
	}
	for _, c := range []struct {
		name, field string
		forge       func() []store.LedgerEntry
	}{
		{"restatement with the close's digest", "ledger[27].digest", func() []store.LedgerEntry {
			return forgeRestatement(t, entries, june, func(*store.LedgerEntry, *ledger.Snapshot) {})
		}},
		{"restatement without inputs", "ledger[27].snapshot.inputs", func() []store.LedgerEntry {
			return forgeRestatement(t, entries, june, func(e *store.LedgerEntry, s *ledger.Snapshot) {
				s.Inputs, e.Digest = nil, strings.Repeat("ab", 32)
			})
		}},
		{"restatement whose result its inputs do not give", "ledger[27].snapshot.result.compliance", func() []store.LedgerEntry {
			return forgeRestatement(t, entries, june, func(e *store.LedgerEntry, s *ledger.Snapshot) {
				s.Inputs.Trackers[0].Buckets[0].Actual = 12.5
				e.Digest = s.Inputs.Digest()
			})
		}},
		{"entry of an agreement not in the registry", "ledger[27].agreementId", func() []store.LedgerEntry {
			f := entries[june]
			f.AgreementID, f.Position = "nope", 1
			out := append(append([]store.LedgerEntry{}, entries...), f)
			rechain(out)
			return out
		}},
		{"reordered entries", "ledger[3].position", func() []store.LedgerEntry {
			out := append([]store.LedgerEntry{}, entries...)
			out[3], out[4] = out[4], out[3]
			return out
		}},
		{"edited snapshot", "ledger[5].hash", func() []store.LedgerEntry {
			out := append([]store.LedgerEntry{}, entries...)
			s := snapshotOf(t, out[5])
			s.Result.Compliance = 100
			setSnapshot(t, &out[5], s)
			return out
		}},
		{"a chain the stored one is not a prefix of", "ledger[0].hash", func() []store.LedgerEntry {
			out := append([]store.LedgerEntry{}, entries...)
			out[0].Actor = "someone"
			rechain(out)
			return out
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := withLedger(t, doc, c.forge())
			for _, path := range []string{"registry/import?dryRun=true", "registry/import"} {
				r := callResourceBody(t, src, "Editor", http.MethodPost, path, body)
				var e apiError
				_ = json.Unmarshal(r.body, &e)
				if r.status != http.StatusBadRequest || e.Field != c.field {
					t.Fatalf("%s: %d %s, want 400 naming %s", path, r.status, r.body, c.field)
				}
			}
			verifyOK(t, src)
			if got := docLedger(t, exportDoc(t, src)); len(got) != len(entries) {
				t.Fatalf("%d entries after a refused import", len(got))
			}
		})
	}
}
