//go:build integration

package integration

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func registryPath(kind string) string {
	return "/api/datasources/uid/" + datasourceUID + "/resources/registry/" + kind
}

// TestRegistryThroughGrafana: an Editor defines a contract, a KPI on the demo
// connector, a tracker and the mapping through Grafana's API; a Viewer reads
// them and queries the contract's trend, but cannot write.
func TestRegistryThroughGrafana(t *testing.T) {
	editor, viewer := newUser(t, "Editor"), newUser(t, "Viewer")
	sfx := fmt.Sprint(time.Now().UnixNano())
	contract := "it-" + sfx
	var created struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
	}
	editor.must(http.StatusCreated, http.MethodPost, registryPath("contracts"), map[string]any{
		"id": contract, "name": "IT services " + sfx, "counterparty": "Acme Corp", "status": "active", "noticeDays": 90,
	}).decode(t, &created)
	if created.ID != contract || created.Version != 1 {
		t.Fatalf("created %+v", created)
	}
	editor.must(http.StatusCreated, http.MethodPost, registryPath("kpis"), map[string]any{
		"id": "uptime-" + sfx, "name": "Uptime", "unit": "percent", "direction": "higher_is_better",
		"rawSql": "SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key",
	})
	editor.must(http.StatusCreated, http.MethodPost, registryPath("trackers"), map[string]any{
		"id": "availability-" + sfx, "name": "Availability", "kpiId": "uptime-" + sfx, "method": "avg", "interval": "1d",
		"timezone": "Europe/London", "target": map[string]any{"constant": 99.9}, "tolerance": map[string]any{"value": 0.5},
	})
	editor.must(http.StatusCreated, http.MethodPost, registryPath("assignments"), map[string]any{
		"contractId": contract, "trackerId": "availability-" + sfx, "key": "acme-it", "clause": "Schedule 2 §4",
	})
	viewer.must(http.StatusForbidden, http.MethodPost, registryPath("contracts"), map[string]any{"name": "x", "counterparty": "y"})
	var page struct {
		Total int `json:"total"`
	}
	viewer.must(http.StatusOK, http.MethodGet, registryPath("assignments")+"?contractId="+contract, nil).decode(t, &page)
	if page.Total != 1 {
		t.Fatalf("assignments of the contract: %d", page.Total)
	}
	var out queryResponse
	viewer.must(http.StatusOK, http.MethodPost, "/api/ds/query", map[string]any{
		"from": "now-30d", "to": "now",
		"queries": []any{map[string]any{"refId": "A", "datasource": map[string]string{"uid": datasourceUID},
			"queryType": "trackerSeries", "contract": contract}},
	}).decode(t, &out)
	res := out.Results["A"]
	if res.Error != "" || len(res.Frames) != 1 || len(res.Frames[0].Data.Values[1]) < 28 {
		t.Fatalf("trackerSeries from the registry: %+v", res)
	}
	if l := res.Frames[0].Schema.Fields[1].Labels; l["contract"] != contract || l["counterparty"] != "Acme Corp" {
		t.Fatalf("labels %v", l)
	}
	// A stale update is refused and changes nothing.
	body := map[string]any{"id": contract, "version": 1, "name": "IT services " + sfx, "counterparty": "Acme Corp", "status": "active", "noticeDays": 60}
	editor.must(http.StatusOK, http.MethodPut, registryPath("contracts/"+contract), body)
	body["noticeDays"] = 30
	r := editor.must(http.StatusConflict, http.MethodPut, registryPath("contracts/"+contract), body)
	if !strings.Contains(string(r.body), "is at version 2, not 1") {
		t.Fatalf("conflict: %s", r.body)
	}
}

