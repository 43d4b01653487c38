//go:build integration

package integration

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// anonymous calls the Grafana API with no credentials: a manager's browser holding a shared link.
func anonymous(t *testing.T, method, path string, body any) response {
	t.Helper()
	return (&client{t: t}).do(method, path, body)
}

// contractDashboard is what the contract page's Share does (src/shared/share.ts): the bundled
// dashboard with $datasource and $contract resolved, $tracker dropped (every tracker) and no
// variables, saved under its own uid.
func contractDashboard(t *testing.T, a *client, dsUID, contract, uid string) map[string]any {
	t.Helper()
	var bundled struct {
		Dashboard map[string]any `json:"dashboard"`
	}
	r := a.must(http.StatusOK, http.MethodGet, "/api/dashboards/uid/covenant-contract-performance", nil)
	s := strings.NewReplacer("${datasource}", dsUID, "$contract", contract).Replace(string(r.body))
	if err := json.Unmarshal([]byte(s), &bundled); err != nil {
		t.Fatal(err)
	}
	d := bundled.Dashboard
	for _, p := range d["panels"].([]any) {
		for _, target := range p.(map[string]any)["targets"].([]any) {
			q := target.(map[string]any)
			if ids, ok := q["trackerIds"].([]any); ok && len(ids) == 1 && ids[0] == "$tracker" {
				delete(q, "trackerIds")
			}
		}
	}
	delete(d, "id")
	d["uid"], d["title"] = uid, "Public "+uid
	d["templating"] = map[string]any{"list": []any{}}
	a.must(http.StatusOK, http.MethodPost, "/api/dashboards/db", map[string]any{"dashboard": d, "overwrite": true})
	t.Cleanup(func() { a.do(http.MethodDelete, "/api/dashboards/uid/"+uid, nil) })
	return d
}

// makePublic turns on a public link for a dashboard and returns its access token.
func makePublic(t *testing.T, c *client, uid string) string {
	t.Helper()
	var pd struct {
		UID         string `json:"uid"`
		AccessToken string `json:"accessToken"`
	}
	c.must(http.StatusOK, http.MethodPost, "/api/dashboards/uid/"+uid+"/public-dashboards", map[string]any{"isEnabled": true, "share": "public"}).decode(t, &pd)
	if pd.AccessToken == "" {
		t.Fatalf("no access token for %s", uid)
	}
	return pd.AccessToken
}

type publicPanel struct {
	ID      int              `json:"id"`
	Title   string           `json:"title"`
	Targets []map[string]any `json:"targets"`
}

func publicQuery(t *testing.T, token string, panel int, extra map[string]any) response {
	t.Helper()
	body := map[string]any{"intervalMs": 3600000, "maxDataPoints": 500}
	for k, v := range extra {
		body[k] = v
	}
	return anonymous(t, http.MethodPost, fmt.Sprintf("/api/public/dashboards/%s/panels/%d/query", token, panel), body)
}

