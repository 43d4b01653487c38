//go:build integration

package integration

import (
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestTwoGrafanaServersShareOnePostgreSQLStore: Grafana in HA. Two real Grafana servers (two plugin
// processes) each have a Covenant datasource whose registry is the same PostgreSQL database: what one
// writes the other reads and computes with, and a write on a stale version is refused on either.
func TestTwoGrafanaServersShareOnePostgreSQLStore(t *testing.T) {
	second := os.Getenv("GRAFANA_URL_2")
	if second == "" {
		t.Fatal("GRAFANA_URL_2 is not set: scripts/test.sh starts a second Grafana and sets it")
	}
	u, password := pgURL(t)
	// A database of its own, so the store starts empty.
	admin1, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer admin1.Close()
	db := fmt.Sprintf("covenant_ha_%d", time.Now().UnixNano())
	if _, err := admin1.Exec("CREATE DATABASE " + db); err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(u.Port())
	uid := "covenant-ha"
	g1, g2 := admin(t), &client{t: t, user: "admin", pass: "admin", base: second}
	for _, g := range []*client{g1, g2} {
		g.must(http.StatusOK, http.MethodPost, "/api/datasources", map[string]any{
			"name": uid, "uid": uid, "type": "covenant-kpi-datasource", "access": "proxy",
			"jsonData": map[string]any{"storeType": "postgres", "storePostgres": map[string]any{
				"host": u.Hostname(), "port": port, "database": db, "user": u.User.Username(), "tlsMode": "disable",
			}},
			"secureJsonData": map[string]string{"store.password": password},
		})
		g := g
		t.Cleanup(func() { g.do(http.MethodDelete, "/api/datasources/uid/"+uid, nil) })
	}
	path := func(p string) string { return "/api/datasources/uid/" + uid + "/resources/registry/" + p }

	// The first server's plugin seeds the demo registry into the empty store; the second sees it.
	var page struct {
		Total int `json:"total"`
	}
	g1.must(http.StatusOK, http.MethodGet, path("contracts"), nil).decode(t, &page)
	g2.must(http.StatusOK, http.MethodGet, path("contracts?search=acme"), nil).decode(t, &page)
	if page.Total != 1 {
		t.Fatalf("the second server sees %d Acme contracts", page.Total)
	}

	// Written on one, read and computed on the other.
	g1.must(http.StatusCreated, http.MethodPost, path("contracts"), map[string]any{"id": "ha-contract", "name": "HA contract", "counterparty": "Both"})
	g2.must(http.StatusCreated, http.MethodPost, path("assignments"), map[string]any{"contractId": "ha-contract", "trackerId": "daily-availability", "key": "acme-it"})
	var res queryResponse
	g1.must(http.StatusOK, http.MethodPost, "/api/ds/query", map[string]any{"from": "now-30d", "to": "now", "queries": []any{map[string]any{
		"refId": "A", "datasource": map[string]string{"uid": uid}, "queryType": "trackerSeries", "contract": "ha-contract",
	}}}).decode(t, &res)
	if r := res.Results["A"]; r.Error != "" || len(r.Frames) != 1 {
		t.Fatalf("the first server does not compute the tracker assigned on the second: %+v", r)
	}

	// Both servers close the demo agreements' ended periods at once (on read): each period is
	// closed exactly once in the shared ledger.
	var wg sync.WaitGroup
	for _, g := range []*client{g1, g2} {
		wg.Add(1)
		go func(g *client) {
			defer wg.Done()
			g.do(http.MethodGet, "/api/datasources/uid/"+uid+"/resources/ledger", nil)
		}(g)
	}
	wg.Wait()
	var ledger struct {
		Entries []struct {
			AgreementID string `json:"agreementId"`
			PeriodStart string `json:"periodStart"`
			Kind        string `json:"kind"`
		} `json:"entries"`
	}
	g2.must(http.StatusOK, http.MethodGet, "/api/datasources/uid/"+uid+"/resources/ledger", nil).decode(t, &ledger)
	closes := map[string]int{}
	for _, e := range ledger.Entries {
		if e.Kind == "close" {
			closes[e.AgreementID+" "+e.PeriodStart]++
		} else {
			// Both processes computed the same inputs, so the same digest: nothing to restate.
			t.Fatalf("a restatement after the race: %+v", e)
		}
	}
	if len(closes) < 3 {
		t.Fatalf("the demo agreements' ended periods were not closed: %d entries", len(ledger.Entries))
	}
	for k, n := range closes {
		if n != 1 {
			t.Fatalf("%s closed %d times", k, n)
		}
	}

	// Both edit version 1: the first to save wins, on whichever server; the other gets 409.
	body := map[string]any{"id": "ha-contract", "version": 1, "name": "HA contract", "counterparty": "Second server"}
	g2.must(http.StatusOK, http.MethodPut, path("contracts/ha-contract"), body)
	body["counterparty"] = "First server"
	r := g1.must(http.StatusConflict, http.MethodPut, path("contracts/ha-contract"), body)
	if !strings.Contains(string(r.body), "version 2") {
		t.Fatalf("conflict: %s", r.body)
	}
	var got struct {
		Counterparty string `json:"counterparty"`
		Version      int    `json:"version"`
	}
	g1.must(http.StatusOK, http.MethodGet, path("contracts/ha-contract"), nil).decode(t, &got)
	if got.Counterparty != "Second server" || got.Version != 2 {
		t.Fatalf("stored: %+v", got)
	}
}