// TestSecondOrgSeesNothingOfTheFirst: a Covenant datasource in another org has its own registry.
func TestSecondOrgSeesNothingOfTheFirst(t *testing.T) {
	a := admin(t)
	sfx := fmt.Sprint(time.Now().UnixNano())
	var org struct {
		OrgID int64 `json:"orgId"`
	}
	a.must(http.StatusOK, http.MethodPost, "/api/orgs", map[string]any{"name": "Second " + sfx}).decode(t, &org)
	t.Cleanup(func() { a.do(http.MethodDelete, fmt.Sprintf("/api/orgs/%d", org.OrgID), nil) })
	other := &client{t: t, user: "admin", pass: "admin", orgID: org.OrgID}
	other.must(http.StatusOK, http.MethodPost, "/api/datasources", map[string]any{
		"name": "Covenant", "uid": datasourceUID, "type": "covenant-kpi-datasource", "access": "proxy", "jsonData": map[string]any{},
	})
	// The first org has a contract; the second org's registry does not show it.
	a.must(http.StatusCreated, http.MethodPost, registryPath("contracts"), map[string]any{"id": "org1-" + sfx, "name": "Org one " + sfx, "counterparty": "A"})
	var page struct {
		Total int `json:"total"`
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	other.must(http.StatusOK, http.MethodGet, registryPath("contracts")+"?search="+sfx, nil).decode(t, &page)
	if page.Total != 0 {
		t.Fatalf("the second org sees %+v", page.Items)
	}
	other.must(http.StatusCreated, http.MethodPost, registryPath("contracts"), map[string]any{"id": "org2-" + sfx, "name": "Org two " + sfx, "counterparty": "B"})
	a.must(http.StatusOK, http.MethodGet, registryPath("contracts")+"?search="+sfx, nil).decode(t, &page)
	if page.Total != 1 || page.Items[0].ID != "org1-"+sfx {
		t.Fatalf("the first org sees %+v", page.Items)
	}
	// A user whose only org is the second one cannot reach the first org's datasource.
	login := "org2-user-" + sfx
	var u struct {
		ID int64 `json:"id"`
	}
	a.must(http.StatusOK, http.MethodPost, "/api/admin/users", map[string]any{"login": login, "password": "covenant-test-pw", "OrgId": org.OrgID}).decode(t, &u)
	t.Cleanup(func() { a.do(http.MethodDelete, fmt.Sprintf("/api/admin/users/%d", u.ID), nil) })
	a.do(http.MethodDelete, fmt.Sprintf("/api/orgs/1/users/%d", u.ID), nil)
	stranger := &client{t: t, user: login, pass: "covenant-test-pw", orgID: 1}
	if r := stranger.do(http.MethodGet, registryPath("contracts"), nil); r.status == http.StatusOK {
		t.Fatalf("a user of the second org read the first org's registry: %s", r.body)
	}
}

// TestDemoRegistryOnAFreshInstall: with no manual step, the provisioned
// datasource's registry holds the demo contracts, and each one's assigned
// trackers compute through Grafana.
func TestDemoRegistryOnAFreshInstall(t *testing.T) {
	viewer := newUser(t, "Viewer")
	for contract, trackers := range map[string]int{"acme-it": 3, "globex-logistics": 2, "initech-cloud": 5} {
		viewer.must(http.StatusOK, http.MethodGet, registryPath("contracts/"+contract), nil)
		var out queryResponse
		viewer.must(http.StatusOK, http.MethodPost, "/api/ds/query", map[string]any{
			"from": "now-90d", "to": "now",
			"queries": []any{map[string]any{"refId": "A", "datasource": map[string]string{"uid": datasourceUID},
				"queryType": "trackerSeries", "contract": contract}},
		}).decode(t, &out)
		res := out.Results["A"]
		if res.Error != "" || len(res.Frames) != trackers {
			t.Fatalf("%s: %s, %d frames", contract, res.Error, len(res.Frames))
		}
	}
}

// TestContractPerformanceDashboard: the dashboard bundled with the app is imported when the app is
// enabled, its $datasource variable picks a Covenant datasource and its $contract variable lists the
// registry's contracts, and every panel's query returns frames for each of them.
func TestContractPerformanceDashboard(t *testing.T) {
	a := admin(t)
	var bundled []struct {
		UID      string `json:"uid"`
		Imported bool   `json:"imported"`
		PluginID string `json:"pluginId"`
	}
	// The app imports its dashboards in the background once Grafana has started.
	deadline := time.Now().Add(60 * time.Second)
	for {
		a.must(http.StatusOK, http.MethodGet, "/api/plugins/covenant-contracts-app/dashboards", nil).decode(t, &bundled)
		if len(bundled) == 1 && bundled[0].Imported {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the app's dashboards: %+v", bundled)
		}
		time.Sleep(time.Second)
	}
	if bundled[0].UID != "covenant-contract-performance" {
		t.Fatalf("the app's dashboard: %+v", bundled[0])
	}
	var d struct {
		Dashboard struct {
			Templating struct {
				List []struct {
					Name       string         `json:"name"`
					Type       string         `json:"type"`
					Query      any            `json:"query"`
					Datasource map[string]any `json:"datasource"`
				} `json:"list"`
			} `json:"templating"`
			Panels []struct {
				Title           string           `json:"title"`
				Type            string           `json:"type"`
				Targets         []map[string]any `json:"targets"`
				Transformations []map[string]any `json:"transformations"`
			} `json:"panels"`
		} `json:"dashboard"`
	}
	a.must(http.StatusOK, http.MethodGet, "/api/dashboards/uid/covenant-contract-performance", nil).decode(t, &d)
	vars := d.Dashboard.Templating.List
	if len(vars) != 3 || vars[0].Name != "datasource" || vars[0].Type != "datasource" || vars[0].Query != "covenant-kpi-datasource" || vars[1].Name != "contract" ||
		vars[2].Name != "tracker" {
		t.Fatalf("variables: %+v", vars)
	}
	// What Grafana does with ${datasource}: the chosen datasource's uid.
	withDatasource := func(q map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range q {
			out[k] = v
		}
		if ref, _ := out["datasource"].(map[string]any); ref["uid"] != "${datasource}" {
			t.Fatalf("a query not on $datasource: %v", q)
		}
		out["datasource"] = map[string]string{"uid": datasourceUID}
		return out
	}
	var contracts queryResponse
	variable := vars[1].Query.(map[string]any)
	variable["datasource"] = vars[1].Datasource
	a.must(http.StatusOK, http.MethodPost, "/api/ds/query", map[string]any{"from": "now-1h", "to": "now", "queries": []any{withDatasource(variable)}}).decode(t, &contracts)
	vr := contracts.Results["contracts"]
	if vr.Error != "" || len(vr.Frames) != 1 {
		t.Fatalf("the $contract variable: %+v", vr)
	}
	var ids []string
	for _, v := range vr.Frames[0].Data.Values[1] {
		ids = append(ids, v.(string))
	}
	for _, want := range []string{"acme-it", "globex-logistics", "initech-cloud"} {
		if !strings.Contains(strings.Join(ids, ","), want) {
			t.Fatalf("$contract offers %v, not %s", ids, want)
		}
	}
	for _, id := range []string{"acme-it", "globex-logistics", "initech-cloud"} {
		// $tracker lists the contract's trackers; "All" (its default) is every one of them.
		trackerVar := map[string]any{}
		for k, v := range vars[2].Query.(map[string]any) {
			trackerVar[k] = v
		}
		trackerVar["datasource"], trackerVar["contract"] = vars[2].Datasource, id
		var trackers queryResponse
		a.must(http.StatusOK, http.MethodPost, "/api/ds/query", map[string]any{"from": "now-1h", "to": "now", "queries": []any{withDatasource(trackerVar)}}).decode(t, &trackers)
		tr := trackers.Results["trackers"]
		if tr.Error != "" || len(tr.Frames) != 1 || len(tr.Frames[0].Data.Values[1]) == 0 {
			t.Fatalf("the $tracker variable of %s: %+v", id, tr)
		}
		all := tr.Frames[0].Data.Values[1]
		for _, p := range d.Dashboard.Panels {
			for _, target := range p.Targets {
				q := withDatasource(target)
				q["contract"] = strings.ReplaceAll(q["contract"].(string), "$contract", id)
				if ids, ok := q["trackerIds"].([]any); ok {
					if len(ids) != 1 || ids[0] != "$tracker" {
						t.Fatalf("panel %q narrows to %v, not $tracker", p.Title, ids)
					}
					q["trackerIds"] = all
				}
				var out queryResponse
				a.must(http.StatusOK, http.MethodPost, "/api/ds/query", map[string]any{"from": "now-90d", "to": "now", "queries": []any{q}}).decode(t, &out)
				res := out.Results["A"]
				if res.Error != "" || len(res.Frames) == 0 {
					t.Fatalf("%s, panel %q: %+v", id, p.Title, res)
				}
				checkPanelFields(t, id, p.Title, p.Type, p.Transformations, target, res)
			}
		}
	}
}

// checkPanelFields: what a panel draws is what its query answers. The panels
// pick their figures with the query's fields (one series per tracker or
// agreement), never with a transformation matching field names, which broke
// once when Grafana named the fields differently than the pattern expected
// ("Data is missing a number field"). So a chart gets number fields, each of
// them one it asked for.
func checkPanelFields(t *testing.T, contract, title, typ string, transformations []map[string]any, target map[string]any, res queryResult) {
	t.Helper()
	if len(transformations) > 0 {
		t.Fatalf("%s, panel %q transforms its answer (%v): pick the figures with the query's fields instead", contract, title, transformations)
	}
	var want []string
	if fs, ok := target["fields"].([]any); ok {
		for _, f := range fs {
			want = append(want, f.(string))
		}
	}
	numbers := 0
	for _, fr := range res.Frames {
		for _, f := range fr.Schema.Fields {
			if f.Type != "number" {
				continue
			}
			numbers++
			if len(want) > 0 && !slices.Contains(want, f.Name) {
				t.Fatalf("%s, panel %q asked for %v and got the field %q", contract, title, want, f.Name)
			}
		}
	}
	if numbers == 0 && typ != "table" && typ != "text" {
		t.Fatalf("%s, panel %q (%s) gets no number field: Grafana would say \"Data is missing a number field\"", contract, title, typ)
	}
}
