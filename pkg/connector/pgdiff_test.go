//go:build postgres

// The PostgreSQL connector against a real server from scripts/postgres.sh:
//
//	COVENANT_PG_URL=$(scripts/postgres.sh url) go test -tags postgres -run PostgreSQL ./pkg/connector/
package connector

import (
	"context"
	"database/sql"
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

func TestPostgreSQLPushDownMatchesEngine(t *testing.T) {
	s, raw := pgSettings(t)
	writer, err := sql.Open("pgx", raw)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
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
