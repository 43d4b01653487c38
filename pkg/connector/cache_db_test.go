//go:build postgres || mysql

package connector

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// lateRows is the table of the late-data tests, in a database's dialect.
type lateRows struct {
	create, insert, update, remove string
	// arg turns a row's time into what the insert binds.
	arg func(time.Time) any
}

// testLateData shows, on a real database, that rows arriving late (or
// changed, or removed) in a closed bucket appear in the next query through
// the closed-bucket cache, once its watermark over the KPI query's
// watermark column has changed; and that a repeat query without change
// reads only the watermark.
func testLateData(t *testing.T, conn Connector, db *sql.DB, tbl lateRows) {
	ctx := context.Background()
	for _, s := range []string{"DROP TABLE IF EXISTS late_rows", tbl.create} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	for h := 0; h < 72; h++ {
		if _, err := db.Exec(tbl.insert, tbl.arg(day0.Add(time.Duration(h)*time.Hour)), 1.5); err != nil {
			t.Fatal(err)
		}
	}
	c := NewCache(0) // no TTL: only the watermark keeps buckets
	q := models.ConnectorQuery{RawSQL: "SELECT t AS time, v AS value, updated_at FROM late_rows WHERE $__timeFilter(t)", WatermarkColumn: "updated_at"}
	starts := days(0, 3)
	r := Request{ConnectorQuery: q, From: starts[0], To: starts[3]}
	now := day0.AddDate(0, 0, 5)
	get := func(m kpi.Method) []float64 {
		t.Helper()
		out, _, err := c.CachedFigures(ctx, conn, r, starts, m, nil, CacheKey(r, m, nil, ""), now)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got := get(kpi.Sum); !slices.Equal(got, []float64{36, 36, 36}) {
		t.Fatalf("first query %v", got)
	}
	get(kpi.Sum)
	if s := c.Stats(); s.Hits != 3 || s.Misses != 3 {
		t.Fatalf("stats %+v: the repeat query should be served from the cache", s)
	}
	// A late row in closed day 1 (its updated_at is its arrival).
	if _, err := db.Exec(tbl.insert, tbl.arg(day0.Add(30*time.Hour)), 100); err != nil {
		t.Fatal(err)
	}
	if got := get(kpi.Sum); !slices.Equal(got, []float64{36, 136, 36}) {
		t.Fatalf("after a late row in day 1: %v, want 36 136 36", got)
	}
	// A changed row (updated_at set by the update).
	if _, err := db.Exec(tbl.update, tbl.arg(day0.Add(2*time.Hour))); err != nil {
		t.Fatal(err)
	}
	if got := get(kpi.Sum); !slices.Equal(got, []float64{36 - 1.5 + 10, 136, 36}) {
		t.Fatalf("after a changed row in day 0: %v", got)
	}
	// A removed row changes the count.
	if _, err := db.Exec(tbl.remove, tbl.arg(day0.Add(50*time.Hour))); err != nil {
		t.Fatal(err)
	}
	if got := get(kpi.Sum); !slices.Equal(got, []float64{44.5, 136, 34.5}) {
		t.Fatalf("after a removed row in day 2: %v", got)
	}
	if s := c.Stats(); s.Invalidations != 3 {
		t.Fatalf("stats %+v, want 3 invalidations", s)
	}
	// With a TTL, most checks are quick (the maximum alone): a late row
	// still shows in the next query.
	c = NewCache(time.Hour)
	before := get(kpi.Count)
	get(kpi.Count)
	if _, err := db.Exec(tbl.insert, tbl.arg(day0.Add(26*time.Hour)), 1); err != nil {
		t.Fatal(err)
	}
	if got := get(kpi.Count); got[1] != before[1]+1 {
		t.Fatalf("quick check: day 1 counts %v rows after a late one, before %v", got[1], before[1])
	}
	if s := c.Stats(); s.Hits != 3 || s.Invalidations != 1 {
		t.Fatalf("stats %+v, want 3 hits and 1 invalidation", s)
	}
	// A watermark column the query does not return is named.
	bad := r
	bad.WatermarkColumn = "changed_at"
	_, _, err := c.CachedFigures(ctx, conn, bad, starts, kpi.Sum, nil, CacheKey(bad, kpi.Sum, nil, ""), now)
	var fe *models.FieldError
	if err == nil || !errors.As(err, &fe) || fe.Field != "watermarkColumn" || !strings.Contains(err.Error(), `no column "changed_at"`) {
		t.Fatalf("missing watermark column: %v", err)
	}
}
