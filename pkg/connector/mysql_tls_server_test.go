//go:build mysql

package connector

import (
	"context"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/covenant/contracts/pkg/models"
)

// TestMySQLTLSServer: a MySQL connector against a real MariaDB that serves
// TLS with a certificate (for 127.0.0.1) the test's CA signed. The test
// starts that server itself with scripts/mariadb.sh (MARIADB_TLS_CERT and
// MARIADB_TLS_KEY) on a free port, and stops it after; it needs Debian's
// mariadb-server, not COVENANT_MYSQL_URL. Settings go through LoadSettings,
// as Grafana's would: the CA is the secret connectors.<uid>.tlsCACert.
func TestMySQLTLSServer(t *testing.T) {
	ca, other := newCA(t, "MariaDB test CA"), newCA(t, "another CA")
	u := startTLSMariaDB(t, ca)
	ctx := context.Background()
	open := func(t *testing.T, host, mode, caPEM string) Connector {
		t.Helper()
		js := fmt.Sprintf(`{"connectors":[{"uid":"my","name":"warehouse","type":"mysql","host":%q,"port":%d,"database":"covenant","user":"covenant","tlsMode":%q,"maxOpenConns":2}]}`,
			host, u.port, mode)
		s, err := models.LoadSettings(backend.DataSourceInstanceSettings{JSONData: []byte(js),
			DecryptedSecureJSONData: map[string]string{"connectors.my.password": u.password, "connectors.my.tlsCACert": caPEM}})
		if err != nil {
			t.Fatal(err)
		}
		c, err := Open(s.Connectors[0])
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close() })
		return c
	}
	// tlsVersion is the session's TLS version as the server sees it ("" in clear).
	tlsVersion := func(t *testing.T, c Connector) string {
		t.Helper()
		f, err := c.Preview(ctx, Request{ConnectorQuery: models.ConnectorQuery{
			RawSQL: "SELECT VARIABLE_VALUE AS v FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'Ssl_version'"}}, 1)
		if err != nil || f.Rows() != 1 {
			t.Fatalf("Ssl_version: %v, %v", f, err)
		}
		v, _ := f.Fields[0].ConcreteAt(0)
		return fmt.Sprint(v)
	}
	for _, tt := range []struct {
		name, host, mode, ca, want string
	}{
		{name: "true with the CA connects, verified", host: "127.0.0.1", mode: "true", ca: ca.pem},
		{name: "true with another CA fails", host: "127.0.0.1", mode: "true", ca: other.pem,
			want: "x509: certificate signed by unknown authority: the server's certificate is not signed by a CA the connector trusts: paste the CA that signs it in the connector's CA certificate (tlsCACert)"},
		{name: "true without a CA trusts the system's CAs, not this server's", host: "127.0.0.1", mode: "true",
			want: "x509: certificate signed by unknown authority: the server's certificate is not signed by a CA the connector trusts"},
		{name: "true with the CA checks the host name", host: "localhost", mode: "true", ca: ca.pem,
			want: "but wanted to match localhost: the server's certificate does not name the host"},
		{name: "skip-verify encrypts without verifying", host: "127.0.0.1", mode: "skip-verify"},
		{name: "preferred takes the TLS the server offers", host: "127.0.0.1", mode: "preferred"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := open(t, tt.host, tt.mode, tt.ca)
			msg, err := c.Check(ctx)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("check: %q, %v; want an error containing %q", msg, err, tt.want)
				}
				return
			}
			if err != nil || !strings.Contains(msg, "MariaDB") {
				t.Fatalf("check: %q, %v", msg, err)
			}
			if v := tlsVersion(t, c); !strings.HasPrefix(v, "TLSv1.") {
				t.Fatalf("the session is not encrypted: Ssl_version %q", v)
			}
		})
	}
	t.Run("false connects in clear: the server does serve both", func(t *testing.T) {
		c := open(t, "127.0.0.1", "false", "")
		if v := tlsVersion(t, c); v != "" {
			t.Fatalf("Ssl_version %q in tlsMode false", v)
		}
	})
}

type tlsMariaDB struct {
	port     int
	password string
}

// startTLSMariaDB starts scripts/mariadb.sh on a free port with a server
// certificate for 127.0.0.1 that ca signs, and stops it when the test ends.
func startTLSMariaDB(t *testing.T, ca *testCA) tlsMariaDB {
	t.Helper()
	certPEM, keyPEM := ca.issue(t, "127.0.0.1", x509.ExtKeyUsageServerAuth)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "server-cert.pem"), filepath.Join(dir, "server-key.pem")
	for f, text := range map[string]string{certFile: certPEM, keyFile: keyPEM} {
		if err := os.WriteFile(f, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	const password = "covenant-tls-test"
	script := func(cmd string) error {
		c := exec.Command("bash", "../../scripts/mariadb.sh", cmd)
		c.Env = append(os.Environ(), fmt.Sprintf("MARIADB_PORT=%d", port), "MARIADB_PASSWORD="+password,
			"MARIADB_DIR="+filepath.Join(os.TempDir(), fmt.Sprintf("covenant-mariadb-tls-%d", port)),
			"MARIADB_TLS_CERT="+certFile, "MARIADB_TLS_KEY="+keyFile)
		out, err := c.CombinedOutput()
		if err != nil {
			return fmt.Errorf("scripts/mariadb.sh %s: %v: %s", cmd, err, out)
		}
		return nil
	}
	t.Cleanup(func() {
		if err := script("stop"); err != nil {
			t.Error(err)
		}
	})
	if err := script("start"); err != nil {
		t.Fatal(err)
	}
	return tlsMariaDB{port: port, password: password}
}
