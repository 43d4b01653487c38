package connector

import (
	"context"
	"crypto/tls"
	"errors"
	"strings"
	"testing"

	"github.com/covenant/contracts/pkg/models"
)

// TestMySQLCAConfig: the TLS configuration a MySQL connector connects with.
// tlsMode true trusts the connector's CA alone and checks the host name;
// the other modes take no CA. Handshakes run against a local TLS server
// whose certificate (for 127.0.0.1) the test's CA signed; the connector
// against a real MariaDB with TLS is TestMySQLTLSServer (-tags mysql).
func TestMySQLCAConfig(t *testing.T) {
	ca, other := newCA(t, "mysql CA"), newCA(t, "another CA")
	handshakes(t, ca, []tlsCase{
		{"true, the CA", "127.0.0.1", "true", ca.pem, true},
		{"true, another CA", "127.0.0.1", "true", other.pem, false},
		{"true, another host name", "localhost", "true", ca.pem, false},
		{"true without a CA trusts the system's CAs only", "127.0.0.1", "true", "", false},
		{"skip-verify does not verify", "127.0.0.1", "skip-verify", "", true},
	}, func(t *testing.T, tt tlsCase) *tls.Config {
		tc, named, err := mysqlTLS(tt.mode, tt.host, tt.ca)
		if err != nil || tc == nil || named != "" {
			t.Fatalf("got %v, %q, %v", tc, named, err)
		}
		return tc
	})
	t.Run("preferred and false", func(t *testing.T) {
		if tc, named, err := mysqlTLS("preferred", "db", ""); tc != nil || named != "preferred" || err != nil {
			t.Fatalf("preferred: %v, %q, %v", tc, named, err)
		}
		if tc, named, err := mysqlTLS("false", "db", ""); tc != nil || named != "" || err != nil {
			t.Fatalf("false: %v, %q, %v", tc, named, err)
		}
	})
	for _, tt := range []struct{ name, mode, ca, want string }{
		{"a CA that is not PEM is a settings error", "true", "not a certificate",
			"tlsCACert: no -----BEGIN CERTIFICATE----- block found: paste the PEM certificate of the CA"},
		{"a CA with a mode that does not verify is a settings error", "skip-verify", ca.pem,
			"tlsCACert: tlsMode skip-verify does not verify the server's certificate: set tlsMode to true to use the CA, or clear it"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := openMySQL(models.ConnectorSettings{Name: "wh", Host: "db", Port: 3306, Database: "d", User: "u",
				TLSMode: tt.mode, TLSCACert: tt.ca, MaxOpenConns: 1})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, models.ErrInvalidSettings) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

// TestConnectErrorTLSHints: a certificate that fails verification says what
// to fix, for MySQL and PostgreSQL alike.
func TestConnectErrorTLSHints(t *testing.T) {
	ctx := context.Background()
	for msg, want := range map[string]string{
		"tls: failed to verify certificate: x509: certificate signed by unknown authority":      "not signed by a CA the connector trusts: paste the CA that signs it in the connector's CA certificate (tlsCACert)",
		"tls: failed to verify certificate: x509: certificate is valid for db1, not db2":        "does not name the host",
		"x509: cannot validate certificate for 10.0.0.1 because it doesn't contain any IP SANs": "does not name the host",
		"tls: handshake failure": "check the TLS mode",
	} {
		if err := connectError(ctx, "mysql", errors.New(msg)); !strings.Contains(err.Error(), msg+": ") || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", msg, err, want)
		}
	}
}
