// Package connector reads KPI rows from where they live: the embedded demo
// data, SQLite files, PostgreSQL, MySQL/MariaDB, and HTTP JSON or CSV
// endpoints. SQL connectors can also push bucketing and aggregation down to
// the database (see pushdown.go).
package connector

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// Request is one connector query over a time range for one contract key.
type Request struct {
	models.ConnectorQuery
	From, To time.Time
	Key      string
	// Business is set for a business-time KPI: its rows' values are the
	// business time from their time to their end (pushed down to PostgreSQL
	// only; see businesspush.go).
	Business *Business
	// Keep, when set, keeps only the rows whose time it accepts (a tracker
	// that counts only working time); such rows are aggregated in process.
	Keep func(time.Time) bool
}

// Business measures a business-time KPI's rows: a row's value is the business
// time from its time (start) to its end under a service calendar, in units of
// Per; a row without an end (still open) has no value.
type Business struct {
	// Working is the business time in [from, to): rows are measured with it
	// in process.
	Working func(from, to time.Time) time.Duration
	// Windows lists the working intervals in [from, to), sorted and disjoint
	// (calendar.Compiled.Windows): push-down binds them as parameters. Nil:
	// the rows are always measured in process.
	Windows func(from, to time.Time) []calendar.Interval
	Per     time.Duration
	// Calendar names the calendar version the rows are measured on (the
	// closed-bucket cache keys the figures by it).
	Calendar string
}

// Value is the business time from start to end in units of Per; an end before
// the start is an error.
func (b *Business) Value(start, end time.Time) (float64, error) {
	if end.Before(start) {
		return 0, fmt.Errorf("the end %s is before the time %s", end.UTC().Format(time.RFC3339), start.UTC().Format(time.RFC3339))
	}
	return float64(b.Working(start, end)) / float64(b.Per), nil
}

// Connector is a configured source of rows.
type Connector interface {
	// Type is the connector's type.
	Type() models.ConnectorType
	// Preview returns up to limit raw rows as a table frame.
	Preview(ctx context.Context, r Request, limit int) (*data.Frame, error)
	// Rows returns the KPI's (time, value) rows in [r.From, r.To).
	Rows(ctx context.Context, r Request) (kpi.Rows, error)
	// Check tests the connection and says what it found.
	Check(ctx context.Context) (string, error)
	// Close releases connections.
	Close() error
}

// Aggregator is a connector that can compute a tracker's bucket figures in
// the database. pushed is false when it cannot for this query (the caller
// then aggregates the rows in process); the figures are then nil. For a
// business-time KPI (r.Business set) the figures must be those of the rows
// measured on the calendar, as in process, or pushed false.
type Aggregator interface {
	Aggregate(ctx context.Context, r Request, starts []time.Time, m kpi.Method, cond *models.Condition) (actual []float64, pushed bool, err error)
}

// RowStreamer is a connector that can hand its KPI rows over one at a time,
// as its driver or parser yields them, so that aggregating them in process
// need not hold them all.
type RowStreamer interface {
	// EachRow calls fn with the time (Unix nanoseconds) and value (NaN for
	// null) of each row Rows would return, in the same order; fn returns
	// false to stop reading. Errors are those Rows gives.
	EachRow(ctx context.Context, r Request, fn func(ns int64, v float64) bool) error
}

// Open creates a connector from its settings. It does not connect: the first
// query or Check does.
func Open(s models.ConnectorSettings) (Connector, error) {
	switch s.Type {
	case models.ConnectorPostgres:
		return openPostgres(s)
	case models.ConnectorMySQL:
		return openMySQL(s)
	case models.ConnectorSQLite:
		return openSQLiteFile(s)
	case models.ConnectorHTTPJSON, models.ConnectorHTTPCSV:
		return openHTTP(s)
	}
	return nil, fmt.Errorf("%w: connector %q has the unknown type %q", models.ErrInvalidSettings, s.Name, s.Type)
}

// Figures computes a tracker's actual per bucket: pushed down to the database
// when the connector can, else from the rows in process (for a business-time
// KPI, only PostgreSQL can: the calendar's working windows are bound to its
// query; rows kept by r.Keep are always aggregated in process). It reports
// which.
//
// In process, the rows of a RowStreamer are fed one at a time into one
// accumulator per bucket (kpi.Stream), so memory grows with the buckets, not
// the rows (percentiles still hold each bucket's values). When the stream
// cannot give kpi.Aggregate's exact figures (a sum over rows out of time
// order whose additions round; see kpi.Stream), the rows are read again and
// aggregated with kpi.Aggregate, as for a connector that only has Rows.
func Figures(ctx context.Context, c Connector, r Request, starts []time.Time, m kpi.Method, cond *models.Condition) (actual []float64, pushed bool, err error) {
	if a, ok := c.(Aggregator); ok && r.Keep == nil {
		actual, pushed, err = a.Aggregate(ctx, r, starts, m, cond)
		if err != nil || pushed {
			return actual, pushed, err
		}
	}
	if s, ok := c.(RowStreamer); ok {
		st := kpi.NewStream(starts, m, cond, r.Keep)
		if err := s.EachRow(ctx, r, st.Add); err != nil {
			return nil, false, err
		}
		if actual, ok := st.Result(); ok {
			return actual, false, nil
		}
	}
	rows, err := c.Rows(ctx, r)
	if err != nil {
		return nil, false, err
	}
	return kpi.Aggregate(kpi.KeepRows(rows, r.Keep), starts, m, cond), false, nil
}
