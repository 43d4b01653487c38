//go:build postgres

// The PostgreSQL connector against a real server from scripts/postgres.sh:
//
//	COVENANT_PG_URL=$(scripts/postgres.sh url) go test -tags postgres -run PostgreSQL ./pkg/connector/
package connector

import (
	"context"
	"database/sql"
	"math"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// pgSettings is the PostgreSQL of COVENANT_PG_URL as connector settings, and its URL.
func pgSettings(t testing.TB) (models.ConnectorSettings, string) {
	s, u := settingsFromEnv(t, "COVENANT_PG_URL", "postgres.sh", models.ConnectorPostgres, "disable")
	return s, u.String()
}

// pgWriter is pgSettings with a connection of its own to write the test's
// tables with (closed after the test).
func pgWriter(t testing.TB) (models.ConnectorSettings, *sql.DB) {
	t.Helper()
	s, raw := pgSettings(t)
	writer, err := sql.Open("pgx", raw)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = writer.Close() })
	return s, writer
}

func TestPostgreSQLPushDownMatchesEngine(t *testing.T) {
	s, writer := pgWriter(t)
	c, err := Open(s)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	q := "SELECT t AS time, v AS value FROM conn_rows ORDER BY seq"
	layouts := []layout{
		{name: "timestamptz", create: "CREATE TABLE conn_rows (seq int, t timestamptz, v double precision)",
			timeArg: func(t time.Time) any { return t }, query: q, pushable: true, keepNaN: true},
		{name: "timestamp without time zone (UTC)", create: "CREATE TABLE conn_rows (seq int, t timestamp, v double precision)",
			timeArg: func(t time.Time) any { return t.UTC() }, query: q, pushable: true},
		{name: "bigint seconds, numeric values", create: "CREATE TABLE conn_rows (seq int, t bigint, v numeric(12,3))",
			timeArg: func(t time.Time) any { return t.Unix() }, query: q, pushable: true},
		{name: "bigint milliseconds", create: "CREATE TABLE conn_rows (seq int, t bigint, v double precision)",
			timeArg: func(t time.Time) any { return t.UnixMilli() }, query: q, pushable: true, keepNaN: true},
		{name: "text times (engine)", create: "CREATE TABLE conn_rows (seq int, t text, v double precision)",
			timeArg: func(t time.Time) any { return t.UTC().Format(time.RFC3339Nano) }, query: q, pushable: false},
	}
	diffLayouts(t, c, writer, layouts, "INSERT INTO conn_rows VALUES ($1, $2, $3)", "PostgreSQL")
}

// The connector's session is read-only: KPI SQL cannot change the database.
func TestPostgreSQLConnectorIsReadOnly(t *testing.T) {
	s, _ := pgSettings(t)
	c, err := Open(s)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Preview(context.Background(), Request{ConnectorQuery: models.ConnectorQuery{RawSQL: "CREATE TABLE covenant_should_not_exist (x int)"}}, 10)
	if err == nil || !strings.Contains(err.Error(), "rawSql: starts with CREATE") {
		t.Fatalf("want a rawSql error, got %v", err)
	}
	err = underGuard(c.(*postgresConnector).sqlConnector, "CREATE TABLE covenant_should_not_exist (x int)")
	if err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("below the statement check: want a read-only error, got %v", err)
	}
}

