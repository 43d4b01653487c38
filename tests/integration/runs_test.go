//go:build integration

package integration

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"testing"
	"time"
)

// invoiceTracker is an inline monthly tracker of the demo invoices' accuracy against target.
func invoiceTracker(name string, target float64) map[string]any {
	return map[string]any{
		"name": name, "method": "avg", "interval": "1M", "timezone": "UTC",
		"kpi": map[string]any{"name": "Invoice accuracy", "unit": "percent", "direction": "higher_is_better",
			"rawSql": "SELECT time, accurate * 100.0 AS value FROM invoices WHERE $__timeFilter(time) AND contract = $__key"},
		"target": map[string]any{"constant": target},
	}
}

// seriesByTracker runs a trackerSeries query over [from, to) (epoch ms) and indexes its
// frames by "contract/tracker".
func seriesByTracker(t *testing.T, from, to int64, query map[string]any) map[string]frame {
	t.Helper()
	res, _ := rangeQuery(t, admin(t), strconv.FormatInt(from, 10), strconv.FormatInt(to, 10), query)
	if res.Error != "" || len(res.Frames) == 0 {
		t.Fatalf("query %v: %+v", query["refId"], res)
	}
	out := map[string]frame{}
	for _, f := range res.Frames {
		l := f.Schema.Fields[1].Labels
		out[l["contract"]+"/"+l["tracker"]] = f
	}
	return out
}

// column is a frame's values of the named field.
func column(t *testing.T, f frame, name string) []any {
	t.Helper()
	for i, fl := range f.Schema.Fields {
		if fl.Name == name {
			return f.Data.Values[i]
		}
	}
	t.Fatalf("frame %s has no field %s", f.Schema.Name, name)
	return nil
}

// TestRunsAndTrendDoNotDependOnTheRange: through the real Grafana, the same trackerSeries
// queries over the 35 days and the 400 days up to the same instant give, on every bucket
// both hold, the same consecutive misses, and the same trend. The queries: the demo
// contracts acme-it and globex-logistics from the registry (daily, weekly and monthly
// trackers), and an inline monthly invoice accuracy of globex-logistics against 101 %, which
// no month can meet: its run on the last closed month of the short range counts every
// month with invoices before it (about two years of demo data), far more than the short
// range's two or three months, which is all main counted.
func TestRunsAndTrendDoNotDependOnTheRange(t *testing.T) {
	to := time.Now().UnixMilli()
	queries := []map[string]any{
		{"refId": "A", "datasource": map[string]string{"uid": datasourceUID}, "queryType": "trackerSeries", "contract": "acme-it,globex-logistics"},
		{"refId": "B", "datasource": map[string]string{"uid": datasourceUID}, "queryType": "trackerSeries", "contract": "globex-logistics",
			"trackers": []any{invoiceTracker("Never met", 101)}},
	}
	compared := 0
	for _, q := range queries {
		short := seriesByTracker(t, to-35*86400_000, to, q)
		long := seriesByTracker(t, to-400*86400_000, to, q)
		for key, s := range short {
			l, ok := long[key]
			if !ok {
				t.Fatalf("%s is in the 35-day answer only", key)
			}
			st, lt := column(t, s, "time"), column(t, l, "time")
			sm, lm := column(t, s, "consecutive_misses"), column(t, l, "consecutive_misses")
			off := len(lt) - len(st) // same end: the short range's buckets are the long one's last
			for i := range st {
				if st[i] != lt[off+i] || sm[i] != lm[off+i] {
					t.Fatalf("%s bucket %d: %v with %v misses in a row over 35 days, %v with %v over 400 days", key, i, st[i], sm[i], lt[off+i], lm[off+i])
				}
				compared++
			}
			if a, b := s.Schema.Meta.Custom["trend"], l.Schema.Meta.Custom["trend"]; !reflect.DeepEqual(a, b) {
				t.Fatalf("%s: trend %v over 35 days, %v over 400 days", key, a, b)
			}
			if _, ok := s.Schema.Meta.Custom["lookBack"].(map[string]any); !ok {
				t.Fatalf("%s: no lookBack in meta.custom: %v", key, s.Schema.Meta.Custom)
			}
		}
		if q["refId"] == "B" {
			f := short["globex-logistics/Never met"]
			met, misses := column(t, f, "met"), column(t, f, "consecutive_misses")
			last := -1
			for i, m := range met {
				if m != nil {
					last = i
				}
			}
			if last < 0 || misses[last].(float64) < 12 {
				t.Fatalf("a target no month meets: %v misses in a row at the last closed month of 35 days (met %v), want the ~24 months of demo data", misses, met)
			}
			lb := f.Schema.Meta.Custom["lookBack"].(map[string]any)
			if lb["buckets"].(float64) == 0 || lb["bound"].(float64) != 1000 {
				t.Fatalf("lookBack %v", lb)
			}
		}
	}
	if compared < 20 {
		t.Fatalf("only %d buckets compared", compared)
	}
}

