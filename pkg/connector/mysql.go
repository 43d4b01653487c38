package connector

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// mysqlConnector reads MySQL or MariaDB in read-only transactions, in UTC, and
// pushes tracker aggregation down to it (percentiles and last run in process:
// neither database has them as aggregates).
type mysqlConnector struct {
	*pusher
}

var (
	_ Connector  = (*mysqlConnector)(nil)
	_ Aggregator = (*mysqlConnector)(nil)
)

func openMySQL(s models.ConnectorSettings) (*mysqlConnector, error) {
	cfg := mysql.NewConfig()
	cfg.User, cfg.Passwd = s.User, s.Password
	cfg.Net, cfg.Addr, cfg.DBName = "tcp", net.JoinHostPort(s.Host, strconv.Itoa(s.Port)), s.Database
	cfg.ParseTime, cfg.Loc = true, time.UTC
	cfg.Timeout = 10 * time.Second
	// TIMESTAMP columns are shown in the session's zone: UTC, so they read as they are stored.
	cfg.Params = map[string]string{"time_zone": "'+00:00'"}
	tc, named, err := mysqlTLS(s.TLSMode, s.Host, s.TLSCACert)
	if err != nil {
		return nil, fmt.Errorf("%w: connector %q: tlsCACert: %v", models.ErrInvalidSettings, s.Name, err)
	}
	cfg.TLS, cfg.TLSConfig = tc, named
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: connector %q: %v: check host, port, database and user", models.ErrInvalidSettings, s.Name, err)
	}
	db := sql.OpenDB(readOnlySession{conn})
	db.SetMaxOpenConns(s.MaxOpenConns)
	db.SetMaxIdleConns(min(2, s.MaxOpenConns))
	db.SetConnMaxIdleTime(5 * time.Minute)
	c := &sqlConnector{kind: models.ConnectorMySQL, name: s.Name, db: db, dialect: mysqlDialect{}, syntax: syntaxMySQL, readTx: true, session: mysqlSession, writes: mysqlWrites, version: "SELECT VERSION()"}
	return &mysqlConnector{pusher: &pusher{sqlConnector: c, d: mysqlDialect{}}}, nil
}

// mysqlTLS is the TLS configuration of a MySQL tlsMode, as a config or as
// the name of the driver's own (preferred). true verifies the server's
// certificate, its chain and that it names host: against caPEM (the
// connector's secret tlsCACert) alone when given, as --ssl-ca with
// --ssl-verify-server-cert does, else against the system's CAs.
// skip-verify encrypts without verifying; preferred uses TLS when the server
// offers it, without verifying; false connects in clear. A CA with a mode
// other than true is refused, as the settings' validation does: it would go
// unused.
func mysqlTLS(mode, host, caPEM string) (*tls.Config, string, error) {
	hasCA := strings.TrimSpace(caPEM) != ""
	if hasCA && mode != "true" {
		return nil, "", fmt.Errorf("tlsMode %s does not verify the server's certificate: set tlsMode to true to use the CA, or clear it", mode)
	}
	switch mode {
	case "true":
		tc := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
		if hasCA {
			certs, err := models.ParseCertificates(caPEM)
			if err != nil {
				return nil, "", fmt.Errorf("%v: paste the PEM certificate of the CA that signs the server's certificate", err)
			}
			tc.RootCAs = x509.NewCertPool()
			for _, c := range certs {
				tc.RootCAs.AddCert(c)
			}
		}
		return tc, "", nil
	case "skip-verify":
		return &tls.Config{InsecureSkipVerify: true}, "", nil // #nosec G402 -- no verification: chosen by the admin in tlsMode skip-verify
	case "preferred":
		return nil, "preferred", nil
	}
	return nil, "", nil
}

// mysqlDialect binds with ? and compares DATETIME/TIMESTAMP columns with UTC instants.
type mysqlDialect struct{}

// Placeholder implements Dialect.
func (mysqlDialect) Placeholder(int) string { return "?" }

// TimeArg implements Dialect.
func (mysqlDialect) TimeArg(t time.Time) any { return t.UTC() }

func (mysqlDialect) quote(name string) string { return "`" + strings.ReplaceAll(name, "`", "``") + "`" }

