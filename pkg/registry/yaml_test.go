package registry

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/store"
)

// registryYAML is a registry as code, its lists in no particular order: the
// import creates each kind before the kinds that refer to it. The contract has
// no status and the assignment no weight: their defaults (draft, 1) are filled.
const registryYAML = `apiVersion: covenant/v1
kind: Registry
agreements:
  - id: sla
    name: Service levels
    contractId: acme
    period: {kind: month, timezone: UTC}
    complianceTarget: 90
    trackers:
      - {assignmentId: acme-avail, weight: 3}
      - {assignmentId: acme-resp, weight: 1, mode: occurrence}
assignments:
  - {id: acme-avail, contractId: acme, trackerId: availability, key: acme-it}
  - {id: acme-resp, contractId: acme, trackerId: within-60, key: acme-it}
trackers:
  - id: availability
    name: Availability
    kpiId: uptime
    method: avg
    interval: 1d
    timezone: UTC
    target: {constant: 99.5}
    tolerance: {value: 0.2}
  - id: within-60
    name: Responses within 60 min
    kpiId: response
    method: ratio
    condition: {op: "<=", threshold: 60}
    interval: 1d
    target: {constant: 80}
kpis:
  - id: uptime
    name: Uptime
    unit: percent
    direction: higher_is_better
    rawSql: SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key
  - id: response
    name: First response
    unit: m
    direction: lower_is_better
    rawSql: SELECT time, response_minutes AS value, status FROM tickets WHERE $__timeFilter(time) AND contract = $__key
contracts:
  - {id: acme, name: Acme IT, counterparty: Acme Corp, value: 1000}
`

// registryChanges are the creates of registryYAML, in the order the import makes them.
var registryChanges = []string{
	"create contract acme",
	"create kpi uptime", "create kpi response",
	"create tracker availability", "create tracker within-60",
	"create assignment acme-avail", "create assignment acme-resp",
	"create agreement sla",
}

func changes(rep ImportReport) []string {
	out := []string{}
	for _, c := range rep.Changes {
		out = append(out, c.Action+" "+c.Kind+" "+c.ID)
	}
	return out
}

// counts is how many objects of each kind the store holds.
func counts(t *testing.T, r *Registry) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, k := range Kinds {
		p, err := r.List(context.Background(), k, store.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		out[k.Plural] = p.Total
	}
	return out
}

