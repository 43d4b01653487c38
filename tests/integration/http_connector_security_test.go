//go:build integration

package integration

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"sync"
	"testing"
	"time"
)

// The HTTP connector's secret belongs to its base URL. Through the real
// Grafana, as a Viewer (whose dashboard queries may set a path), a path or
// contract key that climbs out of the base path, and a redirect to another
// port, are refused with an error naming the field, and the secret never
// reaches anything but the base path.

const apiSecret = "k3y-only-for-/kpi"

// apiLog records what a local HTTP API received.
type apiLog struct {
	mu   sync.Mutex
	seen []apiRequest
}

type apiRequest struct{ uri, clean, secret string }

func (l *apiLog) add(r *http.Request, clean string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seen = append(l.seen, apiRequest{uri: r.RequestURI, clean: clean, secret: r.Header.Get("X-Api-Key")})
}

func (l *apiLog) all() []apiRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]apiRequest(nil), l.seen...)
}

// kpiAPI serves rows below /kpi and a user list at /admin/users, resolving
// dot segments as many servers do; /kpi/redirect?to= redirects anywhere.
func kpiAPI(t *testing.T) (*httptest.Server, *apiLog) {
	t.Helper()
	log := &apiLog{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		clean := path.Clean("/" + strings.ReplaceAll(r.URL.Path, `\`, "/"))
		log.add(r, clean)
		switch {
		case clean == "/kpi/redirect":
			http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
		case clean == "/admin/users":
			fmt.Fprint(w, `[{"time":1767225600,"value":1,"email":"root@example.com"}]`)
		case strings.HasPrefix(clean, "/kpi/"):
			fmt.Fprintf(w, `[{"time":%d,"value":2,"email":"acme"}]`, time.Now().Add(-time.Hour).Unix())
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, log
}

// httpDatasource creates a Covenant datasource through Grafana's API with
// one HTTP JSON connector on base, its secret header in secureJsonData.
func httpDatasource(t *testing.T, base string) string {
	t.Helper()
	uid := fmt.Sprintf("covenant-http-%d", time.Now().UnixNano())
	admin(t).must(http.StatusOK, http.MethodPost, "/api/datasources", map[string]any{
		"name": uid, "uid": uid, "type": "covenant-kpi-datasource", "access": "proxy",
		"jsonData": map[string]any{"httpAllowedHosts": []string{"127.0.0.1"}, "connectors": []any{map[string]any{
			"uid": "api", "name": "kpi api", "type": "http-json", "url": base + "/kpi", "headerName": "X-Api-Key", "timeoutSeconds": 5,
		}}},
		"secureJsonData": map[string]string{"connectors.api.headerValue": apiSecret},
	})
	t.Cleanup(func() { admin(t).do(http.MethodDelete, "/api/datasources/uid/"+uid, nil) })
	return uid
}

// viewerQuery runs one query as a Viewer and returns its result; Grafana
// answers 200, or 400 when the query failed with a user's error.
func viewerQuery(t *testing.T, viewer *client, query map[string]any) queryResult {
	t.Helper()
	var out queryResponse
	r := viewer.do(http.MethodPost, "/api/ds/query", map[string]any{"from": "now-7d", "to": "now", "queries": []any{query}})
	if r.status != http.StatusOK && r.status != http.StatusBadRequest {
		t.Fatalf("/api/ds/query as a Viewer: status %d: %s", r.status, r.body)
	}
	r.decode(t, &out)
	return out.Results[query["refId"].(string)]
}

func TestHTTPConnectorSecretStaysBelowItsBasePath(t *testing.T) {
	api, log := kpiAPI(t)
	other, otherLog := kpiAPI(t) // 127.0.0.1, another port
	uid := httpDatasource(t, api.URL)

	r := admin(t).must(http.StatusOK, http.MethodGet, "/api/datasources/uid/"+uid, nil)
	if strings.Contains(string(r.body), apiSecret) {
		t.Fatalf("the secret header value was returned: %s", r.body)
	}
	viewer := newUser(t, "Viewer")
	ds := map[string]string{"uid": uid, "type": "covenant-kpi-datasource"}
	preview := func(refID, p, key string) map[string]any {
		return map[string]any{"refId": refID, "datasource": ds, "queryType": "connectorPreview", "connector": "kpi api",
			"path": p, "keyField": "email", "key": key}
	}

	// The connector works, and sends its secret, below /kpi: so the refusals below are the rule, not a broken setup.
	if res := viewerQuery(t, viewer, preview("ok", "/rows.json", "")); res.Error != "" || len(res.Frames) != 1 {
		t.Fatalf("a path below /kpi: %+v", res)
	}
	if got := log.all(); len(got) != 1 || got[0].uri != "/kpi/rows.json" || got[0].secret != apiSecret {
		t.Fatalf("the API received %+v, want one request to /kpi/rows.json with the secret", got)
	}

	for _, tt := range []struct {
		name  string
		query map[string]any
		want  string
	}{
		{"connectorPreview with ../", preview("A", "../admin/users", ""),
			`path: "../admin/users" has a .. segment: a path must stay below the connector's url`},
		{"connectorPreview, encoded", preview("A", "%2E%2e/admin/users", ""), `path: "%2E%2e/admin/users" has a .. segment`},
		{"connectorPreview, through the contract key", preview("A", "/contracts/$__key/rows.json", "../../admin/users"),
			"(after its macros are replaced) has a .. segment"},
		{"inline tracker", map[string]any{"refId": "A", "datasource": ds, "queryType": "trackerSeries", "contract": "acme",
			"trackers": []any{map[string]any{"name": "Users", "method": "count", "interval": "1d", "timezone": "UTC",
				"kpi": map[string]any{"name": "Users", "unit": "", "direction": "higher_is_better", "connector": "kpi api",
					"path": "../admin/users", "keyField": "email"},
				"target": map[string]any{"constant": 1}}}},
			`"../admin/users" has a .. segment`},
		{"a redirect to another port", preview("A", "/redirect?to="+url.QueryEscape(other.URL+"/kpi/rows.json"), ""),
			"a redirect must keep the scheme, host and port of the connector's url"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := viewerQuery(t, viewer, tt.query)
			if !strings.Contains(res.Error, tt.want) || len(res.Frames) != 0 {
				t.Fatalf("got %+v, want the error %q", res, tt.want)
			}
		})
	}

	for _, q := range log.all() {
		if q.clean != "/kpi" && !strings.HasPrefix(q.clean, "/kpi/") {
			t.Errorf("the API received %s (resolved to %s) with the secret %q", q.uri, q.clean, q.secret)
		}
	}
	if got := otherLog.all(); len(got) != 0 {
		t.Errorf("the server the redirect pointed at received %+v", got)
	}
}
