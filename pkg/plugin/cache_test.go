package plugin

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/experimental"

	"github.com/covenant/contracts/pkg/connector"
)

// A repeated trackerSeries query is served from the closed-bucket cache and
// answers exactly what the first did (the golden frames); with the cache
// turned off, every bucket is read again.
func TestTrackerSeriesRepeatedFromTheCache(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	for _, tc := range []struct {
		settings string
		enabled  bool
	}{{`{}`, true}, {`{"cacheDisabled":true}`, false}} {
		d := newTestDatasource(t, tc.settings)
		for load := 1; load <= 2; load++ {
			r := queryOne(t, d, trackerQuery("A", "acme-it", uptimeTracker, responseTracker))
			if r.Error != nil {
				t.Fatal(r.Error)
			}
			experimental.CheckGoldenJSONResponse(t, "testdata", "tracker_series.golden", &r, false)
		}
		res := callResource(t, d, "Viewer", http.MethodGet, "cache")
		var got struct {
			Enabled bool `json:"enabled"`
			connector.CacheStats
		}
		if res.status != http.StatusOK || json.Unmarshal(res.body, &got) != nil {
			t.Fatalf("GET cache: %d %s", res.status, res.body)
		}
		if got.Enabled != tc.enabled {
			t.Fatalf("%s: enabled %v", tc.settings, got.Enabled)
		}
		// 42 daily buckets (Feb 1 – Mar 15) and 7 weekly ones, plus what the
		// trend and runs look back on; the second load reads only the open ones.
		if tc.enabled && (got.Hits == 0 || got.Misses >= 2*got.Hits || got.Entries == 0) {
			t.Fatalf("the repeat load was not served from the cache: %+v", got.CacheStats)
		}
		if !tc.enabled && (got.Hits != 0 || got.Entries != 0) {
			t.Fatalf("a disabled cache reports %+v", got.CacheStats)
		}
	}
}
