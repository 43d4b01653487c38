package connector

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// Streaming aggregation vs rows read whole (docs/benchmarks.md):
//
//	go test -run x -bench Streaming -benchtime 1x -timeout 30m ./pkg/connector/
//
// For 1M and 10M rows (one every 3 s from 2025-01-01, a decimal value, 1 in
// 997 null) aggregated in process into daily buckets, from a SQLite file
// (ORDER BY t; and ORDER BY v, out of time order, for the fallback) and
// from an HTTP CSV endpoint on loopback, each method both
// ways in the same process: "whole" is Figures before streaming (Rows, then
// KeepRows and kpi.Aggregate), "stream" is Figures now. A working-time
// filter (Mon–Fri) keeps the SQLite tracker in process, as it keeps a
// working-time tracker. Reported: seconds, rows/s, and the peak Go heap in
// use (runtime.MemStats.HeapInuse sampled every 2 ms) above the heap before
// the run.
func BenchmarkStreaming(b *testing.B) {
	weekdays := func(tm time.Time) bool { wd := tm.UTC().Weekday(); return wd != time.Saturday && wd != time.Sunday }
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range []int{1_000_000, 10_000_000} {
		end := start.Add(time.Duration(n) * 3 * time.Second)
		starts, err := kpi.Buckets(start, end, kpi.Day, time.UTC)
		if err != nil {
			b.Fatal(err)
		}
		sqlite := benchSQLite(b, n, start)
		csv, stop := benchCSV(b, n, start)
		both := []kpi.Method{kpi.Avg, kpi.P90}
		for _, src := range []struct {
			name    string
			c       Connector
			r       Request
			methods []kpi.Method
		}{
			{"sqlite", sqlite, Request{ConnectorQuery: models.ConnectorQuery{RawSQL: "SELECT t AS time, v AS value FROM r WHERE $__timeFilter(t) ORDER BY t"}, Keep: weekdays}, both},
			// Out of time order: the stream gives up on the sum at once and the rows are read whole.
			{"sqlite-by-value", sqlite, Request{ConnectorQuery: models.ConnectorQuery{RawSQL: "SELECT t AS time, v AS value FROM r WHERE $__timeFilter(t) ORDER BY v"}, Keep: weekdays}, []kpi.Method{kpi.Avg}},
			{"csv", csv, Request{ConnectorQuery: models.ConnectorQuery{Path: "rows.csv", TimeField: "time", ValueField: "value"}}, both},
		} {
			src.r.From, src.r.To = starts[0], starts[len(starts)-1]
			for _, m := range src.methods {
				var results [2][]float64
				for i, way := range []string{"whole", "stream"} {
					b.Run(fmt.Sprintf("%s/%dM/%s/%s", src.name, n/1_000_000, m, way), func(b *testing.B) {
						for range b.N {
							var out []float64
							peak, elapsed := measure(func() {
								if way == "whole" {
									out, err = before(context.Background(), src.c, src.r, starts, m, nil)
								} else {
									out, _, err = Figures(context.Background(), src.c, src.r, starts, m, nil)
								}
							})
							if err != nil {
								b.Fatal(err)
							}
							results[i] = out
							b.ReportMetric(elapsed.Seconds(), "s")
							b.ReportMetric(float64(n)/elapsed.Seconds(), "rows/s")
							b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
						}
					})
				}
				for k := range results[0] {
					if math.Float64bits(results[0][k]) != math.Float64bits(results[1][k]) {
						b.Fatalf("%s %s bucket %d: whole %v, stream %v", src.name, m, k, results[0][k], results[1][k])
					}
				}
			}
		}
		stop()
		_ = sqlite.Close()
	}
}

// measure runs fn and returns the peak Go heap in use above the heap before it, and its time.
func measure(fn func()) (peak uint64, elapsed time.Duration) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var top atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		var s runtime.MemStats
		for {
			runtime.ReadMemStats(&s)
			if s.HeapInuse > top.Load() {
				top.Store(s.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	t0 := time.Now()
	fn()
	elapsed = time.Since(t0)
	close(done)
	wg.Wait()
	if top.Load() > base {
		peak = top.Load() - base
	}
	return peak, elapsed
}

func benchValue(i int) string {
	if i%997 == 0 {
		return ""
	}
	return strconv.FormatFloat(float64(i*7919%100_000)/1000, 'f', -1, 64)
}

// benchSQLite writes n rows into a SQLite file (inside SQLite, by a recursive query).
func benchSQLite(b *testing.B, n int, start time.Time) Connector {
	b.Helper()
	path := filepath.Join(b.TempDir(), "rows.db")
	w, err := sql.Open("sqlite", path)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	q := fmt.Sprintf(`CREATE TABLE r (t INTEGER, v REAL);
		INSERT INTO r WITH RECURSIVE s(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM s WHERE x < %d)
		SELECT %d + x * 3, CASE WHEN x %% 997 = 0 THEN NULL ELSE (x * 7919 %% 100000) / 1000.0 END FROM s;
		CREATE INDEX r_t ON r (t);`, n-1, start.Unix())
	if _, err := w.Exec(q); err != nil {
		b.Fatal(err)
	}
	c, err := Open(models.ConnectorSettings{UID: "f", Name: "file", Type: models.ConnectorSQLite, Path: path, TimeFormat: "unix", MaxOpenConns: 1})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// benchCSV serves n rows of CSV on loopback, written as they are sent.
func benchCSV(b *testing.B, n int, start time.Time) (Connector, func()) {
	b.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		bw := bufio.NewWriterSize(w, 1<<16)
		_, _ = bw.WriteString("time,value\n")
		t0 := start.Unix()
		for i := 0; i < n; i++ {
			_, _ = bw.WriteString(strconv.FormatInt(t0+int64(i)*3, 10))
			_ = bw.WriteByte(',')
			_, _ = bw.WriteString(benchValue(i))
			_ = bw.WriteByte('\n')
		}
		_ = bw.Flush()
	}))
	c, err := Open(models.ConnectorSettings{UID: "h", Name: "api", Type: models.ConnectorHTTPCSV, URL: srv.URL, TimeoutSeconds: 120,
		MaxResponseMB: 1024, Delimiter: ",", AllowedHosts: []string{"127.0.0.1"}})
	if err != nil {
		b.Fatal(err)
	}
	return c, func() { _ = c.Close(); srv.Close() }
}
