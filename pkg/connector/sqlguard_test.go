package connector

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

func TestCheckStatement(t *testing.T) {
	ok := []struct {
		sx syntax
		q  string
	}{
		{syntaxSQLite, "SELECT 1"},
		{syntaxSQLite, "select time, value from t where x = ';' ; "},
		{syntaxSQLite, "WITH a AS (SELECT 1) SELECT * FROM a;;"},
		{syntaxSQLite, "(SELECT 1) UNION (SELECT 2)"},
		{syntaxSQLite, `SELECT "a;b", [c;d], ` + "`e;f`" + ` FROM t -- ; DELETE`},
		{syntaxSQLite, "SELECT 1 /* ; DELETE FROM t */"},
		{syntaxPostgres, "SELECT $$;DELETE$$, $x$ ; $x$, $1 FROM t"},
		{syntaxPostgres, "SELECT E'it\\'s;', 'a''b;' /* x /* ; */ ; */"},
		{syntaxPostgres, "VALUES (1, 2)"},
		{syntaxMySQL, "SELECT 'a\\';b' # ; DELETE\n"},
		{syntaxMySQL, `SELECT "x\";y", 1 INTO @v`},
	}
	for _, c := range ok {
		if err := checkStatement(c.q, c.sx); err != nil {
			t.Errorf("%q: refused: %v", c.q, err)
		}
	}
	bad := []struct {
		sx   syntax
		q    string
		want string
	}{
		{syntaxSQLite, "SELECT 1; SELECT 2", "more than one statement"},
		{syntaxSQLite, "ATTACH DATABASE 'x.db' AS g; SELECT 1", "starts with ATTACH"},
		{syntaxSQLite, "PRAGMA query_only=0; DELETE FROM uptime", "starts with PRAGMA"},
		{syntaxSQLite, "DELETE FROM uptime", "starts with DELETE"},
		{syntaxSQLite, "  ", "is empty"},
		{syntaxSQLite, "SELECT 'never closed", "never closed"},
		{syntaxSQLite, "SELECT 1 /* open", "never closed"},
		{syntaxPostgres, "SELECT set_config('default_transaction_read_only','off',false); DELETE FROM t", "more than one statement"},
		{syntaxPostgres, "SELECT $a$ x", "never closed"},
		{syntaxPostgres, "SET default_transaction_read_only = off", "starts with SET"},
		{syntaxMySQL, "SET SESSION TRANSACTION READ WRITE", "starts with SET"},
		{syntaxMySQL, "SELECT * FROM t INTO OUTFILE '/tmp/x'", "writes a file"},
		{syntaxMySQL, "SELECT 'a\\\\'; DELETE FROM t", "more than one statement"},
		{syntaxMySQL, "SELECT 'a\\'; DELETE FROM t", "never closed"},
	}
	for _, c := range bad {
		err := checkStatement(c.q, c.sx)
		var fe *models.FieldError
		if err == nil || !errors.As(err, &fe) || fe.Field != "rawSql" || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want a rawSql error with %q", c.q, err, c.want)
		}
	}
}

