package connector

import (
	"database/sql/driver"
	"fmt"
	"net/url"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// sqliteConnector reads a SQLite database file, read-only, through the
// pure-Go driver, and pushes tracker aggregation down to it (percentiles and
// last run in process: SQLite has neither as an aggregate).
type sqliteConnector struct {
	*pusher
	path string // the database file (its watermark)
}

var (
	_ Connector  = (*sqliteConnector)(nil)
	_ Aggregator = (*sqliteConnector)(nil)
)

func openSQLiteFile(s models.ConnectorSettings) (*sqliteConnector, error) {
	dsn := "file:" + (&url.URL{Path: s.Path}).EscapedPath() + "?mode=ro&_pragma=query_only(1)&_pragma=busy_timeout(5000)"
	db, err := openReadOnlySQLite(dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(s.MaxOpenConns)
	c := &sqlConnector{kind: models.ConnectorSQLite, name: s.Name, db: db, dialect: sqliteDialect{format: s.TimeFormat}, syntax: syntaxSQLite, version: "SELECT 'SQLite ' || sqlite_version()"}
	return &sqliteConnector{pusher: &pusher{sqlConnector: c, d: sqliteDialect{format: s.TimeFormat}}, path: s.Path}, nil
}

// sqliteDialect binds with ? and time macros as Unix seconds, milliseconds or ISO 8601 text.
type sqliteDialect struct{ format string }

// SQLiteUnixDialect binds with `?` and times as Unix seconds (the demo connector's layout).
type SQLiteUnixDialect = sqliteDialect

// Placeholder implements Dialect.
func (sqliteDialect) Placeholder(int) string { return "?" }

// TimeArg implements Dialect.
func (d sqliteDialect) TimeArg(t time.Time) any {
	switch d.format {
	case "unixms":
		return t.UnixMilli()
	case "iso":
		return t.UTC().Format("2006-01-02T15:04:05Z")
	}
	return t.Unix()
}

func (sqliteDialect) quote(name string) string { return mysqlDialect{}.quote(name) }

// classify: SQLite's types are per value, not per column, so every column is
// taken as a candidate and the aggregate query checks each row's type itself.
func (sqliteDialect) classify(string) (timeKind, bool) { return timeNumber, true }

func (d sqliteDialect) aggregateSQL(inner string, innerArgs []any, s shape, starts []time.Time, m kpi.Method, cond *models.Condition) (string, []any, func(), bool) {
	if m == kpi.Last || m.Percentile() > 0 {
		return "", nil, nil, false
	}
	double := func(x string) string { return "CAST(" + x + " AS REAL)" }
	parts := aggParts{ok: "v IS NOT NULL", threshold: "?", double: double}
	agg, ok := aggregateExpr(m, parts, cond, nil, "")
	if !ok {
		return "", nil, nil, false
	}
	id, release := sqliteBounds.put(boundsSeconds(starts))
	var args []any
	if m == kpi.Ratio {
		args = append(args, cond.Threshold)
	}
	args = append(args, id)
	args = append(args, innerArgs...)
	tcol, vcol := d.quote(s.time.name), d.quote(s.value.name)
	// Bucket -1: a time that is not a number (the engine reads text times in
	// process); 0: outside the range; 1..n: the bucket.
	q := fmt.Sprintf(`SELECT b, %[1]s AS v, SUM(vt NOT IN ('integer', 'real', 'null')) AS bad FROM (
  SELECT CASE WHEN tt NOT IN ('integer', 'real') THEN -1 ELSE covenant_bucket(t, ?) END AS b, v, vt FROM (
    SELECT CASE WHEN abs(%[2]s) >= 1e11 THEN %[2]s / 1000.0 ELSE %[2]s END AS t, typeof(%[2]s) AS tt, %[3]s AS v, typeof(%[3]s) AS vt
    FROM (%[4]s) AS covenant_q) AS covenant_t
) AS covenant_rows GROUP BY b`, double(agg), tcol, vcol, inner)
	return q, args, release, true
}

// boundsRegistry holds the bucket bounds of running SQLite push-down
// queries; covenant_bucket(t, id) finds t's bucket in them by binary search.
type boundsRegistry struct {
	next atomic.Int64
	m    sync.Map // int64 -> []float64
}

var sqliteBounds = &boundsRegistry{}

func (r *boundsRegistry) put(b []float64) (int64, func()) {
	id := r.next.Add(1)
	r.m.Store(id, b)
	return id, func() { r.m.Delete(id) }
}

func init() {
	sqlite.MustRegisterDeterministicScalarFunction("covenant_bucket", 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		var t float64
		switch x := args[0].(type) {
		case int64:
			t = float64(x)
		case float64:
			t = x
		default:
			return int64(-1), nil
		}
		id, _ := args[1].(int64)
		v, ok := sqliteBounds.m.Load(id)
		if !ok {
			return nil, fmt.Errorf("covenant_bucket: no bounds %d", id)
		}
		b := v.([]float64)
		// i = how many bounds are <= t: bucket i of 1..n, 0 outside.
		i := sort.Search(len(b), func(k int) bool { return b[k] > t })
		if i == 0 || i == len(b) {
			return int64(0), nil
		}
		return int64(i), nil
	})
}
