// Package pgrows fills a PostgreSQL table with many time-sorted rows for the
// benchmarks and the load test that run against a real Grafana (tests/bench,
// tests/load).
//
// A table holds Rows rows from From (inclusive) to To (exclusive), evenly
// spaced, one contract, with the columns
//
//	t          timestamptz       the row's time
//	v          float8            a smooth wave plus a saw tooth, three decimals
//	contract   text              the contract key
//	updated_at timestamptz       when the row was written (now() at load); a
//	                             cache can read max(updated_at) as a watermark
//
// The table's comment records what it holds, so a table that is already
// there with the same contents is kept and a changed recipe reloads it.
package pgrows

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// recipe versions the table's layout: a change here reloads existing tables.
const recipe = "pgrows/3 (t, v, contract, updated_at; index on updated_at)"

// Table says what to load.
type Table struct {
	Name     string // an SQL identifier: letters, digits and underscores
	Rows     int64
	From, To time.Time
	Contract string
	// BRIN adds a BRIN index on t: cheap to build over time-sorted rows, and
	// it lets a query over part of the range skip the rest.
	BRIN bool
}

// Step is the time between two rows.
func (tb Table) Step() time.Duration { return tb.To.Sub(tb.From) / time.Duration(tb.Rows) }

func (tb Table) comment() string {
	return fmt.Sprintf("%s rows=%d from=%s to=%s contract=%s brin=%t", recipe, tb.Rows,
		tb.From.UTC().Format(time.RFC3339), tb.To.UTC().Format(time.RFC3339), tb.Contract, tb.BRIN)
}

func (tb Table) check() error {
	if tb.Name == "" || strings.Trim(tb.Name, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
		return fmt.Errorf("pgrows: table name %q: use lower-case letters, digits and underscores", tb.Name)
	}
	if tb.Rows <= 0 || !tb.To.After(tb.From) || tb.Step() <= 0 {
		return fmt.Errorf("pgrows: table %s: need rows > 0 and from < to with at least 1 ns between rows", tb.Name)
	}
	if strings.ContainsAny(tb.Contract, "'\\") || tb.Contract == "" {
		return fmt.Errorf("pgrows: table %s: the contract key must be non-empty, without quotes or backslashes", tb.Name)
	}
	return nil
}

// Load creates and fills the table unless it already holds exactly what tb
// describes. It reports whether it loaded, and how long that took.
func Load(ctx context.Context, db *sql.DB, tb Table) (bool, time.Duration, error) {
	if err := tb.check(); err != nil {
		return false, 0, err
	}
	var have sql.NullString
	if err := db.QueryRowContext(ctx, "SELECT obj_description(to_regclass($1), 'pg_class')", tb.Name).Scan(&have); err != nil {
		return false, 0, err
	}
	if have.Valid && have.String == tb.comment() {
		return false, 0, nil
	}
	start := time.Now()
	// Row g (0-based) is at From + g × step; the values are those the benchmark
	// has always used, so its figures stay comparable.
	stmts := []string{
		"DROP TABLE IF EXISTS " + tb.Name,
		"CREATE TABLE " + tb.Name + " (t timestamptz NOT NULL, v float8, contract text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())",
		fmt.Sprintf(`INSERT INTO %s (t, v, contract)
		 SELECT timestamptz '%s' + g * interval '%d microseconds',
		   round((50 + 40 * sin(g / 5000.0) + (g %% 97) / 10.0)::numeric, 3)::float8, '%s'
		 FROM generate_series(0, %d) AS g`,
			tb.Name, tb.From.UTC().Format(time.RFC3339Nano), tb.Step().Microseconds(), tb.Contract, tb.Rows-1),
	}
	if tb.BRIN {
		stmts = append(stmts, "CREATE INDEX ON "+tb.Name+" USING brin (t)")
	}
	// The watermark column's index: the closed-bucket cache's quick check
	// (max(updated_at)) is then a lookup (docs/cache.md).
	stmts = append(stmts, "CREATE INDEX ON "+tb.Name+" (updated_at)")
	stmts = append(stmts, "VACUUM ANALYZE "+tb.Name, fmt.Sprintf("COMMENT ON TABLE %s IS '%s'", tb.Name, tb.comment()))
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return false, 0, fmt.Errorf("%s: %w", s, err)
		}
	}
	return true, time.Since(start), nil
}
