package connector

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// testCA is a certificate authority made for one test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  string
}

var serial int64

func newCA(t *testing.T, name string) *testCA {
	t.Helper()
	tmpl := &x509.Certificate{Subject: pkix.Name{CommonName: name}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	der, key := sign(t, tmpl, nil, nil)
	cert, _ := x509.ParseCertificate(der)
	return &testCA{cert: cert, key: key, pem: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))}
}

// sign makes a key and a certificate of tmpl valid for an hour, signed by
// parent (self-signed when nil).
func sign(t *testing.T, tmpl, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) ([]byte, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial++
	tmpl.SerialNumber = big.NewInt(serial)
	tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	return der, key
}

// issue signs a certificate for 127.0.0.1 (server) or a client; it returns
// the certificate and key as PEM.
func (ca *testCA) issue(t *testing.T, cn string, usage x509.ExtKeyUsage) (certPEM, keyPEM string) {
	t.Helper()
	tmpl := &x509.Certificate{Subject: pkix.Name{CommonName: cn}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{usage}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}}
	der, key := sign(t, tmpl, ca.cert, ca.key)
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}))
}

// tlsServer serves rows over TLS with a certificate of ca; with clientCA it
// requires a client certificate signed by it. It records the client
// certificate names it saw.
func tlsServer(t *testing.T, ca *testCA, clientCA *testCA) (*httptest.Server, *[]string) {
	t.Helper()
	var mu sync.Mutex
	var clients []string
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		for _, c := range r.TLS.PeerCertificates {
			clients = append(clients, c.Subject.CommonName)
		}
		mu.Unlock()
		fmt.Fprint(w, `[{"time":1767225600,"value":7}]`)
	}))
	certPEM, keyPEM := ca.issue(t, "127.0.0.1", x509.ExtKeyUsageServerAuth)
	pair, err := tls.X509KeyPair([]byte(certPEM), []byte(keyPEM))
	if err != nil {
		t.Fatal(err)
	}
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{pair}}
	if clientCA != nil {
		pool := x509.NewCertPool()
		pool.AddCert(clientCA.cert)
		srv.TLS.ClientAuth = tls.RequireAndVerifyClientCert
		srv.TLS.ClientCAs = pool
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, &clients
}

// tlsCase is a TLS handshake of a database connector's TLS mode: host is
// the name it connects by, ca its secret tlsCACert, ok whether the
// handshake must succeed.
type tlsCase struct {
	name, host, mode, ca string
	ok                   bool
}

