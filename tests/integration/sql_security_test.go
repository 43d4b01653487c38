//go:build integration

package integration

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// The security review's SQL attacks, replayed as a Viewer through the real
// Grafana (POST /api/ds/query): KPI SQL is one reading statement, run where
// it cannot write (the demo connector's authorizer, read-only transactions
// on PostgreSQL and MySQL), and what a query can make is bounded. Each test
// checks the refusal and that nothing changed afterwards.

// rangeQuery runs one query as c over Grafana's from and to (epoch
// milliseconds or relative times such as now-7d) and returns its result and
// how long Grafana took to answer. Grafana answers 200, or 400 when the
// query failed with a user's error; anything else (a crashed plugin) fails.
func rangeQuery(t *testing.T, c *client, from, to string, query map[string]any) (queryResult, time.Duration) {
	t.Helper()
	started := time.Now()
	r := c.do(http.MethodPost, "/api/ds/query", map[string]any{"from": from, "to": to, "queries": []any{query}})
	took := time.Since(started)
	if r.status != http.StatusOK && r.status != http.StatusBadRequest {
		t.Fatalf("/api/ds/query as %s: status %d after %v: %s", c.user, r.status, took, r.body)
	}
	var out queryResponse
	r.decode(t, &out)
	res, ok := out.Results[query["refId"].(string)]
	if !ok {
		t.Fatalf("/api/ds/query as %s: no result for %v: %s", c.user, query["refId"], r.body)
	}
	return res, took
}

// epochMs is t as the epoch milliseconds /api/ds/query takes for from and to.
func epochMs(year int) string {
	return strconv.FormatInt(time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli(), 10)
}

// wantRefused fails unless res is an error (and no frames) naming field
// ("field: …") that contains every one of texts.
func wantRefused(t *testing.T, what string, res queryResult, field string, texts ...string) {
	t.Helper()
	ok := strings.Contains(res.Error, field+": ") && len(res.Frames) == 0
	for _, s := range texts {
		ok = ok && strings.Contains(res.Error, s)
	}
	if !ok {
		t.Fatalf("%s: got error %q and %d frames, want an error naming %s with %q", what, res.Error, len(res.Frames), field, texts)
	}
}

// singleNumber is the one value of a one-row, one-column result.
func singleNumber(t *testing.T, what string, res queryResult) float64 {
	t.Helper()
	if res.Error != "" || len(res.Frames) != 1 || len(res.Frames[0].Data.Values) != 1 || len(res.Frames[0].Data.Values[0]) != 1 {
		t.Fatalf("%s: want one row with one number, got %+v", what, res)
	}
	n, ok := res.Frames[0].Data.Values[0][0].(float64)
	if !ok {
		t.Fatalf("%s: %v (%T) is not a number", what, res.Frames[0].Data.Values[0][0], res.Frames[0].Data.Values[0][0])
	}
	return n
}

// demoUptimeRows counts the demo connector's uptime rows, as c.
func demoUptimeRows(t *testing.T, c *client) float64 {
	t.Helper()
	res, _ := rangeQuery(t, c, "now-1h", "now", previewQuery("count", "SELECT count(*) AS n FROM uptime", ""))
	return singleNumber(t, "the demo connector's SELECT count(*) FROM uptime", res)
}

// grafanaRunDir is the run directory of the Grafana under test
// (scripts/grafana.sh: GRAFANA_RUN_DIR, by default <repo>/.run/grafana).
func grafanaRunDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("GRAFANA_RUN_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", ".run", "grafana")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// grafanaIsAdmin reads whether login is a Grafana admin straight from
// Grafana's own database file, read-only.
func grafanaIsAdmin(t *testing.T, grafanaDB, login string) bool {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+grafanaDB+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var isAdmin bool
	if err := db.QueryRow("SELECT is_admin FROM user WHERE lower(login) = lower(?)", login).Scan(&isAdmin); err != nil {
		t.Fatalf("reading user %s from %s: %v", login, grafanaDB, err)
	}
	return isAdmin
}

