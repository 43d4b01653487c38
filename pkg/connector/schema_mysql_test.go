//go:build mysql

package connector

import (
	"context"
	"testing"
)

// The schema of a MySQL connector: the tables of its database with their
// column types, none of the system schemas, read in the connector's read-only
// transaction.
func TestMySQLSchema(t *testing.T) {
	s, writer := mysqlSettings(t)
	for _, q := range []string{
		"DROP VIEW IF EXISTS schema_v",
		"DROP TABLE IF EXISTS schema_rows",
		"CREATE TABLE schema_rows (t DATETIME(6), v DOUBLE, k VARCHAR(20))",
		"CREATE VIEW schema_v AS SELECT t AS time, v AS value FROM schema_rows",
	} {
		if _, err := writer.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	t.Cleanup(func() {
		_, _ = writer.Exec("DROP VIEW IF EXISTS schema_v")
		_, _ = writer.Exec("DROP TABLE IF EXISTS schema_rows")
	})
	c, err := openMySQL(s)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	checkServerSchema(t, c, s.Database, "schema_rows(t datetime(6), v double, k varchar(20)); schema_v(time datetime(6), value double)",
		"schema_rows", "schema_v")
	small, err := c.Schema(context.Background(), SchemaLimits{Tables: 10, Columns: 1})
	if err != nil || len(small.Tables) != 1 || len(small.Tables[0].Columns) != 1 || !small.Truncated {
		t.Fatalf("limited: %+v %v", small, err)
	}
	if err := previewSQL(c, "SELECT 1"); err != nil {
		t.Fatalf("a query after the schema: %v", err)
	}
}
