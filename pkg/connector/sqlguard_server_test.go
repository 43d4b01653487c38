//go:build postgres || mysql

package connector

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"
)

// guardTable makes guard_rows with 3 rows through an ordinary session of the
// connector's own user, which can write: the guard must hold all the same.
func guardTable(t testing.TB, writer *sql.DB, create, insert string) {
	t.Helper()
	for _, s := range []string{"DROP TABLE IF EXISTS guard_rows", "DROP TABLE IF EXISTS guard_x", create, insert} {
		if _, err := writer.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func guardRows(t testing.TB, writer *sql.DB) int {
	t.Helper()
	var n int
	if err := writer.QueryRow("SELECT count(*) FROM guard_rows").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// underGuard runs q below the statement check, as if it had slipped past it.
func underGuard(c *sqlConnector, q string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rows, done, err := c.readOnly(ctx, q)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	err = rows.Err()
	done()
	return err
}

// fuzzServerGuard sends each input to c, through the statement check and
// below it, and checks that guard_rows still has its 3 rows and that the
// number of tables (tablesSQL) is unchanged.
func fuzzServerGuard(f *testing.F, c *sqlConnector, writer *sql.DB, tablesSQL string) {
	for _, s := range fuzzSQLSeeds {
		f.Add(strings.ReplaceAll(s, " m", " guard_rows"))
	}
	tables := func() int {
		var n int
		if err := writer.QueryRow(tablesSQL).Scan(&n); err != nil {
			f.Fatal(err)
		}
		return n
	}
	before := tables()
	f.Fuzz(func(t *testing.T, q string) {
		_ = previewSQL(c, q)
		_ = underGuard(c, q)
		if n := guardRows(t, writer); n != 3 {
			t.Fatalf("%q: %d rows, want 3", q, n)
		}
		if n := tables(); n != before {
			t.Fatalf("%q: %d tables, want %d", q, n, before)
		}
	})
}

// checkServerSchema reads c's schema and checks that every table is in the
// schema named (the connector's database, or search_path's), that the tables
// asked for read as want (tableNames), and that the schema is whole; it
// returns the tables by name.
func checkServerSchema(t *testing.T, c SchemaReader, schema, want string, tables ...string) map[string]SchemaTable {
	t.Helper()
	sc, err := c.Schema(context.Background(), DefaultSchemaLimits)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]SchemaTable{}
	for _, tb := range sc.Tables {
		byName[tb.Name] = tb
		if tb.Schema != schema {
			t.Fatalf("table %s of schema %s: only %s is listed", tb.Name, tb.Schema, schema)
		}
	}
	picked := make([]SchemaTable, len(tables))
	for i, name := range tables {
		picked[i] = byName[name]
	}
	if got := strings.Join(tableNames(&Schema{Tables: picked}), "; "); got != want || sc.Truncated {
		t.Fatalf("schema:\n got %s (truncated %v)\nwant %s", got, sc.Truncated, want)
	}
	return byName
}
