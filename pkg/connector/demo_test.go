package connector

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

var testEnd = time.Date(2026, 3, 15, 12, 30, 0, 0, time.UTC)

func openTestDemo(t *testing.T) *DemoDB {
	t.Helper()
	db, err := OpenDemo(context.Background(), testEnd)
	if err != nil {
		t.Fatalf("OpenDemo: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestGenerateDemoIsDeterministicAndStableAcrossEnds(t *testing.T) {
	a := generateDemo(testEnd)
	b := generateDemo(testEnd)
	if len(a.tickets) != len(b.tickets) || len(a.uptime) != len(b.uptime) || len(a.deliveries) != len(b.deliveries) {
		t.Fatalf("two generations differ in size")
	}
	for i := range a.tickets {
		if a.tickets[i].opened != b.tickets[i].opened || a.tickets[i].priority != b.tickets[i].priority {
			t.Fatalf("ticket %d differs between generations", i)
		}
	}
	// A later end keeps the history of days already generated.
	later := generateDemo(testEnd.AddDate(0, 0, 3))
	day := time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC).Unix()
	count := func(rows []uptimeRow) (n int, sum float64) {
		for _, u := range rows {
			if u.contract == "acme-it" && u.hour >= day && u.hour < day+86400 {
				n++
				sum += u.pct
			}
		}
		return
	}
	n1, s1 := count(a.uptime)
	n2, s2 := count(later.uptime)
	if n1 != 24 || n1 != n2 || s1 != s2 {
		t.Fatalf("history of 2025-06-10 changed: %d rows sum %v vs %d rows sum %v", n1, s1, n2, s2)
	}
}

func TestDemoShape(t *testing.T) {
	db := openTestDemo(t)
	if len(db.Contracts) != 3 {
		t.Fatalf("want 3 demo contracts, got %d", len(db.Contracts))
	}
	ctx := context.Background()
	tests := []struct {
		name, sql string
		min, max  float64
	}{
		{"uptime rows: two contracts, hourly, two years", "SELECT COUNT(*) FROM uptime", 2 * 24 * 729, 2 * 24 * 731},
		{"tickets per day around 35", "SELECT COUNT(*) / 730.0 FROM tickets", 30, 40},
		{"deliveries per day around 36", "SELECT COUNT(*) / 730.0 FROM deliveries", 31, 41},
		{"no rows after the end", "SELECT COUNT(*) FROM tickets WHERE time >= " + itoa(testEnd.Unix()), 0, 0},
		{"rows up to the last hours", "SELECT COUNT(*) FROM uptime WHERE time >= " + itoa(testEnd.Add(-3*time.Hour).Unix()), 2, 8},
		{"some tickets still in progress", "SELECT COUNT(*) FROM tickets WHERE status = 'in_progress'", 1, 200},
		{"months with bad response times exist", `SELECT COUNT(*) FROM (SELECT strftime('%Y-%m', time, 'unixepoch') m, AVG(response_minutes) a
			FROM tickets WHERE contract = 'acme-it' GROUP BY m HAVING a > 80)`, 1, 12},
		{"months with late deliveries exist", `SELECT COUNT(*) FROM (SELECT strftime('%Y-%m', time, 'unixepoch') m, AVG(on_time) a
			FROM deliveries GROUP BY m HAVING a < 0.9)`, 1, 12},
		{"most months meet 95 % on-time", `SELECT COUNT(*) FROM (SELECT strftime('%Y-%m', time, 'unixepoch') m, AVG(on_time) a
			FROM deliveries GROUP BY m HAVING a >= 0.93)`, 14, 25},
		{"uptime outages exist", "SELECT COUNT(*) FROM uptime WHERE uptime_pct < 60", 3, 400},
		{"invoice errors exist", "SELECT COUNT(*) FROM invoices WHERE accurate = 0", 5, 300},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := db.Query(ctx, tt.sql, time.Time{}, time.Time{}, "", 10)
			if err != nil {
				t.Fatal(err)
			}
			v, ok := f.Fields[0].ConcreteAt(0)
			if !ok {
				t.Fatal("null result")
			}
			var got float64
			switch x := v.(type) {
			case int64:
				got = float64(x)
			case float64:
				got = x
			}
			if got < tt.min || got > tt.max {
				t.Fatalf("got %v, want between %v and %v", got, tt.min, tt.max)
			}
		})
	}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func TestDemoQueryMacrosBindTimeAndKey(t *testing.T) {
	db := openTestDemo(t)
	from := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	to := from.Add(48 * time.Hour)
	f, err := db.Query(context.Background(),
		"SELECT time, uptime_pct AS value, contract AS key FROM uptime WHERE $__timeFilter(time) AND contract = $__key ORDER BY time",
		from, to, "initech-cloud", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if f.Rows() != 48 {
		t.Fatalf("want 48 hourly rows, got %d", f.Rows())
	}
	first, _ := f.Fields[0].ConcreteAt(0)
	last, _ := f.Fields[0].ConcreteAt(47)
	if !first.(time.Time).Equal(from) || !last.(time.Time).Equal(to.Add(-time.Hour)) {
		t.Fatalf("time range: got %v .. %v", first, last)
	}
	for i := 0; i < f.Rows(); i++ {
		if k, _ := f.Fields[2].ConcreteAt(i); k != "initech-cloud" {
			t.Fatalf("row %d has key %v", i, k)
		}
	}
	if f.Meta.ExecutedQueryString == "" || strings.Contains(f.Meta.ExecutedQueryString, "initech") {
		t.Fatalf("the key must be bound, not spliced: %q", f.Meta.ExecutedQueryString)
	}
}

func TestDemoQueryErrors(t *testing.T) {
	db := openTestDemo(t)
	ctx := context.Background()
	tests := []struct {
		name, sql string
		want      error
	}{
		{"not a SELECT", "SELEC time FROM uptime", models.ErrInvalidQuery},
		{"syntax error", "SELECT time FROM uptime WHERE", models.ErrConnector},
		{"missing table", "SELECT time FROM nope", models.ErrConnector},
		{"writes are refused", "DELETE FROM uptime", models.ErrInvalidQuery},
		{"unknown macro", "SELECT * FROM uptime WHERE $__timeGroup(time)", models.ErrInvalidQuery},
		{"bad time column", "SELECT 'yesterday' AS time", models.ErrConnector},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.Query(ctx, tt.sql, testEnd.Add(-time.Hour), testEnd, "", 10)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
	// The data survives the refused write.
	f, err := db.Query(ctx, "SELECT COUNT(*) FROM uptime", time.Time{}, time.Time{}, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := f.Fields[0].ConcreteAt(0); n.(int64) < 1000 {
		t.Fatalf("uptime rows lost: %v", n)
	}
}

func TestDemoQueryLimitAddsNotice(t *testing.T) {
	db := openTestDemo(t)
	f, err := db.Query(context.Background(), "SELECT time, uptime_pct FROM uptime ORDER BY time", time.Time{}, time.Time{}, "", 5)
	if err != nil {
		t.Fatal(err)
	}
	if f.Rows() != 5 || len(f.Meta.Notices) != 1 {
		t.Fatalf("want 5 rows and a notice, got %d rows, %d notices", f.Rows(), len(f.Meta.Notices))
	}
}

func TestDemoQueryTimeout(t *testing.T) {
	db := openTestDemo(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := db.Query(ctx, `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT COUNT(*) FROM c`, time.Time{}, time.Time{}, "", 1)
	if !errors.Is(err, models.ErrConnector) || !strings.Contains(err.Error(), "timeout") {
		t.Fatalf("want a timeout connector error, got %v", err)
	}
}
