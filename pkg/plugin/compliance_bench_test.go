package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/covenant/contracts/pkg/store"
)

// BenchmarkAgreementsScale: 1,000 agreements × 5 trackers over a quarter of daily
// buckets on the demo data, and closing their periods (docs/benchmarks.md).
//
//	go test -run '^$' -bench AgreementsScale -benchtime 1x -v ./pkg/plugin/
//
// It runs three times, side by side: as configured by default (series shared
// between the agreements of one evaluation, and the closed-bucket cache),
// without the cache, and with neither (each agreement reads its own series).
// The compliance query runs twice: cold (the cache empty) and warm.
// Each phase reports its time, the bytes it allocated and the peak heap in use
// while it ran (sampled every 2 ms). COVENANT_BENCH_PROFILE=<dir> writes a CPU
// and an allocation profile per phase there (e.g. shared-compliance.cpu).
func BenchmarkAgreementsScale(b *testing.B) {
	b.Run("shared", func(b *testing.B) { agreementsScale(b, "shared", false, false) })
	b.Run("uncached", func(b *testing.B) { agreementsScale(b, "uncached", false, true) })
	b.Run("unshared", func(b *testing.B) { agreementsScale(b, "unshared", true, true) })
}

func agreementsScale(b *testing.B, name string, noSharing, noCache bool) {
	const agreements, perAgreement = 1000, 5
	b.Setenv("GF_PLUGIN_STORE_DIR", b.TempDir())
	inst, err := NewDatasource(context.Background(), backendSettings(fmt.Sprintf(`{"demoDisabled":false,"cacheDisabled":%t}`, noCache)))
	if err != nil {
		b.Fatal(err)
	}
	d := inst.(*Datasource)
	d.engine.Stop() // the benchmark closes the periods itself, and times it
	d.engine.NoSharing = noSharing
	defer d.Dispose()
	keys := []string{"acme-it", "globex-logistics", "initech-cloud"}
	doc := map[string]any{"apiVersion": "covenant/v1", "kind": "Registry"}
	doc["kpis"] = []any{map[string]any{"id": "uptime-bench", "name": "Uptime", "direction": "higher_is_better", "connector": "demo",
		"rawSql": "SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key"}}
	var ts, cs, as, gs []any
	for i := 0; i < perAgreement; i++ {
		ts = append(ts, map[string]any{"id": fmt.Sprintf("bt%d", i), "name": fmt.Sprintf("Availability %d", i), "kpiId": "uptime-bench",
			"method": "avg", "interval": "1d", "target": map[string]any{"constant": 99.0 + 0.2*float64(i)}})
	}
	for i := 0; i < agreements; i++ {
		id := fmt.Sprintf("bc%04d", i)
		cs = append(cs, map[string]any{"id": id, "name": "Contract " + id, "counterparty": "Party", "status": "active"})
		var covered []any
		for t := 0; t < perAgreement; t++ {
			aid := fmt.Sprintf("%s-bt%d", id, t)
			as = append(as, map[string]any{"id": aid, "contractId": id, "trackerId": fmt.Sprintf("bt%d", t), "key": keys[i%len(keys)]})
			covered = append(covered, map[string]any{"assignmentId": aid, "weight": float64(t + 1)})
		}
		gs = append(gs, map[string]any{"id": id + "-sla", "name": "SLA " + id, "contractId": id, "period": map[string]any{"kind": "quarter"},
			"complianceTarget": 90, "trackers": covered, "impactCostPerMiss": 100,
			"bands": []any{map[string]any{"from": 0, "to": 90, "amount": -1000}, map[string]any{"from": 90, "to": 100, "amount": 0}}})
	}
	doc["trackers"], doc["contracts"], doc["assignments"], doc["agreements"] = ts, cs, as, gs
	raw, _ := json.Marshal(doc)
	if _, err := d.registry.Import(context.Background(), raw, "bench", false); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	at := now()
	q := backend.DataQuery{RefID: "A", QueryType: "agreementCompliance", JSON: json.RawMessage(`{"contract":"*"}`),
		TimeRange: backend.TimeRange{From: at.Add(-time.Hour), To: at}}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for _, run := range []string{"compliance-1000x5", "compliance-1000x5-warm"} {
			var resp *backend.QueryDataResponse
			phase(b, name+"-"+run, run, func() {
				resp, err = d.QueryData(ctx, &backend.QueryDataRequest{PluginContext: pluginCtx("Viewer"), Queries: []backend.DataQuery{q}})
			})
			if err != nil || resp.Responses["A"].Error != nil {
				b.Fatalf("%v %v", err, resp.Responses["A"].Error)
			}
			bench := 0 // the demo agreements are there too
			for _, f := range resp.Responses["A"].Frames {
				if strings.HasPrefix(f.Name, "SLA bc") {
					bench++
				}
			}
			if bench != agreements {
				b.Fatalf("%d frames of the benchmark's agreements", bench)
			}
		}

		snap, _ := d.registry.Snapshot(ctx)
		var closed, again int
		phase(b, name+"-close-first", "close-first-run", func() {
			closed, err = d.engine.ClosePeriods(ctx, snap, snap.AllAgreements(), at)
		})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(closed), "entries-closed")
		phase(b, name+"-close-next", "close-next-run", func() {
			again, err = d.engine.ClosePeriods(ctx, snap, snap.AllAgreements(), at)
		})
		if err != nil || again != 0 {
			b.Fatalf("second run appended %d (%v)", again, err)
		}
		entries, _ := d.registry.Store.Ledger(ctx, store.LedgerFilter{})
		if len(entries) != closed || closed < agreements {
			b.Fatalf("ledger %d entries, closed %d", len(entries), closed)
		}
	}
}