// Review attack: a Viewer's connectorPreview on the embedded demo connector
// attached Grafana's own database, switched query_only off and made itself a
// Grafana admin; it also wiped the demo data. Every form is now refused with
// an error naming rawSql, the Viewer stays a Viewer (in the API and in
// grafana.db itself), no attached file is created, and the demo rows stay.
func TestViewerCannotTakeOverGrafanaThroughTheDemoConnector(t *testing.T) {
	runDir := grafanaRunDir(t)
	grafanaDB := filepath.Join(runDir, "data", "grafana.db")
	if _, err := os.Stat(grafanaDB); err != nil {
		t.Fatalf("Grafana's database: %v: set GRAFANA_RUN_DIR to the run directory of the Grafana at %s (scripts/grafana.sh)", err, grafanaURL())
	}
	attackDB := filepath.Join(runDir, "covenant-attack.db")
	_ = os.Remove(attackDB)

	if !grafanaIsAdmin(t, grafanaDB, "admin") {
		t.Fatalf("%s does not find admin a Grafana admin: is it the database of the Grafana at %s?", grafanaDB, grafanaURL())
	}
	viewer := newUser(t, "Viewer")
	if grafanaIsAdmin(t, grafanaDB, viewer.user) {
		t.Fatalf("%s finds the new Viewer %s a Grafana admin before any attack", grafanaDB, viewer.user)
	}
	before := demoUptimeRows(t, viewer)
	if before == 0 {
		t.Fatal("the demo connector has no uptime rows to protect")
	}

	for _, tt := range []struct {
		name, sql string
		want      []string
	}{
		{"take over Grafana", fmt.Sprintf("ATTACH DATABASE '%s' AS g; PRAGMA query_only=0; UPDATE g.user SET is_admin=1 WHERE login='%s'; SELECT 1", grafanaDB, viewer.user),
			[]string{"starts with ATTACH", "only one SELECT"}},
		{"attach a new file", fmt.Sprintf("ATTACH DATABASE '%s' AS a", attackDB), []string{"starts with ATTACH"}},
		{"attach a new file and write to it", fmt.Sprintf("ATTACH DATABASE '%s' AS a; CREATE TABLE a.t(x); SELECT 1", attackDB), []string{"starts with ATTACH"}},
		{"switch query_only off and delete", "PRAGMA query_only=0; DELETE FROM uptime", []string{"starts with PRAGMA"}},
		{"delete", "DELETE FROM uptime", []string{"starts with DELETE"}},
		{"two SELECTs", "SELECT 1; SELECT 2", []string{"holds more than one statement"}},
		{"a SELECT, then the takeover", fmt.Sprintf("SELECT 1; ATTACH DATABASE '%s' AS g; UPDATE g.user SET is_admin=1 WHERE login='%s'", grafanaDB, viewer.user),
			[]string{"holds more than one statement"}},
		// One statement that starts with WITH passes the statement check: the connection's authorizer refuses it.
		{"a delete behind WITH", "WITH x AS (SELECT 1) DELETE FROM uptime", []string{"not authorized"}},
		{"an update behind WITH", "WITH x AS (SELECT 1) UPDATE uptime SET uptime_pct = 0", []string{"not authorized"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := *viewer
			v.t = t
			res, _ := rangeQuery(t, &v, "now-1h", "now", previewQuery("A", tt.sql, ""))
			wantRefused(t, tt.sql, res, "rawSql", tt.want...)
		})
	}

	var me struct {
		Login          string `json:"login"`
		IsGrafanaAdmin bool   `json:"isGrafanaAdmin"`
	}
	viewer.must(http.StatusOK, http.MethodGet, "/api/user", nil).decode(t, &me)
	if !strings.EqualFold(me.Login, viewer.user) || me.IsGrafanaAdmin {
		t.Errorf("after the attacks GET /api/user as the Viewer says %+v: the Viewer became a Grafana admin", me)
	}
	if grafanaIsAdmin(t, grafanaDB, viewer.user) {
		t.Errorf("after the attacks %s has is_admin = 1 for the Viewer %s", grafanaDB, viewer.user)
	}
	if _, err := os.Stat(attackDB); !os.IsNotExist(err) {
		t.Errorf("an ATTACH of a new path created %s (stat: %v)", attackDB, err)
		_ = os.Remove(attackDB)
	}
	if after := demoUptimeRows(t, viewer); after != before {
		t.Errorf("the demo connector's uptime has %v rows after the attacks, %v before", after, before)
	}
}