// importAudit is the registry's import entries in the audit trail.
func importAudit(t *testing.T, r *Registry) []store.AuditEntry {
	t.Helper()
	a, err := r.Store.Audit(context.Background(), "registry", "import")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// A dry run reports the plan and stores nothing: no object, no audit entry, the
// generation as it was, and the store still unused (the demo would still seed it).
func TestImportDryRun(t *testing.T) {
	r, _ := newRegistry(t)
	ctx := context.Background()
	rep, err := r.Import(ctx, []byte(registryYAML), "admin", true)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.DryRun || strings.Join(changes(rep), "; ") != strings.Join(registryChanges, "; ") || rep.Unchanged != 0 || rep.LedgerAdded != 0 {
		t.Fatalf("dry run report: %+v", rep)
	}
	for plural, n := range counts(t, r) {
		if n != 0 {
			t.Fatalf("a dry run stored %d %s", n, plural)
		}
	}
	used, err := r.Store.Used(ctx)
	if err != nil || used {
		t.Fatalf("after a dry run the store is used: %v %v", used, err)
	}
	if g := generation(t, r); g != 0 {
		t.Fatalf("generation %d after a dry run, want 0", g)
	}
	if a := importAudit(t, r); len(a) != 0 {
		t.Fatalf("a dry run was audited: %+v", a)
	}
}

// A real import stores every object, fills defaults, and audits itself with its counts.
func TestImportCreates(t *testing.T) {
	r, _ := newRegistry(t)
	ctx := context.Background()
	rep, err := r.Import(ctx, []byte(registryYAML), "admin", false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.DryRun || strings.Join(changes(rep), "; ") != strings.Join(registryChanges, "; ") {
		t.Fatalf("import report: %+v", rep)
	}
	want := map[string]int{"contracts": 1, "kpis": 2, "trackers": 2, "assignments": 2, "agreements": 1}
	for plural, n := range counts(t, r) {
		if n != want[plural] {
			t.Fatalf("%d %s stored, want %d", n, plural, want[plural])
		}
	}
	c, err := r.Find(ctx, kind(t, "contracts"), "acme")
	if err != nil {
		t.Fatal(err)
	}
	if c := c.(*models.Contract); c.Status != "draft" || c.Version != 1 || c.CreatedBy != "admin" {
		t.Fatalf("imported contract: status %q version %d by %q", c.Status, c.Version, c.CreatedBy)
	}
	a, _ := r.Find(ctx, kind(t, "assignments"), "acme-avail")
	if w := a.(*models.Assignment).Weight; w != 1 {
		t.Fatalf("assignment weight %v, want the default 1", w)
	}
	g, _ := r.Find(ctx, kind(t, "agreements"), "sla")
	if ts := g.(*models.Agreement).Trackers; len(ts) != 2 || ts[1].Mode != "occurrence" || ts[0].Weight != 3 {
		t.Fatalf("imported agreement trackers %+v", ts)
	}
	audit := importAudit(t, r)
	if len(audit) != 1 || audit[0].Actor != "admin" || audit[0].Action != "import" {
		t.Fatalf("import audit %+v", audit)
	}
	var n map[string]int
	if err := json.Unmarshal([]byte(audit[0].Changes), &n); err != nil || n["created"] != 8 || n["updated"] != 0 || n["unchanged"] != 0 {
		t.Fatalf("audited counts %s (%v)", audit[0].Changes, err)
	}
}

// The same document again changes nothing (defaults filled on import compare
// equal to the stored ones); one changed field is one update, with its diff,
// shown by a dry run first and made by the import.
func TestImportUpdates(t *testing.T) {
	r, _ := newRegistry(t)
	ctx := context.Background()
	if _, err := r.Import(ctx, []byte(registryYAML), "admin", false); err != nil {
		t.Fatal(err)
	}
	gen := generation(t, r)
	again, err := r.Import(ctx, []byte(registryYAML), "admin", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Changes) != 0 || again.Unchanged != len(registryChanges) {
		t.Fatalf("a second import of the same document: %+v", again)
	}
	// Only the import's own audit entry is new: no object got a version.
	if g := generation(t, r); g != gen+1 {
		t.Fatalf("generation %d after an unchanged import, want %d (the import's audit entry)", g, gen+1)
	}
	c, _ := r.Find(ctx, kind(t, "contracts"), "acme")
	if c.GetMeta().Version != 1 {
		t.Fatalf("an unchanged import bumped the contract to version %d", c.GetMeta().Version)
	}

	changed := strings.Replace(registryYAML, "target: {constant: 99.5}", "target: {constant: 99.9}", 1)
	for _, dry := range []bool{true, false} {
		rep, err := r.Import(ctx, []byte(changed), "editor", dry)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Changes) != 1 || rep.Unchanged != len(registryChanges)-1 {
			t.Fatalf("dry run %v: %+v", dry, rep)
		}
		ch := rep.Changes[0]
		var diff map[string]map[string]any
		if err := json.Unmarshal([]byte(ch.Changes), &diff); err != nil {
			t.Fatal(err)
		}
		old, _ := diff["target"]["old"].(map[string]any)
		niu, _ := diff["target"]["new"].(map[string]any)
		if ch.Action != "update" || ch.Kind != "tracker" || ch.ID != "availability" || len(diff) != 1 || old["constant"] != 99.5 || niu["constant"] != 99.9 {
			t.Fatalf("dry run %v: change %+v", dry, ch)
		}
		tr, _ := r.Find(ctx, kind(t, "trackers"), "availability")
		wantVersion, wantTarget := int64(1), 99.5
		if !dry {
			wantVersion, wantTarget = 2, 99.9
		}
		if x := tr.(*models.Tracker); x.Version != wantVersion || x.Target.Constant == nil || *x.Target.Constant != wantTarget || (!dry && x.UpdatedBy != "editor") {
			t.Fatalf("dry run %v: tracker at version %d, target %v, updated by %q", dry, x.Version, x.Target.Constant, x.UpdatedBy)
		}
	}
}

// An import lands whole or not at all: one bad object, after good ones, leaves the store untouched.
func TestImportIsAtomic(t *testing.T) {
	r, _ := newRegistry(t)
	ctx := context.Background()
	bad := strings.Replace(registryYAML, "kpiId: response", "kpiId: ghost", 1)
	rep, err := r.Import(ctx, []byte(bad), "admin", false)
	fieldError(t, err, "trackers[1].kpiId", `there is no kpi "ghost"`)
	if len(rep.Changes) != 0 {
		t.Fatalf("a failed import reports changes: %+v", rep)
	}
	for plural, n := range counts(t, r) {
		if n != 0 {
			t.Fatalf("a failed import stored %d %s", n, plural)
		}
	}
	if g := generation(t, r); g != 0 {
		t.Fatalf("generation %d after a failed import", g)
	}
}

// The document is checked as a whole and object by object; errors name the path.
func TestImportErrors(t *testing.T) {
	r, _ := newRegistry(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, doc, field, msg string
	}{
		{"other apiVersion", "apiVersion: covenant/v2\nkind: Registry\n", "apiVersion", `it has "covenant/v2" and "Registry"`},
		{"unknown list", "apiVersion: covenant/v1\nkind: Registry\nwidgets: []\n", "widgets", "is not a list of the registry"},
		{"not a list", "apiVersion: covenant/v1\nkind: Registry\ncontracts: {id: acme}\n", "contracts", "must be a list"},
		{"no id", "apiVersion: covenant/v1\nkind: Registry\ncontracts:\n  - {name: Acme, counterparty: Acme Corp}\n", "contracts[0].id", "is empty"},
		{"bad id", "apiVersion: covenant/v1\nkind: Registry\ncontracts:\n  - {id: Acme IT, name: Acme, counterparty: Acme Corp}\n", "contracts[0].id", `"Acme IT" is not an id`},
		{"unknown field", "apiVersion: covenant/v1\nkind: Registry\ncontracts:\n  - {id: acme, name: Acme, counterparty: Acme Corp, colour: red}\n", "contracts[0].colour", "is not a field of a contract"},
		{"invalid object", "apiVersion: covenant/v1\nkind: Registry\ncontracts:\n  - {id: acme, name: Acme, counterparty: Acme Corp, currency: euro}\n", "contracts[0].currency", "is not an ISO 4217 code"},
		{"incomplete ledger entry", "apiVersion: covenant/v1\nkind: Registry\nledger:\n  - {agreementId: sla}\n", "ledger[0]", "is incomplete"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.Import(ctx, []byte(tc.doc), "admin", false)
			fieldError(t, err, tc.field, tc.msg)
		})
	}
	for _, doc := range []string{"contracts: [unclosed", "- a list\n- not a mapping\n"} {
		if _, err := r.Import(ctx, []byte(doc), "admin", false); !errors.Is(err, models.ErrInvalidInput) {
			t.Errorf("%q: %v, want an invalid-query error", doc, err)
		}
	}
	if g := generation(t, r); g != 0 {
		t.Fatalf("refused imports changed the store: generation %d", g)
	}
}

