package connector

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// postgresConnector reads a PostgreSQL database through pgx, in read-only
// transactions, and pushes tracker aggregation down to it.
type postgresConnector struct {
	*pusher
}

var (
	_ Connector  = (*postgresConnector)(nil)
	_ Aggregator = (*postgresConnector)(nil)
)

func openPostgres(s models.ConnectorSettings) (*postgresConnector, error) {
	cfg, err := pgx.ParseConfig(models.PostgresURL(s.Host, s.Port, s.Database, s.User, s.Password, s.TLSMode, "covenant"))
	if err != nil {
		return nil, fmt.Errorf("%w: connector %q: %v: check host, port, database and user", models.ErrInvalidSettings, s.Name, err)
	}
	if err := usePostgresCA(cfg, s.TLSMode, s.TLSCACert); err != nil {
		return nil, fmt.Errorf("%w: connector %q: tlsCACert: %v: paste the PEM certificate of the CA that signs the server's certificate", models.ErrInvalidSettings, s.Name, err)
	}
	// KPI SQL is written by editors: the session refuses every write.
	cfg.RuntimeParams["default_transaction_read_only"] = "on"
	// Describe each statement rather than cache its plan: a table whose columns
	// change would otherwise fail once with "cached plan must not change result type".
	cfg.DefaultQueryExecMode = pgx.QueryExecModeDescribeExec
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(s.MaxOpenConns)
	db.SetMaxIdleConns(min(2, s.MaxOpenConns))
	db.SetConnMaxIdleTime(5 * time.Minute)
	c := &sqlConnector{kind: models.ConnectorPostgres, name: s.Name, db: db, dialect: postgresDialect{}, syntax: syntaxPostgres, readTx: true, session: postgresSession, writes: postgresWrites, version: "SELECT version()"}
	return &postgresConnector{pusher: &pusher{sqlConnector: c, d: postgresDialect{}}}, nil
}

// postgresSession ends each query by discarding the session's state: SET
// inside the rolled-back transaction is undone already, and DISCARD ALL also
// drops what a transaction does not (advisory locks, LISTEN, prepared
// statements, temporary tables) and restores the startup settings, among
// them default_transaction_read_only = on.
var postgresSession = sessionGuard{end: []string{"DISCARD ALL"}}

// postgresWrites names what the current user may change: superuser, CREATE in
// the database, or INSERT/UPDATE/DELETE/TRUNCATE on some table.
const postgresWrites = `SELECT concat_ws(', ',
  CASE WHEN (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN 'superuser' END,
  CASE WHEN has_database_privilege(current_database(), 'CREATE') THEN 'CREATE in the database' END,
  (SELECT string_agg(DISTINCT privilege_type, '/') || ' on ' || count(DISTINCT table_schema || '.' || table_name) || ' tables'
     FROM information_schema.table_privileges
    WHERE privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')
      AND table_schema NOT IN ('pg_catalog', 'information_schema')
      AND CASE WHEN grantee = 'PUBLIC' THEN true ELSE pg_has_role(grantee, 'USAGE') END
   HAVING count(*) > 0))`

// usePostgresCA makes the connection trust only the PEM CA caPEM (the
// connector's secret tlsCACert) in place of the system's, as libpq's
// sslrootcert does: verify-full checks the chain and the host name,
// verify-ca (and require, as in libpq once a CA is given) the chain only.
// Without a CA, or with tlsMode disable, the configuration is unchanged.
func usePostgresCA(cfg *pgx.ConnConfig, mode, caPEM string) error {
	if strings.TrimSpace(caPEM) == "" || mode == "disable" {
		return nil
	}
	certs, err := models.ParseCertificates(caPEM)
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	for _, c := range certs {
		pool.AddCert(c)
	}
	configs := []*tls.Config{cfg.TLSConfig}
	for _, f := range cfg.Fallbacks {
		configs = append(configs, f.TLSConfig)
	}
	for _, tc := range configs {
		if tc == nil {
			continue
		}
		tc.RootCAs = pool
		if mode != "verify-full" {
			// The chain is verified here, without the host name.
			tc.InsecureSkipVerify = true
			tc.VerifyPeerCertificate = func(raw [][]byte, _ [][]*x509.Certificate) error { return verifyChain(raw, pool) }
		}
	}
	return nil
}

// verifyChain checks that the server's certificate chains to a CA of pool,
// whatever host name it names (libpq's verify-ca).
func verifyChain(raw [][]byte, pool *x509.CertPool) error {
	if len(raw) == 0 {
		return errors.New("the server sent no certificate")
	}
	certs := make([]*x509.Certificate, len(raw))
	for i, der := range raw {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return fmt.Errorf("the server's certificate does not parse: %w", err)
		}
		certs[i] = c
	}
	opts := x509.VerifyOptions{Roots: pool, Intermediates: x509.NewCertPool()}
	for _, c := range certs[1:] {
		opts.Intermediates.AddCert(c)
	}
	_, err := certs[0].Verify(opts)
	return err
}

