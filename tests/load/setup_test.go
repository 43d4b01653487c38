//go:build load

package load

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/covenant/contracts/tests/internal/pgrows"
)

// datasourceUID is the Covenant datasource scripts/grafana.sh provisions
// (provisioning/datasources/covenant.yaml); the load test adds its connector to it.
const datasourceUID = "covenant"

// The PostgreSQL side of the test: one connector, one KPI, two trackers and
// an agreement on a contract whose key is pgContract.
const (
	pgConnectorUID  = "load"
	pgConnectorName = "warehouse"
	pgContract      = "acme"
	pgTable         = "load_rows"
)

// apiError is a non-2xx answer of Grafana's API.
type apiError struct {
	method, path string
	status       int
	body         []byte
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%s %s: status %d: %s", e.method, e.path, e.status, bytes.TrimSpace(e.body))
}

// api calls Grafana's HTTP API as the admin (basic auth) and decodes a JSON answer into out.
func api(ctx context.Context, base, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
	if err != nil {
		return err
	}
	req.SetBasicAuth("admin", "admin")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	res, err := (&http.Client{Timeout: 5 * time.Minute}).Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode/100 != 2 {
		return &apiError{method, path, res.StatusCode, b}
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s %s: the answer is not the JSON expected (%v): %s", method, path, err, b)
		}
	}
	return nil
}

func statusOf(err error) int {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.status
	}
	return 0
}

// loadRows fills the 10M-row table: a year of rows ending at tomorrow's
// midnight (UTC), so that the dashboard's last 90 days hold about 2.5M of
// them, today's open bucket included.
func loadRows(ctx context.Context, db *sql.DB, rows int64) (pgrows.Table, bool, time.Duration, error) {
	end := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 1)
	tb := pgrows.Table{Name: pgTable, Rows: rows, From: end.AddDate(0, 0, -365), To: end, Contract: pgContract, BRIN: true}
	loaded, took, err := pgrows.Load(ctx, db, tb)
	return tb, loaded, took, err
}

