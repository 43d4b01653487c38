package models

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func TestConnectorSettings(t *testing.T) {
	pg := `{"uid":"pg1","name":"warehouse","type":"postgres","host":"db.internal","database":"ops","user":"covenant"}`
	api := `{"uid":"h1","name":"tickets api","type":"http-json","url":"https://api.example.com/v1"}`
	tests := []struct {
		name    string
		json    string
		wantErr string
		check   func(t *testing.T, s *Settings)
	}{
		{name: "postgres with defaults and its secret", json: `{"connectors":[` + pg + `]}`, check: func(t *testing.T, s *Settings) {
			c, ok := s.Connector("warehouse")
			if !ok || c.Port != 5432 || c.TLSMode != "require" || c.Password != "s3cret" || c.MaxOpenConns != DefaultMaxOpenConns {
				t.Fatalf("got %+v", c)
			}
			if got := strings.Join(s.ConnectorNames(), ","); got != "demo,warehouse" {
				t.Fatalf("names %q", got)
			}
		}},
		{name: "http on an allowed host", json: `{"httpAllowedHosts":["*.example.com"],"connectors":[` + api + `]}`, check: func(t *testing.T, s *Settings) {
			c := s.Connectors[0]
			if c.TimeoutSeconds != DefaultHTTPTimeoutSeconds || c.MaxResponseMB != DefaultMaxResponseMB || len(c.AllowedHosts) != 1 {
				t.Fatalf("got %+v", c)
			}
		}},
		{name: "http host not allowed", json: `{"connectors":[` + api + `]}`,
			wantErr: `connectors[0].url: host "api.example.com" is not in httpAllowedHosts: add it there`},
		{name: "allowed host with a scheme", json: `{"httpAllowedHosts":["https://api.example.com"]}`,
			wantErr: `httpAllowedHosts[0]: "https://api.example.com" is not a host name`},
		{name: "unknown type", json: `{"connectors":[{"uid":"x","name":"x","type":"oracle"}]}`,
			wantErr: `connectors[0].type: "oracle" is not a connector type: use one of sqlite, postgres, mysql, http-json, http-csv`},
		{name: "demo name taken", json: `{"connectors":[{"uid":"x","name":"Demo","type":"sqlite","path":"/d.db"}]}`,
			wantErr: `connectors[0].name: "demo" is the built-in demo connector`},
		{name: "duplicate names", json: `{"connectors":[` + pg + `,` + strings.Replace(pg, `"pg1"`, `"pg2"`, 1) + `]}`,
			wantErr: `connectors[1].name: "warehouse" is used by another connector`},
		{name: "missing host", json: `{"connectors":[{"uid":"a","name":"a","type":"mysql","database":"d","user":"u"}]}`,
			wantErr: `connectors[0].host: is empty`},
		{name: "host with port", json: `{"connectors":[{"uid":"a","name":"a","type":"mysql","host":"db:3306","database":"d","user":"u"}]}`,
			wantErr: "", check: func(t *testing.T, s *Settings) {}},
		{name: "bad tls mode", json: `{"connectors":[{"uid":"a","name":"a","type":"postgres","host":"h","database":"d","user":"u","tlsMode":"prefer"}]}`,
			wantErr: `connectors[0].tlsMode: "prefer" is not a TLS mode: use one of disable, require, verify-ca, verify-full`},
		{name: "relative sqlite path", json: `{"connectors":[{"uid":"a","name":"a","type":"sqlite","path":"data/kpi.db"}]}`,
			wantErr: `connectors[0].path: "data/kpi.db" is not an absolute path`},
		{name: "bad uid", json: `{"connectors":[{"uid":"a b","name":"a","type":"sqlite","path":"/kpi.db"}]}`,
			wantErr: `connectors[0].uid: "a b" is not a connector uid`},
		{name: "csv delimiter", json: `{"httpAllowedHosts":["127.0.0.1"],"connectors":[{"uid":"c","name":"c","type":"http-csv","url":"http://127.0.0.1:9/x.csv","delimiter":";;"}]}`,
			wantErr: `connectors[0].delimiter: ";;" is not one character`},
		{name: "http timeout", json: `{"httpAllowedHosts":["api.example.com"],"connectors":[` + strings.Replace(api, `}`, `,"timeoutSeconds":500}`, 1) + `]}`,
			wantErr: `connectors[0].timeoutSeconds: 500 is out of range: use 1 to 120 seconds`},
		{name: "credentials in url", json: `{"httpAllowedHosts":["api.example.com"],"connectors":[{"uid":"h","name":"h","type":"http-json","url":"https://u:p@api.example.com"}]}`,
			wantErr: `connectors[0].url: must not hold a user or password`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s := loadSettings(t, tt.json, map[string]string{"connectors.pg1.password": "s3cret"}, tt.wantErr); s != nil {
				tt.check(t, s)
			}
		})
	}
}

