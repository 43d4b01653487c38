//go:build integration

package integration

import (
	"net/http"
	"strings"
	"testing"
)

func TestGrafanaHealth(t *testing.T) {
	var h struct {
		Database string `json:"database"`
		Version  string `json:"version"`
	}
	admin(t).must(http.StatusOK, http.MethodGet, "/api/health", nil).decode(t, &h)
	if h.Database != "ok" || h.Version == "" {
		t.Fatalf("health: %+v", h)
	}
	t.Logf("Grafana %s", h.Version)
}

func TestPluginsLoadedAndAppEnabled(t *testing.T) {
	a := admin(t)
	var app struct {
		ID       string `json:"id"`
		Enabled  bool   `json:"enabled"`
		JSONData struct {
			DatasourceUID string `json:"datasourceUid"`
		} `json:"jsonData"`
	}
	a.must(http.StatusOK, http.MethodGet, "/api/plugins/covenant-contracts-app/settings", nil).decode(t, &app)
	if !app.Enabled || app.JSONData.DatasourceUID != datasourceUID {
		t.Fatalf("app settings: %+v", app)
	}
	for _, id := range []string{"covenant-kpi-datasource", "covenant-kpitrend-panel"} {
		var p struct {
			ID   string `json:"id"`
			Type string `json:"type"`
		}
		a.must(http.StatusOK, http.MethodGet, "/api/plugins/"+id+"/settings", nil).decode(t, &p)
		if p.ID != id {
			t.Fatalf("plugin %s: %+v", id, p)
		}
	}
}

// Every query saved in the provisioned dashboard runs without error on the real Grafana
// (with $contract set as the dashboard's default would set it).
func TestProvisionedDashboard(t *testing.T) {
	var d struct {
		Dashboard struct {
			Title  string `json:"title"`
			Panels []struct {
				Type    string           `json:"type"`
				Title   string           `json:"title"`
				Targets []map[string]any `json:"targets"`
			} `json:"panels"`
		} `json:"dashboard"`
	}
	a := admin(t)
	a.must(http.StatusOK, http.MethodGet, "/api/dashboards/uid/covenant-demo", nil).decode(t, &d)
	if !strings.Contains(d.Dashboard.Title, "Covenant") {
		t.Fatalf("dashboard: %+v", d.Dashboard)
	}
	types := map[string]bool{}
	for _, p := range d.Dashboard.Panels {
		types[p.Type] = true
		for _, target := range p.Targets {
			for k, v := range target {
				if s, ok := v.(string); ok {
					target[k] = strings.ReplaceAll(s, "$contract", "acme-it")
				}
			}
			var out queryResponse
			a.must(http.StatusOK, http.MethodPost, "/api/ds/query", map[string]any{"from": "now-30d", "to": "now", "queries": []any{target}}).decode(t, &out)
			for ref, res := range out.Results {
				if res.Error != "" || len(res.Frames) == 0 {
					t.Fatalf("panel %q query %s: %+v", p.Title, ref, res)
				}
			}
		}
	}
	if !types["covenant-kpitrend-panel"] {
		t.Fatalf("no Covenant panel in the dashboard: %v", types)
	}
}

func TestDatasourceHealth(t *testing.T) {
	var h struct {
		Status  string `json:"status"`
		Message string `json:"message"`
	}
	admin(t).must(http.StatusOK, http.MethodGet, "/api/datasources/uid/"+datasourceUID+"/health", nil).decode(t, &h)
	if h.Status != "OK" || !strings.Contains(h.Message, "Covenant is ready. Demo connector: 3 contracts") {
		t.Fatalf("health: %+v", h)
	}
}

