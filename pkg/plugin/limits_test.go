package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/covenant/contracts/pkg/engine"
	"github.com/covenant/contracts/pkg/models"
)

func queryOne(t *testing.T, d *Datasource, q backend.DataQuery) backend.DataResponse {
	t.Helper()
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: pluginCtx("Viewer"), Queries: []backend.DataQuery{q}})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Responses[q.RefID]
}

func wantFieldError(t *testing.T, r backend.DataResponse, field, text string) {
	t.Helper()
	if r.Error == nil || !strings.Contains(r.Error.Error(), field+": ") || !strings.Contains(r.Error.Error(), text) {
		t.Fatalf("want an error naming %s with %q, got %v (%d frames)", field, text, r.Error, len(r.Frames))
	}
	if r.ErrorSource != backend.ErrorSourceDownstream {
		t.Fatalf("want a downstream (user) error, got %q", r.ErrorSource)
	}
}

// Review attack 4: six inline hourly trackers over a century exhausted memory.
func TestLimitBucketsPerQuery(t *testing.T) {
	setupDemo(t)
	d := newTestDatasource(t, `{}`)
	hourly := strings.Replace(uptimeTracker, `"interval":"1d"`, `"interval":"1h"`, 1)
	if hourly == uptimeTracker {
		t.Fatal("the test tracker is not daily any more")
	}
	q := trackerQuery("A", "acme-it", hourly, hourly, hourly, hourly, hourly, hourly)
	q.TimeRange = backend.TimeRange{From: time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	// 87,648 hourly buckets each: the sixth brings the query to 525,888.
	wantFieldError(t, queryOne(t, d, q), "trackers[5].interval", "more than the limit of 500000 buckets")
	q.TimeRange.From = time.Date(1912, 1, 1, 0, 0, 0, 0, time.UTC)
	wantFieldError(t, queryOne(t, d, q), "trackers[0].interval", "more than the limit of 500000 buckets")
}

func TestLimitTrackersPerQuery(t *testing.T) {
	setupDemo(t)
	d := newTestDatasource(t, `{}`)
	many := make([]string, models.MaxTrackersPerQuery+1)
	for i := range many {
		many[i] = uptimeTracker
	}
	wantFieldError(t, queryOne(t, d, trackerQuery("A", "acme-it", many...)), "trackers", "has 201 trackers, more than the limit of 200 trackers")
}

// Review attack 4: zeroblob rows made a 1.5 GB heap in a preview.
func TestLimitPreviewBytes(t *testing.T) {
	setupDemo(t)
	d := newTestDatasource(t, `{}`)
	preview := func(sql string) backend.DataResponse {
		body, _ := json.Marshal(map[string]string{"rawSql": sql})
		return queryOne(t, d, backend.DataQuery{RefID: "A", QueryType: "connectorPreview", JSON: body,
			TimeRange: backend.TimeRange{From: demoEnd.Add(-time.Hour), To: demoEnd}})
	}
	wantFieldError(t, preview("SELECT zeroblob(16000000) AS b FROM uptime LIMIT 8"), "rawSql", "more than the limit of 33554432 bytes")
	r := preview("SELECT zeroblob(100000000) AS b FROM uptime LIMIT 8")
	if r.Error == nil || !strings.Contains(r.Error.Error(), "too big") {
		t.Fatalf("a 100 MB blob: %v", r.Error)
	}
}

// Review attack 8: a yearly p50 from 1600 read 0 (Unix nanoseconds overflow).
func TestLimitTimesOutsideTheEngine(t *testing.T) {
	setupDemo(t)
	d := newTestDatasource(t, `{}`)
	q := trackerQuery("A", "acme-it", strings.Replace(uptimeTracker, `"interval":"1d"`, `"interval":"1Y"`, 1))
	q.TimeRange = backend.TimeRange{From: time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	wantFieldError(t, queryOne(t, d, q), "timeRange", "reaches outside the times Covenant can compute (1700-01-01 to 2260-01-01)")
	q.TimeRange = backend.TimeRange{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)}
	wantFieldError(t, queryOne(t, d, q), "timeRange", "reaches outside")
}

// Review attack 7: a contract id repeated 200 times was evaluated 200 times.
func TestRepeatedContractIDsAreEvaluatedOnce(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	d := newTestDatasource(t, `{}`)
	scorecard := func(contract string) int {
		body, _ := json.Marshal(map[string]string{"contract": contract})
		r := queryOne(t, d, backend.DataQuery{RefID: "A", QueryType: "contractScorecard", JSON: body,
			TimeRange: backend.TimeRange{From: demoEnd.AddDate(0, -1, 0), To: demoEnd}})
		if r.Error != nil {
			t.Fatal(r.Error)
		}
		n := 0
		for _, f := range r.Frames {
			n += f.Rows()
		}
		return n
	}
	one := scorecard("acme-it")
	if one == 0 {
		t.Fatal("the demo contract has no scorecard rows")
	}
	if got := scorecard(strings.Repeat("acme-it,", 200)); got != one {
		t.Fatalf("acme-it named 200 times: %d rows, want %d", got, one)
	}
}

// Review attack 7: /report and /ledger ignored queryTimeoutSeconds. Every
// resource call now runs under it, with a limited body.
func TestEveryResourceCallHasADeadline(t *testing.T) {
	d := newTestDatasource(t, `{"queryTimeoutSeconds": 3}`)
	var deadline time.Time
	var bodyErr error
	h := d.guard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		deadline, _ = r.Context().Deadline()
		buf := make([]byte, 1<<20)
		for bodyErr == nil {
			_, bodyErr = r.Body.Read(buf)
		}
		w.WriteHeader(http.StatusOK)
	}))
	started := time.Now()
	req, _ := http.NewRequest(http.MethodGet, "/report?contractId=acme-it", strings.NewReader(strings.Repeat("x", models.MaxRequestBytes+10)))
	h.ServeHTTP(httptest.NewRecorder(), req)
	if deadline.IsZero() || deadline.Sub(started) > 3*time.Second+time.Second || deadline.Sub(started) < 2*time.Second {
		t.Fatalf("deadline %v after the start, want about 3 s", deadline.Sub(started))
	}
	if bodyErr == nil || !strings.Contains(bodyErr.Error(), "too large") {
		t.Fatalf("a body over %d bytes: %v", models.MaxRequestBytes, bodyErr)
	}
}

