package plugin

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// connectorsDatasource has a SQLite file, an HTTP JSON endpoint and a PostgreSQL server that is down.
func connectorsDatasource(t *testing.T) *Datasource {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ops.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range []string{
		"CREATE TABLE calls (at INTEGER, contract TEXT, minutes REAL)",
		"INSERT INTO calls VALUES (1769904000, 'acme', 10), (1769907600, 'acme', 20), (1769990400, 'acme', 40), (1769904000, 'other', 99)",
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"items":[{"t":"2026-02-01T01:00:00Z","v":5,"c":"acme"},{"t":"2026-02-02T01:00:00Z","v":7,"c":"acme"}]}`)
	}))
	t.Cleanup(srv.Close)
	settings := fmt.Sprintf(`{"httpAllowedHosts":["127.0.0.1"],"connectors":[
	  {"uid":"f","name":"file","type":"sqlite","path":%q},
	  {"uid":"h","name":"api","type":"http-json","url":%q},
	  {"uid":"p","name":"down","type":"postgres","host":"127.0.0.1","port":1,"database":"x","user":"u","tlsMode":"disable"}]}`, path, srv.URL)
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "covenant", JSONData: json.RawMessage(settings),
		DecryptedSecureJSONData: map[string]string{"connectors.p.password": "pg-secret-value"}})
	if err != nil {
		t.Fatal(err)
	}
	d := inst.(*Datasource)
	t.Cleanup(d.Dispose)
	return d
}

func kpiTracker(connector, kpi string) string {
	return fmt.Sprintf(`{"name":"Calls","method":"sum","interval":"1d","timezone":"UTC","kpi":{"name":"Minutes","direction":"lower_is_better","connector":%q,%s},"target":{"constant":25}}`, connector, kpi)
}

func TestConnectorsThroughTheDatasource(t *testing.T) {
	setupDemo(t)
	pinNow(t, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	d := connectorsDatasource(t)
	sqlKPI := `"rawSql":"SELECT at AS time, minutes AS value FROM calls WHERE $__timeFilter(at) AND contract = $__key"`
	httpKPI := `"path":"/kpi?c=$__key","rowsPath":"items","timeField":"t","valueField":"v","keyField":"c"`
	q := func(ref, tracker string) backend.DataQuery {
		return backend.DataQuery{RefID: ref, QueryType: "trackerSeries", JSON: json.RawMessage(`{"contract":"acme","trackers":[` + tracker + `]}`),
			TimeRange: backend.TimeRange{From: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC)}}
	}
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: pluginCtx("Viewer"), Queries: []backend.DataQuery{
		q("file", kpiTracker("file", sqlKPI)), q("api", kpiTracker("api", httpKPI)), q("down", kpiTracker("down", sqlKPI)),
	}})
	if err != nil {
		t.Fatal(err)
	}
	for ref, want := range map[string][]float64{"file": {30, 40}, "api": {5, 7}} {
		r := resp.Responses[ref]
		if r.Error != nil || len(r.Frames) != 1 {
			t.Fatalf("%s: %v", ref, r.Error)
		}
		f := r.Frames[0]
		for i, w := range want {
			if got, _ := f.Fields[1].ConcreteAt(i); got != w {
				t.Fatalf("%s: day %d actual %v, want %v", ref, i, got, w)
			}
		}
		if pushed := f.Meta.Custom.(map[string]any)["pushedDown"]; pushed != (ref == "file") {
			t.Fatalf("%s: pushedDown %v", ref, pushed)
		}
	}
	// The connector that is down fails its query only, saying what to check.
	down := resp.Responses["down"]
	if down.Error == nil || !strings.Contains(down.Error.Error(), "trackers[0].kpi.rawSql: connector error: cannot connect to the database") ||
		!strings.Contains(down.Error.Error(), "check host and port") || down.ErrorSource != backend.ErrorSourceDownstream {
		t.Fatalf("down: %v (%s)", down.Error, down.ErrorSource)
	}

	health, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"1 of 4 connectors failed", "Connector down: connector error: cannot connect to postgres", "Connector file: connected (SQLite 3.",
		"Connector api: 127.0.0.1:", "Demo connector: 3 contracts"} {
		if health.Status != backend.HealthStatusError || !strings.Contains(health.Message, want) {
			t.Fatalf("health %v %q lacks %q", health.Status, health.Message, want)
		}
	}

	list := callResource(t, d, "Viewer", http.MethodGet, "/connectors")
	if list.status != http.StatusOK || !strings.Contains(string(list.body), `"name":"down","type":"postgres","sql":true`) ||
		strings.Contains(string(list.body), "pg-secret-value") || strings.Contains(string(list.body), "127.0.0.1") {
		t.Fatalf("connectors: %d %s", list.status, list.body)
	}
	if r := callResource(t, d, "Viewer", http.MethodPost, "/connectors/file/test"); r.status != http.StatusForbidden {
		t.Fatalf("a viewer tested a connector: %d %s", r.status, r.body)
	}
	if r := callResource(t, d, "Editor", http.MethodPost, "/connectors/file/test"); r.status != http.StatusOK || !strings.Contains(string(r.body), `"ok":true`) {
		t.Fatalf("test file: %d %s", r.status, r.body)
	}
	if r := callResource(t, d, "Editor", http.MethodPost, "/connectors/down/test"); r.status != http.StatusOK || !strings.Contains(string(r.body), `"ok":false`) {
		t.Fatalf("test down: %d %s", r.status, r.body)
	}
	if r := callResource(t, d, "Editor", http.MethodPost, "/connectors/nope/test"); r.status != http.StatusNotFound {
		t.Fatalf("test unknown: %d %s", r.status, r.body)
	}
}

func TestInvalidConnectorSettingsAreReported(t *testing.T) {
	d := newTestDatasource(t, `{"connectors":[{"uid":"a","name":"a","type":"postgres","database":"d","user":"u"}]}`)
	res, _ := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "connectors[0].host: is empty") {
		t.Fatalf("health: %v %q", res.Status, res.Message)
	}
}

func TestConnectorSchemaResource(t *testing.T) {
	setupDemo(t)
	d := connectorsDatasource(t)
	type schema struct {
		Name   string `json:"name"`
		Type   string `json:"type"`
		Tables []struct {
			Name        string `json:"name"`
			Description string `json:"description"`
			Columns     []struct {
				Name string `json:"name"`
				Type string `json:"type"`
			} `json:"columns"`
		} `json:"tables"`
		Truncated  bool `json:"truncated"`
		MaxTables  int  `json:"maxTables"`
		MaxColumns int  `json:"maxColumns"`
	}
	get := func(name string, want int) (schema, string) {
		t.Helper()
		r := callResource(t, d, "Viewer", http.MethodGet, "/connectors/"+name+"/schema")
		if r.status != want {
			t.Fatalf("%s: %d, want %d: %s", name, r.status, want, r.body)
		}
		var s schema
		if want == http.StatusOK {
			if err := json.Unmarshal(r.body, &s); err != nil {
				t.Fatal(err)
			}
		}
		return s, string(r.body)
	}
	demo, _ := get("demo", http.StatusOK)
	if demo.Type != "demo" || len(demo.Tables) != 5 || demo.Tables[2].Name != "uptime" || demo.Tables[2].Description == "" ||
		demo.Tables[2].Columns[2].Name != "uptime_pct" || demo.Tables[2].Columns[2].Type != "REAL" || demo.Truncated || demo.MaxTables != 500 {
		t.Fatalf("demo: %+v", demo)
	}
	file, _ := get("file", http.StatusOK)
	if file.Type != "sqlite" || len(file.Tables) != 1 || file.Tables[0].Name != "calls" || len(file.Tables[0].Columns) != 3 ||
		file.Tables[0].Columns[0].Name != "at" || file.Tables[0].Columns[0].Type != "INTEGER" {
		t.Fatalf("file: %+v", file)
	}
	if _, body := get("api", http.StatusBadRequest); !strings.Contains(body, `connector \"api\" (http-json) has no tables: schemas exist for SQL connectors only`) {
		t.Fatalf("api: %s", body)
	}
	if _, body := get("nope", http.StatusNotFound); !strings.Contains(body, `\"nope\" is not a connector of this datasource`) {
		t.Fatalf("nope: %s", body)
	}
	if _, body := get("down", http.StatusBadRequest); !strings.Contains(body, `connector \"down\": cannot list its tables`) ||
		strings.Contains(body, "pg-secret-value") || strings.Contains(body, `"field"`) {
		t.Fatalf("down: %s", body)
	}
	off := newTestDatasource(t, `{"demoDisabled":true}`)
	t.Cleanup(off.Dispose)
	if r := callResource(t, off, "Viewer", http.MethodGet, "/connectors/demo/schema"); r.status != http.StatusNotFound ||
		!strings.Contains(string(r.body), "the demo connector is disabled") {
		t.Fatalf("demo disabled: %d %s", r.status, r.body)
	}
}