// sqlConnectorDatasource creates a Covenant datasource through Grafana's API
// with one SQL connector "warehouse" of type kind on u (its password in
// secureJsonData) and returns its uid.
func sqlConnectorDatasource(t *testing.T, kind string, u *url.URL, tlsMode string) string {
	t.Helper()
	port, _ := strconv.Atoi(u.Port())
	pw, _ := u.User.Password()
	uid := fmt.Sprintf("covenant-%s-sec-%d", kind, time.Now().UnixNano())
	admin(t).must(http.StatusOK, http.MethodPost, "/api/datasources", map[string]any{
		"name": uid, "uid": uid, "type": "covenant-kpi-datasource", "access": "proxy",
		"jsonData": map[string]any{"connectors": []any{map[string]any{
			"uid": "wh", "name": "warehouse", "type": kind, "host": u.Hostname(), "port": port,
			"database": strings.TrimPrefix(u.Path, "/"), "user": u.User.Username(), "tlsMode": tlsMode,
		}}},
		"secureJsonData": map[string]string{"connectors.wh.password": pw},
	})
	t.Cleanup(func() { admin(t).do(http.MethodDelete, "/api/datasources/uid/"+uid, nil) })
	return uid
}

// warehousePreview is a connectorPreview of sql on the connector "warehouse" of datasource uid.
func warehousePreview(uid, sql string) map[string]any {
	return map[string]any{"refId": "A", "datasource": map[string]string{"uid": uid, "type": "covenant-kpi-datasource"},
		"queryType": "connectorPreview", "connector": "warehouse", "rawSql": sql}
}

// wantWriterWarning checks that the datasource's health is OK and warns that the connector's database user can write.
func wantWriterWarning(t *testing.T, uid string) {
	t.Helper()
	var health struct{ Status, Message string }
	admin(t).must(http.StatusOK, http.MethodGet, "/api/datasources/uid/"+uid+"/health", nil).decode(t, &health)
	if health.Status != "OK" || !strings.Contains(health.Message, "Connector warehouse: connected") ||
		!strings.Contains(health.Message, "warning: the database user can write") {
		t.Fatalf("health of a connector whose user can write: %+v, want OK with \"warning: the database user can write\"", health)
	}
}

// countRows counts table's rows through the test's own (writing) connection.
func countRows(t *testing.T, db *sql.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatalf("counting %s: %v", table, err)
	}
	return n
}

