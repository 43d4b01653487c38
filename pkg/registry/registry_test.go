package registry

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/store"
)

// testScope is the datasource the tests' stores belong to.
var testScope = store.Scope{OrgID: 1, DatasourceUID: "registry-test"}

// testConnectors are the connectors of the tests' datasource: the demo one
// and a PostgreSQL one named warehouse.
func testConnectors(name string) (models.ConnectorType, bool) {
	switch name {
	case "", models.DemoConnector:
		return models.ConnectorDemo, true
	case "warehouse":
		return models.ConnectorPostgres, true
	}
	return "", false
}

// newRegistry is a registry on a fresh SQLite store in a temporary folder; it
// returns the store's path too, for a second store on the same file.
func newRegistry(t *testing.T) (*Registry, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "registry.db")
	return openRegistry(t, path), path
}

// openRegistry opens a registry on the SQLite store at path (as another
// plugin process sharing the file would).
func openRegistry(t *testing.T, path string) *Registry {
	t.Helper()
	st, err := store.OpenSQLite(context.Background(), path, testScope)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return &Registry{Store: st, ConnectorType: testConnectors}
}

func kind(t *testing.T, plural string) Kind {
	t.Helper()
	k, ok := KindByPlural(plural)
	if !ok {
		t.Fatalf("no kind %q", plural)
	}
	return k
}

// create decodes body as a plural kind and creates it, returning the error.
func create(t *testing.T, r *Registry, plural, body string) (Entity, error) {
	t.Helper()
	k := kind(t, plural)
	e, err := Decode(k, []byte(body))
	if err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return r.Create(context.Background(), k, e, "tester")
}

func mustCreate(t *testing.T, r *Registry, plural, body string) Entity {
	t.Helper()
	e, err := create(t, r, plural, body)
	if err != nil {
		t.Fatalf("create %s %s: %v", plural, body, err)
	}
	return e
}

// The bodies of a small registry: Acme's contract, an uptime KPI, a daily
// availability tracker (avg) and a responses tracker (ratio), both assigned to Acme.
const (
	acmeContract   = `{"id":"acme","name":"Acme IT","counterparty":"Acme Corp","status":"active","value":1000}`
	globexContract = `{"id":"globex","name":"Globex","counterparty":"Globex Corp","status":"active"}`
	uptimeKPI      = `{"id":"uptime","name":"Uptime","unit":"percent","direction":"higher_is_better","rawSql":"SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key"}`
	responseKPI    = `{"id":"response","name":"First response","unit":"m","direction":"lower_is_better","rawSql":"SELECT time, response_minutes AS value, status FROM tickets WHERE $__timeFilter(time) AND contract = $__key"}`
	availTracker   = `{"id":"availability","name":"Availability","kpiId":"uptime","method":"avg","interval":"1d","timezone":"UTC","target":{"constant":99.5},"tolerance":{"value":0.2}}`
	within60       = `{"id":"within-60","name":"Responses within 60 min","kpiId":"response","method":"ratio","condition":{"op":"<=","threshold":60},"interval":"1d","timezone":"UTC","target":{"constant":80}}`
	acmeAvail      = `{"id":"acme-avail","contractId":"acme","trackerId":"availability","key":"acme-it"}`
	acmeResp       = `{"id":"acme-resp","contractId":"acme","trackerId":"within-60","key":"acme-it"}`
	globexAvail    = `{"id":"globex-avail","contractId":"globex","trackerId":"availability","key":"globex"}`
)

// smallRegistry creates the objects above, each before what refers to it.
func smallRegistry(t *testing.T, r *Registry) {
	t.Helper()
	for _, c := range []struct{ plural, body string }{
		{"contracts", acmeContract}, {"contracts", globexContract},
		{"kpis", uptimeKPI}, {"kpis", responseKPI},
		{"trackers", availTracker}, {"trackers", within60},
		{"assignments", acmeAvail}, {"assignments", acmeResp}, {"assignments", globexAvail},
	} {
		mustCreate(t, r, c.plural, c.body)
	}
}

