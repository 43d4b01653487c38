package connector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// httpConnector fetches rows from an HTTP endpoint that answers JSON or CSV.
// Every request has a timeout and a response-size limit, goes only to
// hosts on the datasource's allow-list, and never leaves the connector's
// base URL: not by the KPI's path, not by a redirect (see httpguard.go).
type httpConnector struct {
	s      models.ConnectorSettings
	base   *url.URL
	client *http.Client
}

var (
	_ Connector   = (*httpConnector)(nil)
	_ RowStreamer = (*httpConnector)(nil)
)

const maxRedirects = 5

// openHTTP builds the connector's client on the plugin SDK's httpclient.
func openHTTP(s models.ConnectorSettings) (*httpConnector, error) {
	base, err := url.Parse(strings.TrimSpace(s.URL))
	if err != nil {
		return nil, fmt.Errorf("%w: connector %q: url: %v", models.ErrInvalidSettings, s.Name, err)
	}
	c := &httpConnector{s: s, base: base}
	client, err := httpclient.New(c.clientOptions())
	if err != nil {
		return nil, fmt.Errorf("%w: connector %q: TLS or proxy settings: %v: check the CA certificate, client certificate and key, and proxyURL", models.ErrInvalidSettings, s.Name, err)
	}
	client.CheckRedirect = c.checkRedirect
	c.client = client
	return c, nil
}

// Type implements Connector.
func (c *httpConnector) Type() models.ConnectorType { return c.s.Type }

// Close implements Connector.
func (c *httpConnector) Close() error {
	c.client.CloseIdleConnections()
	return nil
}

// target is the URL of a request: the connector's URL with the query's path
// appended, its macros replaced by URL-escaped values.
// The path is checked as written and once its macros are replaced (a
// contract key may hold "..") and the URL must stay below the base URL.
func (c *httpConnector) target(r Request) (*url.URL, error) {
	if err := models.CheckHTTPPath(r.Path, ""); err != nil {
		return nil, err
	}
	path, err := expandPathMacros(r.Path, r.From, r.To, r.Key)
	if err != nil {
		return nil, err
	}
	if err := models.CheckHTTPPath(path, "(after its macros are replaced)"); err != nil {
		return nil, err
	}
	raw := c.base.String()
	switch {
	case path == "":
	case strings.HasPrefix(path, "?"):
		if c.base.RawQuery != "" {
			path = "&" + path[1:]
		}
		raw += path
	default:
		raw = strings.TrimRight(raw, "/") + "/" + strings.TrimLeft(path, "/")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, models.QueryFieldError("path", fmt.Sprintf("makes the URL %q, which is not valid (%v): fix the path", raw, err))
	}
	if why := offBase(c.base, u, c.s.AllowedHosts); why != "" && !strings.Contains(why, "httpAllowedHosts") {
		return nil, models.QueryFieldError("path", fmt.Sprintf("makes the URL %s, which leaves the connector's url (%s): give a path below the connector's url", redact(u), why))
	}
	return u, nil
}

// expandPathMacros replaces $__timeFrom, $__timeTo (RFC 3339) and $__key, URL-escaped.
func expandPathMacros(path string, from, to time.Time, key string) (string, error) {
	var firstErr error
	out := macroRe.ReplaceAllStringFunc(path, func(m string) string {
		parts := macroRe.FindStringSubmatch(m)
		esc := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
		if parts[2] != "" {
			firstErr = models.QueryFieldError("path", fmt.Sprintf("$__%s takes no arguments in a path: write $__timeFrom, $__timeTo or $__key", parts[1]))
			return m
		}
		switch parts[1] {
		case "timeFrom":
			return esc(from.UTC().Format(time.RFC3339))
		case "timeTo":
			return esc(to.UTC().Format(time.RFC3339))
		case "key":
			return esc(key)
		}
		firstErr = models.QueryFieldError("path", fmt.Sprintf("unknown macro $__%s: use $__timeFrom, $__timeTo or $__key", parts[1]))
		return m
	})
	return out, firstErr
}

