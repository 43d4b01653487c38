package connector

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"

	"github.com/covenant/contracts/pkg/models"
)

// An HTTP connector's credentials (the secret header, basic auth, the
// bearer token, the client certificate) belong to its base URL: every
// request it sends, redirects included, must keep the base URL's scheme,
// host and port and stay at or below its path. The rules are checked three
// times: on the KPI's path as written and once its macros are replaced
// (target), before a redirect is followed (checkRedirect), and by the first
// middleware of the client on every request it is about to send (guard),
// so no code path can send a request, or a secret, anywhere else.

// errOffBase marks a request refused because it would leave the base URL.
var errOffBase = errors.New("outside the connector's url")

// offBase says why u is not at or below the base URL, or "" when it is.
func offBase(base, u *url.URL, allowed []string) string {
	switch {
	case !strings.EqualFold(u.Scheme, base.Scheme):
		return fmt.Sprintf("its scheme %s is not the url's %s", u.Scheme, base.Scheme)
	case !strings.EqualFold(u.Hostname(), base.Hostname()):
		return fmt.Sprintf("its host %s is not the url's %s", u.Hostname(), base.Hostname())
	case effectivePort(u) != effectivePort(base):
		return fmt.Sprintf("its port %s is not the url's %s", effectivePort(u), effectivePort(base))
	case !models.HostAllowed(u.Hostname(), allowed):
		return fmt.Sprintf("its host %s is not in httpAllowedHosts", u.Hostname())
	}
	if p := models.HTTPPathProblem(u.EscapedPath()); p != "" && !strings.HasPrefix(p, "has an empty segment") {
		return "its path " + p
	}
	if !underPath(u.EscapedPath(), base.EscapedPath()) {
		return fmt.Sprintf("its path %s is not below the url's path %s", u.EscapedPath(), base.EscapedPath())
	}
	return ""
}

// effectivePort is the URL's port, or its scheme's default.
func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "http":
		return "80"
	case "https":
		return "443"
	}
	return ""
}

// underPath reports whether the escaped path p is base or below it
// ("/kpi/x" is below "/kpi", "/kpiadmin" is not).
func underPath(p, base string) bool {
	base = strings.TrimRight(base, "/")
	return base == "" || p == base || strings.HasPrefix(p, base+"/")
}

// redirectError is a redirect the connector refused to follow.
type redirectError struct {
	to, why string
}

func (e *redirectError) Error() string {
	return fmt.Sprintf("the server redirected to %s, and %s: a redirect must keep the scheme, host and port of the connector's url and stay below its path. "+
		"It was not followed, and no credentials were sent there: point the connector's url (or the KPI's path) at where the data is now", e.to, e.why)
}

// checkRedirect is the client's CheckRedirect: at most maxRedirects, each
// at or below the base URL.
func (c *httpConnector) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("more than %d redirects", maxRedirects)
	}
	if why := offBase(c.base, req.URL, c.s.AllowedHosts); why != "" {
		return &redirectError{to: redact(req.URL), why: why}
	}
	return nil
}

// guard is the first middleware of the connector's client: it refuses any
// request that would leave the base URL before another middleware adds a
// credential to it, whatever asked for it.
func (c *httpConnector) guard() httpclient.Middleware {
	return httpclient.NamedMiddlewareFunc("covenant-base-url-guard", func(_ httpclient.Options, next http.RoundTripper) http.RoundTripper {
		return httpclient.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			if why := offBase(c.base, req.URL, c.s.AllowedHosts); why != "" {
				return nil, fmt.Errorf("%w: %s was not sent: %s", errOffBase, redact(req.URL), why)
			}
			return next.RoundTrip(req)
		})
	})
}
