package models

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// ConnectorType names a kind of connector.
type ConnectorType string

// Connector types. The demo connector is built in and not configured.
const (
	ConnectorDemo     ConnectorType = "demo"
	ConnectorSQLite   ConnectorType = "sqlite"
	ConnectorPostgres ConnectorType = "postgres"
	ConnectorMySQL    ConnectorType = "mysql"
	ConnectorHTTPJSON ConnectorType = "http-json"
	ConnectorHTTPCSV  ConnectorType = "http-csv"
)

// ConnectorTypes lists the types a datasource may configure.
var ConnectorTypes = []ConnectorType{ConnectorSQLite, ConnectorPostgres, ConnectorMySQL, ConnectorHTTPJSON, ConnectorHTTPCSV}

// IsSQL reports whether queries on the type are SQL.
func (t ConnectorType) IsSQL() bool {
	return t == ConnectorDemo || t == ConnectorSQLite || t == ConnectorPostgres || t == ConnectorMySQL
}

// ConnectorSettings is one configured connector: its jsonData part, plus the
// secrets Grafana decrypted from secureJsonData (never serialised back).
type ConnectorSettings struct {
	// UID is a stable id that keys the connector's secrets (secureJsonData
	// "connectors.<uid>.password"), so renaming keeps them.
	UID string `json:"uid"`
	// Name is how KPIs refer to the connector.
	Name string        `json:"name"`
	Type ConnectorType `json:"type"`

	// PostgreSQL and MySQL.
	Host     string `json:"host,omitempty"`
	Port     int    `json:"port,omitempty"`
	Database string `json:"database,omitempty"`
	User     string `json:"user,omitempty"`
	// TLSMode: PostgreSQL sslmode (disable, require, verify-ca, verify-full);
	// MySQL: false, true, skip-verify, preferred.
	TLSMode      string `json:"tlsMode,omitempty"`
	MaxOpenConns int    `json:"maxOpenConns,omitempty"`

	// SQLite file.
	Path string `json:"path,omitempty"`
	// TimeFormat says how SQL time macros bind on SQLite: unix (seconds, default), unixms or iso.
	TimeFormat string `json:"timeFormat,omitempty"`

	// HTTP JSON and CSV.
	URL            string `json:"url,omitempty"`
	HeaderName     string `json:"headerName,omitempty"`
	TimeoutSeconds int    `json:"timeoutSeconds,omitempty"`
	MaxResponseMB  int    `json:"maxResponseMB,omitempty"`
	// Delimiter of CSV fields (default ",").
	Delimiter string `json:"delimiter,omitempty"`

	// AuthType is how HTTP connectors authenticate: none (default), basic
	// (User and the secret password) or bearer (the secret bearerToken).
	AuthType string `json:"authType,omitempty"`
	// TLSSkipVerify turns off the verification of an HTTPS server's
	// certificate (off by default; the health check warns when on).
	TLSSkipVerify bool `json:"tlsSkipVerify,omitempty"`
	// ProxyURL is an explicit proxy for HTTP connectors (http, https or
	// socks5); empty uses the environment's HTTPS_PROXY / HTTP_PROXY.
	ProxyURL string `json:"proxyURL,omitempty"`
	// ProxyUser authenticates to the proxy, with the secret proxyPassword.
	ProxyUser string `json:"proxyUser,omitempty"`

	// AllowedHosts is the datasource's httpAllowedHosts, for HTTP connectors.
	AllowedHosts []string `json:"-"`

	Password    string `json:"-"` // secureJsonData connectors.<uid>.password (databases; HTTP basic auth)
	HeaderValue string `json:"-"` // secureJsonData connectors.<uid>.headerValue
	BearerToken string `json:"-"` // secureJsonData connectors.<uid>.bearerToken
	// TLSCACert is the PEM CA that signs the server's certificate (HTTP;
	// PostgreSQL in verify-ca / verify-full; MySQL in tlsMode true, the only
	// MySQL mode it is accepted with): secureJsonData connectors.<uid>.tlsCACert.
	TLSCACert     string `json:"-"`
	TLSClientCert string `json:"-"` // secureJsonData connectors.<uid>.tlsClientCert (PEM, mutual TLS)
	TLSClientKey  string `json:"-"` // secureJsonData connectors.<uid>.tlsClientKey (PEM)
	ProxyPassword string `json:"-"` // secureJsonData connectors.<uid>.proxyPassword
}