func TestConnectorPreviewThroughGrafana(t *testing.T) {
	var out queryResponse
	admin(t).must(http.StatusOK, http.MethodPost, "/api/ds/query", map[string]any{
		"from": "now-2d", "to": "now-1d",
		"queries": []any{previewQuery("A",
			"SELECT time, uptime_pct AS value, contract AS key FROM uptime WHERE $__timeFilter(time) AND contract = $__key ORDER BY time",
			"acme-it")},
	}).decode(t, &out)
	res := out.Results["A"]
	if res.Error != "" || len(res.Frames) != 1 {
		t.Fatalf("result: %+v", res)
	}
	f := res.Frames[0]
	names := []string{}
	for _, fl := range f.Schema.Fields {
		names = append(names, fl.Name+":"+fl.Type)
	}
	if strings.Join(names, ",") != "time:time,value:number,key:string" {
		t.Fatalf("fields: %v", names)
	}
	// A 24-hour window of hourly rows: 24 rows, or 25 when the window's edges fall on whole hours.
	times, values, keys := f.Data.Values[0], f.Data.Values[1], f.Data.Values[2]
	if len(times) < 24 || len(times) > 25 {
		t.Fatalf("want 24 hourly rows, got %d", len(times))
	}
	for i := range times {
		v, ok := values[i].(float64)
		if !ok || v < 0 || v > 100 || keys[i] != "acme-it" {
			t.Fatalf("row %d: time %v value %v key %v", i, times[i], values[i], keys[i])
		}
		if i > 0 && times[i].(float64)-times[i-1].(float64) != 3600000 {
			t.Fatalf("rows %d and %d are not an hour apart", i-1, i)
		}
	}
	if strings.Contains(f.Schema.Meta.ExecutedQueryString, "acme-it") {
		t.Fatalf("the key was spliced into the SQL: %s", f.Schema.Meta.ExecutedQueryString)
	}
}

func TestBadQueryGetsAClearError(t *testing.T) {
	r := admin(t).do(http.MethodPost, "/api/ds/query", map[string]any{
		"from": "now-1h", "to": "now",
		"queries": []any{previewQuery("A", "SELECT time FROM no_such_table", "")},
	})
	var out queryResponse
	r.decode(t, &out)
	if r.status != http.StatusBadRequest || !strings.Contains(out.Results["A"].Error, "no such table: no_such_table") {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
}

func TestResourceCallReturnsJSON(t *testing.T) {
	var body struct {
		Contracts []struct {
			Key, Name, Counterparty string
		} `json:"contracts"`
	}
	admin(t).must(http.StatusOK, http.MethodGet, "/api/datasources/uid/"+datasourceUID+"/resources/demo/contracts", nil).decode(t, &body)
	if len(body.Contracts) != 3 || body.Contracts[0].Key != "acme-it" || body.Contracts[0].Counterparty == "" {
		t.Fatalf("contracts: %+v", body.Contracts)
	}
}

func TestViewerQueriesButCannotWrite(t *testing.T) {
	viewer := newUser(t, "Viewer")
	var out queryResponse
	viewer.must(http.StatusOK, http.MethodPost, "/api/ds/query", map[string]any{
		"from": "now-6h", "to": "now",
		"queries": []any{previewQuery("A", "SELECT key, name FROM contracts", "")},
	}).decode(t, &out)
	if len(out.Results["A"].Frames) != 1 || len(out.Results["A"].Frames[0].Data.Values[0]) != 3 {
		t.Fatalf("viewer query: %+v", out.Results["A"])
	}
	viewer.must(http.StatusOK, http.MethodGet, "/api/datasources/uid/"+datasourceUID+"/resources/demo/contracts", nil)
	r := viewer.must(http.StatusForbidden, http.MethodPost, "/api/datasources/uid/"+datasourceUID+"/resources/demo/reload", nil)
	if !strings.Contains(string(r.body), "needs the Editor role or higher; you are Viewer") {
		t.Fatalf("refusal body: %s", r.body)
	}
}

func TestEditorCanWrite(t *testing.T) {
	editor := newUser(t, "Editor")
	r := editor.must(http.StatusOK, http.MethodPost, "/api/datasources/uid/"+datasourceUID+"/resources/demo/reload", nil)
	if !strings.Contains(string(r.body), `"rows":`) {
		t.Fatalf("reload body: %s", r.body)
	}
}
