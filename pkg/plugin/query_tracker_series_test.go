package plugin

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

const uptimeTracker = `{"name":"Availability","method":"avg","interval":"1d","timezone":"UTC",
  "kpi":{"name":"Uptime","unit":"percent","direction":"higher_is_better",
         "rawSql":"SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key"},
  "target":{"constant":99.9},"tolerance":{"value":0.5}}`

const responseTracker = `{"name":"Responses within 60 min","method":"ratio","condition":{"op":"<=","threshold":60},"interval":"1w","timezone":"Europe/London",
  "kpi":{"name":"First response","unit":"percent","direction":"higher_is_better",
         "rawSql":"SELECT time, response_minutes AS value FROM tickets WHERE $__timeFilter(time) AND contract = $__key"},
  "target":{"schedule":[{"from":"2026-01-01T00:00:00Z","value":80},{"from":"2026-02-09T00:00:00Z","value":85}]},
  "tolerance":{"value":5,"percent":true},"missing":"missed"}`

func trackerQuery(refID, contract string, trackers ...string) backend.DataQuery {
	body := `{"contract":"` + contract + `","trackers":[` + strings.Join(trackers, ",") + `]}`
	return backend.DataQuery{RefID: refID, QueryType: "trackerSeries", JSON: json.RawMessage(body),
		TimeRange: backend.TimeRange{From: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)}}
}

func pinNow(t *testing.T, at time.Time) {
	t.Helper()
	old := now
	now = func() time.Time { return at }
	t.Cleanup(func() { now = old })
}

func TestTrackerSeriesGolden(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	d := newTestDatasource(t, `{}`)
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{
		PluginContext: pluginCtx("Viewer"),
		Queries:       []backend.DataQuery{trackerQuery("A", "acme-it", uptimeTracker, responseTracker)},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := resp.Responses["A"]
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	if len(r.Frames) != 2 {
		t.Fatalf("want a frame per tracker, got %d", len(r.Frames))
	}
	experimental.CheckGoldenJSONResponse(t, "testdata", "tracker_series.golden", &r, updateGolden)
}

// The daily averages equal what SQLite's own GROUP BY computes over the same rows.
func TestTrackerSeriesMatchesSQL(t *testing.T) {
	db := setupDemo(t)
	pinNow(t, demoEnd)
	d := newTestDatasource(t, `{}`)
	resp, _ := d.QueryData(context.Background(), &backend.QueryDataRequest{
		PluginContext: pluginCtx("Viewer"), Queries: []backend.DataQuery{trackerQuery("A", "initech-cloud", uptimeTracker)},
	})
	r := resp.Responses["A"]
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	f := r.Frames[0]
	want, err := db.Query(context.Background(), `SELECT (time / 86400) * 86400 AS time, AVG(uptime_pct) AS value FROM uptime
		WHERE contract = 'initech-cloud' AND $__timeFilter(time) GROUP BY time / 86400 ORDER BY 1`,
		time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC), "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	// Feb 1 – Mar 15 is 43 days; the demo data ends at 12:30 on Mar 15, inside the last (open) bucket.
	if f.Rows() != 43 || want.Rows() != 43 {
		t.Fatalf("rows: engine %d, SQL %d", f.Rows(), want.Rows())
	}
	for i := 0; i < f.Rows(); i++ {
		got, _ := f.Fields[1].ConcreteAt(i)
		exp, _ := want.Fields[1].ConcreteAt(i)
		if math.Abs(got.(float64)-exp.(float64)) > 1e-9 {
			t.Fatalf("day %d: engine %v, SQL %v", i, got, exp)
		}
	}
	if f.Fields[1].Labels["counterparty"] != "Initech" || f.Fields[1].Labels["contract"] != "initech-cloud" {
		t.Fatalf("labels: %v", f.Fields[1].Labels)
	}
	if open, _ := f.Meta.Custom.(map[string]any)["openBucket"].(time.Time); !open.Equal(time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("open bucket: %v", f.Meta.Custom)
	}
}

func TestTrackerSeriesErrors(t *testing.T) {
	setupDemo(t)
	d := newTestDatasource(t, `{}`)
	swap := func(old, repl string) string { return strings.Replace(uptimeTracker, old, repl, 1) }
	tests := []struct {
		name, contract, tracker, want string
	}{
		{"no contract", "", uptimeTracker, "contract: is empty"},
		{"unknown method", "acme-it", swap(`"method":"avg"`, `"method":"mean"`), `trackers[0].method: "mean" is not a compute method: use one of sum, avg`},
		{"unknown interval", "acme-it", swap(`"interval":"1d"`, `"interval":"daily"`), `trackers[0].interval: "daily" is not an interval`},
		{"unknown zone", "acme-it", swap(`"timezone":"UTC"`, `"timezone":"Europe/Springfield"`), `trackers[0].timezone: "Europe/Springfield" is not an IANA time zone`},
		{"ratio without condition", "acme-it", swap(`"method":"avg"`, `"method":"ratio"`), "trackers[0].condition: is missing: the ratio method needs a condition"},
		{"bad direction", "acme-it", swap(`higher_is_better`, `up`), `trackers[0].kpi.direction: "up" is not a direction`},
		{"no target", "acme-it", swap(`"target":{"constant":99.9},`, ``), "trackers[0].target: give either a constant target or a schedule"},
		{"no value column", "acme-it", swap(`uptime_pct AS value`, `uptime_pct`), "trackers[0].kpi.rawSql: connector error: the KPI query returns no column named value (it returns time, uptime_pct)"},
		{"non-numeric value", "acme-it", swap(`uptime_pct AS value`, `'high' AS value`), `row 1, column value: "high" is not a number`},
		{"unknown connector", "acme-it", swap(`"kpi":{`, `"kpi":{"connector":"erp",`), `trackers[0].kpi.connector: "erp" is not a connector`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := d.QueryData(context.Background(), &backend.QueryDataRequest{
				PluginContext: pluginCtx("Viewer"), Queries: []backend.DataQuery{trackerQuery("A", tt.contract, tt.tracker)},
			})
			r := resp.Responses["A"]
			if r.Error == nil || !strings.Contains(r.Error.Error(), tt.want) || r.ErrorSource != backend.ErrorSourceDownstream {
				t.Fatalf("got %v (source %q), want a downstream error containing %q", r.Error, r.ErrorSource, tt.want)
			}
		})
	}
}

// A ratio is a percentage and a count a number of rows, whatever the KPI's unit.
func TestFigureUnit(t *testing.T) {
	for _, tc := range []struct {
		name, method, kpiUnit, want string
	}{
		{name: "ratio of minutes", method: "ratio", kpiUnit: "m", want: "percent"},
		{name: "count of minutes", method: "count", kpiUnit: "m", want: "none"},
		{name: "p90 of minutes", method: "p90", kpiUnit: "m", want: "m"},
		{name: "avg of percent", method: "avg", kpiUnit: "percent", want: "percent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			def := models.TrackerDef{Method: tc.method, KPI: models.KPIDef{Unit: tc.kpiUnit}}
			if got := kpi.FigureUnit(def); got != tc.want {
				t.Fatalf("figureUnit = %q, want %q", got, tc.want)
			}
		})
	}
}
