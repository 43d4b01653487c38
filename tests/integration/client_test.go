//go:build integration

// Package integration drives a real Grafana server (scripts/grafana.sh start)
// over its HTTP API. Run with: go test -tags integration ./tests/integration/
package integration

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"testing"
	"time"
)

// grafanaURL is the server under test; scripts/test.sh sets GRAFANA_URL.
func grafanaURL() string {
	if u := os.Getenv("GRAFANA_URL"); u != "" {
		return u
	}
	return "http://127.0.0.1:3000"
}

// datasourceUID is the provisioned Covenant datasource (provisioning/datasources/covenant.yaml).
const datasourceUID = "covenant"

// client calls the Grafana API as one user (basic auth).
type client struct {
	t          *testing.T
	user, pass string
	orgID      int64
	// base is the Grafana server to call; empty: grafanaURL().
	base string
}

func admin(t *testing.T) *client { return &client{t: t, user: "admin", pass: "admin"} }

// response is an API answer: status and raw body.
type response struct {
	status int
	body   []byte
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("body is not the JSON expected (%v): %s", err, r.body)
	}
}

func (c *client) do(method, path string, body any) response {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	base := c.base
	if base == "" {
		base = grafanaURL()
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.user != "" { // no user: a browser with no Grafana session
		req.SetBasicAuth(c.user, c.pass)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.orgID != 0 {
		req.Header.Set("X-Grafana-Org-Id", fmt.Sprint(c.orgID))
	}
	hc := &http.Client{Timeout: 60 * time.Second}
	res, err := hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v (is Grafana running? scripts/grafana.sh start)", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return response{status: res.StatusCode, body: b}
}

// must calls the API and fails the test unless the status is want.
func (c *client) must(want int, method, path string, body any) response {
	c.t.Helper()
	r := c.do(method, path, body)
	if r.status != want {
		c.t.Fatalf("%s %s as %s: status %d, want %d: %s", method, path, c.user, r.status, want, r.body)
	}
	return r
}

// newUser creates a user in org 1 with the given role and returns its client.
func newUser(t *testing.T, role string) *client {
	t.Helper()
	a := admin(t)
	login := fmt.Sprintf("%s-%d", role, time.Now().UnixNano())
	var created struct {
		ID int64 `json:"id"`
	}
	a.must(http.StatusOK, http.MethodPost, "/api/admin/users", map[string]any{
		"name": login, "login": login, "email": login + "@example.com", "password": "covenant-test-pw", "OrgId": 1,
	}).decode(t, &created)
	a.must(http.StatusOK, http.MethodPatch, fmt.Sprintf("/api/org/users/%d", created.ID), map[string]any{"role": role})
	t.Cleanup(func() { a.do(http.MethodDelete, fmt.Sprintf("/api/admin/users/%d", created.ID), nil) })
	return &client{t: t, user: login, pass: "covenant-test-pw"}
}

// frame is the subset of a data frame in /api/ds/query answers that tests read.
type frame struct {
	Schema struct {
		Name   string `json:"name"`
		RefID  string `json:"refId"`
		Fields []struct {
			Name   string            `json:"name"`
			Type   string            `json:"type"`
			Labels map[string]string `json:"labels"`
		} `json:"fields"`
		Meta struct {
			ExecutedQueryString string         `json:"executedQueryString"`
			Custom              map[string]any `json:"custom"`
		} `json:"meta"`
	} `json:"schema"`
	Data struct {
		Values [][]any `json:"values"`
	} `json:"data"`
}

type queryResult struct {
	Status int     `json:"status"`
	Error  string  `json:"error"`
	Frames []frame `json:"frames"`
}

type queryResponse struct {
	Results map[string]queryResult `json:"results"`
}

// previewQuery is a connectorPreview query on the provisioned datasource.
func previewQuery(refID, sql, key string) map[string]any {
	return map[string]any{
		"refId": refID, "datasource": map[string]string{"uid": datasourceUID, "type": "covenant-kpi-datasource"},
		"queryType": "connectorPreview", "connector": "demo", "rawSql": sql, "key": key,
	}
}