// ConnectorSecrets names every secret a connector may have in
// secureJsonData (connectors.<uid>.<name>).
var ConnectorSecrets = []string{"password", "headerValue", "bearerToken", "tlsCACert", "tlsClientCert", "tlsClientKey", "proxyPassword"}

// HTTP authentication types.
const (
	AuthNone   = "none"
	AuthBasic  = "basic"
	AuthBearer = "bearer"
)

// SecretKey is the secureJsonData key of one of a connector's secrets.
func SecretKey(uid, secret string) string { return "connectors." + uid + "." + secret }

// Connector limits and defaults.
const (
	DefaultHTTPTimeoutSeconds = 10
	MaxHTTPTimeoutSeconds     = 120
	DefaultMaxResponseMB      = 64
	MaxMaxResponseMB          = 1024
	DefaultMaxOpenConns       = 5
	maxMaxOpenConns           = 100
)

var (
	uidRe  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,40}$`)
	nameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$`)
)

func (c *ConnectorSettings) applyDefaults() {
	switch c.Type {
	case ConnectorPostgres:
		if c.Port == 0 {
			c.Port = 5432
		}
		if c.TLSMode == "" {
			c.TLSMode = "require"
		}
	case ConnectorMySQL:
		if c.Port == 0 {
			c.Port = 3306
		}
		if c.TLSMode == "" {
			c.TLSMode = "preferred"
		}
	case ConnectorSQLite:
		if c.TimeFormat == "" {
			c.TimeFormat = "unix"
		}
	case ConnectorHTTPJSON, ConnectorHTTPCSV:
		if c.TimeoutSeconds == 0 {
			c.TimeoutSeconds = DefaultHTTPTimeoutSeconds
		}
		if c.MaxResponseMB == 0 {
			c.MaxResponseMB = DefaultMaxResponseMB
		}
		if c.Type == ConnectorHTTPCSV && c.Delimiter == "" {
			c.Delimiter = ","
		}
		if c.AuthType == "" {
			c.AuthType = AuthNone
		}
	}
	if c.MaxOpenConns == 0 {
		c.MaxOpenConns = DefaultMaxOpenConns
	}
}

// validate checks one connector; field is its JSON path, e.g. connectors[0].
func (c *ConnectorSettings) validate(field string, allowedHosts []string) error {
	if !uidRe.MatchString(c.UID) {
		return SettingsFieldError(field+".uid", fmt.Sprintf("%q is not a connector uid: use 1 to 40 letters, digits, - or _ (the config page makes one)", c.UID))
	}
	if !nameRe.MatchString(c.Name) {
		return SettingsFieldError(field+".name", fmt.Sprintf("%q is not a connector name: start with a letter or digit, then up to 62 letters, digits, spaces, . _ or -", c.Name))
	}
	if strings.EqualFold(c.Name, DemoConnector) {
		return SettingsFieldError(field+".name", "\"demo\" is the built-in demo connector: choose another name")
	}
	need := func(sub, v, hint string) error {
		if strings.TrimSpace(v) == "" {
			return SettingsFieldError(field+"."+sub, "is empty: "+hint)
		}
		return nil
	}
	switch c.Type {
	case ConnectorPostgres, ConnectorMySQL:
		for _, e := range []error{
			need("host", c.Host, "give the database server's host name or address"),
			need("database", c.Database, "give the database name"),
			need("user", c.User, "give the user Covenant connects as (a read-only user is best)"),
		} {
			if e != nil {
				return e
			}
		}
		if strings.ContainsAny(c.Host, "/?#@ ") {
			return SettingsFieldError(field+".host", fmt.Sprintf("%q is not a host name: give only the host, and the port in port", c.Host))
		}
		if c.Port < 1 || c.Port > 65535 {
			return SettingsFieldError(field+".port", fmt.Sprintf("%d is not a TCP port: use 1 to 65535", c.Port))
		}
		modes := []string{"disable", "require", "verify-ca", "verify-full"}
		if c.Type == ConnectorMySQL {
			modes = []string{"false", "true", "skip-verify", "preferred"}
		}
		if !slices.Contains(modes, c.TLSMode) {
			return SettingsFieldError(field+".tlsMode", fmt.Sprintf("%q is not a TLS mode: use one of %s", c.TLSMode, strings.Join(modes, ", ")))
		}
	case ConnectorSQLite:
		if err := need("path", c.Path, "give the absolute path of the SQLite database file on the Grafana server"); err != nil {
			return err
		}
		if !strings.HasPrefix(c.Path, "/") && !(len(c.Path) > 2 && c.Path[1] == ':') {
			return SettingsFieldError(field+".path", fmt.Sprintf("%q is not an absolute path: give the full path of the file", c.Path))
		}
		if strings.ContainsAny(c.Path, "?#") {
			return SettingsFieldError(field+".path", "must not contain ? or #: give a plain file path")
		}
		if !slices.Contains([]string{"unix", "unixms", "iso"}, c.TimeFormat) {
			return SettingsFieldError(field+".timeFormat", fmt.Sprintf("%q is not a time format: use unix (seconds), unixms or iso", c.TimeFormat))
		}
	case ConnectorHTTPJSON, ConnectorHTTPCSV:
		if err := c.validateHTTP(field, allowedHosts); err != nil {
			return err
		}
	default:
		names := make([]string, len(ConnectorTypes))
		for i, t := range ConnectorTypes {
			names[i] = string(t)
		}
		return SettingsFieldError(field+".type", fmt.Sprintf("%q is not a connector type: use one of %s", c.Type, strings.Join(names, ", ")))
	}
	if c.MaxOpenConns < 1 || c.MaxOpenConns > maxMaxOpenConns {
		return SettingsFieldError(field+".maxOpenConns", fmt.Sprintf("%d is out of range: use 1 to %d", c.MaxOpenConns, maxMaxOpenConns))
	}
	return nil
}

