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

// alertQuery is a rule's query on the Covenant datasource, reduced to its last value and
// compared with a threshold: one alert instance per series (tracker or agreement).
func alertRule(title, group, folder string, model map[string]any, from int, above float64) map[string]any {
	return map[string]any{
		"title": title, "ruleGroup": group, "folderUID": folder, "condition": "C", "for": "0s",
		"noDataState": "OK", "execErrState": "Error", "orgID": 1,
		"annotations": map[string]string{"contract_url": "/a/covenant-contracts-app/contracts/{{ $labels.contract }}"},
		"data": []any{
			map[string]any{"refId": "A", "relativeTimeRange": map[string]int{"from": from, "to": 0}, "datasourceUid": datasourceUID, "model": model},
			map[string]any{"refId": "B", "datasourceUid": "__expr__", "model": map[string]any{"refId": "B", "type": "reduce", "expression": "A", "reducer": "last", "settings": map[string]string{"mode": "dropNN"}}},
			map[string]any{"refId": "C", "datasourceUid": "__expr__", "model": map[string]any{"refId": "C", "type": "threshold", "expression": "B",
				"conditions": []any{map[string]any{"evaluator": map[string]any{"type": "gt", "params": []float64{above}}}}}},
		},
	}
}

// trackedContracts creates a KPI (rawSQL, higher is better) named name and, for each id of
// targets, a contract id with one tracker "<name> <id>" of that KPI (interval, constant
// target) assigned with key. It returns the function that posts registry objects.
func trackedContracts(t *testing.T, a *client, sfx, name, rawSQL, interval, key string, targets map[string]float64) func(kind string, body map[string]any) {
	t.Helper()
	post := func(kind string, body map[string]any) {
		a.must(http.StatusCreated, http.MethodPost, registryPath(kind), body)
	}
	kpi := "kpi-" + sfx + "-" + strings.ToLower(strings.ReplaceAll(name, " ", "-"))
	post("kpis", map[string]any{"id": kpi, "name": name + " " + sfx, "unit": "percent", "direction": "higher_is_better", "rawSql": rawSQL})
	for id, target := range targets {
		post("contracts", map[string]any{"id": id, "name": id, "counterparty": "Alert test", "status": "active"})
		post("trackers", map[string]any{"id": id, "name": name + " " + id, "kpiId": kpi, "method": "avg", "interval": interval,
			"target": map[string]any{"constant": target}})
		post("assignments", map[string]any{"id": id, "contractId": id, "trackerId": id, "key": key})
	}
	return post
}

// alertFolder creates a folder for a test's alert rules, deleted with its rules after the test.
func alertFolder(t *testing.T, a *client, title string) string {
	t.Helper()
	var folder struct {
		UID string `json:"uid"`
	}
	a.must(http.StatusOK, http.MethodPost, "/api/folders", map[string]any{"title": title}).decode(t, &folder)
	t.Cleanup(func() { a.do(http.MethodDelete, "/api/folders/"+folder.UID+"?forceDeleteRules=true", nil) })
	return folder.UID
}

// evaluateEvery10s makes a rule group run every 10 s (the test Grafana's minimum).
func evaluateEvery10s(t *testing.T, a *client, folder, group string) {
	t.Helper()
	var g map[string]any
	path := "/api/v1/provisioning/folder/" + folder + "/rule-groups/" + group
	a.must(http.StatusOK, http.MethodGet, path, nil).decode(t, &g)
	g["interval"] = 10
	a.must(http.StatusOK, http.MethodPut, path, g)
}

type ruleState struct {
	Name      string `json:"name"`
	Health    string `json:"health"`
	LastError string `json:"lastError"`
	Alerts    []struct {
		State       string            `json:"state"`
		Labels      map[string]string `json:"labels"`
		Annotations map[string]string `json:"annotations"`
	} `json:"alerts"`
}

// rules reads the state of every alert rule, as Grafana's alerting UI does.
func rules(a *client) map[string]ruleState {
	var body struct {
		Data struct {
			Groups []struct {
				Rules []ruleState `json:"rules"`
			} `json:"groups"`
		} `json:"data"`
	}
	a.must(http.StatusOK, http.MethodGet, "/api/prometheus/grafana/api/v1/rules", nil).decode(a.t, &body)
	out := map[string]ruleState{}
	for _, g := range body.Data.Groups {
		for _, r := range g.Rules {
			out[r.Name] = r
		}
	}
	return out
}

