//go:build mysql

package connector

import (
	"context"
	"database/sql"
	"strings"
	"testing"
)

func openMySQLGuard(t testing.TB) (*mysqlConnector, *sql.DB) {
	s, writer := mysqlSettings(t)
	guardTable(t, writer, "CREATE TABLE guard_rows (t DATETIME, v DOUBLE)", "INSERT INTO guard_rows VALUES (NOW(), 1), (NOW(), 2), (NOW(), 3)")
	c, err := openMySQL(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, writer
}

// The review's attack: SET SESSION TRANSACTION READ WRITE, then DELETE.
func TestMySQLGuardHoldsForAWritingUser(t *testing.T) {
	c, writer := openMySQLGuard(t)
	if msg, err := c.Check(context.Background()); err != nil || !strings.Contains(msg, "warning: the database user can write (") || !strings.Contains(msg, "DELETE") {
		t.Fatalf("check with a writing user: %q, %v", msg, err)
	}
	if err := previewSQL(c, "SET SESSION TRANSACTION READ WRITE"); err == nil || !strings.Contains(err.Error(), "rawSql") {
		t.Fatalf("SET: got %v, want a rawSql error", err)
	}
	// Below the statement check: the session is put back around every query.
	for _, q := range []string{"SET SESSION TRANSACTION READ WRITE", "SELECT GET_LOCK('covenant-guard', 0)", "COMMIT"} {
		_ = underGuard(c.sqlConnector, q)
	}
	for _, q := range []string{
		"DELETE FROM guard_rows",
		"CREATE TABLE guard_x (a INT)",
		"SELECT 1; DELETE FROM guard_rows",
		"INSERT INTO guard_rows VALUES (NOW(), 4)",
	} {
		for i := 0; i < 3; i++ {
			_ = underGuard(c.sqlConnector, "SET SESSION TRANSACTION READ WRITE")
			if err := underGuard(c.sqlConnector, q); err == nil {
				t.Errorf("%q ran below the statement check", q)
			}
		}
	}
	if n := guardRows(t, writer); n != 3 {
		t.Errorf("guard_rows has %d rows, want 3", n)
	}
	var free int
	if err := writer.QueryRow("SELECT IS_FREE_LOCK('covenant-guard')").Scan(&free); err != nil || free != 1 {
		t.Errorf("the named lock outlived its query (free=%d, %v)", free, err)
	}
	var n int
	_ = writer.QueryRow("SELECT count(*) FROM information_schema.tables WHERE table_name = 'guard_x'").Scan(&n)
	if n != 0 {
		t.Error("guard_x was created")
	}
}

// FuzzMySQLGuard sends SQL to the connector, through the statement check and
// below it, and checks that guard_rows still has its 3 rows and no table was added.
func FuzzMySQLGuard(f *testing.F) {
	c, writer := openMySQLGuard(f)
	fuzzServerGuard(f, c.sqlConnector, writer, "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE()")
}
