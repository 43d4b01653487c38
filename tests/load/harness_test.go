//go:build load

package load

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The harness's own parts, without servers: go test -tags load -run 'Test[^L]' ./tests/load/

func TestInterpolateAsTheDatasourceDoes(t *testing.T) {
	target := map[string]any{
		"datasource": map[string]any{"uid": "${datasource}"},
		"contract":   "$contract",
		"trackerIds": []any{"$tracker"},
		"fields":     []any{"actual", "target"},
		"note":       "every $__interval over [[contract]] and ${contract:csv}",
	}
	vars := map[string][]string{"datasource": {"covenant"}, "contract": {"acme-it"}, "tracker": {"a", "b", "a"}, "__interval": {"1h"}}
	got, err := interpolate(target, vars)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"datasource": map[string]any{"uid": "covenant"},
		"contract":   "acme-it",
		"trackerIds": []any{"a", "b"}, // split and without repeats, as interpolateList
		"fields":     []any{"actual", "target"},
		"note":       "every 1h over acme-it and acme-it",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	if _, err := interpolate(map[string]any{"contract": "$region"}, vars); err == nil || !strings.Contains(err.Error(), "$region") {
		t.Fatalf("an unknown variable must be an error naming it, got %v", err)
	}
}

func TestPanelIntervalAndPercentiles(t *testing.T) {
	to := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	from, err := relativeTime("now-90d", to)
	if err != nil || !from.Equal(time.Date(2026, 8, 31, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("now-90d: %v %v", from, err)
	}
	// A full-width panel (1904 px) over 90 days: 4,084 s a point, which Grafana rounds to 1h.
	if dp, iv := panelInterval(24, from, to); dp != 1904 || iv != 3600000 || msToText(iv) != "1h" {
		t.Fatalf("full width: %d points, %d ms", dp, iv)
	}
	d := []time.Duration{}
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	if p50, p99 := percentile(d, 0.5), percentile(d, 0.99); p50 != 50*time.Millisecond || p99 != 99*time.Millisecond {
		t.Fatalf("p50 %v p99 %v", p50, p99)
	}
	if p := percentile(d[:1], 0.99); p != time.Millisecond {
		t.Fatalf("one sample: %v", p)
	}
}

func TestCacheStatsReadAndReported(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/datasources/uid/covenant/resources/cache" {
			http.NotFound(w, r)
			return
		}
		calls++
		if calls == 1 {
			_, _ = w.Write([]byte(`{"hits":10,"misses":30,"entries":5,"watermarkChecks":2,"invalidations":0}`))
			return
		}
		_, _ = w.Write([]byte(`{"hits":100,"misses":40,"entries":9,"watermarkChecks":50,"invalidations":1}`))
	}))
	defer srv.Close()
	before, err := readCacheStats(context.Background(), srv.URL)
	if err != nil || before == nil {
		t.Fatal(before, err)
	}
	after, _ := readCacheStats(context.Background(), srv.URL)
	r := cacheReport(nil, before, after)
	for _, want := range []string{"| hit rate during the run | 90.0 % (90 hits, 10 misses) |", "| watermark checks during the run | 48 |",
		"| invalidations during the run | 1 |", "| entries after the run | 9 |"} {
		if !strings.Contains(r, want) {
			t.Fatalf("report lacks %q:\n%s", want, r)
		}
	}
	// A build without the resource: 404, reported as unavailable, not an error.
	missing := httptest.NewServer(http.NotFoundHandler())
	defer missing.Close()
	s, err := readCacheStats(context.Background(), missing.URL)
	if err != nil || s != nil {
		t.Fatalf("404: %v %v", s, err)
	}
	if r := cacheReport(nil, nil, nil); !strings.Contains(r, "cache stats unavailable") {
		t.Fatal(r)
	}
}

func TestBundledDashboardIsRead(t *testing.T) {
	d, err := readDashboard("../../src/dashboards/contract-performance.json")
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]int{}
	for _, q := range d.queries {
		types[q.queryType]++
	}
	// Six panels (four trackerSeries, a scorecard, compliance) and three annotations.
	if types["trackerSeries"] != 4 || types["contractScorecard"] != 1 || types["agreementCompliance"] != 1 || types["annotations"] != 3 {
		t.Fatalf("queries by type: %v", types)
	}
	if d.from != "now-90d" || d.to != "now" {
		t.Fatalf("time range %s to %s", d.from, d.to)
	}
}
