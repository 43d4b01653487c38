package connector

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// schemaSQLite makes a SQLite file with two tables (one with a name that
// needs quoting), a view, a view whose table is gone, and an index.
func schemaSQLite(t *testing.T) (dir string, c *sqliteConnector) {
	t.Helper()
	dir = t.TempDir()
	path := filepath.Join(dir, "ops.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"CREATE TABLE calls (at INTEGER, contract TEXT NOT NULL, minutes REAL)",
		`CREATE TABLE "odd ""name""" (x, "y z" VARCHAR(10))`,
		"CREATE INDEX calls_at ON calls (at)",
		"CREATE VIEW call_minutes AS SELECT at AS time, minutes AS value FROM calls",
		"CREATE TABLE gone (a INTEGER)",
		"CREATE VIEW broken AS SELECT a FROM gone",
		"DROP TABLE gone",
		"INSERT INTO calls VALUES (1769904000, 'acme', 10)",
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	_ = db.Close()
	c, err = openSQLiteFile(models.ConnectorSettings{Name: "ops", Type: models.ConnectorSQLite, Path: path, MaxOpenConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return dir, c
}

// tableNames lists a schema's tables as name(col type, …).
func tableNames(s *Schema) []string {
	var out []string
	for _, t := range s.Tables {
		cols := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			cols[i] = strings.TrimSpace(c.Name + " " + c.Type)
		}
		out = append(out, t.Name+"("+strings.Join(cols, ", ")+")")
	}
	return out
}

func TestSQLiteSchemaListsTablesViewsAndTypes(t *testing.T) {
	dir, c := schemaSQLite(t)
	before := folderState(t, dir)
	s, err := c.Schema(context.Background(), DefaultSchemaLimits)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(tableNames(s), "; ")
	want := `broken(); call_minutes(time INTEGER, value REAL); calls(at INTEGER, contract TEXT, minutes REAL); odd "name"(x, y z VARCHAR(10))`
	if got != want || s.Truncated {
		t.Fatalf("schema:\n got %s (truncated %v)\nwant %s", got, s.Truncated, want)
	}
	if !sameState(before, folderState(t, dir)) {
		t.Fatal("listing the schema changed the folder")
	}
	// The read-only guard is as it was: PRAGMA stays denied, as a statement and as a function.
	if err := previewSQL(c, "SELECT * FROM pragma_table_info('calls')"); err == nil || !strings.Contains(err.Error(), "not authorized") {
		t.Fatalf("pragma_table_info: %v, want not authorized", err)
	}
}

func TestSQLiteSchemaLimits(t *testing.T) {
	_, c := schemaSQLite(t)
	for _, tc := range []struct {
		lim  SchemaLimits
		want string
	}{
		{SchemaLimits{Tables: 2, Columns: 100}, "broken(); call_minutes(time INTEGER, value REAL)"},
		{SchemaLimits{Tables: 100, Columns: 3}, "broken(); call_minutes(time INTEGER, value REAL); calls(at INTEGER)"},
		{SchemaLimits{Tables: 4, Columns: 7}, `broken(); call_minutes(time INTEGER, value REAL); calls(at INTEGER, contract TEXT, minutes REAL); odd "name"(x, y z VARCHAR(10))`},
	} {
		s, err := c.Schema(context.Background(), tc.lim)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(tableNames(s), "; ")
		truncated := tc.lim != SchemaLimits{Tables: 4, Columns: 7}
		if got != tc.want || s.Truncated != truncated {
			t.Fatalf("%+v: %s (truncated %v), want %s (truncated %v)", tc.lim, got, s.Truncated, tc.want, truncated)
		}
	}
}

func TestSQLiteSchemaTimeout(t *testing.T) {
	_, c := schemaSQLite(t)
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	_, err := c.Schema(ctx, DefaultSchemaLimits)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, models.ErrConnector) ||
		!strings.Contains(err.Error(), `connector "ops": listing its tables did not finish within the datasource's query timeout`) {
		t.Fatalf("got %v", err)
	}
}

func TestDemoSchemaIsDemoTablesWithTypes(t *testing.T) {
	db := openTestDemo(t)
	s, err := db.Schema(context.Background(), DefaultSchemaLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tables) != len(DemoTables) || s.Truncated {
		t.Fatalf("%d tables (truncated %v), want %d", len(s.Tables), s.Truncated, len(DemoTables))
	}
	for i, dt := range DemoTables {
		st := s.Tables[i]
		if st.Name != dt.Name || st.Description != dt.Description || len(st.Columns) != len(dt.Columns) {
			t.Fatalf("table %d: %+v, want %s %v", i, st, dt.Name, dt.Columns)
		}
		for j, c := range dt.Columns {
			// Every column DemoTables names is in the database, with its declared type.
			if st.Columns[j].Name != c || st.Columns[j].Type == "" {
				t.Fatalf("%s.%s: %+v", dt.Name, c, st.Columns[j])
			}
		}
	}
	if got := strings.Join(tableNames(&Schema{Tables: s.Tables[2:3]}), ""); got != "uptime(contract TEXT, time INTEGER, uptime_pct REAL)" {
		t.Fatalf("uptime: %s", got)
	}
	small, err := db.Schema(context.Background(), SchemaLimits{Tables: 1, Columns: 5})
	if err != nil || len(small.Tables) != 1 || len(small.Tables[0].Columns) != 5 || !small.Truncated {
		t.Fatalf("limited: %+v %v", small, err)
	}
}