func execAll(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// Review attack: KPI SQL on PostgreSQL switched the pooled session's
// default_transaction_read_only off with set_config, and a later query on
// that connection deleted rows. Every query now runs in a read-only
// transaction on a session put back afterwards: after set_config on every
// pooled connection, a DELETE behind WITH (one statement that reads as a
// SELECT) still fails as a write, and the table keeps its rows.
func TestViewerCannotSwitchOffReadOnlyOnPostgreSQL(t *testing.T) {
	u, _ := pgURL(t)
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	execAll(t, db, "DROP TABLE IF EXISTS it_sec_rows", "CREATE TABLE it_sec_rows (id int)", "INSERT INTO it_sec_rows VALUES (1), (2), (3)")
	t.Cleanup(func() { _, _ = db.Exec("DROP TABLE IF EXISTS it_sec_rows") })
	uid := sqlConnectorDatasource(t, "postgres", u, "disable")
	wantWriterWarning(t, uid)

	viewer := newUser(t, "Viewer")
	if res, _ := rangeQuery(t, viewer, "now-1h", "now", warehousePreview(uid, "SELECT count(*) AS n FROM it_sec_rows")); singleNumber(t, "count as a Viewer", res) != 3 {
		t.Fatalf("the Viewer counts %v rows, want 3", res.Frames[0].Data.Values[0][0])
	}
	// More queries than the connector keeps connections, so that every pooled session gets the set_config.
	for i := 0; i < 6; i++ {
		res, _ := rangeQuery(t, viewer, "now-1h", "now", warehousePreview(uid, "SELECT set_config('default_transaction_read_only','off',false)"))
		if res.Error != "" && !strings.Contains(res.Error, "read-only") {
			t.Fatalf("set_config #%d: %s", i+1, res.Error)
		}
		if i == 0 {
			t.Logf("set_config('default_transaction_read_only','off') inside the query's transaction: error %q, %d frames", res.Error, len(res.Frames))
		}
		// Inside the query's read-only transaction, the transaction's own mode cannot be switched.
		res, _ = rangeQuery(t, viewer, "now-1h", "now", warehousePreview(uid, "SELECT set_config('transaction_read_only','off',false)"))
		if res.Error == "" {
			t.Fatalf("set_config('transaction_read_only','off') #%d succeeded: %+v", i+1, res.Frames)
		}
	}
	for i := 0; i < 6; i++ {
		res, _ := rangeQuery(t, viewer, "now-1h", "now", warehousePreview(uid, "WITH d AS (DELETE FROM it_sec_rows RETURNING *) SELECT count(*) FROM d"))
		if !strings.Contains(res.Error, "connectors are read-only") || !strings.Contains(res.Error, "in a read-only transaction") || len(res.Frames) != 0 {
			t.Fatalf("DELETE behind WITH #%d after set_config: got error %q and %d frames, want a read-only refusal", i+1, res.Error, len(res.Frames))
		}
	}
	if n := countRows(t, db, "it_sec_rows"); n != 3 {
		t.Fatalf("it_sec_rows has %d rows after the attacks, want 3", n)
	}
}

// mysqlURL is the test MariaDB (scripts/mariadb.sh url, as COVENANT_MYSQL_URL).
func mysqlURL(t *testing.T) *url.URL {
	t.Helper()
	raw := os.Getenv("COVENANT_MYSQL_URL")
	if raw == "" {
		t.Fatal("COVENANT_MYSQL_URL is not set: start MariaDB with scripts/mariadb.sh start and set it to scripts/mariadb.sh url")
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// Review attack: on MySQL, SET SESSION TRANSACTION READ WRITE outlived the
// query and the next one on that connection could write. Statements other
// than a SELECT are refused naming rawSql, and a SELECT that writes through
// a stored function fails in the read-only transaction, on every pooled
// connection; the table keeps its rows.
func TestViewerCannotSwitchOffReadOnlyOnMySQL(t *testing.T) {
	u := mysqlURL(t)
	pw, _ := u.User.Password()
	cfg := mysql.NewConfig()
	cfg.User, cfg.Passwd, cfg.Net, cfg.Addr, cfg.DBName = u.User.Username(), pw, "tcp", u.Host, strings.TrimPrefix(u.Path, "/")
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(conn)
	defer db.Close()
	execAll(t, db, "DROP FUNCTION IF EXISTS it_sec_wipe", "DROP TABLE IF EXISTS it_sec_rows", "CREATE TABLE it_sec_rows (id INT)",
		"INSERT INTO it_sec_rows VALUES (1), (2), (3)",
		"CREATE FUNCTION it_sec_wipe() RETURNS INT MODIFIES SQL DATA BEGIN DELETE FROM it_sec_rows; RETURN ROW_COUNT(); END")
	t.Cleanup(func() {
		_, _ = db.Exec("DROP FUNCTION IF EXISTS it_sec_wipe")
		_, _ = db.Exec("DROP TABLE IF EXISTS it_sec_rows")
	})
	uid := sqlConnectorDatasource(t, "mysql", u, "false")
	wantWriterWarning(t, uid)

	viewer := newUser(t, "Viewer")
	if res, _ := rangeQuery(t, viewer, "now-1h", "now", warehousePreview(uid, "SELECT count(*) AS n FROM it_sec_rows")); singleNumber(t, "count as a Viewer", res) != 3 {
		t.Fatalf("the Viewer counts %v rows, want 3", res.Frames[0].Data.Values[0][0])
	}
	for i := 0; i < 6; i++ {
		res, _ := rangeQuery(t, viewer, "now-1h", "now", warehousePreview(uid, "SET SESSION TRANSACTION READ WRITE"))
		wantRefused(t, fmt.Sprintf("SET SESSION TRANSACTION READ WRITE #%d", i+1), res, "rawSql", "starts with SET")
	}
	for _, tt := range []struct{ sql, want string }{
		{"DELETE FROM it_sec_rows", "starts with DELETE"},
		{"SELECT 1; DELETE FROM it_sec_rows", "holds more than one statement"},
		{"SELECT id FROM it_sec_rows INTO OUTFILE '/tmp/covenant-attack.csv'", "writes a file (INTO OUTFILE)"},
	} {
		res, _ := rangeQuery(t, viewer, "now-1h", "now", warehousePreview(uid, tt.sql))
		wantRefused(t, tt.sql, res, "rawSql", tt.want)
	}
	// One SELECT that writes passes the statement check: the read-only transaction refuses it, on every pooled connection.
	for i := 0; i < 6; i++ {
		res, _ := rangeQuery(t, viewer, "now-1h", "now", warehousePreview(uid, "SELECT it_sec_wipe() AS n"))
		if !strings.Contains(res.Error, "connectors are read-only") || !strings.Contains(res.Error, "READ ONLY transaction") || len(res.Frames) != 0 {
			t.Fatalf("SELECT it_sec_wipe() #%d: got error %q and %d frames, want a read-only refusal", i+1, res.Error, len(res.Frames))
		}
	}
	if n := countRows(t, db, "it_sec_rows"); n != 3 {
		t.Fatalf("it_sec_rows has %d rows after the attacks, want 3", n)
	}
}

// hourlyDemoTracker is the demo's acme-it tracker, hourly, in UTC.
func hourlyDemoTracker() map[string]any {
	tr := map[string]any{}
	for k, v := range demoTrackers["acme-it"] {
		tr[k] = v
	}
	tr["interval"], tr["timezone"] = "1h", "UTC"
	return tr
}

func demoTrackerQuery(trackers ...any) map[string]any {
	return map[string]any{"refId": "A", "datasource": map[string]string{"uid": datasourceUID, "type": "covenant-kpi-datasource"},
		"queryType": "trackerSeries", "contract": "acme-it", "trackers": trackers}
}

// Review attack: six inline hourly trackers over a century, and a preview of
// zeroblob rows, grew the plugin's heap by gigabytes. Both are refused at
// once with the limit they cross, and the plugin answers afterwards.
func TestViewerQueriesStayWithinTheMemoryLimits(t *testing.T) {
	viewer := newUser(t, "Viewer")
	before := demoUptimeRows(t, viewer)
	tr := hourlyDemoTracker()
	res, took := rangeQuery(t, viewer, epochMs(1912), epochMs(2026), demoTrackerQuery(tr, tr, tr, tr, tr, tr))
	wantRefused(t, "six hourly trackers over 1912-2026", res, "trackers[0].interval", "more than the limit of 500000 buckets")
	t.Logf("six hourly trackers over 1912-2026 refused in %v", took)
	if took > 10*time.Second {
		t.Errorf("the refusal of six hourly trackers over 1912-2026 took %v: it must come before the buckets are made", took)
	}
	res, _ = rangeQuery(t, viewer, "now-1h", "now", previewQuery("A", "SELECT zeroblob(16000000) AS b FROM uptime LIMIT 8", ""))
	wantRefused(t, "8 rows of 16 MB zeroblobs", res, "rawSql", "more than the limit of 33554432 bytes")

	if after := demoUptimeRows(t, viewer); after != before {
		t.Fatalf("after the refused queries the demo counts %v uptime rows, %v before", after, before)
	}
	res, _ = rangeQuery(t, viewer, "now-7d", "now", demoTrackerQuery(demoTrackers["acme-it"]))
	if res.Error != "" || len(res.Frames) != 1 || len(res.Frames[0].Data.Values) == 0 || len(res.Frames[0].Data.Values[0]) < 7 {
		t.Fatalf("a normal daily tracker over 7 days after the refused queries: %+v", res)
	}
}

// Review attack: a yearly tracker from 1600 read 0, past what Unix
// nanoseconds hold. Grafana passes a query's range to the plugin in Unix
// nanoseconds too, so 1600 reaches the plugin wrapped around (as 2184, after
// the range's end) and is refused naming timeRange; a range that Grafana can
// pass but that reaches outside 1700-2260 is refused naming timeRange too.
func TestTrackerSeriesOutsideTheComputableTimesIsRefused(t *testing.T) {
	viewer := newUser(t, "Viewer")
	tr := hourlyDemoTracker()
	tr["interval"] = "1Y"
	res, _ := rangeQuery(t, viewer, epochMs(1600), epochMs(2026), demoTrackerQuery(tr))
	wantRefused(t, "a yearly tracker from 1600", res, "timeRange")
	for _, r := range [][2]int{{1690, 2026}, {2016, 2261}} {
		res, _ = rangeQuery(t, viewer, epochMs(r[0]), epochMs(r[1]), demoTrackerQuery(tr))
		wantRefused(t, fmt.Sprintf("a yearly tracker over %d-%d", r[0], r[1]), res, "timeRange",
			"reaches outside the times Covenant can compute (1700-01-01 to 2260-01-01)")
	}
	res, _ = rangeQuery(t, viewer, epochMs(2016), epochMs(2026), demoTrackerQuery(tr))
	if res.Error != "" || len(res.Frames) != 1 {
		t.Fatalf("the same yearly tracker over 2016-2026: %+v", res)
	}
}
