//go:build postgres

package connector

import (
	"context"
	"database/sql"
	"strings"
	"testing"
)

func openPGGuard(t testing.TB) (*postgresConnector, *sql.DB) {
	s, writer := pgWriter(t)
	guardTable(t, writer, "CREATE TABLE guard_rows (t timestamptz, v float8)", "INSERT INTO guard_rows VALUES (now(), 1), (now(), 2), (now(), 3)")
	c, err := openPostgres(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, writer
}

// The review's attack: set_config(default_transaction_read_only, off) sent a
// few times stuck to pooled connections, and DELETE … RETURNING then worked.
func TestPostgreSQLGuardHoldsForAWritingUser(t *testing.T) {
	c, writer := openPGGuard(t)
	for i := 0; i < 6; i++ {
		if err := previewSQL(c, "SELECT set_config('default_transaction_read_only','off',false)"); err != nil {
			t.Fatalf("set_config is a SELECT and runs (its effect is rolled back): %v", err)
		}
	}
	for i := 0; i < 6; i++ {
		err := previewSQL(c, "WITH d AS (DELETE FROM guard_rows RETURNING *) SELECT count(*) FROM d")
		if err == nil || !strings.Contains(err.Error(), "read-only") {
			t.Fatalf("DELETE after set_config: got %v, want a read-only error", err)
		}
	}
	// Below the statement check: session changes do not outlive their query.
	for _, q := range []string{
		"SET default_transaction_read_only = off",
		"SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
		"SET TRANSACTION READ WRITE",
		"COMMIT",
		"SELECT set_config('transaction_read_only','off',true)",
		"SELECT pg_advisory_lock(4242)",
	} {
		_ = underGuard(c.sqlConnector, q)
	}
	for _, q := range []string{
		"DELETE FROM guard_rows",
		"CREATE TABLE guard_x (a int)",
		"WITH x AS (SELECT set_config('transaction_read_only','off',true)) DELETE FROM guard_rows",
		"SELECT 1; DELETE FROM guard_rows",
	} {
		for i := 0; i < 3; i++ {
			if err := underGuard(c.sqlConnector, q); err == nil {
				t.Errorf("%q ran below the statement check", q)
			}
		}
	}
	if n := guardRows(t, writer); n != 3 {
		t.Errorf("guard_rows has %d rows, want 3", n)
	}
	var free bool
	if err := writer.QueryRow("SELECT pg_try_advisory_lock(4242)").Scan(&free); err != nil || !free {
		t.Errorf("the advisory lock outlived its query (free=%v, %v)", free, err)
	}
	_, _ = writer.Exec("SELECT pg_advisory_unlock(4242)")
	var exists bool
	_ = writer.QueryRow("SELECT to_regclass('guard_x') IS NOT NULL").Scan(&exists)
	if exists {
		t.Error("guard_x was created")
	}
}

// FuzzPostgreSQLGuard sends SQL to the connector, through the statement check
// and below it, and checks that guard_rows still has its 3 rows and no table
// was added.
func FuzzPostgreSQLGuard(f *testing.F) {
	c, writer := openPGGuard(f)
	fuzzServerGuard(f, c.sqlConnector, writer, "SELECT count(*) FROM pg_class WHERE relkind = 'r'")
}

// Check warns when the connector's user can write, and not for a user made
// as docs/security.md shows (SELECT only).
func TestPostgreSQLCheckWarnsWhenTheUserCanWrite(t *testing.T) {
	c, writer := openPGGuard(t)
	msg, err := c.Check(context.Background())
	if err != nil || !strings.Contains(msg, "warning: the database user can write (superuser") {
		t.Fatalf("a superuser: %q, %v", msg, err)
	}
	for _, s := range []string{
		"DO $$BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'covenant_reader') THEN DROP OWNED BY covenant_reader; END IF; END$$",
		"DROP ROLE IF EXISTS covenant_reader",
		"CREATE ROLE covenant_reader LOGIN PASSWORD 'reader'",
		"GRANT USAGE ON SCHEMA public TO covenant_reader",
		"GRANT SELECT ON guard_rows TO covenant_reader",
	} {
		if _, err := writer.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	s, _ := pgSettings(t)
	s.User, s.Password = "covenant_reader", "reader"
	reader, err := openPostgres(s)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	msg, err = reader.Check(context.Background())
	if err != nil || strings.Contains(msg, "warning") {
		t.Fatalf("a reading user: %q, %v", msg, err)
	}
	if err := previewSQL(reader, "SELECT t AS time, v AS value FROM guard_rows"); err != nil {
		t.Fatalf("a reading user reads: %v", err)
	}
	_, _ = writer.Exec("GRANT INSERT ON guard_rows TO covenant_reader")
	msg, _ = reader.Check(context.Background())
	if !strings.Contains(msg, "INSERT on 1 tables") {
		t.Fatalf("after GRANT INSERT: %q", msg)
	}
}