func (c *ConnectorSettings) validateHTTP(field string, allowedHosts []string) error {
	u, err := url.Parse(strings.TrimSpace(c.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return SettingsFieldError(field+".url", fmt.Sprintf("%q is not an http(s) URL: give the base URL, e.g. https://api.example.com/kpi", c.URL))
	}
	if u.User != nil {
		return SettingsFieldError(field+".url", "must not hold a user or password: put credentials in the secret header value")
	}
	if !HostAllowed(u.Hostname(), allowedHosts) {
		return SettingsFieldError(field+".url", fmt.Sprintf("host %q is not in httpAllowedHosts: add it there (the list of hosts HTTP connectors may call)", u.Hostname()))
	}
	if c.TimeoutSeconds < 1 || c.TimeoutSeconds > MaxHTTPTimeoutSeconds {
		return SettingsFieldError(field+".timeoutSeconds", fmt.Sprintf("%d is out of range: use 1 to %d seconds", c.TimeoutSeconds, MaxHTTPTimeoutSeconds))
	}
	if c.MaxResponseMB < 1 || c.MaxResponseMB > MaxMaxResponseMB {
		return SettingsFieldError(field+".maxResponseMB", fmt.Sprintf("%d is out of range: use 1 to %d MB", c.MaxResponseMB, MaxMaxResponseMB))
	}
	if c.HeaderName != "" && !headerNameRe.MatchString(c.HeaderName) {
		return SettingsFieldError(field+".headerName", fmt.Sprintf("%q is not an HTTP header name, e.g. Authorization", c.HeaderName))
	}
	if c.Type == ConnectorHTTPCSV && len([]rune(c.Delimiter)) != 1 {
		return SettingsFieldError(field+".delimiter", fmt.Sprintf("%q is not one character: use , or ; or a tab", c.Delimiter))
	}
	if err := c.validateHTTPAuth(field); err != nil {
		return err
	}
	return c.validateProxy(field)
}

// validateHTTPAuth checks authType and that the custom header does not
// fight it for the Authorization header.
func (c *ConnectorSettings) validateHTTPAuth(field string) error {
	switch c.AuthType {
	case AuthNone, AuthBearer:
	case AuthBasic:
		if strings.TrimSpace(c.User) == "" {
			return SettingsFieldError(field+".user", "is empty: give the user name for basic auth, or set authType to none")
		}
		if strings.Contains(c.User, ":") {
			return SettingsFieldError(field+".user", "must not contain ':' in basic auth: give only the user name (the password is the secret password)")
		}
	default:
		return SettingsFieldError(field+".authType", fmt.Sprintf("%q is not an auth type: use none, basic or bearer", c.AuthType))
	}
	if c.AuthType != AuthNone && strings.EqualFold(c.HeaderName, "Authorization") {
		return SettingsFieldError(field+".headerName", fmt.Sprintf("Authorization is already set by authType %s: clear the header name, or set authType to none", c.AuthType))
	}
	return nil
}

// validateProxy checks the explicit proxy URL of an HTTP connector.
func (c *ConnectorSettings) validateProxy(field string) error {
	if strings.TrimSpace(c.ProxyURL) == "" {
		if c.ProxyUser != "" {
			return SettingsFieldError(field+".proxyUser", "is set but proxyURL is empty: give the proxy URL, or clear the proxy user")
		}
		return nil
	}
	u, err := url.Parse(strings.TrimSpace(c.ProxyURL))
	if err != nil || !slices.Contains([]string{"http", "https", "socks5"}, u.Scheme) || u.Host == "" {
		return SettingsFieldError(field+".proxyURL", fmt.Sprintf("%q is not a proxy URL: give http://host:port, https://host:port or socks5://host:port", c.ProxyURL))
	}
	if u.User != nil {
		return SettingsFieldError(field+".proxyURL", "must not hold a user or password: put the user in proxyUser and the password in the secret proxy password")
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		return SettingsFieldError(field+".proxyURL", fmt.Sprintf("%q has a path or query: give only scheme, host and port", c.ProxyURL))
	}
	return nil
}

// validateSecrets checks the secrets of a connector once Grafana has
// decrypted them: PEM certificates and keys, and the secrets its auth type
// needs. field is the connector's JSON path, e.g. connectors[0].
func (c *ConnectorSettings) validateSecrets(field string) error {
	isHTTP := c.Type == ConnectorHTTPJSON || c.Type == ConnectorHTTPCSV
	if isHTTP && c.AuthType == AuthBearer && strings.TrimSpace(c.BearerToken) == "" {
		return SettingsFieldError(field+".bearerToken", "is empty: enter the token in the connector's bearer token, or set authType to none")
	}
	for name, v := range map[string]string{"bearerToken": c.BearerToken, "headerValue": c.HeaderValue} {
		if isHTTP && strings.ContainsAny(v, "\r\n") {
			return SettingsFieldError(field+"."+name, "holds a line break: paste the value on one line")
		}
	}
	if (isHTTP || c.Type == ConnectorPostgres || c.Type == ConnectorMySQL) && strings.TrimSpace(c.TLSCACert) != "" {
		if _, err := ParseCertificates(c.TLSCACert); err != nil {
			return SettingsFieldError(field+".tlsCACert", fmt.Sprintf("not a PEM certificate: %v: paste the CA certificate, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----", err))
		}
		if err := c.mysqlCAMode(field); err != nil {
			return err
		}
	}
	if !isHTTP {
		return nil
	}
	cert, key := strings.TrimSpace(c.TLSClientCert), strings.TrimSpace(c.TLSClientKey)
	switch {
	case cert == "" && key == "":
		return nil
	case key == "":
		return SettingsFieldError(field+".tlsClientKey", "is empty but tlsClientCert is set: give both the client certificate and its key for mutual TLS, or neither")
	case cert == "":
		return SettingsFieldError(field+".tlsClientCert", "is empty but tlsClientKey is set: give both the client certificate and its key for mutual TLS, or neither")
	}
	if _, err := ParseCertificates(cert); err != nil {
		return SettingsFieldError(field+".tlsClientCert", fmt.Sprintf("not a PEM certificate: %v: paste the client certificate, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----", err))
	}
	if _, err := tls.X509KeyPair([]byte(cert), []byte(key)); err != nil {
		return SettingsFieldError(field+".tlsClientKey", fmt.Sprintf("is not the PEM private key of tlsClientCert: %v: paste the unencrypted key that matches the certificate", err))
	}
	return nil
}

// mysqlCAMode refuses a MySQL CA with a tlsMode that would not verify the
// server's certificate against it: only tlsMode true verifies (the chain and
// the host name). An operator who pastes a CA expects it to be checked, so a
// CA that would be ignored is an error rather than silently unused.
func (c *ConnectorSettings) mysqlCAMode(field string) error {
	if c.Type != ConnectorMySQL || c.TLSMode == "true" {
		return nil
	}
	why := fmt.Sprintf("tlsMode %s does not verify the server's certificate", c.TLSMode)
	switch c.TLSMode {
	case "false":
		why = "tlsMode false connects without TLS"
	case "preferred":
		why = "tlsMode preferred neither verifies the server's certificate nor insists on TLS"
	}
	return SettingsFieldError(field+".tlsCACert", "is set but "+why+": set tlsMode to true to verify the server against this CA, or clear the CA certificate")
}

// ParseCertificates reads every CERTIFICATE block of a PEM text; it fails
// when there is none or one does not parse.
func ParseCertificates(text string) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	rest := []byte(text)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("found a %q block where a CERTIFICATE was expected", block.Type)
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New("no -----BEGIN CERTIFICATE----- block found")
	}
	return out, nil
}

