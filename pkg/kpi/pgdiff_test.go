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
	"math/rand/v2"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/covenant/contracts/pkg/models"
)

// dataset is one generated set of rows, in the order they are given to the engine.
type dataset struct {
	name   string
	times  []time.Time
	values []float64 // NaN; nulls are marked in null
	null   []bool
}

func (d *dataset) add(t time.Time, v float64, null bool) {
	d.times = append(d.times, t)
	d.values = append(d.values, v)
	d.null = append(d.null, null)
}

// rows gives the engine's view: nulls and NaNs both as NaN.
func (d *dataset) rows() Rows {
	r := Rows{Times: make([]int64, len(d.times)), Values: make([]float64, len(d.times))}
	for i, t := range d.times {
		r.Times[i] = t.UnixNano()
		r.Values[i] = d.values[i]
		if d.null[i] {
			r.Values[i] = math.NaN()
		}
	}
	return r
}

// datasets covers DST edges in the zones tested, nulls, NaN, duplicate times,
// rows out of order, empty stretches, negative values and single-row buckets.
func datasets() []*dataset {
	r := rand.New(rand.NewPCG(7, 11)) // #nosec G404 -- test data
	var out []*dataset

	dense := &dataset{name: "dense around DST changes"}
	for _, day := range []time.Time{
		time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC),  // US spring-forward Mar 8
		time.Date(2026, 3, 27, 0, 0, 0, 0, time.UTC), // EU spring-forward Mar 29
		time.Date(2026, 4, 3, 0, 0, 0, 0, time.UTC),  // Lord Howe fall-back Apr 5
		time.Date(2026, 10, 3, 0, 0, 0, 0, time.UTC), // Lord Howe spring-forward Oct 4
		time.Date(2026, 10, 24, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC), // US fall-back Nov 1
	} {
		for i := 0; i < 600; i++ {
			t := day.Add(time.Duration(r.Int64N(int64(72 * time.Hour))))
			v := math.Round((r.NormFloat64()*40+50)*1000) / 1000
			switch r.IntN(25) {
			case 0:
				dense.add(t, 0, true)
			case 1:
				dense.add(t, math.NaN(), false)
			case 2: // a duplicate time
				dense.add(t, v, false)
				dense.add(t, -v, false)
			default:
				dense.add(t, v, false)
			}
		}
	}
	out = append(out, dense)

	sparse := &dataset{name: "sparse year, negatives, single rows"}
	for t := time.Date(2026, 1, 1, 3, 0, 0, 0, time.UTC); t.Year() == 2026; t = t.Add(time.Duration(20+r.IntN(300)) * time.Hour) {
		sparse.add(t, -100+r.Float64()*150, false)
	}
	out = append(out, sparse)

	edges := &dataset{name: "rows on bucket edges"}
	for _, s := range []string{"2026-03-08T05:00:00Z", "2026-03-08T06:59:59Z", "2026-03-08T07:00:00Z", "2026-11-01T04:00:00Z",
		"2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z", "2026-11-01T06:00:00Z", "2026-03-29T00:59:59Z", "2026-03-29T01:00:00Z",
		"2026-12-31T23:59:59Z", "2027-01-01T00:00:00Z", "2026-06-30T18:30:00Z"} {
		t, _ := time.Parse(time.RFC3339, s)
		edges.add(t, float64(len(edges.times)+1), false)
	}
	out = append(out, edges)

	// Out of order: shuffle the dense set's rows (the engine gets them unsorted; the SQL does not care).
	shuffled := &dataset{name: "dense, shuffled"}
	for _, i := range r.Perm(len(dense.times)) {
		shuffled.add(dense.times[i], dense.values[i], dense.null[i])
	}
	out = append(out, shuffled)
	return out
}

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
	return fmt.Sprintf("percentile_cont(%v) WITHIN GROUP (ORDER BY v) FILTER (WHERE %s)", m.percentile(), ok)
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
	for _, ds := range datasets() {
		load(t, ctx, db, ds)
		rows := ds.rows()
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
				from, to := ds.times[0], ds.times[0]
				for _, tm := range ds.times {
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
					name := fmt.Sprintf("%s / %s / %s / %s", ds.name, zone, iv, m)
					compareBuckets(t, name, starts, got, want, m)
					compared++
				}
			}
		}
	}
	t.Logf("%d series compared with PostgreSQL", compared)
}

func load(t *testing.T, ctx context.Context, db *sql.DB, ds *dataset) {
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
	for i, tm := range ds.times {
		var v any = ds.values[i]
		if ds.null[i] {
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
