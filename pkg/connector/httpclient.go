package connector

import (
	"crypto/tls"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"

	"github.com/covenant/contracts/pkg/models"
)

// clientOptions are the Grafana plugin SDK's HTTP client options of an HTTP
// connector: its timeouts, TLS (CA, client certificate, skip-verify), basic
// auth or bearer token, the custom secret header and the explicit proxy.
// The base-URL guard runs before every other middleware, so a request it
// refuses never gets a credential.
func (c *httpConnector) clientOptions() httpclient.Options {
	s := c.s
	timeout := seconds(s.TimeoutSeconds)
	opts := httpclient.Options{
		Timeouts: &httpclient.TimeoutOptions{
			Timeout:               timeout,
			DialTimeout:           10 * time.Second,
			KeepAlive:             30 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: time.Second,
			MaxIdleConns:          16,
			MaxIdleConnsPerHost:   4,
			IdleConnTimeout:       90 * time.Second,
		},
		Header:      http.Header{},
		Middlewares: c.middlewares(),
		Labels:      map[string]string{"datasource_type": "covenant_kpi", "datasource_name": s.Name},
	}
	switch s.AuthType {
	case models.AuthBasic:
		opts.BasicAuth = &httpclient.BasicAuthOptions{User: s.User, Password: s.Password}
	case models.AuthBearer:
		opts.Header.Set("Authorization", "Bearer "+strings.TrimSpace(s.BearerToken))
	}
	if s.HeaderName != "" {
		opts.Header.Set(s.HeaderName, s.HeaderValue)
	}
	if s.TLSSkipVerify || strings.TrimSpace(s.TLSCACert) != "" || strings.TrimSpace(s.TLSClientCert) != "" {
		opts.TLS = &httpclient.TLSOptions{
			CACertificate:      strings.TrimSpace(s.TLSCACert),
			ClientCertificate:  strings.TrimSpace(s.TLSClientCert),
			ClientKey:          strings.TrimSpace(s.TLSClientKey),
			InsecureSkipVerify: s.TLSSkipVerify,
		}
	}
	opts.ConfigureTLSConfig = func(_ httpclient.Options, tc *tls.Config) {
		tc.MinVersion = tls.VersionTLS12
	}
	opts.ConfigureTransport = func(_ httpclient.Options, t *http.Transport) {
		if p := proxyURL(s); p != nil {
			t.Proxy = http.ProxyURL(p)
		}
	}
	return opts
}

// middlewares are the SDK's defaults, the guard first; the user agent is
// the connector's own (set on each request), so the SDK's is left out.
func (c *httpConnector) middlewares() []httpclient.Middleware {
	out := []httpclient.Middleware{c.guard()}
	for _, m := range httpclient.DefaultMiddlewares() {
		if n, ok := m.(httpclient.MiddlewareName); ok && n.MiddlewareName() == httpclient.UserAgentMiddlewareName {
			continue
		}
		out = append(out, m)
	}
	return out
}

// proxyURL is the connector's explicit proxy with its credentials, or nil.
func proxyURL(s models.ConnectorSettings) *url.URL {
	raw := strings.TrimSpace(s.ProxyURL)
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil { // validated with the settings
		return nil
	}
	if s.ProxyUser != "" {
		u.User = url.UserPassword(s.ProxyUser, s.ProxyPassword)
	}
	return u
}