// TestSharedContractDashboardWithoutSigningIn: an Admin shares a contract's dashboard by a public
// link (Grafana lets only Admins do so); with no credentials every panel of it answers with that
// contract's figures, while the datasource's API, other queries and other contracts stay closed.
func TestSharedContractDashboardWithoutSigningIn(t *testing.T) {
	uid := fmt.Sprintf("covenant-cp-it-%d", time.Now().UnixNano())
	contractDashboard(t, admin(t), datasourceUID, "acme-it", uid)
	r := newUser(t, "Editor").do(http.MethodPost, "/api/dashboards/uid/"+uid+"/public-dashboards", map[string]any{"isEnabled": true, "share": "public"})
	if r.status != http.StatusForbidden || !strings.Contains(string(r.body), "dashboards.public:write") {
		t.Fatalf("an Editor making the dashboard public: %d %s, want 403 naming dashboards.public:write", r.status, r.body)
	}
	token := makePublic(t, admin(t), uid)

	var pub struct {
		Dashboard struct {
			Panels []publicPanel `json:"panels"`
		} `json:"dashboard"`
	}
	r = anonymous(t, http.MethodGet, "/api/public/dashboards/"+token, nil)
	if r.status != http.StatusOK {
		t.Fatalf("the public dashboard without signing in: %d %s", r.status, r.body)
	}
	r.decode(t, &pub)
	queried := 0
	for _, p := range pub.Dashboard.Panels {
		if len(p.Targets) == 0 {
			continue
		}
		r := publicQuery(t, token, p.ID, nil)
		if r.status != http.StatusOK {
			t.Fatalf("panel %q: %d %s", p.Title, r.status, r.body)
		}
		var out queryResponse
		r.decode(t, &out)
		for ref, res := range out.Results {
			if res.Error != "" || len(res.Frames) == 0 {
				t.Fatalf("panel %q, query %s: %+v", p.Title, ref, res)
			}
			for _, f := range res.Frames {
				for _, fld := range f.Schema.Fields {
					if c, ok := fld.Labels["contract"]; ok && c != "acme-it" {
						t.Fatalf("panel %q shows contract %s", p.Title, c)
					}
				}
			}
		}
		queried++
	}
	if queried < 4 {
		t.Fatalf("only %d panels with queries on the shared dashboard", queried)
	}

	// A query smuggled into the request is not run: the panel's own queries are.
	first := pub.Dashboard.Panels[0]
	for _, p := range pub.Dashboard.Panels {
		if len(p.Targets) > 0 {
			first = p
			break
		}
	}
	injected := previewQuery("X", "SELECT contract AS key FROM calls", "")
	r = publicQuery(t, token, first.ID, map[string]any{"queries": []any{injected}})
	var out queryResponse
	r.decode(t, &out)
	if _, ran := out.Results["X"]; ran || len(out.Results) != len(first.Targets) {
		t.Fatalf("the public query ran what the request asked: %s", r.body)
	}

	// Nothing else opens without signing in.
	for _, path := range []string{
		"/api/datasources/uid/covenant/resources/contracts",
		"/api/datasources/uid/covenant/resources/report?contractId=acme-it",
		"/api/dashboards/uid/" + uid,
	} {
		if r := anonymous(t, http.MethodGet, path, nil); r.status != http.StatusUnauthorized {
			t.Fatalf("GET %s without signing in: %d, want 401", path, r.status)
		}
	}
	if r := anonymous(t, http.MethodPost, "/api/ds/query", map[string]any{"queries": []any{injected}}); r.status != http.StatusUnauthorized {
		t.Fatalf("/api/ds/query without signing in: %d, want 401", r.status)
	}
	// Nor does anything write to the registry: the public path only runs the panels' saved queries.
	if r := anonymous(t, http.MethodPost, registryPath("contracts"), map[string]any{"id": "x", "name": "x"}); r.status != http.StatusUnauthorized {
		t.Fatalf("a registry write without signing in: %d, want 401", r.status)
	}
	if r := publicQuery(t, token, 999, nil); r.status < 400 || r.status >= 500 {
		t.Fatalf("an unknown panel: %d %s, want a 4xx", r.status, r.body)
	}
	if r := publicQuery(t, "0000000000000000000000000000abcd", first.ID, nil); r.status < 400 || r.status >= 500 {
		t.Fatalf("an unknown token: %d %s, want a 4xx", r.status, r.body)
	}

	// Nor can an Editor stop the share; an Admin can, and the link closes at once.
	var pd struct {
		UID string `json:"uid"`
	}
	admin(t).must(http.StatusOK, http.MethodGet, "/api/dashboards/uid/"+uid+"/public-dashboards", nil).decode(t, &pd)
	if r := newUser(t, "Editor").do(http.MethodDelete, "/api/dashboards/uid/"+uid+"/public-dashboards/"+pd.UID, nil); r.status != http.StatusForbidden {
		t.Fatalf("an Editor stopping the share: %d, want 403", r.status)
	}
	admin(t).must(http.StatusOK, http.MethodDelete, "/api/dashboards/uid/"+uid+"/public-dashboards/"+pd.UID, nil)
	if r := publicQuery(t, token, first.ID, nil); r.status < 400 || r.status >= 500 {
		t.Fatalf("the stopped link still answers: %d %s", r.status, r.body)
	}
}

// TestSharedDashboardKeepsSecrets: a shared dashboard on a datasource whose PostgreSQL connector
// has a password: neither the public dashboard nor its answers carry the password or the query.
func TestSharedDashboardKeepsSecrets(t *testing.T) {
	u, pw := pgURL(t)
	dsUID := pgDatasource(t, u, pw)
	a := admin(t)
	uid := fmt.Sprintf("covenant-secret-it-%d", time.Now().UnixNano())
	sql := "SELECT now() AS time, 42.5::float8 AS value"
	a.must(http.StatusOK, http.MethodPost, "/api/dashboards/db", map[string]any{"dashboard": map[string]any{
		"uid": uid, "title": uid, "panels": []any{map[string]any{
			"id": 1, "type": "timeseries", "title": "Warehouse", "datasource": map[string]string{"uid": dsUID},
			"targets": []any{map[string]any{"refId": "A", "datasource": map[string]string{"uid": dsUID},
				"queryType": "connectorPreview", "connector": "warehouse", "rawSql": sql}},
		}},
	}})
	t.Cleanup(func() { a.do(http.MethodDelete, "/api/dashboards/uid/"+uid, nil) })
	token := makePublic(t, a, uid)

	dash := anonymous(t, http.MethodGet, "/api/public/dashboards/"+token, nil)
	res := publicQuery(t, token, 1, nil)
	if dash.status != http.StatusOK || res.status != http.StatusOK {
		t.Fatalf("public dashboard %d %s; query %d %s", dash.status, dash.body, res.status, res.body)
	}
	var out queryResponse
	res.decode(t, &out)
	if r := out.Results["A"]; r.Error != "" || len(r.Frames) != 1 || r.Frames[0].Data.Values[1][0] != 42.5 {
		t.Fatalf("the shared panel's answer: %s", res.body)
	}
	for name, body := range map[string][]byte{"public dashboard": dash.body, "panel answer": res.body} {
		for _, secret := range []string{pw, "secureJsonData", "password", sql, "42.5::float8"} {
			if strings.Contains(string(body), secret) {
				t.Fatalf("the %s carries %q: %s", name, secret, body)
			}
		}
	}
}
