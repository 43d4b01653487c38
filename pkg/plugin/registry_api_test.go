package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/covenant/contracts/pkg/store"
)

// registryDatasource is a datasource with its own empty store: one that was
// used and emptied, so the demo contracts are not added to it.
func registryDatasource(t *testing.T) *Datasource {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.OpenSQLite(ctx, filepath.Join(dir, store.FileName(0, "covenant")), store.Scope{OrgID: 1, DatasourceUID: "covenant"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := st.Create(ctx, store.Object{Kind: "contract", ID: "gone", Name: "gone", Body: []byte(`{}`)}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Delete(ctx, "contract", "gone", o.Version, "test"); err != nil {
		t.Fatal(err)
	}
	_ = st.Close()
	d := newTestDatasource(t, `{"storePath":"`+dir+`"}`)
	t.Cleanup(d.Dispose)
	if d.registryErr != nil {
		t.Fatal(d.registryErr)
	}
	return d
}

func mustCall(t *testing.T, d *Datasource, want int, role, method, path, body string) map[string]any {
	t.Helper()
	r := callResourceBody(t, d, role, method, path, body)
	if r.status != want {
		t.Fatalf("%s %s as %s: %d, want %d: %s", method, path, role, r.status, want, r.body)
	}
	out := map[string]any{}
	if len(r.body) > 0 {
		if err := json.Unmarshal(r.body, &out); err != nil {
			t.Fatalf("%s: %s", err, r.body)
		}
	}
	return out
}

func TestRegistryAPI(t *testing.T) {
	setupDemo(t)
	d := registryDatasource(t)
	const contract = `{"name":"Acme IT services","counterparty":"Acme Corp","status":"active","startDate":"2025-01-01","endDate":"2027-01-01","renewalDate":"2026-10-01","noticeDays":90,"value":1200000,"currency":"EUR"}`
	c := mustCall(t, d, http.StatusCreated, "Editor", http.MethodPost, "registry/contracts", contract)
	if c["id"] != "acme-it-services" || c["version"] != 1.0 || c["createdBy"] != "u-Editor" {
		t.Fatalf("created %v", c)
	}
	k := mustCall(t, d, http.StatusCreated, "Editor", http.MethodPost, "registry/kpis",
		`{"id":"uptime","name":"Uptime","unit":"percent","direction":"higher_is_better","rawSql":"SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key"}`)
	if k["connector"] != "demo" {
		t.Fatalf("kpi %v", k)
	}
	mustCall(t, d, http.StatusCreated, "Editor", http.MethodPost, "registry/trackers",
		`{"id":"daily-uptime","name":"Daily uptime","kpiId":"uptime","method":"avg","interval":"1d","timezone":"Europe/London","target":{"constant":99.9},"tolerance":{"value":0.5}}`)
	a := mustCall(t, d, http.StatusCreated, "Editor", http.MethodPost, "registry/assignments",
		`{"contractId":"acme-it-services","trackerId":"daily-uptime","key":"acme-it","clause":"§4.2"}`)
	if a["id"] != "acme-it-services-daily-uptime" || a["weight"] != 1.0 {
		t.Fatalf("assignment %v", a)
	}
	mustCall(t, d, http.StatusCreated, "Editor", http.MethodPost, "registry/agreements",
		`{"name":"Availability","contractId":"acme-it-services","period":{"kind":"quarter","timezone":"Europe/London"},"complianceTarget":90,"trackers":[{"assignmentId":"acme-it-services-daily-uptime","weight":1}]}`)

	// Viewers read; writes need the write role.
	list := mustCall(t, d, http.StatusOK, "Viewer", http.MethodGet, "registry/assignments?contractId=acme-it-services", "")
	if list["total"] != 1.0 {
		t.Fatalf("list %v", list)
	}
	mustCall(t, d, http.StatusForbidden, "Viewer", http.MethodPost, "registry/contracts", contract)

	// Validation names the field.
	for _, tt := range []struct{ path, body, field string }{
		{"registry/contracts", `{"name":"X","counterparty":"Y","status":"open"}`, "status"},
		{"registry/contracts", `{"name":"X","counterparty":"Y","startDate":"2026-02-30"}`, "startDate"},
		{"registry/contracts", `{"name":"X","counterparty":"Y","colour":"red"}`, "colour"},
		{"registry/kpis", `{"name":"K","direction":"higher_is_better","connector":"erp","rawSql":"SELECT 1"}`, "connector"},
		{"registry/kpis", `{"name":"K","direction":"higher_is_better"}`, "rawSql"},
		{"registry/trackers", `{"name":"T","kpiId":"uptime","method":"mean","interval":"1d","target":{"constant":1}}`, "method"},
		{"registry/trackers", `{"name":"T","kpiId":"uptime","method":"avg","interval":"1d","timezone":"Mars/Base","target":{"constant":1}}`, "timezone"},
		{"registry/trackers", `{"name":"T","kpiId":"nope","method":"avg","interval":"1d","target":{"constant":1}}`, "kpiId"},
		{"registry/assignments", `{"contractId":"acme-it-services","trackerId":"daily-uptime","key":"k","weight":-1}`, "weight"},
		{"registry/agreements", `{"name":"A","contractId":"acme-it-services","period":{"kind":"custom","from":"2026-03-01","to":"2026-02-01"},"complianceTarget":90,"trackers":[{"assignmentId":"acme-it-services-daily-uptime","weight":1}]}`, "period.to"},
		{"registry/agreements", `{"name":"A","contractId":"acme-it-services","period":{"kind":"month"},"complianceTarget":90,"trackers":[{"assignmentId":"acme-it-services-daily-uptime","weight":0}]}`, "trackers[0].weight"},
	} {
		got := mustCall(t, d, http.StatusBadRequest, "Editor", http.MethodPost, tt.path, tt.body)
		if got["field"] != tt.field {
			t.Errorf("%s %s: field %v, want %s (%v)", tt.path, tt.body, got["field"], tt.field, got["error"])
		}
	}

	// Versions: a stale update gets 409 and changes nothing.
	upd := strings.Replace(contract, `"noticeDays":90`, `"noticeDays":60,"version":1`, 1)
	mustCall(t, d, http.StatusOK, "Editor", http.MethodPut, "registry/contracts/acme-it-services", upd)
	stale := strings.Replace(contract, `"noticeDays":90`, `"noticeDays":30,"version":1`, 1)
	conflict := mustCall(t, d, http.StatusConflict, "Admin", http.MethodPut, "registry/contracts/acme-it-services", stale)
	if !strings.Contains(conflict["error"].(string), "is at version 2, not 1") {
		t.Fatalf("conflict: %v", conflict)
	}
	if got := mustCall(t, d, http.StatusOK, "Viewer", http.MethodGet, "registry/contracts/acme-it-services", ""); got["noticeDays"] != 60.0 || got["version"] != 2.0 {
		t.Fatalf("after a stale update: %v", got)
	}
	// A delete is refused while something depends on the object.
	inUse := mustCall(t, d, http.StatusConflict, "Editor", http.MethodDelete, "registry/kpis/uptime?version=1", "")
	if !strings.Contains(inUse["error"].(string), `used by tracker "daily-uptime"`) {
		t.Fatalf("delete in use: %v", inUse)
	}
	mustCall(t, d, http.StatusBadRequest, "Editor", http.MethodDelete, "registry/kpis/uptime", "")
	audit := mustCall(t, d, http.StatusOK, "Viewer", http.MethodGet, "registry/contracts/acme-it-services/audit", "")
	entries := audit["entries"].([]any)
	if len(entries) != 2 || !strings.Contains(entries[1].(map[string]any)["changes"].(string), `"noticeDays":{"new":60,"old":90}`) {
		t.Fatalf("audit %v", entries)
	}
	mustCall(t, d, http.StatusNotFound, "Viewer", http.MethodGet, "registry/widgets", "")
	mustCall(t, d, http.StatusNotFound, "Viewer", http.MethodGet, "registry/contracts/nope", "")
}

func TestTrackerSeriesFromTheRegistry(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	d := registryDatasource(t)
	mustCall(t, d, http.StatusCreated, "Admin", http.MethodPost, "registry/contracts", `{"id":"acme","name":"Acme IT","counterparty":"Acme Corp"}`)
	mustCall(t, d, http.StatusCreated, "Admin", http.MethodPost, "registry/contracts", `{"id":"empty","name":"Nothing yet","counterparty":"Nobody"}`)
	mustCall(t, d, http.StatusCreated, "Admin", http.MethodPost, "registry/kpis",
		`{"id":"uptime","name":"Uptime","unit":"percent","direction":"higher_is_better","rawSql":"SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key"}`)
	mustCall(t, d, http.StatusCreated, "Admin", http.MethodPost, "registry/trackers",
		`{"id":"availability","name":"Availability","kpiId":"uptime","method":"avg","interval":"1d","timezone":"UTC","target":{"constant":99.9},"tolerance":{"value":0.5}}`)
	mustCall(t, d, http.StatusCreated, "Admin", http.MethodPost, "registry/assignments",
		`{"contractId":"acme","trackerId":"availability","key":"acme-it","targetOverride":{"constant":99.5}}`)

	run := func(body string) backend.DataResponse {
		t.Helper()
		q := trackerQuery("A", "x")
		q.JSON = json.RawMessage(body)
		resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: pluginCtx("Viewer"), Queries: []backend.DataQuery{q}})
		if err != nil {
			t.Fatal(err)
		}
		return resp.Responses["A"]
	}
	reg := run(`{"contract":"acme"}`)
	if reg.Error != nil || len(reg.Frames) != 1 {
		t.Fatalf("registry: %v", reg.Error)
	}
	// The same tracker given inline, with the assignment's key and target override.
	inline := run(`{"contract":"acme-it","trackers":[` + strings.Replace(uptimeTracker, `"constant":99.9`, `"constant":99.5`, 1) + `]}`)
	if inline.Error != nil {
		t.Fatal(inline.Error)
	}
	rf, inf := reg.Frames[0], inline.Frames[0]
	if rf.Rows() != inf.Rows() || rf.Rows() == 0 {
		t.Fatalf("rows: registry %d, inline %d", rf.Rows(), inf.Rows())
	}
	for col := 1; col < len(rf.Fields); col++ {
		for i := 0; i < rf.Rows(); i++ {
			a, _ := rf.Fields[col].ConcreteAt(i)
			b, _ := inf.Fields[col].ConcreteAt(i)
			if a != b {
				t.Fatalf("%s row %d: registry %v, inline %v", rf.Fields[col].Name, i, a, b)
			}
		}
	}
	// A registry tracker's series link to the contract's page; an inline one's do not.
	if links := rf.Fields[1].Config.Links; len(links) != 1 || links[0].URL != "/a/covenant-contracts-app/contracts/${__field.labels.contract}?tab=tracking" {
		t.Fatalf("data links %+v", links)
	}
	if len(inf.Fields[1].Config.Links) != 0 {
		t.Fatalf("inline data links %+v", inf.Fields[1].Config.Links)
	}
	l := rf.Fields[1].Labels
	if l["contract"] != "acme" || l["tracker"] != "Availability" || l["trackerId"] != "availability" || l["counterparty"] != "Acme Corp" || l["kpi"] != "Uptime" {
		t.Fatalf("labels %v", l)
	}
	for body, want := range map[string]string{
		`{"contract":"nope"}`:                                `contract: there is no contract "nope" in the registry`,
		`{"contract":"empty"}`:                               `contract: contract "empty" has no trackers: assign one`,
		`{"contract":"acme","trackerIds":["availability2"]}`: `trackerIds: "availability2" is not assigned to contract "acme"`,
	} {
		if r := run(body); r.Error == nil || !strings.Contains(r.Error.Error(), want) {
			t.Errorf("%s: got %v, want %q", body, r.Error, want)
		}
	}
}

func TestRegistryExportImport(t *testing.T) {
	setupDemo(t)
	src := registryDatasource(t)
	mustCall(t, src, http.StatusCreated, "Admin", http.MethodPost, "registry/contracts", `{"id":"acme","name":"Acme IT","counterparty":"Acme Corp","tags":["it"]}`)
	mustCall(t, src, http.StatusCreated, "Admin", http.MethodPost, "registry/kpis",
		`{"id":"uptime","name":"Uptime","direction":"higher_is_better","rawSql":"SELECT time, uptime_pct AS value FROM uptime WHERE contract = $__key"}`)
	mustCall(t, src, http.StatusCreated, "Admin", http.MethodPost, "registry/trackers",
		`{"id":"availability","name":"Availability","kpiId":"uptime","method":"avg","interval":"1d","target":{"constant":99.9}}`)
	mustCall(t, src, http.StatusCreated, "Admin", http.MethodPost, "registry/assignments", `{"id":"acme-availability","contractId":"acme","trackerId":"availability","key":"acme-it"}`)
	mustCall(t, src, http.StatusCreated, "Admin", http.MethodPost, "registry/agreements",
		`{"id":"acme-q","name":"Quarterly","contractId":"acme","period":{"kind":"quarter"},"complianceTarget":95,"trackers":[{"assignmentId":"acme-availability","weight":1}]}`)
	exp := callResource(t, src, "Viewer", http.MethodGet, "registry/export")
	doc := string(exp.body)
	if exp.status != http.StatusOK || !strings.HasPrefix(doc, "agreements:") || !strings.Contains(doc, "apiVersion: covenant/v1") || strings.Contains(doc, "createdBy") {
		t.Fatalf("export: %d\n%s", exp.status, doc)
	}

	// Into an empty registry: a dry run reports and changes nothing; then it applies.
	dst := registryDatasource(t)
	dry := mustCall(t, dst, http.StatusOK, "Editor", http.MethodPost, "registry/import?dryRun=true", doc)
	if dry["dryRun"] != true || len(dry["changes"].([]any)) != 5 {
		t.Fatalf("dry run: %v", dry)
	}
	if got := mustCall(t, dst, http.StatusOK, "Viewer", http.MethodGet, "registry/contracts", ""); got["total"] != 0.0 {
		t.Fatalf("a dry run wrote: %v", got)
	}
	mustCall(t, dst, http.StatusForbidden, "Viewer", http.MethodPost, "registry/import", doc)
	mustCall(t, dst, http.StatusOK, "Editor", http.MethodPost, "registry/import", doc)
	if again := string(callResource(t, dst, "Viewer", http.MethodGet, "registry/export").body); again != doc {
		t.Fatalf("round trip differs:\n%s\n---\n%s", doc, again)
	}
	// Importing the same document again changes nothing; a changed field is one update.
	same := mustCall(t, dst, http.StatusOK, "Editor", http.MethodPost, "registry/import?dryRun=true", doc)
	if len(same["changes"].([]any)) != 0 || same["unchanged"] != 5.0 {
		t.Fatalf("same document: %v", same)
	}
	changed := mustCall(t, dst, http.StatusOK, "Editor", http.MethodPost, "registry/import", strings.Replace(doc, "complianceTarget: 95", "complianceTarget: 97", 1))
	c := changed["changes"].([]any)
	if len(c) != 1 || !strings.Contains(c[0].(map[string]any)["changes"].(string), `"complianceTarget":{"new":97,"old":95}`) {
		t.Fatalf("changed: %v", changed)
	}
	// All or nothing: a bad object late in the document leaves everything as it was.
	bad := strings.Replace(doc, "complianceTarget: 95", "complianceTarget: 97", 1)
	bad = strings.Replace(bad, "name: Acme IT", "name: Acme IT (renamed)", 1)
	bad = strings.Replace(bad, "kpiId: uptime", "kpiId: nope", 1)
	res := mustCall(t, dst, http.StatusBadRequest, "Editor", http.MethodPost, "registry/import", bad)
	if res["field"] != "trackers[0].kpiId" {
		t.Fatalf("bad import: %v", res)
	}
	if got := mustCall(t, dst, http.StatusOK, "Viewer", http.MethodGet, "registry/contracts/acme", ""); got["name"] != "Acme IT" {
		t.Fatalf("a failed import changed the contract: %v", got)
	}
	for body, field := range map[string]string{
		"apiVersion: v0\nkind: Registry\n":                                                              "apiVersion",
		"apiVersion: covenant/v1\nkind: Registry\nwidgets: []\n":                                        "widgets",
		"apiVersion: covenant/v1\nkind: Registry\ncontracts:\n- name: Other\n  counterparty: Initech\n": "contracts[0].id",
	} {
		if got := mustCall(t, dst, http.StatusBadRequest, "Editor", http.MethodPost, "registry/import", body); got["field"] != field {
			t.Errorf("%q: field %v, want %s", body, got["field"], field)
		}
	}
}

func TestVariablesAndSeveralContracts(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	d := registryDatasource(t)
	for _, b := range []struct{ kind, body string }{
		{"contracts", `{"id":"acme","name":"Acme IT","counterparty":"Acme Corp"}`},
		{"contracts", `{"id":"globex","name":"Globex logistics","counterparty":"Globex"}`},
		{"kpis", `{"id":"uptime","name":"Uptime","direction":"higher_is_better","rawSql":"SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key"}`},
		{"trackers", `{"id":"availability","name":"Availability","kpiId":"uptime","method":"avg","interval":"1d","target":{"constant":99.9}}`},
		{"trackers", `{"id":"weekly","name":"Weekly availability","kpiId":"uptime","method":"avg","interval":"1w","target":{"constant":99.9}}`},
		{"assignments", `{"contractId":"acme","trackerId":"availability","key":"acme-it"}`},
		{"assignments", `{"contractId":"globex","trackerId":"weekly","key":"globex-logistics"}`},
	} {
		mustCall(t, d, http.StatusCreated, "Admin", http.MethodPost, "registry/"+b.kind, b.body)
	}
	query := func(qt, body string) backend.DataResponse {
		q := trackerQuery("A", "x")
		q.QueryType, q.JSON = qt, json.RawMessage(body)
		resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: pluginCtx("Viewer"), Queries: []backend.DataQuery{q}})
		if err != nil {
			t.Fatal(err)
		}
		return resp.Responses["A"]
	}
	values := func(r backend.DataResponse) string {
		if r.Error != nil || len(r.Frames) != 1 {
			t.Fatalf("variables: %v", r.Error)
		}
		var out []string
		for i := 0; i < r.Frames[0].Rows(); i++ {
			out = append(out, r.Frames[0].Fields[0].At(i).(string)+"="+r.Frames[0].Fields[1].At(i).(string))
		}
		return strings.Join(out, ",")
	}
	if got := values(query("variables", `{"kind":"contracts"}`)); got != "Acme IT=acme,Globex logistics=globex" {
		t.Fatalf("contracts: %s", got)
	}
	if got := values(query("variables", `{"kind":"trackers","contract":"globex"}`)); got != "Weekly availability=weekly" {
		t.Fatalf("trackers of globex: %s", got)
	}
	if got := values(query("variables", `{"kind":"trackers","contract":"{acme,globex}"}`)); got != "Availability=availability,Weekly availability=weekly" {
		t.Fatalf("trackers of both: %s", got)
	}
	if r := query("variables", `{"kind":"widgets"}`); r.Error == nil || !strings.Contains(r.Error.Error(), `kind: "widgets" is not a variable kind`) {
		t.Fatalf("bad kind: %v", r.Error)
	}
	// A multi-value $contract: every contract's trackers, labelled by contract.
	r := query("trackerSeries", `{"contract":"acme,globex"}`)
	if r.Error != nil || len(r.Frames) != 2 {
		t.Fatalf("two contracts: %v, %d frames", r.Error, len(r.Frames))
	}
	if a, b := r.Frames[0].Fields[1].Labels["contract"], r.Frames[1].Fields[1].Labels["contract"]; a != "acme" || b != "globex" {
		t.Fatalf("contracts %s, %s", a, b)
	}
}

