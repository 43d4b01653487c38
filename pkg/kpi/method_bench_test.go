package kpi

import (
	"math"
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

// floatJudge is the rule before decimals (binary comparisons), kept here only
// as the benchmark's baseline.
func floatJudge(actual, target float64, dir models.Direction, tol models.Tolerance) (met, rag float64) {
	fav := (actual - target) * dir.Sign()
	if fav >= 0 {
		return 1, Green
	}
	limit := tol.Value
	if tol.Percent {
		limit = tol.Value / 100 * math.Abs(target)
	}
	if math.Abs(fav) <= limit {
		return 0, Amber
	}
	return 0, Red
}

// BenchmarkDecimalRule measures what deciding on decimals costs on the
// in-process path: 10M rows into hourly buckets (2,778), then each bucket
// judged by the decimal rule, or by the binary one (the baseline).
//
//	go test -run x -bench DecimalRule -benchtime 5x ./pkg/kpi/
func BenchmarkDecimalRule(b *testing.B) {
	const n = 10_000_000
	rows, _ := benchRows(n)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	starts, _ := Buckets(start, start.Add(n*time.Second), Hour, time.UTC)
	tol := models.Tolerance{Value: 2, Percent: true}
	run := func(b *testing.B, judgeAll func(actual []float64)) {
		for i := 0; i < b.N; i++ {
			judgeAll(Aggregate(rows, starts, Avg, nil))
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	}
	b.Run("binary", func(b *testing.B) {
		run(b, func(actual []float64) {
			for _, a := range actual {
				floatJudge(a, 50, models.HigherIsBetter, tol)
			}
		})
	})
	b.Run("decimal", func(b *testing.B) {
		run(b, func(actual []float64) {
			for _, a := range actual {
				judge(a, 50, models.HigherIsBetter, tol)
			}
		})
	})
}

// BenchmarkJudge is the cost of deciding one bucket, by each rule.
func BenchmarkJudge(b *testing.B) {
	tol := models.Tolerance{Value: 2, Percent: true}
	b.Run("binary", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			floatJudge(93.1+float64(i%7)/10, 95, models.HigherIsBetter, tol)
		}
	})
	b.Run("decimal", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			judge(93.1+float64(i%7)/10, 95, models.HigherIsBetter, tol)
		}
	})
}