func (mysqlDialect) classify(dbType string) (timeKind, bool) {
	t := strings.TrimPrefix(dbType, "UNSIGNED ")
	switch t {
	case "DATETIME", "TIMESTAMP", "DATE":
		return timeTimestamp, false
	case "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "BIGINT", "DECIMAL", "FLOAT", "DOUBLE", "YEAR":
		return timeNumber, true
	}
	return timeOther, false
}

func (d mysqlDialect) aggregateSQL(inner string, innerArgs []any, s shape, starts []time.Time, m kpi.Method, cond *models.Condition) (string, []any, func(), bool) {
	if m == kpi.Last || m.Percentile() > 0 {
		return "", nil, nil, false
	}
	tcol, vcol := d.quote(s.time.name), d.quote(s.value.name)
	// Times and bounds as whole microseconds since 1970 (UTC): INTERVAL compares
	// its arguments as integers, and DATETIME(6) would round to whole seconds.
	var texpr string
	switch s.time.time {
	case timeTimestamp:
		texpr = fmt.Sprintf("TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', %s)", tcol)
	case timeNumber:
		texpr = fmt.Sprintf("FLOOR(CASE WHEN ABS(%[1]s) >= 1e11 THEN %[1]s * 1000 ELSE %[1]s * 1000000 END)", tcol)
	default:
		return "", nil, nil, false
	}
	bound := func(i int) any { return starts[i].UnixMicro() }
	double := func(x string) string { return "((" + x + ") + 0E0)" }
	parts := aggParts{ok: "v IS NOT NULL", threshold: "?", double: double}
	agg, ok := aggregateExpr(m, parts, cond, nil, "")
	if !ok {
		return "", nil, nil, false
	}
	// ? markers bind in the order of the text: the ratio threshold, the bucket
	// bounds, the KPI query's own, then the range. INTERVAL(t, b0, …, bn) finds
	// t's bucket (1..n in range) by binary search.
	var args []any
	if m == kpi.Ratio {
		args = append(args, cond.Threshold)
	}
	n := len(starts) - 1
	for i := 0; i <= n; i++ {
		args = append(args, bound(i))
	}
	args = append(args, innerArgs...)
	args = append(args, bound(0), bound(n))
	q := fmt.Sprintf(`SELECT b, %s AS v FROM (
  SELECT INTERVAL(t%s) AS b, v FROM (SELECT %s AS t, %s AS v FROM (%s) AS covenant_q) AS covenant_t WHERE t >= ? AND t < ?
) AS covenant_rows GROUP BY b`, double(agg), strings.Repeat(", ?", n+1), texpr, double(vcol), inner)
	return q, args, nil, true
}

// mysqlWrites names the privileges of the current user that change data or
// files, from the grants of its account (global, on schemas, on tables).
const mysqlWrites = `SELECT GROUP_CONCAT(DISTINCT privilege_type ORDER BY privilege_type SEPARATOR '/') FROM (
  SELECT privilege_type, grantee FROM information_schema.user_privileges
  UNION ALL SELECT privilege_type, grantee FROM information_schema.schema_privileges
  UNION ALL SELECT privilege_type, grantee FROM information_schema.table_privileges
) AS p WHERE grantee = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')
  AND privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'DROP', 'CREATE', 'ALTER', 'FILE', 'SUPER', 'EXECUTE')`

// mysqlSession puts a pooled connection's session back before and after each
// query: MySQL's session settings are not transactional, so a statement such
// as SET SESSION TRANSACTION READ WRITE would otherwise outlive its rollback,
// and named locks (GET_LOCK) outlive it too.
var mysqlSession = sessionGuard{
	begin: []string{"SET SESSION TRANSACTION READ ONLY"},
	end:   []string{"DO RELEASE_ALL_LOCKS()", "SET SESSION TRANSACTION READ ONLY"},
}

// readOnlySession makes every new connection's session read-only: KPI SQL is
// written by editors, and a read-only session refuses DDL too (a read-only
// transaction would not: DDL commits it implicitly).
type readOnlySession struct{ driver.Connector }

func (c readOnlySession) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	ex, ok := conn.(driver.ExecerContext)
	if !ok {
		_ = conn.Close()
		return nil, fmt.Errorf("%w: the MySQL driver cannot run statements on a new connection", models.ErrConnector)
	}
	if _, err := ex.ExecContext(ctx, "SET SESSION TRANSACTION READ ONLY", nil); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return conn, nil
}
