//go:build mysql

// The MySQL connector against a real MariaDB from scripts/mariadb.sh:
//
//	COVENANT_MYSQL_URL=$(scripts/mariadb.sh url) go test -tags mysql -run MySQL ./pkg/connector/
package connector

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

func mysqlSettings(t testing.TB) (models.ConnectorSettings, *sql.DB) {
	t.Helper()
	s, u := settingsFromEnv(t, "COVENANT_MYSQL_URL", "mariadb.sh", models.ConnectorMySQL, "false")
	cfg := mysql.NewConfig()
	cfg.User, cfg.Passwd, cfg.Net, cfg.Addr, cfg.DBName = s.User, s.Password, "tcp", u.Host, s.Database
	cfg.ParseTime, cfg.Loc = true, time.UTC
	cfg.Params = map[string]string{"time_zone": "'+00:00'"}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(conn)
	t.Cleanup(func() { _ = db.Close() })
	return s, db
}

func mysqlSkip(m kpi.Method) bool { return m == kpi.Last || m.Percentile() > 0 }

func TestMySQLPushDownMatchesEngine(t *testing.T) {
	s, writer := mysqlSettings(t)
	c, err := Open(s)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	q := "SELECT t AS time, v AS value FROM conn_rows ORDER BY seq"
	layouts := []layout{
		{name: "DATETIME(6) in UTC", create: "CREATE TABLE conn_rows (seq INT, t DATETIME(6), v DOUBLE)",
			timeArg: func(t time.Time) any { return t.UTC() }, query: q, pushable: true, skip: mysqlSkip},
		{name: "TIMESTAMP(6)", create: "CREATE TABLE conn_rows (seq INT, t TIMESTAMP(6) NULL, v DOUBLE)",
			timeArg: func(t time.Time) any { return t.UTC() }, query: q, pushable: true, skip: mysqlSkip},
		{name: "BIGINT seconds, DECIMAL values", create: "CREATE TABLE conn_rows (seq INT, t BIGINT, v DECIMAL(12,3))",
			timeArg: func(t time.Time) any { return t.Unix() }, query: q, pushable: true, skip: mysqlSkip},
		{name: "BIGINT milliseconds", create: "CREATE TABLE conn_rows (seq INT, t BIGINT, v DOUBLE)",
			timeArg: func(t time.Time) any { return t.UnixMilli() }, query: q, pushable: true, skip: mysqlSkip},
		{name: "VARCHAR times (engine)", create: "CREATE TABLE conn_rows (seq INT, t VARCHAR(40), v DOUBLE)",
			timeArg: func(t time.Time) any { return t.UTC().Format(time.RFC3339Nano) }, query: q, pushable: false},
	}
	diffLayouts(t, c, writer, layouts, "INSERT INTO conn_rows VALUES (?, ?, ?)", "MariaDB")
}

func TestMySQLConnector(t *testing.T) {
	s, _ := mysqlSettings(t)
	ctx := context.Background()
	c, err := Open(s)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	msg, err := c.Check(ctx)
	if err != nil || !strings.Contains(msg, "MariaDB") {
		t.Fatalf("check: %q, %v", msg, err)
	}
	_, err = c.Preview(ctx, Request{ConnectorQuery: models.ConnectorQuery{RawSQL: "CREATE TABLE covenant_should_not_exist (x INT)"}}, 10)
	if err == nil || !strings.Contains(err.Error(), "rawSql: starts with CREATE") {
		t.Fatalf("want a rawSql error, got %v", err)
	}
	err = underGuard(c.(*mysqlConnector).sqlConnector, "CREATE TABLE covenant_should_not_exist (x INT)")
	if err == nil || !strings.Contains(err.Error(), "READ ONLY") {
		t.Fatalf("below the statement check: want a read-only error, got %v", err)
	}
	f, err := c.Preview(ctx, Request{ConnectorQuery: models.ConnectorQuery{RawSQL: "SELECT 1 AS n, 2.5 AS x, 'a' AS s, $__key AS k"}, Key: "acme"}, 10)
	if err != nil || f.Rows() != 1 {
		t.Fatalf("preview: %v, %v", f, err)
	}
	wrong := s
	wrong.Password = "nope"
	bad, _ := Open(wrong)
	defer bad.Close()
	if _, err := bad.Check(ctx); err == nil || !strings.Contains(err.Error(), "check user and password") {
		t.Fatalf("wrong password: %v", err)
	}
	starts, _ := kpi.Buckets(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC), kpi.Day, time.UTC)
	for _, tt := range []struct{ name, sql, want string }{
		{"SQL error", "SELECT time, value FROM no_such_table", "SQL error: Error 1146"},
		{"no value column", "SELECT NOW() AS time, 1 AS amount", "returns no column named value (it returns time, amount)"},
		{"slow query", "SELECT TIMESTAMP '2026-01-01 12:00:00' AS time, SLEEP(5) AS value", "did not finish within the datasource's query timeout"},
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

func TestMySQLLateDataInvalidatesTheCache(t *testing.T) {
	s, writer := mysqlSettings(t)
	c, err := Open(s)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	testLateData(t, c, writer, lateRows{
		create: "CREATE TABLE late_rows (t DATETIME(6), v DOUBLE, updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6))",
		insert: "INSERT INTO late_rows (t, v) VALUES (?, ?)",
		update: "UPDATE late_rows SET v = 10 WHERE t = ?",
		remove: "DELETE FROM late_rows WHERE t = ?",
		arg:    func(t time.Time) any { return t.UTC() },
	})
}