// scratchSQLite makes a SQLite file with a table of 3 rows in its own folder.
func scratchSQLite(t testing.TB) (dir, path string) {
	t.Helper()
	dir = t.TempDir()
	path = filepath.Join(dir, "kpi.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range []string{
		"CREATE TABLE m (time INTEGER, value REAL, key TEXT)",
		"INSERT INTO m VALUES (1767225600, 1.5, 'a'), (1767229200, 2.5, 'a'), (1767232800, 3.5, 'b')",
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	return dir, path
}

// folderState is every file below dir with its hash.
func folderState(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		h := sha256.Sum256(b)
		out[p] = hex.EncodeToString(h[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameState(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func countRows(t testing.TB, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM m").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func previewSQL(c Connector, q string) error {
	return previewSQLWithin(c, q, 10*time.Second)
}

// previewSQLWithin is previewSQL cut off after d.
func previewSQLWithin(c Connector, q string, d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	r := Request{ConnectorQuery: models.ConnectorQuery{RawSQL: q}, From: time.Unix(0, 0), To: time.Unix(2e9, 0)}
	_, err := c.Preview(ctx, r, 100)
	return err
}

// The attacks of the security review: each is refused, and the file, its
// folder and Grafana's database beside it are byte for byte as before.
func TestSQLiteGuardRefusesWrites(t *testing.T) {
	dir, path := scratchSQLite(t)
	grafanaDB := filepath.Join(dir, "grafana.db")
	if err := os.WriteFile(grafanaDB, []byte("not touched"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := openSQLiteFile(models.ConnectorSettings{Name: "f", Type: models.ConnectorSQLite, Path: path, MaxOpenConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	before := folderState(t, dir)
	attacks := map[string]string{
		"attach Grafana's database": "ATTACH DATABASE '" + grafanaDB + "' AS g; PRAGMA query_only=0; UPDATE g.user SET is_admin=1; SELECT 1",
		"attach alone":              "ATTACH DATABASE '" + filepath.Join(dir, "new.db") + "' AS g",
		"query_only off":            "PRAGMA query_only=0",
		"delete":                    "DELETE FROM m",
		"delete in a CTE":           "WITH x AS (SELECT 1) DELETE FROM m",
		"two statements":            "SELECT 1; SELECT 2",
		"create temp":               "CREATE TEMP TABLE x AS SELECT * FROM m",
		"pragma function":           "SELECT * FROM pragma_query_only",
		"huge blob":                 "SELECT zeroblob(100000000) AS v FROM m",
		"load extension":            "SELECT load_extension('/tmp/x.so')",
		"begin":                     "BEGIN IMMEDIATE",
		"vacuum into":               "VACUUM INTO '" + filepath.Join(dir, "copy.db") + "'",
	}
	names := make([]string, 0, len(attacks))
	for n := range attacks {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := previewSQL(c, attacks[name]); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if n := countRows(t, path); n != 3 {
			t.Fatalf("%s: the table has %d rows, want 3", name, n)
		}
	}
	if after := folderState(t, dir); !sameState(before, after) {
		t.Errorf("the folder changed:\nbefore %v\nafter  %v", before, after)
	}
	// Reading still works: a recursive CTE, JSON table functions and push-down.
	for _, q := range []string{
		"SELECT time, value FROM m WHERE $__timeFilter(time)",
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT i FROM n",
		"SELECT value FROM json_each('[1,2,3]')",
		"SELECT sqlite_version()",
	} {
		if err := previewSQL(c, q); err != nil {
			t.Errorf("%q: %v", q, err)
		}
	}
	starts := []time.Time{time.Unix(1767225600, 0), time.Unix(1767229200, 0), time.Unix(1767236400, 0)}
	r := Request{ConnectorQuery: models.ConnectorQuery{RawSQL: "SELECT time, value FROM m"}, From: starts[0], To: starts[2]}
	got, pushed, err := c.Aggregate(context.Background(), r, starts, "sum", nil)
	if err != nil || !pushed || len(got) != 2 || got[0] != 1.5 || got[1] != 6 {
		t.Errorf("push-down under the guard: %v pushed=%v err=%v, want [1.5 6]", got, pushed, err)
	}
}

// The authorizer holds without the statement check in front of it.
func TestSQLiteGuardAuthorizerAlone(t *testing.T) {
	dir, path := scratchSQLite(t)
	c, err := openSQLiteFile(models.ConnectorSettings{Name: "f", Type: models.ConnectorSQLite, Path: path, MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, q := range []string{
		"ATTACH DATABASE '" + filepath.Join(dir, "x.db") + "' AS g",
		"PRAGMA query_only=0",
		"DELETE FROM m",
		"SELECT 1; DELETE FROM m",
		"CREATE TEMP TABLE x (a)",
		"SELECT length(zeroblob(100000000))",
	} {
		_, err := c.db.Exec(q)
		if err == nil || !(strings.Contains(err.Error(), "not authorized") || strings.Contains(err.Error(), "too many attached") || strings.Contains(err.Error(), "too big")) {
			t.Errorf("%q: got %v, want it denied by the connection's guard", q, err)
		}
	}
	if n := countRows(t, path); n != 3 {
		t.Errorf("%d rows, want 3", n)
	}
}

func TestDemoGuardRefusesWrites(t *testing.T) {
	db := openTestDemo(t)
	dir := t.TempDir()
	count := func() int {
		f, err := db.Preview(context.Background(), Request{ConnectorQuery: models.ConnectorQuery{RawSQL: "SELECT count(*) AS n FROM uptime"}}, 1)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := f.Fields[0].ConcreteAt(0)
		return int(v.(int64))
	}
	n := count()
	for _, q := range []string{
		"PRAGMA query_only=0; DELETE FROM uptime",
		"DELETE FROM uptime",
		"ATTACH DATABASE '" + filepath.Join(dir, "x.db") + "' AS g",
		"SELECT 1; SELECT 2",
		"INSERT INTO uptime SELECT * FROM uptime",
		"DROP TABLE uptime",
	} {
		if _, err := db.Preview(context.Background(), Request{ConnectorQuery: models.ConnectorQuery{RawSQL: q}}, 1); err == nil {
			t.Errorf("%q: accepted", q)
		}
	}
	if got := count(); got != n {
		t.Errorf("uptime rows %d, want %d", got, n)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("ATTACH created %d files", len(entries))
	}
}

// FuzzSQLiteGuard feeds SQL scripts to a SQLite file connector and checks
// that nothing changed: the row count and every file's hash in its folder.
func FuzzSQLiteGuard(f *testing.F) {
	for _, s := range fuzzSQLSeeds {
		f.Add(s)
	}
	dir, path := scratchSQLite(f)
	c, err := openSQLiteFile(models.ConnectorSettings{Name: "f", Type: models.ConnectorSQLite, Path: path, MaxOpenConns: 2})
	if err != nil {
		f.Fatal(err)
	}
	defer c.Close()
	before := folderState(f, dir)
	f.Fuzz(func(t *testing.T, q string) {
		// Each input is cut off after a second (a mutated recursive CTE can run for ever): an input
		// still running when -fuzztime ends fails the run with "context deadline exceeded".
		_ = previewSQLWithin(c, q, time.Second)
		// Below the statement check, the connection's own guard holds alone.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, _ = c.db.ExecContext(ctx, q)
		cancel()
		if n := countRows(t, path); n != 3 {
			t.Fatalf("%q: %d rows, want 3", q, n)
		}
		if after := folderState(t, dir); !sameState(before, after) {
			t.Fatalf("%q changed the folder", q)
		}
	})
}

// fuzzSQLSeeds are scripts that try to write, in every dialect's words.
var fuzzSQLSeeds = []string{
	"SELECT 1", "DELETE FROM m", "SELECT 1; DELETE FROM m", "ATTACH 'x.db' AS x", "PRAGMA query_only=0; DELETE FROM m",
	"WITH d AS (DELETE FROM m RETURNING *) SELECT * FROM d", "INSERT INTO m VALUES (1,1,'a')", "UPDATE m SET value = 0",
	"SELECT set_config('default_transaction_read_only','off',false)", "SET SESSION TRANSACTION READ WRITE",
	"CREATE TABLE x (a int)", "DROP TABLE m", "VACUUM", "REINDEX", "ANALYZE", "BEGIN; DELETE FROM m; COMMIT",
	"SELECT 'a'';DELETE FROM m;--'", "SELECT 1 /*; DELETE FROM m */; DELETE FROM m", "COMMIT", "CALL p()",
	"SELECT * FROM m INTO OUTFILE '/tmp/x'", "REPLACE INTO m VALUES (1,1,'a')", "TRUNCATE m", "SELECT writefile('x', 'y')",
	"SELECT pg_advisory_lock(1)", "SELECT GET_LOCK('x', 1)", "LOCK TABLE m", "DO $$BEGIN DELETE FROM m; END$$",
	"SELECT $$;$$; DELETE FROM m", "SELECT `a;`; DELETE FROM m", "SELECT \"a\\\"\"; DELETE FROM m", "VALUES (1); DELETE FROM m",
}