// loadSettings loads jsonData and secrets: it returns the settings, or nil
// once it has checked that loading failed with an invalid-settings error
// containing wantErr.
func loadSettings(t *testing.T, json string, secrets map[string]string, wantErr string) *Settings {
	t.Helper()
	s, err := LoadSettings(backend.DataSourceInstanceSettings{JSONData: []byte(json), DecryptedSecureJSONData: secrets})
	if wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), wantErr) || !errors.Is(err, ErrInvalidSettings) {
			t.Fatalf("got %v, want an invalid-settings error containing %q", err, wantErr)
		}
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestHostAllowed(t *testing.T) {
	allowed := []string{"api.example.com", "*.corp.example", "127.0.0.1"}
	for host, want := range map[string]bool{
		"api.example.com": true, "API.example.com.": true, "evil.com": false, "x.api.example.com": false,
		"a.corp.example": true, "corp.example": false, "evilcorp.example": false, "127.0.0.1": true, "127.0.0.2": false,
	} {
		if got := HostAllowed(host, allowed); got != want {
			t.Errorf("HostAllowed(%q) = %v, want %v", host, got, want)
		}
	}
}

// testPEM makes a self-signed certificate and its key, as PEM.
func testPEM(t *testing.T) (certPEM, keyPEM string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}))
}

