package connector

import (
	"crypto/tls"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/covenant/contracts/pkg/models"
)

// TestPostgresCA: the TLS configuration a PostgreSQL connector connects with
// trusts the connector's CA; verify-ca checks the chain only, verify-full
// the host name too. Handshakes run against a local TLS server whose
// certificate (for 127.0.0.1) the test's CA signed.
func TestPostgresCA(t *testing.T) {
	ca, other := newCA(t, "pg CA"), newCA(t, "another CA")
	handshakes(t, ca, []tlsCase{
		{"verify-full, the CA", "127.0.0.1", "verify-full", ca.pem, true},
		{"verify-full, another CA", "127.0.0.1", "verify-full", other.pem, false},
		{"verify-full, another host name", "localhost", "verify-full", ca.pem, false},
		{"verify-ca, the CA", "127.0.0.1", "verify-ca", ca.pem, true},
		{"verify-ca ignores the host name", "localhost", "verify-ca", ca.pem, true},
		{"verify-ca, another CA", "127.0.0.1", "verify-ca", other.pem, false},
		{"require with a CA verifies the chain, as in libpq", "127.0.0.1", "require", other.pem, false},
		{"require without a CA does not verify", "127.0.0.1", "require", "", true},
	}, func(t *testing.T, tt tlsCase) *tls.Config {
		cfg, err := pgx.ParseConfig(models.PostgresURL(tt.host, 5432, "ops", "u", "p", tt.mode, "covenant"))
		if err != nil {
			t.Fatal(err)
		}
		if err := usePostgresCA(cfg, tt.mode, tt.ca); err != nil {
			t.Fatal(err)
		}
		return cfg.TLSConfig
	})
	t.Run("a CA that is not PEM is a settings error", func(t *testing.T) {
		_, err := openPostgres(models.ConnectorSettings{Name: "wh", Host: "db", Port: 5432, Database: "d", User: "u",
			TLSMode: "verify-ca", TLSCACert: "not a certificate", MaxOpenConns: 1})
		if err == nil || !strings.Contains(err.Error(), "tlsCACert: no -----BEGIN CERTIFICATE----- block found") {
			t.Fatalf("got %v", err)
		}
	})
}
