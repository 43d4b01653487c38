package models

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func TestLoadSettings(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		want    Settings
		wantErr string
	}{
		{name: "empty uses defaults", json: ``, want: Settings{WriteRole: RoleEditor, DisputeRole: RoleEditor, QueryTimeoutSeconds: 30, MaxPreviewRows: 10000, LedgerIntervalSeconds: 300, StoreType: "sqlite"}},
		{name: "explicit values", json: `{"writeRole":"Admin","demoDisabled":true,"queryTimeoutSeconds":5,"maxPreviewRows":10,"ledgerIntervalSeconds":60}`,
			want: Settings{WriteRole: RoleAdmin, DisputeRole: RoleAdmin, DemoDisabled: true, QueryTimeoutSeconds: 5, MaxPreviewRows: 10, LedgerIntervalSeconds: 60, StoreType: "sqlite"}},
		{name: "viewers write, editors dispute", json: `{"writeRole":"Viewer"}`,
			want: Settings{WriteRole: RoleViewer, DisputeRole: RoleEditor, QueryTimeoutSeconds: 30, MaxPreviewRows: 10000, LedgerIntervalSeconds: 300, StoreType: "sqlite"}},
		{name: "admins dispute", json: `{"disputeRole":"Admin"}`,
			want: Settings{WriteRole: RoleEditor, DisputeRole: RoleAdmin, QueryTimeoutSeconds: 30, MaxPreviewRows: 10000, LedgerIntervalSeconds: 300, StoreType: "sqlite"}},
		{name: "viewers never dispute", json: `{"disputeRole":"Viewer"}`, wantErr: "disputeRole: a Viewer never acts on the ledger"},
		{name: "ledger interval too short", json: `{"ledgerIntervalSeconds":5}`, wantErr: "ledgerIntervalSeconds: 5 is out of range: use 10 to 86400 seconds"},
		{name: "unknown store type", json: `{"storeType":"mongo"}`, wantErr: `storeType: "mongo" is not a store type: use sqlite or postgres`},
		{name: "postgres store without host", json: `{"storeType":"postgres","storePostgres":{"database":"d","user":"u"}}`, wantErr: "storePostgres: needs host, database and user"},
		{name: "relative store path", json: `{"storePath":"data"}`, wantErr: `storePath: "data" is not an absolute path`},
		{name: "unknown role", json: `{"writeRole":"editor"}`, wantErr: `writeRole: "editor" is not a Grafana role: use Viewer, Editor or Admin`},
		{name: "timeout too long", json: `{"queryTimeoutSeconds":601}`, wantErr: "queryTimeoutSeconds: 601 is out of range: use 1 to 600 seconds"},
		{name: "negative cache TTL", json: `{"cacheTTLSeconds":-1}`, wantErr: "cacheTTLSeconds: -1 is out of range: use 0 (reuse closed buckets only under a watermark) to 86400 seconds"},
		{name: "rows too many", json: `{"maxPreviewRows":2000000}`, wantErr: "maxPreviewRows: 2000000 is out of range"},
		{name: "wrong type", json: `{"maxPreviewRows":"ten"}`, wantErr: "jsonData is not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LoadSettings(backend.DataSourceInstanceSettings{JSONData: []byte(tt.json)})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, ErrInvalidSettings) {
					t.Fatalf("got %v, want an invalid-settings error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Fatalf("got %+v, want %+v", *got, tt.want)
			}
		})
	}
}

func TestRoleAtLeast(t *testing.T) {
	tests := []struct {
		role, min Role
		want      bool
	}{
		{RoleViewer, RoleEditor, false}, {RoleEditor, RoleEditor, true}, {RoleAdmin, RoleEditor, true},
		{RoleViewer, RoleViewer, true}, {"None", RoleViewer, false}, {"", RoleViewer, false}, {RoleEditor, RoleAdmin, false},
	}
	for _, tt := range tests {
		if got := tt.role.AtLeast(tt.min); got != tt.want {
			t.Errorf("%q.AtLeast(%q) = %v, want %v", tt.role, tt.min, got, tt.want)
		}
	}
}

func TestCacheTTL(t *testing.T) {
	for _, c := range []struct {
		json string
		want time.Duration
	}{
		{`{}`, DefaultCacheTTLSeconds * time.Second},
		{`{"cacheTTLSeconds":0}`, 0},
		{`{"cacheTTLSeconds":600}`, 10 * time.Minute},
	} {
		s, err := LoadSettings(backend.DataSourceInstanceSettings{JSONData: []byte(c.json)})
		if err != nil {
			t.Fatal(err)
		}
		if got := s.CacheTTL(); got != c.want {
			t.Errorf("%s: TTL %s, want %s", c.json, got, c.want)
		}
	}
}
