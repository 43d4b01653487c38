package kpi

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// benchRows is 10M time-sorted rows, one a second from 2026-01-01, a few of them null.
func benchRows(n int) (Rows, []time.Time) {
	r := rand.New(rand.NewPCG(1, 2)) // #nosec G404 -- benchmark data
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := Rows{Times: make([]int64, n), Values: make([]float64, n)}
	for i := 0; i < n; i++ {
		rows.Times[i] = start.Add(time.Duration(i) * time.Second).UnixNano()
		rows.Values[i] = r.Float64() * 100
		if i%997 == 0 {
			rows.Values[i] = nan
		}
	}
	starts, err := Buckets(start, start.Add(time.Duration(n)*time.Second), Day, time.UTC)
	if err != nil {
		panic(err)
	}
	return rows, starts
}

// BenchmarkAggregate reports rows/s per method: go test -run x -bench Aggregate -benchtime 5x ./pkg/kpi/
func BenchmarkAggregate(b *testing.B) {
	const n = 10_000_000
	rows, starts := benchRows(n)
	cond := &models.Condition{Op: "<=", Threshold: 50}
	for _, m := range Methods {
		b.Run(string(m), func(b *testing.B) {
			var c *models.Condition
			if m == Ratio {
				c = cond
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				Aggregate(rows, starts, m, c)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