// Audit fields in a document (an object copied from the API) are ignored, not refused.
func TestImportIgnoresMetaFields(t *testing.T) {
	r, _ := newRegistry(t)
	doc := "apiVersion: covenant/v1\nkind: Registry\ncontracts:\n  - {id: acme, version: 7, createdAt: '2020-01-01T00:00:00Z', createdBy: someone, name: Acme, counterparty: Acme Corp}\n"
	if _, err := r.Import(context.Background(), []byte(doc), "admin", false); err != nil {
		t.Fatal(err)
	}
	c, _ := r.Find(context.Background(), kind(t, "contracts"), "acme")
	if m := c.GetMeta(); m.Version != 1 || m.CreatedBy != "admin" || m.CreatedAt.Year() == 2020 {
		t.Fatalf("meta %+v: the document's audit fields were kept", m)
	}
}

// An export imported into an empty store gives the same export; imported
// back into its own store it changes nothing.
func TestExportImportRoundTrip(t *testing.T) {
	a, _ := newRegistry(t)
	ctx := context.Background()
	if _, err := a.Import(ctx, []byte(registryYAML), "admin", false); err != nil {
		t.Fatal(err)
	}
	out, err := a.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"apiVersion: covenant/v1", "kind: Registry", "ledger: []", "id: sla"} {
		if !strings.Contains(string(out), s) {
			t.Fatalf("export lacks %q:\n%s", s, out)
		}
	}
	for _, s := range []string{"version:", "createdAt:", "updatedBy:"} {
		if strings.Contains(string(out), s) {
			t.Fatalf("export holds the audit field %q:\n%s", s, out)
		}
	}
	b, _ := newRegistry(t)
	rep, err := b.Import(ctx, out, "other", false)
	if err != nil {
		t.Fatal(err)
	}
	got := changes(rep)
	want := append([]string(nil), registryChanges...)
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Fatalf("importing the export: %v, want %v", got, want)
	}
	again, err := b.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(out) {
		t.Fatalf("the export of the copy differs:\n%s\n---\n%s", out, again)
	}
	back, err := a.Import(ctx, out, "admin", false)
	if err != nil || len(back.Changes) != 0 || back.Unchanged != len(registryChanges) {
		t.Fatalf("re-importing the export: %+v %v", back, err)
	}
}
