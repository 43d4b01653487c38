//go:build integration

package integration

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// pgDatasource creates a Covenant datasource through Grafana's API with one
// PostgreSQL connector (the password in secureJsonData) and returns its uid.
func pgDatasource(t *testing.T, pgURL *url.URL, password string) string {
	t.Helper()
	port, _ := strconv.Atoi(pgURL.Port())
	uid := fmt.Sprintf("covenant-pg-%d", time.Now().UnixNano())
	admin(t).must(http.StatusOK, http.MethodPost, "/api/datasources", map[string]any{
		"name": uid, "uid": uid, "type": "covenant-kpi-datasource", "access": "proxy",
		"jsonData": map[string]any{"connectors": []any{map[string]any{
			"uid": "wh", "name": "warehouse", "type": "postgres", "host": pgURL.Hostname(), "port": port,
			"database": strings.TrimPrefix(pgURL.Path, "/"), "user": pgURL.User.Username(), "tlsMode": "disable",
		}}},
		"secureJsonData": map[string]string{"connectors.wh.password": password},
	})
	t.Cleanup(func() { admin(t).do(http.MethodDelete, "/api/datasources/uid/"+uid, nil) })
	return uid
}

func pgURL(t *testing.T) (*url.URL, string) {
	t.Helper()
	raw := os.Getenv("COVENANT_PG_URL")
	if raw == "" {
		t.Fatal("COVENANT_PG_URL is not set: scripts/test.sh starts PostgreSQL and sets it")
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := u.User.Password()
	return u, pw
}

// TestTrackerSeriesOnPostgreSQL: a datasource with a PostgreSQL connector,
// made through Grafana's API; its secret stays in secureJsonData; health,
// test connection and trackerSeries work, and the daily averages equal
// PostgreSQL's own GROUP BY.
func TestTrackerSeriesOnPostgreSQL(t *testing.T) {
	u, pw := pgURL(t)
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	for _, s := range []string{
		"DROP TABLE IF EXISTS it_latency",
		"CREATE TABLE it_latency (at timestamptz, contract text, ms double precision)",
		`INSERT INTO it_latency SELECT now() - make_interval(mins => g * 17), CASE WHEN g % 3 = 0 THEN 'acme' ELSE 'globex' END,
		   100 + (g * 37 % 113) FROM generate_series(1, 4000) AS g`,
	} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	uid := pgDatasource(t, u, pw)

	var ds struct {
		SecureJSONFields map[string]bool `json:"secureJsonFields"`
	}
	r := admin(t).must(http.StatusOK, http.MethodGet, "/api/datasources/uid/"+uid, nil)
	r.decode(t, &ds)
	if !ds.SecureJSONFields["connectors.wh.password"] || strings.Contains(string(r.body), pw) {
		t.Fatalf("the password must be a secure field and never returned: %s", r.body)
	}

	var health struct{ Status, Message string }
	admin(t).must(http.StatusOK, http.MethodGet, "/api/datasources/uid/"+uid+"/health", nil).decode(t, &health)
	if health.Status != "OK" || !strings.Contains(health.Message, "Connector warehouse: connected (PostgreSQL") {
		t.Fatalf("health: %+v", health)
	}
	var test struct {
		OK      bool   `json:"ok"`
		Message string `json:"message"`
	}
	admin(t).must(http.StatusOK, http.MethodPost, "/api/datasources/uid/"+uid+"/resources/connectors/warehouse/test", nil).decode(t, &test)
	if !test.OK {
		t.Fatalf("test connection: %+v", test)
	}
	newUser(t, "Viewer").must(http.StatusForbidden, http.MethodPost, "/api/datasources/uid/"+uid+"/resources/connectors/warehouse/test", nil)

	tracker := map[string]any{
		"name": "Latency", "method": "avg", "interval": "1d", "timezone": "UTC",
		"kpi": map[string]any{"name": "API latency", "unit": "ms", "direction": "lower_is_better", "connector": "warehouse",
			"rawSql": "SELECT at AS time, ms AS value FROM it_latency WHERE $__timeFilter(at) AND contract = $__key"},
		"target": map[string]any{"constant": 150}, "tolerance": map[string]any{"value": 10},
	}
	var out queryResponse
	newUser(t, "Viewer").must(http.StatusOK, http.MethodPost, "/api/ds/query", map[string]any{
		"from": "now-30d", "to": "now",
		"queries": []any{map[string]any{"refId": "A", "datasource": map[string]string{"uid": uid},
			"queryType": "trackerSeries", "contract": "acme", "trackers": []any{tracker}}},
	}).decode(t, &out)
	res := out.Results["A"]
	if res.Error != "" || len(res.Frames) != 1 {
		t.Fatalf("result: %+v", res)
	}
	f := res.Frames[0]
	if f.Schema.Meta.Custom["pushedDown"] != true {
		t.Fatalf("the tracker was not pushed down to PostgreSQL: %v", f.Schema.Meta.Custom)
	}
	want := map[int64]float64{}
	rows, err := db.QueryContext(ctx, `SELECT date_trunc('day', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', avg(ms)
		FROM it_latency WHERE contract = 'acme' GROUP BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var day time.Time
		var avg float64
		if err := rows.Scan(&day, &avg); err != nil {
			t.Fatal(err)
		}
		want[day.UnixMilli()] = avg
	}
	rows.Close()
	checked := 0
	for i, ts := range f.Data.Values[0] {
		actual := f.Data.Values[1][i]
		w, ok := want[int64(ts.(float64))]
		if !ok {
			if actual != nil {
				t.Fatalf("bucket %v: actual %v, PostgreSQL has no rows", ts, actual)
			}
			continue
		}
		if actual == nil || math.Abs(actual.(float64)-w) > 1e-9*w {
			t.Fatalf("bucket %v: actual %v, PostgreSQL %v", ts, actual, w)
		}
		checked++
	}
	if checked < 28 {
		t.Fatalf("only %d daily buckets checked", checked)
	}
}

// A wrong password: health says what to check, and queries fail with the same hint.
func TestPostgreSQLConnectorWrongPassword(t *testing.T) {
	u, _ := pgURL(t)
	uid := pgDatasource(t, u, "not-the-password")
	var health struct{ Status, Message string }
	r := admin(t).do(http.MethodGet, "/api/datasources/uid/"+uid+"/health", nil)
	r.decode(t, &health)
	if health.Status != "ERROR" || !strings.Contains(health.Message, "Connector warehouse: connector error: cannot connect to postgres") ||
		!strings.Contains(health.Message, "check user and password") {
		t.Fatalf("health: %d %+v", r.status, health)
	}
}
