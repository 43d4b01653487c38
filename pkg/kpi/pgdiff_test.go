//go:build postgres

// Differential tests: every compute method × interval × time zone, computed by
// the engine and by PostgreSQL (the reference for aggregates) over generated
// datasets. Run with a server from scripts/postgres.sh:
//
//	COVENANT_PG_URL=$(scripts/postgres.sh url) go test -tags postgres ./pkg/kpi/
package kpi

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/covenant/contracts/pkg/kpi/kpitest"
	"github.com/covenant/contracts/pkg/models"
)

var pgZones = []string{"UTC", "America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe"}

// bucketSQL is PostgreSQL's bucket start for an interval, on timestamptz column t in zone $1.
func bucketSQL(iv Interval) string {
	local := "(t AT TIME ZONE $1)"
	switch iv {
	case Hour:
		// Local clock hours by the local UTC offset, so a repeated hour stays two buckets.
		off := "extract(epoch from (t AT TIME ZONE $1) - (t AT TIME ZONE 'UTC'))"
		return fmt.Sprintf("to_timestamp(extract(epoch from t) - mod((extract(epoch from t) + %s)::numeric, 3600))", off)
	case FourHour:
		return fmt.Sprintf("date_bin('4 hours', %s, timestamp '2000-01-01') AT TIME ZONE $1", local)
	}
	unit := map[Interval]string{Day: "day", Week: "week", Month: "month", Quarter: "quarter", Year: "year"}[iv]
	return fmt.Sprintf("date_trunc('%s', %s) AT TIME ZONE $1", unit, local)
}

// aggSQL is PostgreSQL's figure for a method; NaN and NULL are both left out except by count.
func aggSQL(m Method, cond *models.Condition) string {
	const ok = "v IS NOT NULL AND v <> 'NaN'"
	switch m {
	case Sum, Avg, Min, Max:
		return fmt.Sprintf("%s(v) FILTER (WHERE %s)", m, ok)
	case Count:
		return "count(*)"
	case Ratio:
		return fmt.Sprintf("100.0 * count(*) FILTER (WHERE %s AND v %s %v) / NULLIF(count(*) FILTER (WHERE %s), 0)", ok, cond.Op, cond.Threshold, ok)
	case Last:
		return fmt.Sprintf("(array_agg(v ORDER BY t DESC, seq DESC) FILTER (WHERE %s))[1]", ok)
	}
	return fmt.Sprintf("percentile_cont(%v) WITHIN GROUP (ORDER BY v) FILTER (WHERE %s)", m.Percentile(), ok)
}

func TestEngineMatchesPostgreSQL(t *testing.T) {
	url := os.Getenv("COVENANT_PG_URL")
	if url == "" {
		t.Fatal("COVENANT_PG_URL is not set: start scripts/postgres.sh and export COVENANT_PG_URL=$(scripts/postgres.sh url)")
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	cond := &models.Condition{Op: "<=", Threshold: 50}
	compared := 0
	for _, ds := range kpitest.Datasets() {
		load(t, ctx, db, ds)
		var rows Rows
		rows.Times, rows.Values = ds.Columns()
		for _, zone := range pgZones {
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Fatal(err)
			}
			for _, iv := range Intervals {
				if iv == Hour && zone == "Australia/Lord_Howe" {
					// PostgreSQL has no way to name the instant of a mid-hour offset change, which
					// starts a half-hour bucket; interval_test.go checks those buckets by hand.
					continue
				}
				from, to := ds.Times[0], ds.Times[0]
				for _, tm := range ds.Times {
					from, to = minTime(from, tm), maxTime(to, tm)
				}
				starts, err := Buckets(from, to.Add(time.Second), iv, loc)
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range Methods {
					var c *models.Condition
					if m == Ratio {
						c = cond
					}
					got := Aggregate(rows, starts, m, c)
					want := queryPG(t, ctx, db, zone, iv, m, c, starts)
					name := fmt.Sprintf("%s / %s / %s / %s", ds.Name, zone, iv, m)
					compareBuckets(t, name, starts, got, want, m)
					compared++
				}
			}
		}
	}
	t.Logf("%d series compared with PostgreSQL", compared)
}

func load(t *testing.T, ctx context.Context, db *sql.DB, ds *kpitest.Dataset) {
	t.Helper()
	stmts := []string{"DROP TABLE IF EXISTS kpi_rows", "CREATE TABLE kpi_rows (seq int, t timestamptz, v double precision)"}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := tx.PrepareContext(ctx, "INSERT INTO kpi_rows VALUES ($1, $2, $3)")
	if err != nil {
		t.Fatal(err)
	}
	for i, tm := range ds.Times {
		var v any = ds.Values[i]
		if ds.Null[i] {
			v = nil
		}
		if _, err := st.ExecContext(ctx, i, tm, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// queryPG returns PostgreSQL's figure per bucket start (Unix ns); buckets without rows are absent.
func queryPG(t *testing.T, ctx context.Context, db *sql.DB, zone string, iv Interval, m Method, c *models.Condition, starts []time.Time) map[int64]sql.NullFloat64 {
	t.Helper()
	q := fmt.Sprintf(`SELECT %s AS b, (%s)::double precision FROM kpi_rows WHERE t >= $2 AND t < $3 GROUP BY b ORDER BY b`, bucketSQL(iv), aggSQL(m, c))
	res, err := db.QueryContext(ctx, q, zone, starts[0], starts[len(starts)-1])
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer res.Close()
	out := map[int64]sql.NullFloat64{}
	for res.Next() {
		var b time.Time
		var v sql.NullFloat64
		if err := res.Scan(&b, &v); err != nil {
			t.Fatal(err)
		}
		out[b.UnixNano()] = v
	}
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func compareBuckets(t *testing.T, name string, starts []time.Time, got []float64, want map[int64]sql.NullFloat64, m Method) {
	t.Helper()
	seen := 0
	for i, g := range got {
		w, ok := want[starts[i].UnixNano()]
		if !ok {
			empty := math.IsNaN(g) || (m == Count && g == 0)
			if !empty {
				t.Fatalf("%s: bucket %s: engine %v, PostgreSQL has no rows there", name, starts[i], g)
			}
			continue
		}
		seen++
		switch {
		case !w.Valid:
			if !math.IsNaN(g) {
				t.Fatalf("%s: bucket %s: engine %v, PostgreSQL null", name, starts[i], g)
			}
		case math.IsNaN(g) || math.Abs(g-w.Float64) > 1e-9*math.Max(1, math.Abs(w.Float64)):
			t.Fatalf("%s: bucket %s: engine %v, PostgreSQL %v", name, starts[i], g, w.Float64)
		}
	}
	if seen != len(want) {
		t.Fatalf("%s: PostgreSQL has %d buckets, %d of them match the engine's bucket starts", name, len(want), seen)
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