// agreementBody is an agreement of contract over the assignments, each of weight 1 and the mode given ("" for the default).
func agreementBody(id, contract string, modes map[string]string, assignments ...string) string {
	var ts []string
	for _, a := range assignments {
		t := `{"assignmentId":"` + a + `","weight":1`
		if m := modes[a]; m != "" {
			t += `,"mode":"` + m + `"`
		}
		ts = append(ts, t+"}")
	}
	return `{"id":"` + id + `","name":"SLA ` + id + `","contractId":"` + contract + `","period":{"kind":"month","timezone":"UTC"},"complianceTarget":90,"trackers":[` + strings.Join(ts, ",") + `]}`
}

// fieldError asserts err is an invalid-query field error on field whose message holds msg.
func fieldError(t *testing.T, err error, field, msg string) {
	t.Helper()
	var fe *models.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("want a field error on %s (%q), got %v", field, msg, err)
	}
	if fe.Field != field || !strings.Contains(fe.Msg, msg) || !errors.Is(err, models.ErrInvalidInput) {
		t.Fatalf("got %q (kind %v), want an input field error on %s containing %q", err, fe.Kind, field, msg)
	}
}

// notStored asserts there is no object kind/id in the store.
func notStored(t *testing.T, r *Registry, plural, id string) {
	t.Helper()
	if e, err := r.Find(context.Background(), kind(t, plural), id); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("%s %q: want not found, got %v (%v)", plural, id, e, err)
	}
}