// handshakes runs each case's TLS configuration (from config) against a
// tlsServer whose certificate, for 127.0.0.1, ca signs.
func handshakes(t *testing.T, ca *testCA, cases []tlsCase, config func(t *testing.T, c tlsCase) *tls.Config) {
	t.Helper()
	srv, _ := tlsServer(t, ca, nil)
	addr := strings.TrimPrefix(srv.URL, "https://")
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := tls.Dial("tcp", addr, config(t, tt))
			if err == nil {
				_ = conn.Close()
			}
			if ok := err == nil; ok != tt.ok {
				t.Fatalf("handshake error %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

// openWith opens an HTTP JSON connector on url with settings changed by mod,
// as LoadSettings would check them.
func openWith(t *testing.T, url string, mod func(*models.ConnectorSettings)) (Connector, error) {
	t.Helper()
	s := models.ConnectorSettings{UID: "h", Name: "api", Type: models.ConnectorHTTPJSON, URL: url, TimeoutSeconds: 2, MaxResponseMB: 1,
		AllowedHosts: []string{"127.0.0.1"}, AuthType: models.AuthNone}
	if mod != nil {
		mod(&s)
	}
	c, err := Open(s)
	if err == nil {
		t.Cleanup(func() { _ = c.Close() })
	}
	return c, err
}

func rowsOf(c Connector) ([]float64, error) {
	rows, err := c.Rows(context.Background(), Request{ConnectorQuery: models.ConnectorQuery{Path: "/rows.json"}, From: jan1, To: jan1.Add(time.Hour)})
	return rows.Values, err
}

func TestHTTPTLSWithACA(t *testing.T) {
	ca, other := newCA(t, "covenant test CA"), newCA(t, "another CA")
	srv, _ := tlsServer(t, ca, nil)
	for _, tt := range []struct {
		name string
		mod  func(*models.ConnectorSettings)
		want string // "" = the rows are read
	}{
		{"the server's CA", func(s *models.ConnectorSettings) { s.TLSCACert = ca.pem }, ""},
		{"no CA", nil, "certificate signed by unknown authority"},
		{"another CA", func(s *models.ConnectorSettings) { s.TLSCACert = other.pem }, "certificate signed by unknown authority"},
		{"skip verify", func(s *models.ConnectorSettings) { s.TLSSkipVerify = true }, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := openWith(t, srv.URL+"/kpi", tt.mod)
			if err != nil {
				t.Fatal(err)
			}
			values, err := rowsOf(c)
			if tt.want == "" {
				if err != nil || len(values) != 1 || values[0] != 7 {
					t.Fatalf("%v, %v", values, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, models.ErrConnector) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
	t.Run("the health check warns when verification is off", func(t *testing.T) {
		c, err := openWith(t, srv.URL+"/kpi", func(s *models.ConnectorSettings) { s.TLSSkipVerify = true })
		if err != nil {
			t.Fatal(err)
		}
		msg, err := c.Check(context.Background())
		if err != nil || !strings.Contains(msg, "Warning: TLS certificate verification is off (tlsSkipVerify)") {
			t.Fatalf("%q, %v", msg, err)
		}
		c, _ = openWith(t, srv.URL+"/kpi", func(s *models.ConnectorSettings) { s.TLSCACert = ca.pem })
		if msg, err := c.Check(context.Background()); err != nil || strings.Contains(msg, "Warning") {
			t.Fatalf("%q, %v", msg, err)
		}
	})
}

func TestHTTPMutualTLS(t *testing.T) {
	ca, clientCA := newCA(t, "server CA"), newCA(t, "client CA")
	srv, clients := tlsServer(t, ca, clientCA)
	certPEM, keyPEM := clientCA.issue(t, "covenant-client", x509.ExtKeyUsageClientAuth)

	c, err := openWith(t, srv.URL+"/kpi", func(s *models.ConnectorSettings) { s.TLSCACert = ca.pem })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rowsOf(c); err == nil {
		t.Fatal("the server requires a client certificate, and the connector without one was let in")
	}
	c, err = openWith(t, srv.URL+"/kpi", func(s *models.ConnectorSettings) {
		s.TLSCACert, s.TLSClientCert, s.TLSClientKey = ca.pem, certPEM, keyPEM
	})
	if err != nil {
		t.Fatal(err)
	}
	if values, err := rowsOf(c); err != nil || len(values) != 1 {
		t.Fatalf("%v, %v", values, err)
	}
	if len(*clients) != 1 || (*clients)[0] != "covenant-client" {
		t.Fatalf("the server saw the client certificates %v", *clients)
	}
}

// authServer answers 200 only with the expected Authorization header, and
// records the ones it saw.
func authServer(t *testing.T, want string) (*httptest.Server, *[]string) {
	t.Helper()
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Header.Get("Authorization"))
		if r.Header.Get("Authorization") != want {
			http.Error(w, "who are you", http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, `[{"time":1767225600,"value":1}]`)
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func TestHTTPBasicAndBearerAuth(t *testing.T) {
	for _, tt := range []struct {
		name, want string
		mod        func(*models.ConnectorSettings)
	}{
		{"basic", "Basic Y292ZW5hbnQ6cMOkc3M6d29yZA==", func(s *models.ConnectorSettings) {
			s.AuthType, s.User, s.Password = models.AuthBasic, "covenant", "päss:word"
		}},
		{"bearer", "Bearer tok-123", func(s *models.ConnectorSettings) { s.AuthType, s.BearerToken = models.AuthBearer, "tok-123" }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, seen := authServer(t, tt.want)
			c, err := openWith(t, srv.URL+"/kpi", tt.mod)
			if err != nil {
				t.Fatal(err)
			}
			if values, err := rowsOf(c); err != nil || len(values) != 1 {
				t.Fatalf("%v, %v (the server saw %q)", values, err, *seen)
			}
			if len(*seen) != 1 || (*seen)[0] != tt.want {
				t.Fatalf("the server saw %q", *seen)
			}
		})
	}
	t.Run("wrong token: the error says what to check", func(t *testing.T) {
		srv, _ := authServer(t, "Bearer right")
		c, _ := openWith(t, srv.URL+"/kpi", func(s *models.ConnectorSettings) { s.AuthType, s.BearerToken = models.AuthBearer, "wrong" })
		if _, err := rowsOf(c); err == nil || !strings.Contains(err.Error(), "answered HTTP 401") {
			t.Fatalf("got %v", err)
		}
	})
}

// TestHTTPGuardRefusesEveryOtherURL: even a request built past target() and
// checkRedirect is refused by the client's first middleware, before any
// credential is added, and nothing reaches the other server.
func TestHTTPGuardRefusesEveryOtherURL(t *testing.T) {
	base, other := baseServer(t), otherServer(t, false)
	c, err := openWith(t, base.URL+"/kpi", func(s *models.ConnectorSettings) {
		s.AuthType, s.BearerToken, s.HeaderName, s.HeaderValue = models.AuthBearer, "tok", "X-Api-Key", "k3y"
	})
	if err != nil {
		t.Fatal(err)
	}
	hc := c.(*httpConnector).client
	for _, u := range []string{other.URL + "/kpi/x", base.URL + "/admin/users", base.URL + "/kpi/../admin/users", strings.Replace(base.URL, "127.0.0.1", "localhost", 1) + "/kpi/x"} {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		resp, err := hc.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			t.Fatalf("%s was sent", u)
		}
		if !errors.Is(err, errOffBase) {
			t.Fatalf("%s: %v is not the guard's refusal", u, err)
		}
	}
	if got := append(other.requests(), base.requests()...); len(got) != 0 {
		t.Fatalf("the servers received %+v", got)
	}
}

func TestHTTPProxy(t *testing.T) {
	target := baseServer(t)
	var mu sync.Mutex
	var proxied []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		proxied = append(proxied, r.RequestURI+" auth="+r.Header.Get("Proxy-Authorization"))
		mu.Unlock()
		out, _ := http.NewRequestWithContext(r.Context(), r.Method, r.RequestURI, nil)
		out.Header = r.Header.Clone()
		out.Header.Del("Proxy-Authorization")
		resp, err := http.DefaultTransport.RoundTrip(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer func() { _ = resp.Body.Close() }()
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	t.Cleanup(proxy.Close)

	c, err := openWith(t, target.URL+"/kpi", func(s *models.ConnectorSettings) {
		s.ProxyURL, s.ProxyUser, s.ProxyPassword = proxy.URL, "px", "px-secret"
		s.HeaderName, s.HeaderValue = "X-Api-Key", "k3y-of-the-kpi-api"
	})
	if err != nil {
		t.Fatal(err)
	}
	if values, err := rowsOf(c); err != nil || len(values) != 1 || values[0] != 2 {
		t.Fatalf("%v, %v", values, err)
	}
	want := target.URL + "/kpi/rows.json auth=Basic cHg6cHgtc2VjcmV0"
	if len(proxied) != 1 || proxied[0] != want {
		t.Fatalf("the proxy saw %q, want %q", proxied, want)
	}
	if got := target.requests(); len(got) != 1 || got[0].secret != "k3y-of-the-kpi-api" {
		t.Fatalf("the target received %+v", got)
	}
}