// TestAlertRulesFireOnBreachesOnly: on the real Grafana, a tracker rule and an agreement rule
// go to Alerting for a contract whose demo data breaches its target, and stay Normal for one
// whose data meets it.
func TestAlertRulesFireOnBreachesOnly(t *testing.T) {
	a := admin(t)
	sfx := fmt.Sprint(time.Now().UnixNano() % 1e9)
	breach, meet := "alert-breach-"+sfx, "alert-meet-"+sfx
	post := trackedContracts(t, a, sfx, "Availability", "SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key",
		"1d", "acme-it", map[string]float64{breach: 101, meet: 0})
	for _, id := range []string{breach, meet} {
		post("agreements", map[string]any{"id": id, "name": "SLA " + id, "contractId": id, "period": map[string]any{"kind": "month"},
			"complianceTarget": 90, "trackers": []any{map[string]any{"assignmentId": id, "weight": 1}}})
	}
	folder := alertFolder(t, a, "Covenant alert test "+sfx)
	group := "covenant-test-" + sfx
	contracts := breach + "," + meet
	trackerRule, agreementRule := "Tracker red "+sfx, "Agreement breached "+sfx
	a.must(http.StatusCreated, http.MethodPost, "/api/v1/provisioning/alert-rules", alertRule(trackerRule, group, folder,
		map[string]any{"refId": "A", "queryType": "trackerSeries", "contract": contracts, "fields": []string{"rag"}}, 7*86400, 1.5))
	a.must(http.StatusCreated, http.MethodPost, "/api/v1/provisioning/alert-rules", alertRule(agreementRule, group, folder,
		map[string]any{"refId": "A", "queryType": "agreementCompliance", "contract": contracts, "fields": []string{"status"}}, 86400, 1.5))
	evaluateEvery10s(t, a, folder, group)

	want := map[string]string{breach: "Alerting", meet: "Normal"}
	deadline := time.Now().Add(90 * time.Second)
	for {
		state := rules(a)
		done := true
		var seen []string
		for _, name := range []string{trackerRule, agreementRule} {
			r := state[name]
			if r.LastError != "" {
				t.Fatalf("%s: %s", name, r.LastError)
			}
			got := map[string]string{}
			for _, al := range r.Alerts {
				got[al.Labels["contract"]] = al.State
				// The notification links to the contract's page in the app.
				if al.State == "Alerting" && al.Annotations["contract_url"] != "/a/covenant-contracts-app/contracts/"+al.Labels["contract"] {
					t.Fatalf("contract_url %q for %v", al.Annotations["contract_url"], al.Labels)
				}
				if al.Labels["contract"] == breach && name == trackerRule && al.Labels["tracker"] != "Availability "+breach {
					t.Fatalf("labels %v", al.Labels)
				}
			}
			for c, s := range want {
				seen = append(seen, fmt.Sprintf("%s/%s=%s", name, c, got[c]))
				if got[c] != s { // "Normal (NoData)" would mean no series for the contract
					done = false
				}
			}
		}
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 90 s: %v", seen)
		}
		time.Sleep(2 * time.Second)
	}
}

// TestProvisionedAlertRules: the example rules (provisioning/alerting) are there, and each
// rule's query runs on the datasource without error.
func TestProvisionedAlertRules(t *testing.T) {
	a := admin(t)
	var list []struct {
		UID   string `json:"uid"`
		Title string `json:"title"`
		Data  []struct {
			DatasourceUID string          `json:"datasourceUid"`
			Model         json.RawMessage `json:"model"`
		} `json:"data"`
	}
	a.must(http.StatusOK, http.MethodGet, "/api/v1/provisioning/alert-rules", nil).decode(t, &list)
	found := map[string]bool{}
	for _, r := range list {
		if !strings.HasPrefix(r.UID, "covenant-") {
			continue
		}
		found[r.UID] = true
		var q map[string]any
		if err := json.Unmarshal(r.Data[0].Model, &q); err != nil {
			t.Fatal(err)
		}
		q["datasource"] = map[string]string{"uid": r.Data[0].DatasourceUID}
		var res queryResponse
		a.must(http.StatusOK, http.MethodPost, "/api/ds/query", map[string]any{"from": "now-31d", "to": "now", "queries": []any{q}}).decode(t, &res)
		if res.Results["A"].Error != "" {
			t.Fatalf("%s: %s", r.Title, res.Results["A"].Error)
		}
	}
	for _, uid := range []string{"covenant-tracker-red", "covenant-consecutive-misses", "covenant-agreement-at-risk"} {
		if !found[uid] {
			t.Fatalf("rule %s is not provisioned: %v", uid, found)
		}
	}
}
