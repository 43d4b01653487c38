//go:build postgres

package connector

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// BenchmarkPostgreSQLBusinessTimeP90 compares business-time p90 per London
// day over a million tickets (docs/benchmarks.md, "Business time"), pushed
// down to PostgreSQL and measured in process from the same rows (read
// through the connector, measured and aggregated as Figures does when it
// falls back):
//
//	COVENANT_PG_URL=$(scripts/postgres.sh url) go test -tags postgres -run '^$' -bench PostgreSQLBusinessTime -benchtime 3x ./pkg/connector/
func BenchmarkPostgreSQLBusinessTimeP90(b *testing.B) {
	s, writer := pgWriter(b)
	// A million tickets opened every 25.92 s from 5 January 2026 (300 days),
	// lasting up to 10 days at microsecond instants, every tenth still open.
	for _, stmt := range []string{
		"DROP TABLE IF EXISTS biz_bench",
		`CREATE TABLE biz_bench AS SELECT g AS seq, o AS opened,
		   CASE WHEN g % 10 = 0 THEN NULL ELSE o + ((g * 2654435761) % 864000000000) * interval '1 microsecond' END AS answered
		 FROM (SELECT g, timestamptz '2026-01-05 00:00Z' + g * interval '25.92 seconds' AS o FROM generate_series(1, 1000000) AS g) AS s`,
		"ANALYZE biz_bench",
	} {
		if _, err := writer.Exec(stmt); err != nil {
			b.Fatalf("%s: %v", stmt, err)
		}
	}
	b.Cleanup(func() { _, _ = writer.Exec("DROP TABLE IF EXISTS biz_bench") })
	c, err := Open(s)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	cal := bizCalendars(b)[0] // Mon–Fri 08:00–18:00 Europe/London, holidays, an exclusion
	london := cal.cc.Location()
	starts, _ := kpi.Buckets(time.Date(2026, 1, 1, 0, 0, 0, 0, london), time.Date(2026, 11, 1, 0, 0, 0, 0, london), kpi.Day, london)
	r := Request{ConnectorQuery: models.ConnectorQuery{RawSQL: `SELECT opened AS time, answered AS "end" FROM biz_bench WHERE $__timeFilter(opened)`},
		From: starts[0], To: starts[len(starts)-1], Business: &Business{Working: cal.cc.Working, Windows: cal.cc.Windows, Per: cal.per}}
	var pushedFigures, processFigures []float64
	b.Run("push-down", func(b *testing.B) {
		for range b.N {
			got, pushed, err := Figures(ctx, c, r, starts, kpi.P90, nil)
			if err != nil || !pushed {
				b.Fatalf("pushed %v: %v", pushed, err)
			}
			pushedFigures = got
		}
	})
	// For reference: an ordinary p90 pushed down over the same rows, of the
	// wall-clock duration (what the business time's own arithmetic adds).
	wall := Request{ConnectorQuery: models.ConnectorQuery{RawSQL: `SELECT opened AS time, extract(epoch FROM answered - opened)::float8 / 60 AS value FROM biz_bench WHERE $__timeFilter(opened)`},
		From: r.From, To: r.To}
	b.Run("push-down, wall-clock minutes", func(b *testing.B) {
		for range b.N {
			if _, pushed, err := Figures(ctx, c, wall, starts, kpi.P90, nil); err != nil || !pushed {
				b.Fatalf("pushed %v: %v", pushed, err)
			}
		}
	})
	b.Run("in process", func(b *testing.B) {
		for range b.N {
			rows, err := c.Rows(ctx, r)
			if err != nil {
				b.Fatal(err)
			}
			processFigures = kpi.Aggregate(rows, starts, kpi.P90, nil)
		}
	})
	if len(pushedFigures) != len(processFigures) {
		return // one of the two was not run
	}
	for i := range processFigures {
		if g, w := pushedFigures[i], processFigures[i]; g != w && !(math.IsNaN(g) && math.IsNaN(w)) && math.Abs(g-w) > 1e-9*math.Abs(w) {
			b.Fatalf("day %d: push-down %v, in process %v", i, g, w)
		}
	}
}