// Review attack 10: a panic in a query, a resource handler or the evaluator
// is recovered into an error; Dispose cancels a running query at once.
func TestPanicsAreRecovered(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	r := safeQuery(context.Background(), func(context.Context, backend.PluginContext, backend.DataQuery) backend.DataResponse {
		var m map[string]int
		m["x"] = 1 // panics
		return backend.DataResponse{}
	}, pluginCtx("Viewer"), backend.DataQuery{RefID: "A"})
	if r.Error == nil || !strings.Contains(r.Error.Error(), "Covenant failed on query A") {
		t.Fatalf("query panic: %v", r.Error)
	}
	rec := httptest.NewRecorder()
	req, _ := http.NewRequest(http.MethodGet, "/x", nil)
	d.guard(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })).ServeHTTP(rec, req)
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "boom") {
		t.Fatalf("resource panic: %d %s", rec.Code, rec.Body.String())
	}
	broken := &Datasource{life: d.life, engine: engine.New(nil, nil, time.Now, time.Second)} // no registry: CloseAll dereferences nil
	if err := broken.evaluatorPass(func(ctx context.Context) error { _, err := broken.engine.CloseAll(ctx); return err }); err == nil || !strings.Contains(err.Error(), "Covenant failed on closing review periods") {
		t.Fatalf("evaluator panic: %v", err)
	}
}

func TestDisposeCancelsRunningQueries(t *testing.T) {
	setupDemo(t)
	d := newTestDatasource(t, `{"queryTimeoutSeconds": 60}`)
	body, _ := json.Marshal(map[string]string{"rawSql": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"})
	done := make(chan backend.DataResponse)
	go func() {
		done <- queryOne(t, d, backend.DataQuery{RefID: "A", QueryType: "connectorPreview", JSON: body,
			TimeRange: backend.TimeRange{From: demoEnd.Add(-time.Hour), To: demoEnd}})
	}()
	time.Sleep(300 * time.Millisecond)
	started := time.Now()
	d.Dispose()
	select {
	case r := <-done:
		if r.Error == nil {
			t.Fatal("the endless query succeeded")
		}
		if waited := time.Since(started); waited > 5*time.Second {
			t.Fatalf("the query ended %v after Dispose", waited)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the query still runs 20 s after Dispose")
	}
}
