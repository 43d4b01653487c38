package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
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
// It runs twice, side by side: with series shared between the agreements of
// one evaluation (the default) and without (each agreement reads its own).
func BenchmarkAgreementsScale(b *testing.B) {
	b.Run("shared", func(b *testing.B) { agreementsScale(b, false) })
	b.Run("unshared", func(b *testing.B) { agreementsScale(b, true) })
}

func agreementsScale(b *testing.B, noSharing bool) {
	const agreements, perAgreement = 1000, 5
	b.Setenv("GF_PLUGIN_STORE_DIR", b.TempDir())
	inst, err := NewDatasource(context.Background(), backendSettings(`{"demoDisabled":false}`))
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
	mem := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.TotalAlloc
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		a0, s := mem(), time.Now()
		resp, err := d.QueryData(ctx, &backend.QueryDataRequest{PluginContext: pluginCtx("Viewer"), Queries: []backend.DataQuery{q}})
		if err != nil || resp.Responses["A"].Error != nil {
			b.Fatalf("%v %v", err, resp.Responses["A"].Error)
		}
		b.ReportMetric(float64(time.Since(s).Milliseconds()), "ms-compliance-1000x5")
		b.ReportMetric(float64(mem()-a0)/(1<<20), "MB-allocated-compliance")
		bench := 0 // the demo agreements are there too
		for _, f := range resp.Responses["A"].Frames {
			if strings.HasPrefix(f.Name, "SLA bc") {
				bench++
			}
		}
		if bench != agreements {
			b.Fatalf("%d frames of the benchmark's agreements", bench)
		}

		snap, _ := d.registry.Snapshot(ctx)
		s = time.Now()
		closed, err := d.engine.ClosePeriods(ctx, snap, snap.AllAgreements(), at)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(time.Since(s).Milliseconds()), "ms-close-first-run")
		b.ReportMetric(float64(closed), "entries-closed")
		s = time.Now()
		again, err := d.engine.ClosePeriods(ctx, snap, snap.AllAgreements(), at)
		if err != nil || again != 0 {
			b.Fatalf("second run appended %d (%v)", again, err)
		}
		b.ReportMetric(float64(time.Since(s).Milliseconds()), "ms-close-next-run")
		entries, _ := d.registry.Store.Ledger(ctx, store.LedgerFilter{})
		if len(entries) != closed || closed < agreements {
			b.Fatalf("ledger %d entries, closed %d", len(entries), closed)
		}
	}
}
