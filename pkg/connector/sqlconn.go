package connector

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// sqlConnector is what every SQL connector shares: macros expanded to bound
// parameters in the connector's dialect, rows read from database/sql.
type sqlConnector struct {
	kind    models.ConnectorType
	name    string
	db      *sql.DB
	dialect Dialect
	// version is the query that names the server in Check, e.g. SELECT version().
	version string
}

// query runs a query; done closes the rows.
func (c *sqlConnector) query(ctx context.Context, query string, args ...any) (*sql.Rows, func(), error) {
	rows, err := c.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, err
	}
	return rows, func() { _ = rows.Close() }, nil
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
	out, err := ReadKPIRows(rows)
	if err != nil {
		return kpi.Rows{}, sqlError(ctx, err)
	}
	return out, nil
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
	return fmt.Sprintf("connected (%s)", v), nil
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
	case strings.Contains(low, "tls") || strings.Contains(low, "ssl") || strings.Contains(low, "certificate"):
		hint = "check the TLS mode"
	}
	return fmt.Errorf("%w: cannot connect to %s: %s: %s", models.ErrConnector, kind, msg, hint)
}

// seconds turns a setting given in seconds into a duration.
func seconds(n int) time.Duration { return time.Duration(n) * time.Second }
