//go:build integration

package integration

import (
	"net/http"
	"testing"
)

// demoTrackers are inline trackers on the demo connector, one per demo contract.
var demoTrackers = map[string]map[string]any{
	"acme-it": {
		"name": "Availability", "method": "avg", "interval": "1d", "timezone": "Europe/London",
		"kpi": map[string]any{"name": "Uptime", "unit": "percent", "direction": "higher_is_better",
			"rawSql": "SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key"},
		"target": map[string]any{"constant": 99.9}, "tolerance": map[string]any{"value": 0.5},
	},
	"globex-logistics": {
		"name": "On-time deliveries", "method": "avg", "interval": "1w", "timezone": "UTC",
		"kpi": map[string]any{"name": "Deliveries on time", "unit": "percent", "direction": "higher_is_better",
			"rawSql": "SELECT time, on_time * 100.0 AS value FROM deliveries WHERE $__timeFilter(time) AND contract = $__key"},
		"target": map[string]any{"constant": 95}, "tolerance": map[string]any{"value": 2},
	},
	"initech-cloud": {
		"name": "P90 first response", "method": "p90", "interval": "1M", "timezone": "UTC",
		"kpi": map[string]any{"name": "First response", "unit": "m", "direction": "lower_is_better",
			"rawSql": "SELECT time, response_minutes AS value FROM tickets WHERE $__timeFilter(time) AND contract = $__key"},
		"target": map[string]any{"constant": 120}, "tolerance": map[string]any{"value": 10, "percent": true}, "missing": "missed",
	},
}

func TestTrackerSeriesForTheDemoContracts(t *testing.T) {
	for contract, tracker := range demoTrackers {
		t.Run(contract, func(t *testing.T) {
			var out queryResponse
			admin(t).must(http.StatusOK, http.MethodPost, "/api/ds/query", map[string]any{
				"from": "now-90d", "to": "now",
				"queries": []any{map[string]any{
					"refId": "A", "datasource": map[string]string{"uid": datasourceUID},
					"queryType": "trackerSeries", "contract": contract, "trackers": []any{tracker},
				}},
			}).decode(t, &out)
			res := out.Results["A"]
			if res.Error != "" || len(res.Frames) != 1 {
				t.Fatalf("result: %+v", res)
			}
			f := res.Frames[0]
			want := []string{"time", "actual", "target", "variance", "variance_pct", "rag", "met", "consecutive_misses", "rag_provisional", "met_provisional"}
			if len(f.Schema.Fields) != len(want) {
				t.Fatalf("fields: %+v", f.Schema.Fields)
			}
			for i, name := range want {
				if f.Schema.Fields[i].Name != name {
					t.Fatalf("field %d is %s, want %s", i, f.Schema.Fields[i].Name, name)
				}
			}
			labels := f.Schema.Fields[1].Labels
			if labels["contract"] != contract || labels["tracker"] != tracker["name"] || labels["counterparty"] == "" || labels["kpi"] == "" {
				t.Fatalf("labels of actual: %v", labels)
			}
			n := len(f.Data.Values[0])
			if n < 3 {
				t.Fatalf("only %d buckets over 90 days", n)
			}
			evaluated := 0
			for i := 0; i < n; i++ {
				actual, rag, met := f.Data.Values[1][i], f.Data.Values[5][i], f.Data.Values[6][i]
				if rag == nil {
					continue
				}
				evaluated++
				r := rag.(float64)
				if r != 0 && r != 1 && r != 2 {
					t.Fatalf("bucket %d: RAG %v", i, r)
				}
				if (r == 0) != (met.(float64) == 1) {
					t.Fatalf("bucket %d: RAG %v but met %v", i, r, met)
				}
				if actual == nil && tracker["missing"] != "missed" {
					t.Fatalf("bucket %d: evaluated without an actual", i)
				}
			}
			if evaluated < n-1 {
				t.Fatalf("only %d of %d buckets evaluated", evaluated, n)
			}
		})
	}
}
