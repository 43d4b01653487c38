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

func (d postgresDialect) aggregateSQL(inner string, innerArgs []any, s shape, starts []time.Time, m kpi.Method, cond *models.Condition) (string, []any, func(), bool) {
	args := append([]any(nil), innerArgs...)
	bind := func(v any, cast string) string {
		args = append(args, v)
		return fmt.Sprintf("$%d::%s", len(args), cast)
	}
	tcol, vcol := d.quote(s.time.name), d.quote(s.value.name)
	var texpr, bounds, lo, hi string
	switch s.time.time {
	case timeTimestamp:
		// timestamp without time zone and date are read as UTC, as pgx reads them in process.
		texpr = tcol
		if s.time.dbType != "TIMESTAMPTZ" {
			texpr = fmt.Sprintf("(%s)::timestamp AT TIME ZONE 'UTC'", tcol)
		}
		utc := make([]time.Time, len(starts))
		for i, t := range starts {
			utc[i] = t.UTC()
		}
		bounds, lo, hi = bind(utc, "timestamptz[]"), bind(utc[0], "timestamptz"), bind(utc[len(utc)-1], "timestamptz")
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
	parts := aggParts{ok: "v IS NOT NULL AND v <> 'NaN'::" + vtype, double: func(x string) string { return "(" + x + ")::float8" }}
	if m == kpi.Ratio && cond != nil {
		parts.threshold = bind(cond.Threshold, "float8")
	}
	pct := func(p float64) string {
		return fmt.Sprintf("percentile_cont(%v) WITHIN GROUP (ORDER BY v::float8) FILTER (WHERE %s)", p, parts.ok)
	}
	last := fmt.Sprintf("(array_agg(v ORDER BY t DESC, rn DESC) FILTER (WHERE %s))[1]", parts.ok)
	agg, ok := aggregateExpr(m, parts, cond, pct, last)
	if !ok {
		return "", nil, nil, false
	}
	rn := ""
	if m == kpi.Last { // the row order breaks ties of time, as in process
		rn = ", row_number() OVER () AS rn"
	}
	q := fmt.Sprintf(`SELECT width_bucket(t, %[1]s) AS b, (%[2]s)::float8 AS v FROM (
  SELECT %[3]s AS t, %[4]s AS v%[8]s FROM (%[5]s) AS covenant_q
) AS covenant_rows WHERE t >= %[6]s AND t < %[7]s GROUP BY 1`, bounds, agg, texpr, vexpr, inner, lo, hi, rn)
	return q, args, nil, true
}
