package connector

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// The connector's secret belongs to its base URL (http://127.0.0.1:<port>/kpi):
// no KPI path, contract key or redirect may carry it anywhere else.

// recorded is one request a test server received.
type recorded struct {
	uri    string // as sent on the request line
	clean  string // the path the server resolves it to
	secret string // the secret header it carried
}

// recorder is a test server that keeps every request it receives.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	seen []recorded
}

func (r *recorder) requests() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.seen...)
}

// outside lists the requests that reached a path not below /kpi.
func (r *recorder) outside() []recorded {
	var out []recorded
	for _, q := range r.requests() {
		if q.clean != "/kpi" && !strings.HasPrefix(q.clean, "/kpi/") {
			out = append(out, q)
		}
	}
	return out
}

// baseServer serves rows below /kpi and a user list at /admin/users, and,
// like many servers, resolves dot segments (decoded) in the request path.
// /kpi/redirect?to=<url> redirects anywhere.
func baseServer(t *testing.T) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		clean := path.Clean("/" + strings.ReplaceAll(r.URL.Path, `\`, "/"))
		rec.mu.Lock()
		rec.seen = append(rec.seen, recorded{uri: r.RequestURI, clean: clean, secret: r.Header.Get("X-Api-Key")})
		rec.mu.Unlock()
		switch {
		case clean == "/kpi/redirect":
			http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
		case clean == "/admin/users":
			fmt.Fprint(w, `[{"time":1767225600,"value":1,"email":"root@example.com"}]`)
		case clean == "/kpi" || strings.HasPrefix(clean, "/kpi/"):
			fmt.Fprint(w, `[{"time":1767225600,"value":2}]`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(rec.Close)
	return rec
}

// otherServer records what reaches it and answers rows at any path.
func otherServer(t *testing.T, tls bool) *recorder {
	t.Helper()
	rec := &recorder{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.seen = append(rec.seen, recorded{uri: r.RequestURI, clean: path.Clean(r.URL.Path), secret: r.Header.Get("X-Api-Key")})
		rec.mu.Unlock()
		fmt.Fprint(w, `[{"time":1767225600,"value":3}]`)
	})
	if tls {
		rec.Server = httptest.NewTLSServer(h)
	} else {
		rec.Server = httptest.NewServer(h)
	}
	t.Cleanup(rec.Close)
	return rec
}

// secretConn is an HTTP JSON connector on srv's /kpi with a secret header;
// localhost and 127.0.0.1 are both allowed, so only the base-URL rules
// can refuse a request.
func secretConn(t *testing.T, srv *recorder) Connector {
	t.Helper()
	c, err := Open(models.ConnectorSettings{UID: "h", Name: "api", Type: models.ConnectorHTTPJSON, URL: srv.URL + "/kpi",
		TimeoutSeconds: 2, MaxResponseMB: 1, AllowedHosts: []string{"127.0.0.1", "localhost"},
		HeaderName: "X-Api-Key", HeaderValue: "k3y-of-the-kpi-api"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestHTTPPathCannotLeaveTheBasePath(t *testing.T) {
	for _, tt := range []struct{ name, path, key string }{
		{"plain", "../admin/users", ""},
		{"plain with a leading slash", "/../admin/users", ""},
		{"deeper", "/tickets/../../admin/users", ""},
		{"encoded", "%2e%2e/admin/users", ""},
		{"encoded, mixed case", "%2E%2e/admin/users", ""},
		{"half encoded", ".%2e/admin/users", ""},
		{"encoded slash", "..%2fadmin%2fusers", ""},
		{"encoded twice", "%252e%252e/admin/users", ""},
		{"encoded twice, slash", "..%252fadmin/users", ""},
		{"backslash", `..\admin\users`, ""},
		{"encoded backslash", "..%5cadmin%5cusers", ""},
		{"path parameter", "..;x=1/admin/users", ""},
		{"absolute URL", "http://127.0.0.1:1/admin/users", ""},
		{"encoded absolute URL", "http%3A%2F%2F127.0.0.1:1/admin/users", ""},
		{"another host", "//evil.example/admin/users", ""},
		{"another host, backslashes", `\\evil.example\admin`, ""},
		{"through the contract key", "/contracts/$__key/tickets.json", "../../admin/users"},
		{"through the contract key, encoded", "/contracts/$__key/tickets.json", "%2e%2e/%2e%2e/admin/users"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := baseServer(t)
			c := secretConn(t, srv)
			r := Request{ConnectorQuery: models.ConnectorQuery{Path: tt.path, KeyField: "email"}, From: jan1, To: jan1.AddDate(0, 1, 0), Key: tt.key}
			_, err := c.Rows(context.Background(), r)
			var fe *models.FieldError
			if !errors.As(err, &fe) || fe.Field != "path" || !errors.Is(err, models.ErrInvalidQuery) ||
				!strings.Contains(err.Error(), "a path must stay below the connector's url") {
				t.Errorf("got %v, want a path error that says the path must stay below the connector's url", err)
			}
			if _, err := c.Preview(context.Background(), r, 10); err == nil {
				t.Errorf("the preview of %q answered", tt.path)
			}
			if got := srv.requests(); len(got) != 0 {
				t.Errorf("the server received %+v: a refused path must send nothing", got)
			}
		})
	}
}

func TestHTTPPathsBelowTheBaseStillWork(t *testing.T) {
	srv := baseServer(t)
	c := secretConn(t, srv)
	for _, p := range []string{"", "/", "tickets.json", "/a/./b.json", "/a..b/c.json", "/v1/things:search", "/x?next=../admin&k=$__key", "?q=1"} {
		rows, err := c.Rows(context.Background(), Request{ConnectorQuery: models.ConnectorQuery{Path: p}, From: jan1, To: jan1.AddDate(0, 1, 0), Key: "../a"})
		if err != nil || len(rows.Values) != 1 || rows.Values[0] != 2 {
			t.Errorf("path %q: %v, %v", p, rows.Values, err)
		}
	}
	if out := srv.outside(); len(out) != 0 {
		t.Fatalf("requests left /kpi: %+v", out)
	}
	for _, q := range srv.requests() {
		if q.secret != "k3y-of-the-kpi-api" {
			t.Fatalf("%s was sent without the secret header", q.uri)
		}
	}
}

func TestHTTPRedirectsKeepTheBaseURL(t *testing.T) {
	base := baseServer(t)
	port := otherServer(t, false) // 127.0.0.1, another port
	tlsSrv := otherServer(t, true)
	hostPort := base.URL[strings.LastIndex(base.URL, ":")+1:]
	for _, tt := range []struct {
		name, to, want string
		other          *recorder
	}{
		{"another port", port.URL + "/kpi/x", "its port", port},
		{"another scheme", tlsSrv.URL + "/kpi/x", "its scheme https is not the url's http", tlsSrv},
		{"another host name of the same server", "http://localhost:" + hostPort + "/kpi/x", "its host localhost is not the url's 127.0.0.1", nil},
		{"same server, outside the base path", "/admin/users", "its path /admin/users is not below the url's path /kpi", nil},
		{"same server, dot segments", base.URL + "/kpi/../admin/users", "its path /admin/users is not below", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := secretConn(t, base)
			before := len(base.requests())
			_, err := c.Rows(context.Background(), Request{ConnectorQuery: models.ConnectorQuery{Path: "/redirect?to=" + urlQueryEscape(tt.to)},
				From: jan1, To: jan1.AddDate(0, 1, 0)})
			if err == nil || !errors.Is(err, models.ErrConnector) || !strings.Contains(err.Error(), tt.want) ||
				!strings.Contains(err.Error(), "a redirect must keep the scheme, host and port of the connector's url") {
				t.Fatalf("got %v, want a refused redirect (%s)", err, tt.want)
			}
			if tt.other != nil {
				if got := tt.other.requests(); len(got) != 0 {
					t.Fatalf("the other server received %+v: a refused redirect must send nothing there", got)
				}
			}
			if got := base.requests()[before:]; len(got) != 1 || !strings.HasPrefix(got[0].uri, "/kpi/redirect") {
				t.Fatalf("the base server received %+v, want only the first request", got)
			}
			if out := base.outside(); len(out) != 0 {
				t.Fatalf("requests left /kpi: %+v", out)
			}
		})
	}
	t.Run("below the base path, followed with the secret", func(t *testing.T) {
		c := secretConn(t, base)
		rows, err := c.Rows(context.Background(), Request{ConnectorQuery: models.ConnectorQuery{Path: "/redirect?to=/kpi/moved.json"},
			From: jan1, To: jan1.Add(time.Hour)})
		if err != nil || len(rows.Values) != 1 {
			t.Fatalf("%v, %v", rows, err)
		}
		got := base.requests()
		if last := got[len(got)-1]; last.uri != "/kpi/moved.json" || last.secret != "k3y-of-the-kpi-api" {
			t.Fatalf("the redirect was followed as %+v", last)
		}
	})
}

// urlQueryEscape escapes a query value, spaces as %20.
func urlQueryEscape(s string) string {
	return strings.NewReplacer("%", "%25", "&", "%26", "?", "%3F", "#", "%23", "+", "%2B", " ", "%20").Replace(s)
}