// A fresh install: the registry starts with the demo contracts and their
// trackers on the demo connector, and their trends compute with no manual step.
// A registry its users emptied is not filled again.
func TestDemoRegistryOnAFreshInstall(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	dir := t.TempDir()
	d := newTestDatasource(t, `{"storePath":"`+dir+`"}`)
	got := mustCall(t, d, http.StatusOK, "Viewer", http.MethodGet, "registry/contracts", "")
	if got["total"] != 3.0 {
		t.Fatalf("contracts: %v", got)
	}
	for contract, trackers := range map[string]int{"acme-it": 3, "globex-logistics": 2, "initech-cloud": 5} {
		q := trackerQuery("A", "x")
		q.JSON = json.RawMessage(`{"contract":"` + contract + `"}`)
		resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: pluginCtx("Viewer"), Queries: []backend.DataQuery{q}})
		if err != nil {
			t.Fatal(err)
		}
		r := resp.Responses["A"]
		if r.Error != nil || len(r.Frames) != trackers {
			t.Fatalf("%s: %v, %d frames", contract, r.Error, len(r.Frames))
		}
		for _, f := range r.Frames {
			if f.Rows() == 0 || f.Fields[1].Labels["counterparty"] == "" {
				t.Fatalf("%s: empty frame %s", contract, f.Name)
			}
		}
	}
	d.Dispose()
	emptied := registryDatasource(t) // used, emptied, reopened
	if got := mustCall(t, emptied, http.StatusOK, "Viewer", http.MethodGet, "registry/contracts", ""); got["total"] != 0.0 {
		t.Fatalf("an emptied registry was filled again: %v", got)
	}
}

