package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/covenant/contracts/pkg/engine"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/store"
)

// BenchmarkRegistryScale: 10,000 contracts × 5 trackers (docs/benchmarks.md).
//
//	go test -run x -bench RegistryScale -benchtime 1x ./pkg/plugin/
func BenchmarkRegistryScale(b *testing.B) {
	const contracts, perContract, trackers = 10_000, 5, 50
	dir := b.TempDir()
	b.Setenv("GF_PLUGIN_STORE_DIR", dir)
	inst, err := NewDatasource(context.Background(), backendSettings(`{"demoDisabled":false}`))
	if err != nil {
		b.Fatal(err)
	}
	d := inst.(*Datasource)
	defer d.Dispose()

	doc := map[string]any{"apiVersion": "covenant/v1", "kind": "Registry"}
	doc["kpis"] = []any{map[string]any{"id": "k", "name": "Uptime", "direction": "higher_is_better", "connector": "demo",
		"rawSql": "SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key"}}
	var ts, cs, as []any
	for i := 0; i < trackers; i++ {
		ts = append(ts, map[string]any{"id": fmt.Sprintf("t%02d", i), "name": fmt.Sprintf("Tracker %02d", i), "kpiId": "k",
			"method": "avg", "interval": "1d", "target": map[string]any{"constant": 99}})
	}
	r := rand.New(rand.NewPCG(1, 2)) // #nosec G404 -- benchmark data
	for i := 0; i < contracts; i++ {
		id := fmt.Sprintf("c%05d", i)
		cs = append(cs, map[string]any{"id": id, "name": fmt.Sprintf("Contract %05d", i), "counterparty": fmt.Sprintf("Party %d", i%700), "status": "active"})
		for _, t := range r.Perm(trackers)[:perContract] {
			as = append(as, map[string]any{"id": fmt.Sprintf("%s-t%02d", id, t), "contractId": id, "trackerId": fmt.Sprintf("t%02d", t), "key": id})
		}
	}
	doc["trackers"], doc["contracts"], doc["assignments"] = ts, cs, as
	raw, _ := json.Marshal(doc)
	start := time.Now()
	rep, err := d.registry.Import(context.Background(), raw, "bench", false)
	if err != nil || len(rep.Changes) != 1+trackers+contracts+contracts*perContract {
		b.Fatalf("import: %v, %d changes", err, len(rep.Changes))
	}
	b.Logf("import of %d objects in one transaction: %s", len(rep.Changes), time.Since(start).Round(time.Millisecond))

	timed := func(n int, f func(i int)) (p50, p95 float64) {
		var ms []float64
		for i := 0; i < n; i++ {
			s := time.Now()
			f(i)
			ms = append(ms, float64(time.Since(s).Microseconds())/1000)
		}
		slices.Sort(ms)
		return ms[n/2], ms[n*95/100]
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		p50, p95 := timed(200, func(i int) {
			res := callResource(b, d, "Viewer", http.MethodGet, fmt.Sprintf("registry/contracts?limit=50&offset=%d", r.IntN(contracts-50)))
			if res.status != http.StatusOK {
				b.Fatal(res.status)
			}
		})
		b.ReportMetric(p50, "ms-p50-contracts-page")
		b.ReportMetric(p95, "ms-p95-contracts-page")
		p50, p95 = timed(200, func(i int) {
			res := callResource(b, d, "Viewer", http.MethodGet, fmt.Sprintf("registry/contracts?limit=50&search=%%20%03d", r.IntN(1000)))
			if res.status != http.StatusOK {
				b.Fatal(res.status)
			}
		})
		b.ReportMetric(p50, "ms-p50-search-page")
		b.ReportMetric(p95, "ms-p95-search-page")
		p50, p95 = timed(200, func(i int) {
			res := callResource(b, d, "Viewer", http.MethodGet, fmt.Sprintf("registry/assignments?contractId=c%05d", r.IntN(contracts)))
			if res.status != http.StatusOK {
				b.Fatal(res.status)
			}
		})
		b.ReportMetric(p50, "ms-p50-assignments-of-a-contract")
		b.ReportMetric(p95, "ms-p95-assignments-of-a-contract")

		// Resolving every contract's trackers for one query: a cold snapshot (the store just
		// changed), then a warm one.
		if _, err := d.registry.Store.Create(context.Background(), storeObject("contract", fmt.Sprintf("x%d", n)), "bench"); err != nil {
			b.Fatal(err)
		}
		var all []string
		for i := 0; i < contracts; i++ {
			all = append(all, fmt.Sprintf("c%05d", i))
		}
		for _, label := range []string{"cold", "warm"} {
			s := time.Now()
			snap, err := d.registry.Snapshot(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			jobs := 0
			for _, c := range all {
				j, err := engine.ContractJobs(snap, &models.TrackerSeriesQuery{Contract: c})
				if err != nil {
					b.Fatal(err)
				}
				jobs += len(j)
			}
			if jobs != contracts*perContract {
				b.Fatalf("%d trackers resolved", jobs)
			}
			b.ReportMetric(float64(time.Since(s).Milliseconds()), "ms-resolve-all-"+label)
		}
	}
}

func backendSettings(jsonData string) backend.DataSourceInstanceSettings {
	return backend.DataSourceInstanceSettings{ID: 1, UID: "bench", JSONData: json.RawMessage(jsonData)}
}

func storeObject(kind, id string) store.Object {
	return store.Object{Kind: kind, ID: id, Name: id, Body: []byte(`{"name":"` + id + `","counterparty":"x","status":"draft"}`)}
}