func TestPostgreSQLConnectorErrors(t *testing.T) {
	s, _ := pgSettings(t)
	ctx := context.Background()
	wrong := s
	wrong.Password = "not-the-password"
	bad, err := Open(wrong)
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	if _, err := bad.Check(ctx); err == nil || !strings.Contains(err.Error(), "check user and password") {
		t.Fatalf("wrong password: got %v", err)
	}
	down := s
	down.Port = 1
	off, err := Open(down)
	if err != nil {
		t.Fatal(err)
	}
	defer off.Close()
	if _, err := off.Check(ctx); err == nil || !strings.Contains(err.Error(), "check host and port") {
		t.Fatalf("server down: got %v", err)
	}
	day, _ := kpi.Buckets(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), kpi.Day, time.UTC)
	_, _, err = Figures(ctx, off, Request{ConnectorQuery: models.ConnectorQuery{RawSQL: "SELECT 1"}, From: day[0], To: day[1]}, day, kpi.Sum, nil)
	if err == nil || !strings.Contains(err.Error(), "cannot connect to the database") || !strings.Contains(err.Error(), "check host and port") {
		t.Fatalf("query while the server is down: got %v", err)
	}
	c, err := Open(s)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	msg, err := c.Check(ctx)
	if err != nil || !strings.HasPrefix(msg, "connected (PostgreSQL ") {
		t.Fatalf("check: %q, %v", msg, err)
	}
	starts, _ := kpi.Buckets(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC), kpi.Day, time.UTC)
	for _, tt := range []struct{ name, sql, want string }{
		{"no value column", "SELECT now() AS time, 1 AS amount", "returns no column named value (it returns time, amount)"},
		{"SQL error", "SELECT time, value FROM no_such_table", `SQL error: ERROR: relation "no_such_table" does not exist`},
		{"non-numeric values", "SELECT now() AS time, 'high' AS value", `row 1, column value: "high" is not a number`},
		{"slow query", "SELECT timestamptz '2026-01-01 12:00Z' AS time, 1 AS value FROM pg_sleep(5)", "did not finish within the datasource's query timeout"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(ctx, 1500*time.Millisecond)
			defer cancel()
			r := Request{ConnectorQuery: models.ConnectorQuery{RawSQL: tt.sql}, From: starts[0], To: starts[2]}
			_, _, err := Figures(ctx, c, r, starts, kpi.Avg, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

// NUMERIC values are aggregated in NUMERIC, as PostgreSQL does, and cast to
// float8 once per bucket: 0.10 + 0.20 is 0.3, where summing values cast to
// float8 gives 0.30000000000000004. By hand, daily buckets of numeric(12,2):
//
//	1 Jan: 0.10, 0.20, null, NaN → sum 0.30, avg 0.15 (null and NaN ignored)
//	2 Jan: 0.10, 0.20, 0.30      → sum 0.60, avg 0.20
//	3 Jan: 1.10, 2.20, 3.30      → sum 6.60, avg 2.20
//
// Each pushed-down figure must equal PostgreSQL's own aggregate over the same
// rows, cast to float8 afterwards, exactly; the float8 sums differ from them.
func TestPostgreSQLNumericAggregatesInNumeric(t *testing.T) {
	s, writer := pgWriter(t)
	ctx := context.Background()
	for _, stmt := range []string{
		"DROP TABLE IF EXISTS conn_numeric",
		"CREATE TABLE conn_numeric (seq int, t timestamptz, v numeric(12,2))",
		`INSERT INTO conn_numeric VALUES
		  (1, '2026-01-01 01:00Z', 0.10), (2, '2026-01-01 02:00Z', 0.20), (3, '2026-01-01 03:00Z', NULL), (4, '2026-01-01 04:00Z', 'NaN'),
		  (5, '2026-01-02 01:00Z', 0.10), (6, '2026-01-02 02:00Z', 0.20), (7, '2026-01-02 03:00Z', 0.30),
		  (8, '2026-01-03 01:00Z', 1.10), (9, '2026-01-03 02:00Z', 2.20), (10, '2026-01-03 03:00Z', 3.30)`,
	} {
		if _, err := writer.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	t.Cleanup(func() { _, _ = writer.Exec("DROP TABLE IF EXISTS conn_numeric") })
	c, err := Open(s)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	starts, _ := kpi.Buckets(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 4, 0, 0, 0, 0, time.UTC), kpi.Day, time.UTC)
	req := Request{ConnectorQuery: models.ConnectorQuery{RawSQL: "SELECT t AS time, v AS value FROM conn_numeric ORDER BY seq"}, From: starts[0], To: starts[len(starts)-1]}
	// PostgreSQL's own figure per day, over the rows every method but count keeps.
	own := func(expr string) []float64 {
		rows, err := writer.QueryContext(ctx, `SELECT (`+expr+`)::float8 FROM conn_numeric
			WHERE v IS NOT NULL AND v <> 'NaN' GROUP BY date_trunc('day', t AT TIME ZONE 'UTC') ORDER BY 1 IS NULL, date_trunc('day', t AT TIME ZONE 'UTC')`)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		defer rows.Close()
		var out []float64
		for rows.Next() {
			var v float64
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
		return out
	}
	cond := &models.Condition{Op: "<=", Threshold: 0.2}
	for _, tc := range []struct {
		m    kpi.Method
		own  string
		hand []float64
	}{
		{kpi.Sum, "SUM(v)", []float64{0.3, 0.6, 6.6}},
		{kpi.Avg, "AVG(v)", []float64{0.15, 0.2, 2.2}},
		{kpi.Min, "MIN(v)", []float64{0.1, 0.1, 1.1}},
		{kpi.Max, "MAX(v)", []float64{0.2, 0.3, 3.3}},
		{kpi.P90, "percentile_cont(0.9) WITHIN GROUP (ORDER BY v::float8)", nil},
		// Share within 0.2: 2 of 2, 2 of 3, 0 of 3, as the engine computes a share (hits / count × 100 in float8).
		{kpi.Ratio, "(COUNT(*) FILTER (WHERE v <= 0.2))::float8 / COUNT(*) * 100", []float64{100, 200.0 / 3, 0}},
	} {
		var mc *models.Condition
		if tc.m == kpi.Ratio {
			mc = cond
		}
		got, pushed, err := Figures(ctx, c, req, starts, tc.m, mc)
		if err != nil || !pushed {
			t.Fatalf("%s: pushed %v, %v", tc.m, pushed, err)
		}
		want := own(tc.own)
		if len(want) != 3 || len(got) != 3 {
			t.Fatalf("%s: %v, PostgreSQL %v", tc.m, got, want)
		}
		for i := range want {
			if got[i] != want[i] || (tc.hand != nil && math.Abs(got[i]-tc.hand[i]) > 1e-12) {
				t.Fatalf("%s, day %d: push-down %v, PostgreSQL %v, by hand %v", tc.m, i+1, got[i], want[i], tc.hand)
			}
		}
	}
	// The test tells the two apart: summed as float8, the days differ from the numeric sums.
	float8 := own("SUM(v::float8)")
	sums, _, _ := Figures(ctx, c, req, starts, kpi.Sum, nil)
	if float8[0] == sums[0] || float8[1] == sums[1] {
		t.Fatalf("float8 sums %v equal the numeric ones %v: the data does not show the difference", float8, sums)
	}
}

func TestPostgreSQLLateDataInvalidatesTheCache(t *testing.T) {
	s, writer := pgWriter(t)
	c, err := Open(s)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	testLateData(t, c, writer, lateRows{
		create: "CREATE TABLE late_rows (t timestamptz, v double precision, updated_at timestamptz NOT NULL DEFAULT clock_timestamp())",
		insert: "INSERT INTO late_rows (t, v) VALUES ($1, $2)",
		update: "UPDATE late_rows SET v = 10, updated_at = clock_timestamp() WHERE t = $1",
		remove: "DELETE FROM late_rows WHERE t = $1",
		arg:    func(t time.Time) any { return t },
	})
}
