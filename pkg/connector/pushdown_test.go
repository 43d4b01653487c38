package connector

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/kpi/kpitest"
	"github.com/covenant/contracts/pkg/models"
)

// layout is one way a database may hold a KPI's rows: a table and the SQL
// that reads it, and whether push-down is expected to run on it.
type layout struct {
	name     string
	create   string                  // CREATE TABLE conn_rows (…)
	timeArg  func(t time.Time) any   // the stored time
	query    string                  // the KPI query
	pushable bool                    // push-down runs (for the methods the dialect has)
	skip     func(m kpi.Method) bool // methods the dialect leaves to the engine
	keepNaN  bool                    // store NaN as NaN (PostgreSQL), not as null
}

var diffZones = []string{"UTC", "America/New_York", "Australia/Lord_Howe"}

// loadRows fills conn_rows (seq, time, value) with a dataset; insert is the dialect's INSERT.
func loadRows(t *testing.T, db *sql.DB, l layout, ds *kpitest.Dataset, insert string) {
	t.Helper()
	ctx := context.Background()
	for _, s := range []string{"DROP TABLE IF EXISTS conn_rows", l.create} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := tx.PrepareContext(ctx, insert)
	if err != nil {
		t.Fatal(err)
	}
	for i, tm := range ds.Times {
		var v any = ds.Values[i]
		if ds.Null[i] || (math.IsNaN(ds.Values[i]) && !l.keepNaN) {
			v = nil
		}
		if _, err := st.ExecContext(ctx, i, l.timeArg(tm), v); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// comparePushDown checks, for every method × interval × zone, that the
// figures pushed down to the database equal the engine's over the rows the
// same connector returns. It returns how many series were pushed down.
func comparePushDown(t *testing.T, c Connector, l layout, ds *kpitest.Dataset) (pushedSeries, compared int) {
	t.Helper()
	ctx := context.Background()
	from, to := ds.Times[0], ds.Times[0]
	for _, tm := range ds.Times {
		if tm.Before(from) {
			from = tm
		}
		if tm.After(to) {
			to = tm
		}
	}
	cond := &models.Condition{Op: "<=", Threshold: 50}
	for _, zone := range diffZones {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		for _, iv := range kpi.Intervals {
			starts, err := kpi.Buckets(from, to.Add(time.Second), iv, loc)
			if err != nil {
				t.Fatal(err)
			}
			req := Request{ConnectorQuery: models.ConnectorQuery{RawSQL: l.query}, From: starts[0], To: starts[len(starts)-1]}
			rows, err := c.Rows(ctx, req)
			if err != nil {
				t.Fatalf("%s: rows: %v", l.name, err)
			}
			for _, m := range kpi.Methods {
				var mc *models.Condition
				if m == kpi.Ratio {
					mc = cond
				}
				name := fmt.Sprintf("%s / %s / %s / %s / %s", l.name, ds.Name, zone, iv, m)
				got, pushed, err := Figures(ctx, c, req, starts, m, mc)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				wantPushed := l.pushable && (l.skip == nil || !l.skip(m))
				if pushed != wantPushed {
					t.Fatalf("%s: pushed down %v, want %v", name, pushed, wantPushed)
				}
				want := kpi.Aggregate(rows, starts, m, mc)
				for i := range want {
					g, w := got[i], want[i]
					if math.IsNaN(g) != math.IsNaN(w) || (!math.IsNaN(w) && math.Abs(g-w) > 1e-9*math.Max(1, math.Abs(w))) {
						t.Fatalf("%s: bucket %s: push-down %v, engine %v", name, starts[i].In(loc), g, w)
					}
				}
				if pushed {
					pushedSeries++
				}
				compared++
			}
		}
	}
	return pushedSeries, compared
}

func sqliteSkip(m kpi.Method) bool {
	return m == kpi.Last || m == kpi.P50 || m == kpi.P90 || m == kpi.P95 || m == kpi.P99
}

func TestSQLitePushDownMatchesEngine(t *testing.T) {
	layouts := []layout{
		{name: "unix seconds", create: "CREATE TABLE conn_rows (seq INTEGER, t INTEGER, v REAL)",
			timeArg: func(t time.Time) any { return t.Unix() }, query: "SELECT t AS time, v AS value FROM conn_rows ORDER BY seq", pushable: true, skip: sqliteSkip},
		{name: "unix milliseconds", create: "CREATE TABLE conn_rows (seq INTEGER, t INTEGER, v REAL)",
			timeArg: func(t time.Time) any { return t.UnixMilli() }, query: "SELECT t AS time, v AS value FROM conn_rows ORDER BY seq", pushable: true, skip: sqliteSkip},
		{name: "fractional seconds, value expression", create: "CREATE TABLE conn_rows (seq INTEGER, t REAL, v REAL)",
			timeArg: func(t time.Time) any { return float64(t.UnixMilli()) / 1000 }, query: "SELECT t AS time, v * 2 - 1 AS value FROM conn_rows ORDER BY seq", pushable: true, skip: sqliteSkip},
		{name: "ISO text times (engine)", create: "CREATE TABLE conn_rows (seq INTEGER, t TEXT, v REAL)",
			timeArg: func(t time.Time) any { return t.UTC().Format(time.RFC3339Nano) }, query: "SELECT t AS time, v AS value FROM conn_rows ORDER BY seq", pushable: false},
	}
	_, writer, c := sqliteFile(t)
	diffLayouts(t, c, writer, layouts, "INSERT INTO conn_rows VALUES (?, ?, ?)", "SQLite")
}

// diffLayouts loads every dataset in every layout through writer and compares
// the connector's push-down with the engine on each.
func diffLayouts(t *testing.T, c Connector, writer *sql.DB, layouts []layout, insert, db string) {
	t.Helper()
	p := pusherOf(c)
	pushed, total := 0, 0
	for _, l := range layouts {
		for _, ds := range kpitest.Datasets() {
			loadRows(t, writer, l, ds, insert)
			p.mu.Lock()
			p.shapes = nil // a new table: probe again
			p.mu.Unlock()
			n, m := comparePushDown(t, c, l, ds)
			pushed, total = pushed+n, total+m
		}
	}
	t.Logf("%d series compared, %d of them pushed down to %s", total, pushed, db)
}

func pusherOf(c Connector) *pusher {
	switch x := c.(type) {
	case *postgresConnector:
		return x.pusher
	case *mysqlConnector:
		return x.pusher
	case *sqliteConnector:
		return x.pusher
	}
	panic("not a SQL connector")
}

// settingsFromEnv turns the database URL in an environment variable (set by
// scripts/test.sh from scripts/postgres.sh or scripts/mariadb.sh) into
// connector settings, the password as the secret.
func settingsFromEnv(t testing.TB, env, script string, typ models.ConnectorType, tlsMode string) (models.ConnectorSettings, *url.URL) {
	t.Helper()
	raw := os.Getenv(env)
	if raw == "" {
		t.Fatalf("%s is not set: start scripts/%s and export %s=$(scripts/%s url)", env, script, env, script)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(u.Port())
	pw, _ := u.User.Password()
	return models.ConnectorSettings{UID: "db", Name: "warehouse", Type: typ, Host: u.Hostname(), Port: port,
		Database: strings.TrimPrefix(u.Path, "/"), User: u.User.Username(), Password: pw, TLSMode: tlsMode, MaxOpenConns: 4}, u
}

// sqliteFile is a SQLite file for a test: its path, a connection to write
// its tables with, and a SQLite connector on it (Unix-second times); all
// closed after the test.
func sqliteFile(t testing.TB) (string, *sql.DB, Connector) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kpi.db")
	writer, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = writer.Close() })
	c, err := Open(models.ConnectorSettings{UID: "f", Name: "file", Type: models.ConnectorSQLite, Path: path, TimeFormat: "unix", MaxOpenConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return path, writer, c
}