func TestHTTPConnectorAuthTLSAndProxySettings(t *testing.T) {
	certPEM, keyPEM := testPEM(t)
	otherCert, _ := testPEM(t)
	const pg = `{"uid":"pg","name":"wh","type":"postgres","host":"db","database":"d","user":"u","tlsMode":"verify-full"}`
	const sq = `{"uid":"sq","name":"file","type":"sqlite","path":"/k.db"}`
	api := func(extra string) string {
		return `{"httpAllowedHosts":["api.example.com"],"connectors":[` + pg + `,` + sq + `,{"uid":"h","name":"api","type":"http-json","url":"https://api.example.com/kpi"` + extra + `}]}`
	}
	tests := []struct {
		name    string
		json    string
		secrets map[string]string
		wantErr string
		check   func(t *testing.T, c ConnectorSettings)
	}{
		{name: "defaults: no auth, verification on", json: api(""), check: func(t *testing.T, c ConnectorSettings) {
			if c.AuthType != AuthNone || c.TLSSkipVerify || c.ProxyURL != "" {
				t.Fatalf("got %+v", c)
			}
		}},
		{name: "every secret read from secureJsonData", json: api(`,"authType":"basic","user":"cov","proxyURL":"http://proxy:3128","proxyUser":"px"`),
			secrets: map[string]string{"connectors.h.password": "pw", "connectors.h.tlsCACert": certPEM, "connectors.h.tlsClientCert": certPEM,
				"connectors.h.tlsClientKey": keyPEM, "connectors.h.proxyPassword": "ppw", "connectors.h.bearerToken": "unused"},
			check: func(t *testing.T, c ConnectorSettings) {
				if c.Password != "pw" || c.TLSCACert != certPEM || c.TLSClientCert != certPEM || c.TLSClientKey != keyPEM || c.ProxyPassword != "ppw" || c.BearerToken != "unused" {
					t.Fatalf("secrets not read: %+v", c)
				}
			}},
		{name: "unknown auth type", json: api(`,"authType":"digest"`), wantErr: `connectors[2].authType: "digest" is not an auth type: use none, basic or bearer`},
		{name: "basic without a user", json: api(`,"authType":"basic"`), wantErr: "connectors[2].user: is empty: give the user name for basic auth"},
		{name: "bearer without a token", json: api(`,"authType":"bearer"`), wantErr: "connectors[2].bearerToken: is empty: enter the token"},
		{name: "bearer and an Authorization header", json: api(`,"authType":"bearer","headerName":"authorization"`),
			secrets: map[string]string{"connectors.h.bearerToken": "t"}, wantErr: "connectors[2].headerName: Authorization is already set by authType bearer"},
		{name: "a token on two lines", json: api(`,"authType":"bearer"`), secrets: map[string]string{"connectors.h.bearerToken": "t\nX-Evil: 1"},
			wantErr: "connectors[2].bearerToken: holds a line break"},
		{name: "CA not PEM", json: api(""), secrets: map[string]string{"connectors.h.tlsCACert": "MIIB..."},
			wantErr: "connectors[2].tlsCACert: not a PEM certificate: no -----BEGIN CERTIFICATE----- block found: paste the CA certificate"},
		{name: "a key where the CA goes", json: api(""), secrets: map[string]string{"connectors.h.tlsCACert": keyPEM},
			wantErr: `connectors[2].tlsCACert: not a PEM certificate: found a "EC PRIVATE KEY" block where a CERTIFICATE was expected`},
		{name: "client cert without a key", json: api(""), secrets: map[string]string{"connectors.h.tlsClientCert": certPEM},
			wantErr: "connectors[2].tlsClientKey: is empty but tlsClientCert is set"},
		{name: "client key without a cert", json: api(""), secrets: map[string]string{"connectors.h.tlsClientKey": keyPEM},
			wantErr: "connectors[2].tlsClientCert: is empty but tlsClientKey is set"},
		{name: "key of another certificate", json: api(""), secrets: map[string]string{"connectors.h.tlsClientCert": otherCert, "connectors.h.tlsClientKey": keyPEM},
			wantErr: "connectors[2].tlsClientKey: is not the PEM private key of tlsClientCert"},
		{name: "PostgreSQL CA not PEM", json: api(""), secrets: map[string]string{"connectors.pg.tlsCACert": "nope"},
			wantErr: "connectors[0].tlsCACert: not a PEM certificate"},
		{name: "PostgreSQL CA read", json: api(""), secrets: map[string]string{"connectors.pg.tlsCACert": certPEM}, check: func(t *testing.T, _ ConnectorSettings) {}},
		{name: "proxy scheme", json: api(`,"proxyURL":"ftp://proxy:21"`), wantErr: `connectors[2].proxyURL: "ftp://proxy:21" is not a proxy URL`},
		{name: "proxy with credentials", json: api(`,"proxyURL":"http://u:p@proxy:3128"`), wantErr: "connectors[2].proxyURL: must not hold a user or password"},
		{name: "proxy with a path", json: api(`,"proxyURL":"http://proxy:3128/x"`), wantErr: "connectors[2].proxyURL: \"http://proxy:3128/x\" has a path or query"},
		{name: "proxy user without a proxy", json: api(`,"proxyUser":"px"`), wantErr: "connectors[2].proxyUser: is set but proxyURL is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s := loadSettings(t, tt.json, tt.secrets, tt.wantErr); s != nil {
				tt.check(t, s.Connectors[2])
			}
		})
	}
}

