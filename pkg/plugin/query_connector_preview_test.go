package plugin

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
)

// updateGolden rewrites testdata/*.golden.jsonc; keep it false in commits.
const updateGolden = false

func previewQuery(refID, body string, from, to time.Time) backend.DataQuery {
	return backend.DataQuery{RefID: refID, QueryType: "connectorPreview", JSON: json.RawMessage(body),
		TimeRange: backend.TimeRange{From: from, To: to}}
}

func TestConnectorPreviewGolden(t *testing.T) {
	setupDemo(t)
	d := newTestDatasource(t, `{}`)
	from := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{
		PluginContext: pluginCtx("Viewer"),
		Queries: []backend.DataQuery{
			previewQuery("uptime", `{"rawSql":"SELECT time, uptime_pct AS value, contract AS key FROM uptime WHERE $__timeFilter(time) AND contract = $__key ORDER BY time","key":"initech-cloud"}`, from, from.Add(6*time.Hour)),
			previewQuery("contracts", `{"connector":"demo","rawSql":"SELECT key, name, counterparty, notice_days, value FROM contracts ORDER BY key"}`, from, from),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"uptime", "contracts"} {
		r := resp.Responses[ref]
		if r.Error != nil {
			t.Fatalf("%s: %v", ref, r.Error)
		}
		experimental.CheckGoldenJSONResponse(t, "testdata", "connector_preview_"+ref+".golden", &r, updateGolden)
	}
	if n := resp.Responses["uptime"].Frames[0].Rows(); n != 6 {
		t.Fatalf("want 6 hourly uptime rows, got %d", n)
	}
}

func TestConnectorPreviewErrors(t *testing.T) {
	setupDemo(t)
	tests := []struct {
		name      string
		settings  string
		queryType string
		body      string
		wantField string
		wantText  string
	}{
		{name: "empty SQL", body: `{"rawSql":"  "}`, wantText: "rawSql: is empty"},
		{name: "unknown connector", body: `{"connector":"warehouse","rawSql":"SELECT 1"}`, wantText: `connector: "warehouse" is not a connector`},
		{name: "limit above maximum", settings: `{"maxPreviewRows":100}`, body: `{"rawSql":"SELECT 1","limit":500}`, wantText: "limit: 500 is above this datasource's maximum of 100"},
		{name: "negative limit", body: `{"rawSql":"SELECT 1","limit":-1}`, wantText: "limit: -1 is negative"},
		{name: "not JSON for the model", body: `{"rawSql":42}`, wantText: "not valid JSON for connectorPreview"},
		{name: "SQL error", body: `{"rawSql":"SELECT nope FROM uptime"}`, wantText: "SQL error"},
		{name: "write refused", body: `{"rawSql":"DROP TABLE uptime"}`, wantText: "rawSql: starts with DROP"},
		{name: "unknown macro", body: `{"rawSql":"SELECT $__interval"}`, wantText: "unknown macro $__interval"},
		{name: "demo disabled", settings: `{"demoDisabled":true}`, body: `{"rawSql":"SELECT 1"}`, wantText: "demo connector is disabled"},
		{name: "unknown query type", queryType: "forecast", body: `{}`, wantText: `unknown queryType "forecast": use one of trackerSeries, contractScorecard, agreementCompliance, portfolio, ledger, annotations, connectorPreview`},
		{name: "missing query type", queryType: "-", body: `{}`, wantText: "no queryType"},
		{name: "bad settings", settings: `{"writeRole":"Owner"}`, body: `{"rawSql":"SELECT 1"}`, wantText: `writeRole: "Owner" is not a Grafana role`},
		{name: "bad timeout", settings: `{"queryTimeoutSeconds":9000}`, body: `{"rawSql":"SELECT 1"}`, wantText: "queryTimeoutSeconds: 9000 is out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			settings := tt.settings
			if settings == "" {
				settings = `{}`
			}
			d := newTestDatasource(t, settings)
			q := previewQuery("A", tt.body, demoEnd.Add(-time.Hour), demoEnd)
			switch tt.queryType {
			case "":
			case "-":
				q.QueryType = ""
			default:
				q.QueryType = tt.queryType
			}
			resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: pluginCtx("Viewer"), Queries: []backend.DataQuery{q}})
			if err != nil {
				t.Fatal(err)
			}
			r := resp.Responses["A"]
			if r.Error == nil {
				t.Fatalf("want an error containing %q, got frames %v", tt.wantText, r.Frames)
			}
			if !strings.Contains(r.Error.Error(), tt.wantText) {
				t.Fatalf("error %q does not contain %q", r.Error, tt.wantText)
			}
			if r.ErrorSource != backend.ErrorSourceDownstream {
				t.Fatalf("want a downstream error source, got %q", r.ErrorSource)
			}
			if r.Status != backend.StatusBadRequest {
				t.Fatalf("want status 400, got %d", r.Status)
			}
		})
	}
}

func TestConnectorPreviewTimeout(t *testing.T) {
	setupDemo(t)
	d := newTestDatasource(t, `{"queryTimeoutSeconds":1}`)
	q := previewQuery("A", `{"rawSql":"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT COUNT(*) FROM c"}`, demoEnd, demoEnd)
	start := time.Now()
	resp, _ := d.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: pluginCtx("Viewer"), Queries: []backend.DataQuery{q}})
	r := resp.Responses["A"]
	if r.Error == nil || !strings.Contains(r.Error.Error(), "queryTimeoutSeconds") {
		t.Fatalf("want a timeout error naming queryTimeoutSeconds, got %v", r.Error)
	}
	if time.Since(start) > 10*time.Second {
		t.Fatalf("the timeout did not stop the query: %v", time.Since(start))
	}
}