// fetch GETs the URL and returns the body, cut off past the size limit.
func (c *httpConnector) fetch(ctx context.Context, u *url.URL) (io.ReadCloser, error) {
	if !models.HostAllowed(u.Hostname(), c.s.AllowedHosts) {
		return nil, fmt.Errorf("%w: host %s is not in httpAllowedHosts: add it in the datasource settings", models.ErrConnector, u.Hostname())
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", models.ErrConnector, err)
	}
	if c.s.Type == models.ConnectorHTTPCSV {
		req.Header.Set("Accept", "text/csv, text/plain;q=0.9, */*;q=0.1")
	} else {
		req.Header.Set("Accept", "application/json")
	}
	req.Header.Set("User-Agent", "covenant-contracts-app")
	shown := redact(u)
	resp, err := c.client.Do(req)
	if err != nil {
		var ue *url.Error
		var re *redirectError
		switch {
		case errors.As(err, &re):
			return nil, fmt.Errorf("%w: GET %s: %v", models.ErrConnector, shown, re)
		case errors.Is(err, errOffBase):
			return nil, fmt.Errorf("%w: GET %s: %v: give a path below the connector's url", models.ErrConnector, shown, unwrapURLError(err))
		case errors.As(err, &ue) && ue.Timeout(), errors.Is(err, context.DeadlineExceeded), errors.Is(ctx.Err(), context.DeadlineExceeded):
			return nil, fmt.Errorf("%w: GET %s did not answer within %d s: check the endpoint, or raise the connector's timeoutSeconds", models.ErrConnector, shown, c.s.TimeoutSeconds)
		}
		return nil, fmt.Errorf("%w: GET %s failed: %v: check the connector's url and that the endpoint is up", models.ErrConnector, shown, unwrapURLError(err))
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		_ = resp.Body.Close()
		hint := "check the path"
		if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
			hint = "check the connector's credentials (auth type, user, bearer token or password, header name and value, client certificate)"
		}
		return nil, fmt.Errorf("%w: GET %s answered HTTP %d (%s): %s", models.ErrConnector, shown, resp.StatusCode, strings.TrimSpace(string(snippet)), hint)
	}
	limit := int64(c.s.MaxResponseMB) << 20
	return &limitedBody{r: io.LimitReader(resp.Body, limit+1), c: resp.Body, left: limit + 1, limitMB: c.s.MaxResponseMB}, nil
}

// limitedBody fails the read that goes past the size limit.
type limitedBody struct {
	r       io.Reader
	c       io.Closer
	left    int64
	limitMB int
}

var errTooLarge = errors.New("too large")

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if b.left <= 0 {
		return n, fmt.Errorf("%w: %w: the response is larger than the connector's maxResponseMB (%d MB): narrow the query or raise the limit", models.ErrConnector, errTooLarge, b.limitMB)
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.c.Close() }

