package connector

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

const ticketsJSON = `{"meta":{"page":1,"skip":[1,{"a":[]}]},"data":{"items":[
 {"opened":"2026-01-01T10:00:00Z","response":{"minutes":30},"contract":"acme"},
 {"opened":1767265200,"response":{"minutes":"45.5"},"contract":"acme"},
 {"opened":1767268800000,"response":{"minutes":null},"contract":"acme"},
 {"opened":"2026-01-01T12:30:00Z","response":{"minutes":90},"contract":"other"},
 {"opened":"2026-01-03T00:00:00Z","response":{"minutes":10},"contract":"acme"}
]}}`

const ticketsCSV = "\ufeffopened;minutes;contract\n2026-01-01T10:00:00Z;30;acme\n1767265200;45.5;acme\n1767268800000;;acme\n2026-01-01T12:30:00Z;90;other\n2026-01-03T00:00:00Z;10;acme\n"

// server serves the test documents and records what it was asked.
func server(t *testing.T) (*httptest.Server, *[]*http.Request) {
	t.Helper()
	var seen []*http.Request
	mux := http.NewServeMux()
	mux.HandleFunc("/kpi/tickets.json", func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, ticketsJSON)
	})
	mux.HandleFunc("/kpi/tickets.csv", func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r)
		fmt.Fprint(w, ticketsCSV)
	})
	mux.HandleFunc("/kpi/secret", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer t0ken" {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, `[{"time":1767225600,"value":1}]`)
	})
	mux.HandleFunc("/kpi/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/kpi/huge", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "[")
		for i := 0; i < 200000; i++ {
			fmt.Fprintf(w, `{"time":%d,"value":%d},`, 1767225600+i, i)
		}
		fmt.Fprint(w, `{"time":1,"value":1}]`)
	})
	mux.HandleFunc("/kpi/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://localhost:1/elsewhere", http.StatusFound)
	})
	mux.HandleFunc("/kpi/broken", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"data":{"items":[{"time":1,"value":2},`) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &seen
}

func httpConn(t *testing.T, srv *httptest.Server, typ models.ConnectorType, mod func(*models.ConnectorSettings)) Connector {
	t.Helper()
	u, _ := url.Parse(srv.URL)
	s := models.ConnectorSettings{UID: "h", Name: "api", Type: typ, URL: srv.URL + "/kpi", TimeoutSeconds: 1, MaxResponseMB: 64,
		Delimiter: ";", AllowedHosts: []string{u.Hostname()}, HeaderName: "Authorization", HeaderValue: "Bearer t0ken"}
	if mod != nil {
		mod(&s)
	}
	c, err := Open(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

var jan1 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestHTTPConnectorsReadRows(t *testing.T) {
	srv, seen := server(t)
	for _, tt := range []struct {
		typ models.ConnectorType
		q   models.ConnectorQuery
	}{
		{models.ConnectorHTTPJSON, models.ConnectorQuery{Path: "/tickets.json?from=$__timeFrom&c=$__key", RowsPath: "data.items",
			TimeField: "opened", ValueField: "response.minutes", KeyField: "contract"}},
		{models.ConnectorHTTPCSV, models.ConnectorQuery{Path: "tickets.csv?from=$__timeFrom&c=$__key", TimeField: "opened", ValueField: "MINUTES", KeyField: "contract"}},
	} {
		t.Run(string(tt.typ), func(t *testing.T) {
			c := httpConn(t, srv, tt.typ, nil)
			r := Request{ConnectorQuery: tt.q, From: jan1, To: jan1.Add(24 * time.Hour), Key: "acme & co"}
			r.Key = "acme"
			rows, err := c.Rows(context.Background(), r)
			if err != nil {
				t.Fatal(err)
			}
			// Rows of other contracts and outside [from, to) are left out; the null minutes is NaN.
			want := []float64{30, 45.5, math.NaN()}
			if len(rows.Values) != 3 {
				t.Fatalf("got %d rows, want 3: %v", len(rows.Values), rows.Values)
			}
			for i, w := range want {
				if g := rows.Values[i]; !(g == w || math.IsNaN(g) && math.IsNaN(w)) {
					t.Fatalf("row %d: got %v, want %v", i, g, w)
				}
			}
			if got := time.Unix(0, rows.Times[2]).UTC(); !got.Equal(jan1.Add(12 * time.Hour)) {
				t.Fatalf("milliseconds time read as %s", got)
			}
			last := (*seen)[len(*seen)-1]
			if got := last.URL.Query().Get("from"); got != "2026-01-01T00:00:00Z" {
				t.Fatalf("from macro sent as %q", got)
			}
			if got := last.URL.Query().Get("c"); got != "acme" {
				t.Fatalf("key macro sent as %q", got)
			}
			f, err := c.Preview(context.Background(), r, 2)
			if err != nil || f.Rows() != 2 || len(f.Fields) != 3 || len(f.Meta.Notices) != 1 {
				t.Fatalf("preview: %v, %v", f, err)
			}
			starts, _ := kpi.Buckets(jan1, jan1.Add(24*time.Hour), kpi.Day, time.UTC)
			actual, pushed, err := Figures(context.Background(), c, r, starts, kpi.Count, nil)
			if err != nil || pushed || actual[0] != 3 {
				t.Fatalf("figures: %v pushed %v, %v", actual, pushed, err)
			}
		})
	}
}

func TestHTTPConnectorKeyIsEscaped(t *testing.T) {
	srv, seen := server(t)
	c := httpConn(t, srv, models.ConnectorHTTPJSON, nil)
	r := Request{ConnectorQuery: models.ConnectorQuery{Path: "/tickets.json?c=$__key&x=1", RowsPath: "data.items", TimeField: "opened", ValueField: "response.minutes"},
		From: jan1, To: jan1.Add(time.Hour), Key: "a&x=2#frag b"}
	if _, err := c.Rows(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	q := (*seen)[len(*seen)-1].URL.Query()
	if q.Get("c") != "a&x=2#frag b" || q.Get("x") != "1" {
		t.Fatalf("query sent as %v", q)
	}
}

func TestHTTPConnectorErrors(t *testing.T) {
	srv, _ := server(t)
	ctx := context.Background()
	tests := []struct {
		name string
		mod  func(*models.ConnectorSettings)
		q    models.ConnectorQuery
		want string
	}{
		{name: "secret header sent", q: models.ConnectorQuery{Path: "/secret"}, want: ""},
		{name: "wrong secret", mod: func(s *models.ConnectorSettings) { s.HeaderValue = "Bearer nope" }, q: models.ConnectorQuery{Path: "/secret"},
			want: "answered HTTP 401 (no token): check the connector's credentials (auth type"},
		{name: "not found", q: models.ConnectorQuery{Path: "/nothing?token=abc"}, want: "/kpi/nothing?… answered HTTP 404"},
		{name: "slow", q: models.ConnectorQuery{Path: "/slow"}, want: "did not answer within 1 s: check the endpoint, or raise the connector's timeoutSeconds"},
		{name: "too large", mod: func(s *models.ConnectorSettings) { s.MaxResponseMB, s.TimeoutSeconds = 1, 30 }, q: models.ConnectorQuery{Path: "/huge"},
			want: "the response is larger than the connector's maxResponseMB (1 MB)"},
		{name: "host not allowed", mod: func(s *models.ConnectorSettings) { s.AllowedHosts = []string{"example.com"} }, q: models.ConnectorQuery{Path: "/secret"},
			want: "is not in httpAllowedHosts: add it in the datasource settings"},
		{name: "redirect off the allow-list", q: models.ConnectorQuery{Path: "/away"}, want: "the server redirected to http://localhost:1/elsewhere, and its host localhost is not the url's 127.0.0.1"},
		{name: "a path cannot leave the host", q: models.ConnectorQuery{Path: "//evil.example/x"}, want: `path: "//evil.example/x" has an empty segment (//), which can name another host`},
		{name: "truncated JSON", q: models.ConnectorQuery{Path: "/broken", RowsPath: "data.items"}, want: "the JSON response ends early"},
		{name: "rowsPath missing", q: models.ConnectorQuery{Path: "/tickets.json", RowsPath: "data.rows"}, want: `rowsPath data.rows: the response has no key "rows" there`},
		{name: "rowsPath not an array", q: models.ConnectorQuery{Path: "/tickets.json", RowsPath: "meta.page"}, want: "rowsPath meta.page of the JSON response is not an array"},
		{name: "missing time field", q: models.ConnectorQuery{Path: "/tickets.json", RowsPath: "data.items", ValueField: "response.minutes"},
			want: `row 1 has no field "time": set timeField`},
		{name: "SQL on HTTP", q: models.ConnectorQuery{RawSQL: "SELECT 1"}, want: "rawSql: connector \"\" is an HTTP connector and takes no SQL"},
		{name: "unknown macro", q: models.ConnectorQuery{Path: "/x?$__interval"}, want: "path: unknown macro $__interval"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := httpConn(t, srv, models.ConnectorHTTPJSON, tt.mod)
			_, err := c.Rows(ctx, Request{ConnectorQuery: tt.q, From: jan1, To: jan1.AddDate(1, 0, 0)})
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			if !errors.Is(err, models.ErrConnector) && !errors.Is(err, models.ErrInvalidQuery) {
				t.Fatalf("%v is neither a connector nor a query error", err)
			}
		})
	}
}

func TestParseCSVErrors(t *testing.T) {
	q := models.ConnectorQuery{TimeField: "time", ValueField: "value"}
	for _, tt := range []struct{ name, csv, want string }{
		{"empty", "", "the CSV response is empty"},
		{"no value column", "time,amount\n1,2\n", `the CSV has no column "value" (its header is time,amount): set valueField`},
		{"not a number", "time,value\n1767225600,high\n", `CSV row 1, column value: "high" is not a number`},
		{"bad time", "time,value\nyesterday,1\n", `CSV row 1, column time: "yesterday" is not a time`},
		{"short row", "time,note,value\n1767225600\n", "CSV row 1 has 1 fields, fewer than the header's 3"},
		{"bad quoting", "time,value\n\"1767225600,1\n", "the CSV is malformed at line"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := ParseCSV(strings.NewReader(tt.csv), ',', q, func(time.Time, float64, string) bool { return true })
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, models.ErrConnector) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}