func generation(t *testing.T, r *Registry) int64 {
	t.Helper()
	g, err := r.Store.Generation(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// References to objects that do not exist are refused when created, naming
// the field and the missing object, and nothing is written.
func TestCreateRefusesMissingReferences(t *testing.T) {
	r, _ := newRegistry(t)
	smallRegistry(t, r)
	before := generation(t, r)
	for _, tc := range []struct {
		name, plural, id, body, field, msg string
	}{
		{"tracker of a missing KPI", "trackers", "t-ghost",
			`{"id":"t-ghost","name":"Ghost","kpiId":"ghost","method":"avg","interval":"1d","target":{"constant":1}}`,
			"kpiId", `there is no kpi "ghost": create it first`},
		{"assignment of a missing tracker", "assignments", "a-ghost",
			`{"id":"a-ghost","contractId":"acme","trackerId":"ghost","key":"acme-it"}`,
			"trackerId", `there is no tracker "ghost"`},
		{"assignment to a missing contract", "assignments", "a-nobody",
			`{"id":"a-nobody","contractId":"nobody","trackerId":"availability","key":"x"}`,
			"contractId", `there is no contract "nobody"`},
		{"agreement over a missing assignment", "agreements", "g-ghost",
			agreementBody("g-ghost", "acme", nil, "acme-avail", "ghost"),
			"trackers[1].assignmentId", `there is no assignment "ghost"`},
		{"agreement over another contract's assignment", "agreements", "g-other",
			agreementBody("g-other", "acme", nil, "globex-avail"),
			"trackers[0].assignmentId", `assignment "globex-avail" belongs to contract "globex", not "acme"`},
		// A contract that does not exist cannot own the assignments: the
		// assignment check names the mismatch before the store sees the reference.
		{"agreement of a missing contract", "agreements", "g-nobody",
			agreementBody("g-nobody", "nobody", nil, "acme-avail"),
			"trackers[0].assignmentId", `belongs to contract "acme", not "nobody"`},
		{"occurrence mode on an avg tracker", "agreements", "g-mode",
			agreementBody("g-mode", "acme", map[string]string{"acme-avail": "occurrence"}, "acme-avail"),
			"trackers[0].mode", `tracker "availability" uses avg; use a ratio tracker`},
		{"KPI on a connector the datasource lacks", "kpis", "k-erp",
			`{"id":"k-erp","name":"ERP","direction":"higher_is_better","connector":"erp","rawSql":"SELECT 1"}`,
			"connector", `"erp" is not a connector of this datasource`},
		{"KPI on a SQL connector without SQL", "kpis", "k-empty",
			`{"id":"k-empty","name":"Empty","direction":"higher_is_better","connector":"warehouse"}`,
			"rawSql", "is empty"},
		{"tracker with an unknown method", "trackers", "t-mean",
			`{"id":"t-mean","name":"Mean","kpiId":"uptime","method":"mean","interval":"1d","target":{"constant":1}}`,
			"method", `"mean" is not a compute method`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := create(t, r, tc.plural, tc.body)
			fieldError(t, err, tc.field, tc.msg)
			notStored(t, r, tc.plural, tc.id)
		})
	}
	if g := generation(t, r); g != before {
		t.Fatalf("refused creates changed the store's generation from %d to %d", before, g)
	}
	// The same agreement over the contract's own assignments, the ratio one by requests, is accepted.
	g := mustCreate(t, r, "agreements", agreementBody("sla", "acme", map[string]string{"acme-resp": "occurrence"}, "acme-avail", "acme-resp"))
	if g.GetMeta().Version != 1 || g.GetMeta().CreatedBy != "tester" {
		t.Fatalf("created agreement meta %+v", g.GetMeta())
	}
}

// An update that points a tracker at a missing KPI is refused and leaves the stored version as it was.
func TestUpdateRefusesMissingReference(t *testing.T) {
	r, _ := newRegistry(t)
	smallRegistry(t, r)
	ctx := context.Background()
	k := kind(t, "trackers")
	e, _ := Decode(k, []byte(strings.Replace(availTracker, `"kpiId":"uptime"`, `"kpiId":"gone","version":1`, 1)))
	_, err := r.Update(ctx, k, "availability", e, "tester")
	fieldError(t, err, "kpiId", `there is no kpi "gone"`)
	got, err := r.Find(ctx, k, "availability")
	if err != nil {
		t.Fatal(err)
	}
	if tr := got.(*models.Tracker); tr.KPIID != "uptime" || tr.Version != 1 {
		t.Fatalf("after a refused update: kpiId %q, version %d", tr.KPIID, tr.Version)
	}
}

// Update needs the version read and the id of the URL; a stale version is a conflict.
func TestUpdateVersions(t *testing.T) {
	r, _ := newRegistry(t)
	smallRegistry(t, r)
	ctx := context.Background()
	k := kind(t, "contracts")
	update := func(id, body string) (Entity, error) {
		e, err := Decode(k, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		return r.Update(ctx, k, id, e, "editor")
	}
	_, err := update("acme", strings.Replace(acmeContract, `"value":1000`, `"value":2000`, 1))
	fieldError(t, err, "version", "is missing")
	_, err = update("globex", strings.Replace(acmeContract, `"status"`, `"version":1,"status"`, 1))
	fieldError(t, err, "id", `"acme" differs from the contract in the URL, "globex"`)

	v2, err := update("acme", strings.Replace(acmeContract, `"value":1000`, `"version":1,"value":2000`, 1))
	if err != nil {
		t.Fatal(err)
	}
	if m := v2.GetMeta(); m.Version != 2 || m.CreatedBy != "tester" || m.UpdatedBy != "editor" || v2.(*models.Contract).Value != 2000 {
		t.Fatalf("after the update: %+v value %v", m, v2.(*models.Contract).Value)
	}
	// Version 1 again: someone changed it since.
	_, err = update("acme", strings.Replace(acmeContract, `"value":1000`, `"version":1,"value":3000`, 1))
	if !errors.Is(err, models.ErrConflict) {
		t.Fatalf("a stale update: %v, want a conflict", err)
	}
	got, _ := r.Find(ctx, k, "acme")
	if got.(*models.Contract).Value != 2000 || got.GetMeta().Version != 2 {
		t.Fatalf("the stale update changed the contract: %+v", got)
	}
}

// Without an id, an object takes its name's slug; a second of the same name gets -2.
func TestCreateIDs(t *testing.T) {
	r, _ := newRegistry(t)
	a := mustCreate(t, r, "contracts", `{"name":"Acme IT (EU)","counterparty":"Acme"}`)
	b := mustCreate(t, r, "contracts", `{"name":"Acme IT (EU)","counterparty":"Acme"}`)
	if a.GetMeta().ID != "acme-it-eu" || b.GetMeta().ID != "acme-it-eu-2" {
		t.Fatalf("ids %q and %q, want acme-it-eu and acme-it-eu-2", a.GetMeta().ID, b.GetMeta().ID)
	}
	// Validate fills the default status.
	if s := a.(*models.Contract).Status; s != "draft" {
		t.Fatalf("status %q, want draft", s)
	}
	_, err := create(t, r, "contracts", `{"id":"Acme IT","name":"x","counterparty":"y"}`)
	fieldError(t, err, "id", `"Acme IT" is not an id`)
	if _, err := create(t, r, "contracts", `{"id":"acme-it-eu","name":"x","counterparty":"y"}`); !errors.Is(err, models.ErrExists) {
		t.Fatalf("a duplicate id: %v, want ErrExists", err)
	}
}

// Decode names an unknown field or a field of the wrong type.
func TestDecodeErrors(t *testing.T) {
	k := kind(t, "contracts")
	_, err := Decode(k, []byte(`{"name":"x","counterparty":"y","colour":"red"}`))
	fieldError(t, err, "colour", "is not a field of a contract: remove it")
	_, err = Decode(k, []byte(`{"name":"x","noticeDays":"ten"}`))
	fieldError(t, err, "noticeDays", "is string, not int")
	if _, err = Decode(k, []byte(`[1,2]`)); err == nil || !errors.Is(err, models.ErrInvalidInput) {
		t.Fatalf("a list for a contract: %v", err)
	}
	if _, ok := KindByPlural("widgets"); ok {
		t.Fatal("widgets is not a kind")
	}
}

// What other objects use cannot be deleted; once unused it can, at its version.
func TestDeleteInUse(t *testing.T) {
	r, _ := newRegistry(t)
	smallRegistry(t, r)
	ctx := context.Background()
	err := r.Delete(ctx, kind(t, "kpis"), "uptime", 1, "tester")
	if !errors.Is(err, models.ErrInUse) || !strings.Contains(err.Error(), `tracker "availability"`) {
		t.Fatalf("deleting a used KPI: %v", err)
	}
	if err := r.Delete(ctx, kind(t, "assignments"), "globex-avail", 2, "tester"); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("deleting at a wrong version: %v", err)
	}
	if err := r.Delete(ctx, kind(t, "assignments"), "globex-avail", 1, "tester"); err != nil {
		t.Fatal(err)
	}
	notStored(t, r, "assignments", "globex-avail")
	// Globex is now unused and goes too; the tracker Acme still uses stays.
	if err := r.Delete(ctx, kind(t, "contracts"), "globex", 1, "tester"); err != nil {
		t.Fatal(err)
	}
	if err := r.Delete(ctx, kind(t, "trackers"), "availability", 1, "tester"); !errors.Is(err, models.ErrInUse) {
		t.Fatalf("deleting a tracker still assigned to acme: %v", err)
	}
}

// List pages by name and filters by reference.
func TestListByReference(t *testing.T) {
	r, _ := newRegistry(t)
	smallRegistry(t, r)
	p, err := r.List(context.Background(), kind(t, "assignments"), store.ListOptions{Refs: map[string]string{"trackerId": "availability"}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range p.Items {
		ids = append(ids, e.GetMeta().ID)
	}
	if p.Total != 2 || strings.Join(ids, ",") != "acme-avail,globex-avail" {
		t.Fatalf("assignments of availability: total %d, %v", p.Total, ids)
	}
	p, err = r.List(context.Background(), kind(t, "contracts"), store.ListOptions{Limit: 1, Offset: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 2 || len(p.Items) != 1 || p.Items[0].GetMeta().ID != "globex" || p.Limit != 1 || p.Offset != 1 {
		t.Fatalf("second page of contracts: %+v", p)
	}
}