// redact drops the query string from a URL shown in errors (it may hold keys).
func redact(u *url.URL) string {
	v := *u
	if v.RawQuery != "" {
		v.RawQuery = "…"
	}
	return v.String()
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Check implements Connector: a GET of the connector's URL must answer 2xx.
func (c *httpConnector) Check(ctx context.Context) (string, error) {
	body, err := c.fetch(ctx, c.base)
	if err != nil {
		return "", err
	}
	defer func() { _ = body.Close() }()
	n, _ := io.Copy(io.Discard, io.LimitReader(body, 1<<20))
	return fmt.Sprintf("%s answered (%d bytes read)%s", c.base.Host, n, c.warnings()), nil
}

// warnings are the health check's notes on settings that weaken security.
func (c *httpConnector) warnings() string {
	var w []string
	if c.s.TLSSkipVerify && strings.EqualFold(c.base.Scheme, "https") {
		w = append(w, "TLS certificate verification is off (tlsSkipVerify): anyone on the path can read the traffic and its credentials; give the server's CA certificate and turn it off")
	}
	if strings.EqualFold(c.base.Scheme, "http") && (c.s.AuthType == models.AuthBasic || c.s.AuthType == models.AuthBearer || c.s.HeaderName != "") {
		w = append(w, "credentials are sent over plain http: use an https url")
	}
	if len(w) == 0 {
		return ""
	}
	return ". Warning: " + strings.Join(w, "; ")
}

// Rows implements Connector.
func (c *httpConnector) Rows(ctx context.Context, r Request) (kpi.Rows, error) {
	var out kpi.Rows
	from, to := r.From.UnixNano(), r.To.UnixNano()
	err := c.each(ctx, r, nil, func(t time.Time, v float64, _ string) bool {
		ns := t.UnixNano()
		if ns >= from && ns < to {
			out.Times = append(out.Times, ns)
			out.Values = append(out.Values, v)
		}
		return true
	})
	return out, err
}

// EachRow implements RowStreamer: the rows Rows returns, in the same order,
// as the response is parsed.
func (c *httpConnector) EachRow(ctx context.Context, r Request, fn func(ns int64, v float64) bool) error {
	from, to := r.From.UnixNano(), r.To.UnixNano()
	return c.each(ctx, r, nil, func(t time.Time, v float64, _ string) bool {
		ns := t.UnixNano()
		if ns >= from && ns < to {
			return fn(ns, v)
		}
		return true
	})
}

// Preview implements Connector: the mapped rows (time, value and key when
// mapped; time, end and key for a query with an end field, as a business-time
// KPI's).
func (c *httpConnector) Preview(ctx context.Context, r Request, limit int) (*data.Frame, error) {
	var times []time.Time
	var values []*float64
	var ends []*time.Time
	var keys []string
	truncated := false
	var end *time.Time
	var vr *valueReader
	if r.EndField != "" {
		// Show each row's end as read, not a duration: the preview knows no calendar.
		v := endValue(r.ConnectorQuery, &Business{Working: func(from, to time.Time) time.Duration {
			end = &to
			return 0
		}, Per: time.Second})
		vr = &v
	}
	err := c.each(ctx, r, vr, func(t time.Time, v float64, k string) bool {
		if len(times) == limit {
			truncated = true
			return false
		}
		times = append(times, t)
		if vr != nil {
			if math.IsNaN(v) {
				end = nil // open: endValue did not call Working
			}
			ends = append(ends, end)
		} else if math.IsNaN(v) {
			values = append(values, nil)
		} else {
			values = append(values, &v)
		}
		keys = append(keys, k)
		return true
	})
	if err != nil {
		return nil, err
	}
	second := data.NewField("value", nil, values)
	if vr != nil {
		second = data.NewField("end", nil, ends)
	}
	frame := data.NewFrame("rows", data.NewField("time", nil, times), second)
	if r.KeyField != "" {
		frame.Fields = append(frame.Fields, data.NewField("key", nil, keys))
	}
	u, _ := c.target(r)
	frame.Meta = &data.FrameMeta{PreferredVisualization: data.VisTypeTable}
	if u != nil {
		frame.Meta.ExecutedQueryString = "GET " + redact(u)
	}
	if truncated {
		frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityWarning,
			Text: fmt.Sprintf("Showing the first %d rows: raise the query's limit to see more.", limit)})
	}
	return frame, nil
}

// each fetches the rows of a request and calls fn for each row of the
// contract (all rows when the query maps no key field, or no key is given);
// fn returns false to stop.
//
// Each row's value is its value field, or for a business-time request the
// business time from its time to its end; vr, when given, reads it instead.
func (c *httpConnector) each(ctx context.Context, r Request, vr *valueReader, fn func(t time.Time, v float64, key string) bool) error {
	if err := r.Check(c.s.Type); err != nil {
		return err
	}
	u, err := c.target(r)
	if err != nil {
		return err
	}
	body, err := c.fetch(ctx, u)
	if err != nil {
		return err
	}
	defer func() { _ = body.Close() }()
	keep := func(t time.Time, v float64, key string) bool {
		if r.KeyField != "" && r.Key != "" && key != r.Key {
			return true
		}
		return fn(t, v, key)
	}
	csvValue, jsonValue := csvNumberValue(r.ConnectorQuery), numberValue(r.ConnectorQuery)
	switch {
	case vr != nil:
		csvValue, jsonValue = *vr, *vr
	case r.Business != nil:
		csvValue = endValue(r.ConnectorQuery, r.Business)
		jsonValue = csvValue
	}
	if c.s.Type == models.ConnectorHTTPCSV {
		err = parseCSV(body, []rune(c.s.Delimiter)[0], r.ConnectorQuery, csvValue, keep)
	} else {
		err = parseJSON(body, r.ConnectorQuery, jsonValue, keep)
	}
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("%w: reading GET %s did not finish in time: narrow the time range, or raise the connector's timeoutSeconds", models.ErrConnector, redact(u))
	}
	return err
}
