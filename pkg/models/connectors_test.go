package models

import (
	"errors"
	"strings"
	"testing"

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
			s, err := LoadSettings(backend.DataSourceInstanceSettings{JSONData: []byte(tt.json),
				DecryptedSecureJSONData: map[string]string{"connectors.pg1.password": "s3cret"}})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, ErrInvalidSettings) {
					t.Fatalf("got %v, want an invalid-settings error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, s)
		})
	}
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
