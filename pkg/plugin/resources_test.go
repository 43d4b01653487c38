package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

type captured struct {
	status int
	body   []byte
}

func callResource(t testing.TB, d *Datasource, role, method, path string) captured {
	t.Helper()
	return callResourceBody(t, d, role, method, path, "")
}

func callResourceBody(t testing.TB, d *Datasource, role, method, path, body string) captured {
	t.Helper()
	var out captured
	err := d.CallResource(context.Background(), &backend.CallResourceRequest{
		PluginContext: pluginCtx(role), Method: method, Path: strings.SplitN(path, "?", 2)[0], URL: path, Body: []byte(body),
	}, backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error {
		out.status = r.Status
		out.body = append(out.body, r.Body...)
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestResourceDemoContracts(t *testing.T) {
	setupDemo(t)
	d := newTestDatasource(t, `{}`)
	res := callResource(t, d, "Viewer", http.MethodGet, "demo/contracts")
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	var body struct {
		Contracts []struct{ Key, Name, Counterparty string } `json:"contracts"`
	}
	if err := json.Unmarshal(res.body, &body); err != nil {
		t.Fatal(err)
	}
	keys := []string{}
	for _, c := range body.Contracts {
		keys = append(keys, c.Key)
	}
	if strings.Join(keys, ",") != "acme-it,globex-logistics,initech-cloud" {
		t.Fatalf("contracts: %v", keys)
	}
}

func TestResourceConnectors(t *testing.T) {
	setupDemo(t)
	res := callResource(t, newTestDatasource(t, `{}`), "Viewer", http.MethodGet, "connectors")
	if res.status != http.StatusOK || !strings.Contains(string(res.body), `"name":"demo"`) || !strings.Contains(string(res.body), `"uptime"`) {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	res = callResource(t, newTestDatasource(t, `{"demoDisabled":true}`), "Viewer", http.MethodGet, "connectors")
	if res.status != http.StatusOK || string(res.body) != "{\"connectors\":[]}\n" {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
}

func TestResourceWritesNeedTheWriteRole(t *testing.T) {
	setupDemo(t)
	tests := []struct {
		name, settings, role string
		wantStatus           int
		wantText             string
	}{
		{"viewer refused", `{}`, "Viewer", http.StatusForbidden, "needs the Editor role or higher; you are Viewer"},
		{"anonymous refused", `{}`, "", http.StatusForbidden, "you are anonymous"},
		{"editor allowed", `{}`, "Editor", http.StatusOK, `"rows":`},
		{"admin allowed", `{}`, "Admin", http.StatusOK, `"rows":`},
		{"editor refused when admins only", `{"writeRole":"Admin"}`, "Editor", http.StatusForbidden, "needs the Admin role"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newTestDatasource(t, tt.settings)
			res := callResource(t, d, tt.role, http.MethodPost, "demo/reload")
			if res.status != tt.wantStatus || !strings.Contains(string(res.body), tt.wantText) {
				t.Fatalf("got %d %s, want %d containing %q", res.status, res.body, tt.wantStatus, tt.wantText)
			}
			if res.status == http.StatusForbidden && !json.Valid(res.body) {
				t.Fatalf("error body is not JSON: %s", res.body)
			}
		})
	}
}

func TestResourceUnknownPath(t *testing.T) {
	setupDemo(t)
	res := callResource(t, newTestDatasource(t, `{}`), "Viewer", http.MethodGet, "nope")
	if res.status != http.StatusNotFound || !strings.Contains(string(res.body), `"error":"no resource GET /nope`) {
		t.Fatalf("got %d %s", res.status, res.body)
	}
}