// addConnector adds (or replaces) the PostgreSQL connector on the provisioned
// datasource, keeping its other settings, through Grafana's datasource API.
func addConnector(ctx context.Context, base string, pg *url.URL) error {
	var ds map[string]any
	if err := api(ctx, base, http.MethodGet, "/api/datasources/uid/"+datasourceUID, nil, &ds); err != nil {
		return err
	}
	jd, _ := ds["jsonData"].(map[string]any)
	if jd == nil {
		jd = map[string]any{}
	}
	port, _ := strconv.Atoi(pg.Port())
	connectors := []any{map[string]any{
		"uid": pgConnectorUID, "name": pgConnectorName, "type": "postgres", "host": pg.Hostname(), "port": port,
		"database": strings.TrimPrefix(pg.Path, "/"), "user": pg.User.Username(), "tlsMode": "disable",
	}}
	if old, ok := jd["connectors"].([]any); ok {
		for _, c := range old {
			if m, ok := c.(map[string]any); ok && m["name"] != pgConnectorName {
				connectors = append(connectors, c)
			}
		}
	}
	jd["connectors"] = connectors
	pw, _ := pg.User.Password()
	body := map[string]any{}
	for _, k := range []string{"name", "type", "access", "url", "isDefault", "uid", "basicAuth", "withCredentials", "readOnly"} {
		if v, ok := ds[k]; ok {
			body[k] = v
		}
	}
	body["jsonData"] = jd
	body["secureJsonData"] = map[string]string{"connectors." + pgConnectorUID + ".password": pw}
	if err := api(ctx, base, http.MethodPut, "/api/datasources/uid/"+datasourceUID, body, nil); err != nil {
		return err
	}
	// Grafana caches a datasource's settings for a few seconds: wait until the plugin has the
	// connector and can reach PostgreSQL through it.
	deadline := time.Now().Add(30 * time.Second)
	for {
		var test struct {
			OK      bool   `json:"ok"`
			Message string `json:"message"`
		}
		err := api(ctx, base, http.MethodPost, "/api/datasources/uid/"+datasourceUID+"/resources/connectors/"+pgConnectorName+"/test", nil, &test)
		if err == nil && test.OK {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the connector %s is not usable 30 s after adding it: %v %s", pgConnectorName, err, test.Message)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func registryPath(kind string) string {
	return "/api/datasources/uid/" + datasourceUID + "/resources/registry/" + kind
}

// upsert creates a registry object, or updates it when one with its id is
// there (an earlier run on the same Grafana).
func upsert(ctx context.Context, base, kind string, obj map[string]any) error {
	err := api(ctx, base, http.MethodPost, registryPath(kind), obj, nil)
	if statusOf(err) != http.StatusConflict {
		return err
	}
	var cur struct {
		Version int64 `json:"version"`
	}
	id := fmt.Sprint(obj["id"])
	if err := api(ctx, base, http.MethodGet, registryPath(kind+"/"+id), nil, &cur); err != nil {
		return err
	}
	upd := map[string]any{"version": cur.Version}
	for k, v := range obj {
		upd[k] = v
	}
	return api(ctx, base, http.MethodPut, registryPath(kind+"/"+id), upd, nil)
}

// setupRegistry defines the PostgreSQL contract: a KPI over the table, a daily
// average and a weekly share of good rows, their assignments and an agreement.
// watermark names the KPI's watermark column ("" for none). It returns a note
// when the build refused the watermark field (the KPI is then made without it).
func setupRegistry(ctx context.Context, base, watermark string) (string, error) {
	kpi := map[string]any{
		"id": "load-value", "name": "Load test value", "unit": "none", "direction": "higher_is_better",
		"connector": pgConnectorName,
		"rawSql":    "SELECT t AS time, v AS value, updated_at FROM " + pgTable + " WHERE $__timeFilter(t) AND contract = $__key",
	}
	note := "none declared"
	if watermark != "" {
		kpi["watermarkColumn"] = watermark
		note = "watermarkColumn " + watermark
	}
	err := upsert(ctx, base, "kpis", kpi)
	if err != nil && watermark != "" && statusOf(err) == http.StatusBadRequest && strings.Contains(err.Error(), "watermarkColumn") {
		delete(kpi, "watermarkColumn")
		note = fmt.Sprintf("watermarkColumn refused by this build (status %d), so the KPI declares none", statusOf(err))
		err = upsert(ctx, base, "kpis", kpi)
	}
	if err != nil {
		return "", err
	}
	for _, s := range []struct {
		kind string
		obj  map[string]any
	}{
		{"trackers", map[string]any{"id": "load-daily-average", "name": "Daily average", "kpiId": "load-value", "method": "avg",
			"interval": "1d", "timezone": "UTC", "target": map[string]any{"constant": 50}, "tolerance": map[string]any{"value": 5}}},
		{"trackers", map[string]any{"id": "load-weekly-share", "name": "Weekly share at or above 40", "kpiId": "load-value", "method": "ratio",
			"condition": map[string]any{"op": ">=", "threshold": 40}, "interval": "1w", "timezone": "Europe/London",
			"target": map[string]any{"constant": 80}, "tolerance": map[string]any{"value": 5}}},
		{"contracts", map[string]any{"id": pgContract, "name": "Acme (load test)", "counterparty": "Acme Corp", "status": "active",
			"startDate": "2025-01-01", "endDate": "2028-12-31", "value": 100000, "currency": "EUR"}},
		{"assignments", map[string]any{"id": "acme-load-daily-average", "contractId": pgContract, "trackerId": "load-daily-average", "key": pgContract, "weight": 1}},
		{"assignments", map[string]any{"id": "acme-load-weekly-share", "contractId": pgContract, "trackerId": "load-weekly-share", "key": pgContract, "weight": 1}},
		{"agreements", map[string]any{"id": "acme-load-service-levels", "name": "Service levels", "contractId": pgContract,
			"period": map[string]any{"kind": "month", "timezone": "UTC"}, "complianceTarget": 90,
			"trackers": []any{map[string]any{"assignmentId": "acme-load-daily-average", "weight": 2},
				map[string]any{"assignmentId": "acme-load-weekly-share", "weight": 1}},
			"bands": []any{map[string]any{"from": 0, "to": 90, "amount": -1000}, map[string]any{"from": 90, "to": 100, "amount": 0}}}},
	} {
		if err := upsert(ctx, base, s.kind, s.obj); err != nil {
			return "", err
		}
	}
	return note, nil
}

// demoContracts are the contract ids the datasource's demo ships.
func demoContracts(ctx context.Context, base string) ([]string, error) {
	var out struct {
		Contracts []struct {
			Key string `json:"key"`
		} `json:"contracts"`
	}
	if err := api(ctx, base, http.MethodGet, "/api/datasources/uid/"+datasourceUID+"/resources/demo/contracts", nil, &out); err != nil {
		return nil, err
	}
	var ids []string
	for _, c := range out.Contracts {
		ids = append(ids, c.Key)
	}
	if len(ids) != 3 {
		return nil, fmt.Errorf("the demo has %d contracts (%v), not 3", len(ids), ids)
	}
	return ids, nil
}

// newViewer creates a Grafana user with the Viewer role in org 1; remove deletes it.
func newViewer(ctx context.Context, base string) (login, password string, remove func(), err error) {
	login = fmt.Sprintf("load-viewer-%d", time.Now().UnixNano())
	password = "covenant-load-pw"
	var created struct {
		ID int64 `json:"id"`
	}
	if err = api(ctx, base, http.MethodPost, "/api/admin/users", map[string]any{
		"name": login, "login": login, "email": login + "@example.com", "password": password, "OrgId": 1,
	}, &created); err != nil {
		return "", "", nil, err
	}
	remove = func() {
		_ = api(context.Background(), base, http.MethodDelete, fmt.Sprintf("/api/admin/users/%d", created.ID), nil, nil)
	}
	if err = api(ctx, base, http.MethodPatch, fmt.Sprintf("/api/org/users/%d", created.ID), map[string]any{"role": "Viewer"}, nil); err != nil {
		remove()
		return "", "", nil, err
	}
	return login, password, remove, nil
}

// cacheStats is the closed-bucket cache's counters (GET .../resources/cache).
type cacheStats struct {
	Hits            int64 `json:"hits"`
	Misses          int64 `json:"misses"`
	Entries         int64 `json:"entries"`
	WatermarkChecks int64 `json:"watermarkChecks"`
	Invalidations   int64 `json:"invalidations"`
}

// readCacheStats returns the counters, or nil when this build has no such resource.
func readCacheStats(ctx context.Context, base string) (*cacheStats, error) {
	var s cacheStats
	err := api(ctx, base, http.MethodGet, "/api/datasources/uid/"+datasourceUID+"/resources/cache", nil, &s)
	if statusOf(err) == http.StatusNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &s, nil
}

func envInt(name string, def int64) (int64, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s=%q: give a whole number of at least 0", name, v)
	}
	return n, nil
}

func envDuration(name string, def time.Duration) (time.Duration, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s=%q: give a positive Go duration, e.g. 60s", name, v)
	}
	return d, nil
}