// Several contracts at once (a list page's RAG summary, $contract = All): contracts without
// trackers are skipped; an unknown one is still an error.
func TestSeveralContractsSkipThoseWithoutTrackers(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	d := newTestDatasource(t, `{"storePath":"`+t.TempDir()+`"}`) // seeded with the demo contracts
	t.Cleanup(d.Dispose)
	mustCall(t, d, http.StatusCreated, "Admin", http.MethodPost, "registry/contracts", `{"id":"bare","name":"Bare","counterparty":"Nobody"}`)
	run := func(contract string) backend.DataResponse {
		q := trackerQuery("A", "x")
		q.JSON = json.RawMessage(`{"contract":"` + contract + `"}`)
		resp, _ := d.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: pluginCtx("Viewer"), Queries: []backend.DataQuery{q}})
		return resp.Responses["A"]
	}
	if r := run("acme-it,bare,globex-logistics"); r.Error != nil || len(r.Frames) != 5 {
		t.Fatalf("with a bare contract: %v, %d frames", r.Error, len(r.Frames))
	}
	if r := run("bare"); r.Error == nil || !strings.Contains(r.Error.Error(), `contract "bare" has no trackers`) {
		t.Fatalf("bare alone: %v", r.Error)
	}
	if r := run("acme-it,nope"); r.Error == nil || !strings.Contains(r.Error.Error(), `there is no contract "nope"`) {
		t.Fatalf("unknown: %v", r.Error)
	}
}