// phase runs f as one measured phase of a benchmark: its time (ms-<metric>),
// the bytes it allocated (MB-allocated-<metric>), and the peak heap in use
// while it ran (MB-peak-heap-<metric>: live and not yet swept objects plus
// the free space of their spans, runtime.MemStats.HeapInuse, sampled every
// 2 ms), with the heap in use before it (MB-heap-before-<metric>) after a GC.
// With COVENANT_BENCH_PROFILE set it writes <dir>/<name>.cpu, and the
// allocation profiles before and after the phase, <name>.alloc0 and
// <name>.alloc (the phase's own: go tool pprof -diff_base <name>.alloc0 <name>.alloc).
func phase(b *testing.B, name, metric string, f func()) {
	b.Helper()
	runtime.GC()
	inUse := func() uint64 {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
		metrics.Read(s)
		return s[0].Value.Uint64() + s[1].Value.Uint64()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before, alloc0 := inUse(), ms.TotalAlloc
	peak := before
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if v := inUse(); v > peak {
					peak = v // read only after done
				}
			}
		}
	}()
	dir := os.Getenv("COVENANT_BENCH_PROFILE")
	var cpu *os.File
	if dir != "" {
		writeAllocs(b, filepath.Join(dir, name+".alloc0"))
		var err error
		if cpu, err = os.Create(filepath.Join(dir, name+".cpu")); err != nil {
			b.Fatal(err)
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Now()
	f()
	elapsed := time.Since(start)
	if cpu != nil {
		pprof.StopCPUProfile()
		_ = cpu.Close()
	}
	close(stop)
	<-done
	if v := inUse(); v > peak {
		peak = v
	}
	runtime.ReadMemStats(&ms)
	if dir != "" {
		writeAllocs(b, filepath.Join(dir, name+".alloc"))
	}
	b.ReportMetric(float64(elapsed.Milliseconds()), "ms-"+metric)
	b.ReportMetric(float64(ms.TotalAlloc-alloc0)/(1<<20), "MB-allocated-"+metric)
	b.ReportMetric(float64(peak)/(1<<20), "MB-peak-heap-"+metric)
	b.ReportMetric(float64(before)/(1<<20), "MB-heap-before-"+metric)
}

func writeAllocs(b *testing.B, path string) {
	out, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	if err := pprof.Lookup("allocs").WriteTo(out, 0); err != nil {
		b.Fatal(err)
	}
}