var headerNameRe = regexp.MustCompile(`^[A-Za-z0-9!#$%&'*+.^_|~-]+$`)

// HostAllowed reports whether host matches an entry of the allow-list: an
// exact host name or address, or "*.example.com" for its subdomains.
func HostAllowed(host string, allowed []string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if ip := net.ParseIP(host); ip != nil {
		host = ip.String()
	}
	for _, a := range allowed {
		a = strings.ToLower(strings.TrimSpace(a))
		if a == host {
			return true
		}
		if strings.HasPrefix(a, "*.") && strings.HasSuffix(host, a[1:]) && len(host) > len(a)-1 {
			return true
		}
	}
	return false
}

// Connector finds a configured connector by name.
func (s *Settings) Connector(name string) (*ConnectorSettings, bool) {
	for i := range s.Connectors {
		if s.Connectors[i].Name == name {
			return &s.Connectors[i], true
		}
	}
	return nil, false
}

// ConnectorNames lists the names a query may use, the demo connector first when enabled.
func (s *Settings) ConnectorNames() []string {
	var out []string
	if !s.DemoDisabled {
		out = append(out, DemoConnector)
	}
	for _, c := range s.Connectors {
		out = append(out, c.Name)
	}
	return out
}

// validateConnectors checks every connector and that names and uids are unique.
func (s *Settings) validateConnectors() error {
	for i, h := range s.HTTPAllowedHosts {
		h = strings.TrimSpace(h)
		if h == "" || strings.ContainsAny(h, "/:?#@ ") && net.ParseIP(h) == nil {
			return SettingsFieldError(fmt.Sprintf("httpAllowedHosts[%d]", i), fmt.Sprintf("%q is not a host name: give a host such as api.example.com or *.example.com, without scheme or port", h))
		}
	}
	names, uids := map[string]bool{}, map[string]bool{}
	for i := range s.Connectors {
		c := &s.Connectors[i]
		field := fmt.Sprintf("connectors[%d]", i)
		c.applyDefaults()
		c.AllowedHosts = s.HTTPAllowedHosts
		if err := c.validate(field, s.HTTPAllowedHosts); err != nil {
			return err
		}
		if names[strings.ToLower(c.Name)] {
			return SettingsFieldError(field+".name", fmt.Sprintf("%q is used by another connector: names must be unique", c.Name))
		}
		if uids[c.UID] {
			return SettingsFieldError(field+".uid", fmt.Sprintf("%q is used by another connector: uids must be unique", c.UID))
		}
		names[strings.ToLower(c.Name)], uids[c.UID] = true, true
	}
	return nil
}

// PostgresURL is the connection URL of a PostgreSQL database (a connector's,
// or the registry store's); application names the client in pg_stat_activity.
func PostgresURL(host string, port int, database, user, password, sslmode, application string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(user, password),
		Host:     net.JoinHostPort(host, strconv.Itoa(port)),
		Path:     "/" + database,
		RawQuery: url.Values{"sslmode": {sslmode}, "connect_timeout": {"10"}, "application_name": {application}}.Encode(),
	}
	return u.String()
}