// TestThreeMonthsInARowRule: the provisioned rule "3 months in a row" (monthly invoice
// accuracy of the demo contracts, consecutive misses > 2.5) is, on the real Grafana, Alerting
// for exactly the contracts whose run its own query shows at 3 or more, and Normal for the
// others (the demo data moves with the clock, so which ones depends on the month). The same rule on a contract whose monthly tracker misses every month (target
// 101 %: a run of every month of demo data) goes to Alerting, and on one that meets every
// month (target 0) stays Normal: the rule fires on a run of closed months although its
// range is one day.
func TestThreeMonthsInARowRule(t *testing.T) {
	a := admin(t)
	var rule struct {
		Title string `json:"title"`
		Data  []struct {
			RelativeTimeRange struct {
				From int `json:"from"`
			} `json:"relativeTimeRange"`
			Model json.RawMessage `json:"model"`
		} `json:"data"`
	}
	a.must(http.StatusOK, http.MethodGet, "/api/v1/provisioning/alert-rules/covenant-three-months-missed", nil).decode(t, &rule)
	var model map[string]any
	if err := json.Unmarshal(rule.Data[0].Model, &model); err != nil {
		t.Fatal(err)
	}
	var cond struct {
		Conditions []struct {
			Evaluator struct {
				Params []float64 `json:"params"`
			} `json:"evaluator"`
		} `json:"conditions"`
	}
	if err := json.Unmarshal(rule.Data[2].Model, &cond); err != nil || len(cond.Conditions) != 1 {
		t.Fatalf("the rule's threshold: %v %s", err, rule.Data[2].Model)
	}
	above := cond.Conditions[0].Evaluator.Params[0]

	// What the provisioned rule must say: the last value of its query, per contract.
	q := map[string]any{"datasource": map[string]string{"uid": datasourceUID}}
	for k, v := range model {
		q[k] = v
	}
	to := time.Now().UnixMilli()
	want := map[string]string{}
	for key, f := range seriesByTracker(t, to-int64(rule.Data[0].RelativeTimeRange.From)*1000, to, q) {
		misses := column(t, f, "consecutive_misses")
		state := "Normal"
		if misses[len(misses)-1].(float64) > above {
			state = "Alerting"
		}
		want[key] = state
		t.Logf("%s: %v misses in a row: %s", key, misses[len(misses)-1], state)
	}

	// The same rule on a contract that misses every month and one that meets every month.
	sfx := fmt.Sprint(time.Now().UnixNano() % 1e9)
	miss, meet := "months-miss-"+sfx, "months-meet-"+sfx
	trackedContracts(t, a, sfx, "Invoice accuracy", "SELECT time, accurate * 100.0 AS value FROM invoices WHERE $__timeFilter(time) AND contract = $__key",
		"1M", "globex-logistics", map[string]float64{miss: 101, meet: 0})
	folder := alertFolder(t, a, "Covenant runs test "+sfx)
	group, copyTitle := "covenant-runs-"+sfx, "3 months in a row "+sfx
	copyModel := map[string]any{}
	for k, v := range model {
		copyModel[k] = v
	}
	delete(copyModel, "trackerIds")
	copyModel["contract"] = miss + "," + meet
	a.must(http.StatusCreated, http.MethodPost, "/api/v1/provisioning/alert-rules", alertRule(copyTitle, group, folder, copyModel, rule.Data[0].RelativeTimeRange.From, above))
	evaluateEvery10s(t, a, folder, group)

	if len(want) != 3 {
		t.Fatalf("the rule's query gives %d series, want one per demo contract (its monthly invoice accuracy): %v", len(want), want)
	}
	wants := map[string]map[string]string{rule.Title: want,
		copyTitle: {miss + "/Invoice accuracy " + miss: "Alerting", meet + "/Invoice accuracy " + meet: "Normal"}}
	// The provisioned group is evaluated every minute: allow two rounds.
	deadline := time.Now().Add(150 * time.Second)
	for {
		state := rules(a)
		done := true
		var seen []string
		for title, w := range wants {
			r := state[title]
			if r.LastError != "" {
				t.Fatalf("%s: %s", title, r.LastError)
			}
			got := map[string]string{}
			for _, al := range r.Alerts {
				got[al.Labels["contract"]+"/"+al.Labels["tracker"]] = al.State
			}
			for c, s := range w {
				seen = append(seen, fmt.Sprintf("%s/%s=%s (want %s)", title, c, got[c], s))
				done = done && got[c] == s
			}
		}
		if done {
			t.Logf("%v", seen)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 150 s: %v", seen)
		}
		time.Sleep(3 * time.Second)
	}
}