// postgresDialect binds $1, $2, … and compares times as timestamptz.
type postgresDialect struct{}

// Placeholder implements Dialect.
func (postgresDialect) Placeholder(n int) string { return "$" + strconv.Itoa(n) }

// TimeArg implements Dialect.
func (postgresDialect) TimeArg(t time.Time) any { return t.UTC() }

func (postgresDialect) quote(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

func (postgresDialect) classify(dbType string) (timeKind, bool) {
	switch strings.ToUpper(dbType) {
	case "TIMESTAMPTZ", "TIMESTAMP", "DATE":
		return timeTimestamp, false
	case "INT2", "INT4", "INT8", "FLOAT4", "FLOAT8", "NUMERIC":
		return timeNumber, true
	case "BOOL":
		return timeOther, true
	}
	return timeOther, false
}

// pgBinder returns bind, which appends a value to args and returns its bind marker, cast.
func pgBinder(args *[]any) func(v any, cast string) string {
	return func(v any, cast string) string {
		*args = append(*args, v)
		return fmt.Sprintf("$%d::%s", len(*args), cast)
	}
}

// pgBuckets binds the bucket boundaries as timestamptz: the array, the first
// and the last.
func pgBuckets(starts []time.Time, bind func(any, string) string) (bounds, lo, hi string) {
	utc := make([]time.Time, len(starts))
	for i, t := range starts {
		utc[i] = t.UTC()
	}
	return bind(utc, "timestamptz[]"), bind(utc[0], "timestamptz"), bind(utc[len(utc)-1], "timestamptz")
}

// pgTimestamp is a timestamp column as timestamptz: timestamp without time
// zone and date are read as UTC, as pgx reads them in process.
func pgTimestamp(c column) string {
	col := postgresDialect{}.quote(c.name)
	if c.dbType == "TIMESTAMPTZ" {
		return col
	}
	return fmt.Sprintf("(%s)::timestamp AT TIME ZONE 'UTC'", col)
}

// pgInstant is a column as an exact timestamptz, as the engine reads it: a
// timestamp type, or integer Unix seconds (milliseconds from 1e11 on; null
// from 1e14 on, far past the instants the engine takes). false for other
// types (floats and numerics may hold fractions of a microsecond).
func pgInstant(c column) (string, bool) {
	switch c.dbType {
	case "TIMESTAMPTZ", "TIMESTAMP", "DATE":
		return pgTimestamp(c), true
	case "INT2", "INT4", "INT8":
		return fmt.Sprintf("(CASE WHEN %[1]s > -100000000000 AND %[1]s < 100000000000 THEN to_timestamp(%[1]s)"+
			" WHEN %[1]s > -100000000000000 AND %[1]s < 100000000000000 THEN to_timestamp(%[1]s / 1000) + (%[1]s %% 1000) * interval '1 millisecond' END)",
			postgresDialect{}.quote(c.name)), true
	}
	return "", false
}

// pgAggregate is the aggregate expression of method m over the column v of
// type vtype, and whether it needs the row order rn.
func pgAggregate(m kpi.Method, cond *models.Condition, vtype string, bind func(any, string) string) (agg string, rn bool, ok bool) {
	parts := aggParts{ok: "v IS NOT NULL AND v <> 'NaN'::" + vtype, double: func(x string) string { return "(" + x + ")::float8" }}
	if m == kpi.Ratio && cond != nil {
		parts.threshold = bind(cond.Threshold, "float8")
	}
	pct := func(p float64) string {
		return fmt.Sprintf("percentile_cont(%v) WITHIN GROUP (ORDER BY v::float8) FILTER (WHERE %s)", p, parts.ok)
	}
	last := fmt.Sprintf("(array_agg(v ORDER BY t DESC, rn DESC) FILTER (WHERE %s))[1]", parts.ok)
	agg, ok = aggregateExpr(m, parts, cond, pct, last)
	// The row order breaks ties of time for last, as in process.
	return agg, m == kpi.Last, ok
}

func (d postgresDialect) aggregateSQL(inner string, innerArgs []any, s shape, starts []time.Time, m kpi.Method, cond *models.Condition) (string, []any, func(), bool) {
	args := append([]any(nil), innerArgs...)
	bind := pgBinder(&args)
	tcol, vcol := d.quote(s.time.name), d.quote(s.value.name)
	var texpr, bounds, lo, hi string
	switch s.time.time {
	case timeTimestamp:
		texpr = pgTimestamp(s.time)
		bounds, lo, hi = pgBuckets(starts, bind)
	case timeNumber:
		texpr = fmt.Sprintf("(CASE WHEN abs(%[1]s) >= 1e11 THEN %[1]s / 1000.0 ELSE %[1]s END)::float8", tcol)
		secs := boundsSeconds(starts)
		bounds, lo, hi = bind(secs, "float8[]"), bind(secs[0], "float8"), bind(secs[len(secs)-1], "float8")
	default:
		return "", nil, nil, false
	}
	// Values are aggregated in float8, except NUMERIC ones: those keep the
	// database's own arithmetic (0.10 + 0.20 is 0.30, not 0.30000000000000004),
	// and only the bucket's figure is cast to float8, by the outer query.
	// Percentiles are defined on float8 (percentile_cont), and the ratio's
	// threshold is a float8, as the engine compares them.
	vexpr, vtype := fmt.Sprintf("(%s)::float8", vcol), "float8"
	switch s.value.dbType {
	case "BOOL":
		vexpr = fmt.Sprintf("(%s)::int::float8", vcol)
	case "NUMERIC":
		vexpr, vtype = vcol, "numeric"
	}
	agg, needRN, ok := pgAggregate(m, cond, vtype, bind)
	if !ok {
		return "", nil, nil, false
	}
	rn := ""
	if needRN {
		rn = ", row_number() OVER () AS rn"
	}
	q := fmt.Sprintf(`SELECT width_bucket(t, %[1]s) AS b, (%[2]s)::float8 AS v FROM (
  SELECT %[3]s AS t, %[4]s AS v%[8]s FROM (%[5]s) AS covenant_q
) AS covenant_rows WHERE t >= %[6]s AND t < %[7]s GROUP BY 1`, bounds, agg, texpr, vexpr, inner, lo, hi, rn)
	return q, args, nil, true
}

// businessSQL implements businessDialect (businesspush.go). For each row
// and x its time, then its end, k = width_bucket(x, starts) finds the last
// window that starts at or before x (0: none), and C(x) = before[k] + (least(x,
// ends[k]) − starts[k]). A row's value is C(end) − C(time): the difference of
// the befores (bigint microseconds) plus that of the two intervals, turned
// into microseconds once (extract gives a numeric: exact). The searches run
// in a subquery kept from being merged into the query (OFFSET 0), so that
// each runs once per row.
func (d postgresDialect) businessSQL(inner string, innerArgs []any, s shape, starts []time.Time, m kpi.Method, cond *models.Condition, w *businessWindows) (string, []any, bool) {
	texpr, ok := pgInstant(s.time)
	if !ok {
		return "", nil, false
	}
	eexpr, ok := pgInstant(s.end)
	if !ok {
		return "", nil, false
	}
	args := append([]any(nil), innerArgs...)
	bind := pgBinder(&args)
	bounds, lo, hi := pgBuckets(starts, bind)
	ws, we := bind(w.starts, "timestamptz[]"), bind(w.ends, "timestamptz[]")
	before, horizon := bind(w.before, "int8[]"), bind(w.horizon, "timestamptz")
	per := bind(float64(w.per), "float8")
	agg, needRN, ok := pgAggregate(m, cond, "float8", bind)
	if !ok {
		return "", nil, false
	}
	rn, rnCol := "", ""
	if needRN {
		rn, rnCol = ", row_number() OVER () AS rn", ", rn"
	}
	beforeK := func(k string) string {
		return fmt.Sprintf("CASE WHEN %[1]s = 0 THEN 0 ELSE (%[2]s)[%[1]s] END", k, before)
	}
	into := func(x, k string) string {
		return fmt.Sprintf("CASE WHEN %[2]s = 0 THEN interval '0' ELSE least(%[1]s, (%[3]s)[%[2]s]) - (%[4]s)[%[2]s] END", x, k, we, ws)
	}
	micros := fmt.Sprintf("(%s) - (%s) + (extract(epoch FROM (%s) - (%s)) * 1000000)::int8", beforeK("ke"), beforeK("kt"), into("e", "ke"), into("t", "kt"))
	q := fmt.Sprintf(`SELECT width_bucket(t, %[1]s) AS b, (%[2]s)::float8 AS v, count(*) FILTER (WHERE bad) AS bad FROM (
  SELECT t%[3]s, bad, CASE WHEN closed AND NOT bad THEN ((%[4]s) * 1000)::float8 / %[5]s END AS v FROM (
    SELECT t, e, closed, closed AND (e IS NULL OR e < t OR e > %[6]s) AS bad%[3]s, width_bucket(t, %[7]s) AS kt, width_bucket(e, %[7]s) AS ke FROM (
      SELECT %[8]s AS t, %[9]s AS e, %[10]s IS NOT NULL AS closed%[11]s FROM (%[12]s) AS covenant_q
    ) AS covenant_spans WHERE t >= %[13]s AND t < %[14]s OFFSET 0
  ) AS covenant_windows
) AS covenant_rows GROUP BY 1`,
		bounds, agg, rnCol, micros, per,
		horizon, ws, texpr, eexpr, d.quote(s.end.name), rn, inner, lo, hi)
	return q, args, true
}
