package connector

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// sqlConnector is what every SQL connector shares: macros expanded to bound
// parameters in the connector's dialect, rows read from database/sql, and the
// guards that keep KPI SQL from changing anything (docs/security.md).
type sqlConnector struct {
	kind    models.ConnectorType
	name    string
	db      *sql.DB
	dialect Dialect
	syntax  syntax
	// readTx runs every query in a READ ONLY transaction of its own on a
	// connection of its own, rolled back afterwards.
	readTx bool
	// session, when set, runs on that connection before the transaction
	// (begin) and after it (end): session state an earlier query may have
	// changed is put back, whatever the query was.
	session sessionGuard
	// version is the query that names the server in Check, e.g. SELECT version().
	version string
	// writes, when set, is a query that lists what the connector's database
	// user may change (empty when nothing): Check warns about it.
	writes string
}

// sessionGuard holds the statements that reset a pooled connection's
// session; the zero value runs none.
type sessionGuard struct{ begin, end []string }

// query runs one reading statement; done closes the rows and ends the
// transaction. A query that is not one SELECT is refused before it is sent.
func (c *sqlConnector) query(ctx context.Context, query string, args ...any) (*sql.Rows, func(), error) {
	if err := checkStatement(query, c.syntax); err != nil {
		return nil, nil, err
	}
	return c.readOnly(ctx, query, args...)
}

// readOnly runs a query under the connection's own guard: a READ ONLY
// transaction rolled back afterwards (PostgreSQL, MySQL) with the session put
// back, or the SQLite connection's authorizer. It holds on its own, without
// the statement check in front of it.
func (c *sqlConnector) readOnly(ctx context.Context, query string, args ...any) (*sql.Rows, func(), error) {
	if !c.readTx {
		rows, err := c.db.QueryContext(ctx, query, args...)
		if err != nil {
			return nil, nil, err
		}
		return rows, func() { _ = rows.Close() }, nil
	}
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := runAll(ctx, conn, c.session.begin); err != nil {
		_ = conn.Close()
		return nil, nil, err
	}
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		_ = conn.Close()
		return nil, nil, err
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	end := func() {
		_ = tx.Rollback()
		// A cancelled query still leaves the session clean for the next one.
		cleanup, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if runAll(cleanup, conn, c.session.end) != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // never reuse it
		}
		_ = conn.Close()
	}
	if err != nil {
		end()
		return nil, nil, err
	}
	return rows, func() { _ = rows.Close(); end() }, nil
}

// runAll executes our own session statements on conn.
func runAll(ctx context.Context, conn *sql.Conn, stmts []string) error {
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// Type implements Connector.
func (c *sqlConnector) Type() models.ConnectorType { return c.kind }

// Close implements Connector.
func (c *sqlConnector) Close() error { return c.db.Close() }

func (c *sqlConnector) run(ctx context.Context, r Request) (*sql.Rows, func(), string, error) {
	if err := r.Check(c.kind); err != nil {
		return nil, nil, "", err
	}
	query, args, err := ExpandMacros(r.RawSQL, r.From, r.To, r.Key, c.dialect)
	if err != nil {
		return nil, nil, "", err
	}
	rows, done, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, nil, query, sqlError(ctx, err)
	}
	return rows, done, query, nil
}

// Preview implements Connector.
func (c *sqlConnector) Preview(ctx context.Context, r Request, limit int) (*data.Frame, error) {
	rows, done, query, err := c.run(ctx, r)
	if err != nil {
		return nil, err
	}
	defer done()
	frame, err := FrameFromRows(rows, limit)
	if err != nil {
		return nil, sqlError(ctx, err)
	}
	frame.Meta.ExecutedQueryString = query
	return frame, nil
}

// Rows implements Connector.
func (c *sqlConnector) Rows(ctx context.Context, r Request) (kpi.Rows, error) {
	rows, done, _, err := c.run(ctx, r)
	if err != nil {
		return kpi.Rows{}, err
	}
	defer done()
	out, err := readRows(rows, r.Business)
	if err != nil {
		return kpi.Rows{}, sqlError(ctx, err)
	}
	return out, nil
}

// EachRow implements RowStreamer.
func (c *sqlConnector) EachRow(ctx context.Context, r Request, fn func(ns int64, v float64) bool) error {
	rows, done, _, err := c.run(ctx, r)
	if err != nil {
		return err
	}
	defer done()
	err = eachRow(rows, r.Business, false, func(ns int64, v float64, _, _ bool) bool { return fn(ns, v) })
	if err != nil {
		return sqlError(ctx, err)
	}
	return nil
}

// Check implements Connector: it connects and asks the server its version.
func (c *sqlConnector) Check(ctx context.Context) (string, error) {
	var v string
	if err := c.db.QueryRowContext(ctx, c.version).Scan(&v); err != nil {
		return "", connectError(ctx, string(c.kind), err)
	}
	if i := strings.Index(v, " on "); i > 0 { // PostgreSQL's version() is long
		v = v[:i]
	}
	msg := fmt.Sprintf("connected (%s)", v)
	if c.writes != "" {
		var what sql.NullString
		if err := c.db.QueryRowContext(ctx, c.writes).Scan(&what); err == nil && what.String != "" {
			msg += fmt.Sprintf("; warning: the database user can write (%s). KPI queries stay read-only all the same, but give this connector a user that can only read (see the security guide)", what.String)
		}
	}
	return msg, nil
}

// connectError explains a failure to reach or log in to a database.
func connectError(ctx context.Context, kind string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w: no answer from the %s server in time: check host, port and that the server runs", models.ErrConnector, kind)
	}
	msg := err.Error()
	hint := "check the connector's settings"
	low := strings.ToLower(msg)
	switch {
	case strings.Contains(low, "password") || strings.Contains(low, "access denied") || strings.Contains(low, "authentication"):
		hint = "check user and password"
	case strings.Contains(low, "connection refused") || strings.Contains(low, "no such host") || strings.Contains(low, "i/o timeout"):
		hint = "check host and port, and that the server runs and accepts connections from Grafana"
	case strings.Contains(low, "does not exist") || strings.Contains(low, "unknown database"):
		hint = "check the database name"
	case strings.Contains(low, "x509: certificate signed by unknown authority"):
		hint = "the server's certificate is not signed by a CA the connector trusts: paste the CA that signs it in the connector's CA certificate (tlsCACert), or check that the one there is that CA"
	case strings.Contains(low, "x509: certificate is valid for") || strings.Contains(low, "x509: certificate is not valid for any names") || strings.Contains(low, "doesn't contain any ip sans"):
		hint = "the server's certificate does not name the host: give in host a name or address that its certificate holds"
	case strings.Contains(low, "tls") || strings.Contains(low, "ssl") || strings.Contains(low, "certificate"):
		hint = "check the TLS mode"
	}
	return fmt.Errorf("%w: cannot connect to %s: %s: %s", models.ErrConnector, kind, msg, hint)
}

// seconds turns a setting given in seconds into a duration.
func seconds(n int) time.Duration { return time.Duration(n) * time.Second }