// A MySQL connector's CA is read and checked as PEM, and accepted only with
// tlsMode true, the one mode that verifies the server against it.
func TestMySQLCASettings(t *testing.T) {
	certPEM, keyPEM := testPEM(t)
	my := func(mode string) string {
		return `{"connectors":[{"uid":"my","name":"wh","type":"mysql","host":"db","database":"d","user":"u","tlsMode":"` + mode + `"}]}`
	}
	const fix = ": set tlsMode to true to verify the server against this CA, or clear the CA certificate"
	for _, tt := range []struct {
		name, mode, ca, wantErr string
	}{
		{name: "tlsMode true reads the CA", mode: "true", ca: certPEM},
		{name: "no CA in any mode", mode: "preferred"},
		{name: "a blank CA is no CA", mode: "skip-verify", ca: " \n"},
		{name: "CA not PEM", mode: "true", ca: "MIIB...",
			wantErr: "connectors[0].tlsCACert: not a PEM certificate: no -----BEGIN CERTIFICATE----- block found: paste the CA certificate"},
		{name: "a key where the CA goes", mode: "true", ca: keyPEM,
			wantErr: `connectors[0].tlsCACert: not a PEM certificate: found a "EC PRIVATE KEY" block`},
		{name: "skip-verify would ignore the CA", mode: "skip-verify", ca: certPEM,
			wantErr: "connectors[0].tlsCACert: is set but tlsMode skip-verify does not verify the server's certificate" + fix},
		{name: "preferred would ignore the CA", mode: "preferred", ca: certPEM,
			wantErr: "connectors[0].tlsCACert: is set but tlsMode preferred neither verifies the server's certificate nor insists on TLS" + fix},
		{name: "false has no TLS", mode: "false", ca: certPEM,
			wantErr: "connectors[0].tlsCACert: is set but tlsMode false connects without TLS" + fix},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := loadSettings(t, my(tt.mode), map[string]string{"connectors.my.tlsCACert": tt.ca}, tt.wantErr)
			if s != nil && s.Connectors[0].TLSCACert != tt.ca {
				t.Fatalf("CA not read: %q", s.Connectors[0].TLSCACert)
			}
		})
	}
	t.Run("the default tlsMode, preferred, would ignore the CA", func(t *testing.T) {
		loadSettings(t, `{"connectors":[{"uid":"my","name":"wh","type":"mysql","host":"db","database":"d","user":"u"}]}`,
			map[string]string{"connectors.my.tlsCACert": certPEM}, "connectors[0].tlsCACert: is set but tlsMode preferred")
	})
}

func TestHTTPPathProblem(t *testing.T) {
	for p, want := range map[string]string{
		"/tickets.json?from=$__timeFrom": "", "": "", "?a=../b": "", "/a/./b": "", "/v1/x:search": "", "/a..b": "",
		"../x": "has a .. segment", "/a/%2E%2e/b": "has a .. segment", "..%2Fx": "has a .. segment", "..;p/x": "has a .. segment",
		"%252e%252e/x": "is percent-encoded twice", `a\b`: "has a backslash", "a%5cb": "has an encoded backslash",
		"//evil/x": "has an empty segment", "/a//b": "has an empty segment", "https://evil/x": "is an absolute URL",
		"file:x": "is an absolute URL", "%68ttp%3A%2F%2Fevil": "is an encoded absolute URL", "/%zz": "has a malformed %-escape",
		"/%c0%ae%c0%ae/x": "decodes to bytes that are not UTF-8",
	} {
		if got := HTTPPathProblem(p); !strings.HasPrefix(got, want) || (want == "") != (got == "") {
			t.Errorf("HTTPPathProblem(%q) = %q, want %q", p, got, want)
		}
	}
	q := ConnectorQuery{Path: "../admin/users"}
	err := q.Check(ConnectorHTTPJSON)
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "path" || !errors.Is(err, ErrInvalidQuery) {
		t.Fatalf("a KPI with the path ../admin/users is accepted: %v", err)
	}
}
