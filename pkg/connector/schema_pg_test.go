//go:build postgres

package connector

import (
	"context"
	"strings"
	"testing"
)

// The schema of a PostgreSQL connector: the tables of the search_path's
// schemas with their types, not those of other or system schemas, read in the
// connector's read-only transaction.
func TestPostgreSQLSchema(t *testing.T) {
	s, writer := pgWriter(t)
	for _, q := range []string{
		"DROP SCHEMA IF EXISTS covenant_hidden CASCADE",
		"DROP TABLE IF EXISTS schema_rows, schema_b CASCADE",
		"CREATE SCHEMA covenant_hidden",
		"CREATE TABLE covenant_hidden.secret_rows (a int)",
		"CREATE TABLE schema_rows (t timestamptz, v double precision, k text, tags text[])",
		"CREATE TABLE schema_b (n numeric(12,3))",
		"CREATE VIEW schema_v AS SELECT t AS time, v AS value FROM schema_rows",
	} {
		if _, err := writer.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	t.Cleanup(func() {
		_, _ = writer.Exec("DROP SCHEMA IF EXISTS covenant_hidden CASCADE")
		_, _ = writer.Exec("DROP TABLE IF EXISTS schema_rows, schema_b CASCADE")
	})
	c, err := openPostgres(s)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	byName := checkServerSchema(t, c, "public",
		"schema_b(n numeric); schema_rows(t timestamp with time zone, v double precision, k text, tags _text); schema_v(time timestamp with time zone, value double precision)",
		"schema_b", "schema_rows", "schema_v")
	if _, ok := byName["secret_rows"]; ok {
		t.Fatal("a table of a schema outside the search_path is listed")
	}
	if _, ok := byName["pg_class"]; ok {
		t.Fatal("a system table is listed")
	}
	small, err := c.Schema(context.Background(), SchemaLimits{Tables: 1, Columns: 100})
	if err != nil || len(small.Tables) != 1 || !small.Truncated {
		t.Fatalf("limited: %+v %v", small, err)
	}
	// The session is still read-only, as after any query.
	if err := previewSQL(c, "WITH d AS (DELETE FROM schema_rows RETURNING *) SELECT count(*) FROM d"); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("a write after the schema: %v", err)
	}
}
