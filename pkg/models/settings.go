package models

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Role is a Grafana organisation role, as sent in the plugin context.
type Role string

// Org roles in increasing order of privilege.
const (
	RoleViewer Role = "Viewer"
	RoleEditor Role = "Editor"
	RoleAdmin  Role = "Admin"
)

// rank orders roles for comparisons; unknown roles rank lowest.
func (r Role) rank() int {
	switch r {
	case RoleViewer:
		return 1
	case RoleEditor:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// AtLeast reports whether r is min or a more privileged role.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() && r.rank() > 0 }

// Settings is the datasource configuration (jsonData plus decrypted secrets).
type Settings struct {
	// WriteRole is the least org role allowed to change anything through the resource API.
	WriteRole Role `json:"writeRole"`
	// DisputeRole is the least org role allowed to sign off, dispute and
	// resolve a closed period on the ledger: Editor or Admin (default: the
	// write role, at least Editor).
	DisputeRole Role `json:"disputeRole,omitempty"`
	// DemoDisabled hides the embedded demo connector.
	DemoDisabled bool `json:"demoDisabled"`
	// QueryTimeoutSeconds bounds every connector query.
	QueryTimeoutSeconds int `json:"queryTimeoutSeconds"`
	// MaxPreviewRows bounds the rows a connectorPreview query returns.
	MaxPreviewRows int `json:"maxPreviewRows"`
	// LedgerIntervalSeconds is how often ended review periods are closed into the ledger.
	LedgerIntervalSeconds int `json:"ledgerIntervalSeconds"`
	// CacheDisabled turns the closed-bucket cache off: every query reads
	// every bucket from its connector.
	CacheDisabled bool `json:"cacheDisabled,omitempty"`
	// CacheTTLSeconds is how long the closed buckets of a query whose
	// connector has no watermark (HTTP, SQL without a watermark column) are
	// reused; 0 never reuses them. Absent: DefaultCacheTTLSeconds.
	CacheTTLSeconds *int `json:"cacheTTLSeconds,omitempty"`
	// Connectors are the configured data sources of KPI rows besides the demo connector.
	Connectors []ConnectorSettings `json:"connectors"`
	// HTTPAllowedHosts are the hosts HTTP connectors may call ("api.example.com", "*.example.com").
	HTTPAllowedHosts []string `json:"httpAllowedHosts"`
	// StorePath is the folder of the registry's SQLite file; empty means the default (see store.DefaultDir).
	StorePath string `json:"storePath"`
	// StoreType is sqlite (default) or postgres (for Grafana in HA: every server shares the store).
	StoreType string `json:"storeType"`
	// StorePostgres is the PostgreSQL database of a postgres store; its password is
	// secureJsonData "store.password".
	StorePostgres *StorePostgres `json:"storePostgres,omitempty"`
}

// StorePostgres locates a PostgreSQL registry store.
type StorePostgres struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Database string `json:"database"`
	User     string `json:"user"`
	TLSMode  string `json:"tlsMode"`
	Password string `json:"-"`
}

// Defaults applied when a setting is left empty.
const (
	DefaultQueryTimeoutSeconds = 30
	DefaultMaxPreviewRows      = 10000
	// DefaultLedgerIntervalSeconds closes ended periods every 5 minutes.
	DefaultLedgerIntervalSeconds = 300
	// DefaultCacheTTLSeconds reuses closed buckets without a watermark for a minute.
	DefaultCacheTTLSeconds = 60
	maxCacheTTLSeconds     = 86400
	maxQueryTimeoutSeconds = 600
	maxPreviewRowsLimit    = 1000000
)

// LoadSettings parses and validates the datasource instance settings.
// It is the one place settings are read.
func LoadSettings(src backend.DataSourceInstanceSettings) (*Settings, error) {
	s := &Settings{}
	if len(strings.TrimSpace(string(src.JSONData))) > 0 {
		if err := json.Unmarshal(src.JSONData, s); err != nil {
			return nil, fmt.Errorf("%w: jsonData is not valid JSON (%v): re-save the datasource settings", ErrInvalidSettings, err)
		}
	}
	s.applyDefaults()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if s.StorePostgres != nil {
		s.StorePostgres.Password = src.DecryptedSecureJSONData["store.password"]
	}
	for i := range s.Connectors {
		c := &s.Connectors[i]
		secret := func(name string) string { return src.DecryptedSecureJSONData[SecretKey(c.UID, name)] }
		c.Password, c.HeaderValue, c.BearerToken = secret("password"), secret("headerValue"), secret("bearerToken")
		c.TLSCACert, c.TLSClientCert, c.TLSClientKey = secret("tlsCACert"), secret("tlsClientCert"), secret("tlsClientKey")
		c.ProxyPassword = secret("proxyPassword")
		if err := c.validateSecrets(fmt.Sprintf("connectors[%d]", i)); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *Settings) applyDefaults() {
	if s.WriteRole == "" {
		s.WriteRole = RoleEditor
	}
	if s.DisputeRole == "" {
		s.DisputeRole = s.WriteRole
		if !s.DisputeRole.AtLeast(RoleEditor) {
			s.DisputeRole = RoleEditor
		}
	}
	if s.StoreType == "" {
		s.StoreType = "sqlite"
	}
	if s.QueryTimeoutSeconds == 0 {
		s.QueryTimeoutSeconds = DefaultQueryTimeoutSeconds
	}
	if s.MaxPreviewRows == 0 {
		s.MaxPreviewRows = DefaultMaxPreviewRows
	}
	if s.LedgerIntervalSeconds == 0 {
		s.LedgerIntervalSeconds = DefaultLedgerIntervalSeconds
	}
}

// CacheTTL is CacheTTLSeconds as a duration.
func (s *Settings) CacheTTL() time.Duration {
	if s.CacheTTLSeconds == nil {
		return DefaultCacheTTLSeconds * time.Second
	}
	return time.Duration(*s.CacheTTLSeconds) * time.Second
}

// Validate checks every setting and names the first one that is wrong.
func (s *Settings) Validate() error {
	switch s.WriteRole {
	case RoleViewer, RoleEditor, RoleAdmin:
	default:
		return SettingsFieldError("writeRole", fmt.Sprintf("%q is not a Grafana role: use Viewer, Editor or Admin", s.WriteRole))
	}
	switch s.DisputeRole {
	case RoleEditor, RoleAdmin:
	case RoleViewer:
		return SettingsFieldError("disputeRole", "a Viewer never acts on the ledger: use Editor or Admin")
	default:
		return SettingsFieldError("disputeRole", fmt.Sprintf("%q is not a Grafana role: use Editor or Admin", s.DisputeRole))
	}
	if s.QueryTimeoutSeconds < 1 || s.QueryTimeoutSeconds > maxQueryTimeoutSeconds {
		return SettingsFieldError("queryTimeoutSeconds", fmt.Sprintf("%d is out of range: use 1 to %d seconds", s.QueryTimeoutSeconds, maxQueryTimeoutSeconds))
	}
	if s.LedgerIntervalSeconds < 10 || s.LedgerIntervalSeconds > 86400 {
		return SettingsFieldError("ledgerIntervalSeconds", fmt.Sprintf("%d is out of range: use 10 to 86400 seconds", s.LedgerIntervalSeconds))
	}
	if s.CacheTTLSeconds != nil && (*s.CacheTTLSeconds < 0 || *s.CacheTTLSeconds > maxCacheTTLSeconds) {
		return SettingsFieldError("cacheTTLSeconds", fmt.Sprintf("%d is out of range: use 0 (reuse closed buckets only under a watermark) to %d seconds", *s.CacheTTLSeconds, maxCacheTTLSeconds))
	}
	if s.MaxPreviewRows < 1 || s.MaxPreviewRows > maxPreviewRowsLimit {
		return SettingsFieldError("maxPreviewRows", fmt.Sprintf("%d is out of range: use 1 to %d rows", s.MaxPreviewRows, maxPreviewRowsLimit))
	}
	if s.StorePath != "" && !strings.HasPrefix(s.StorePath, "/") && !(len(s.StorePath) > 2 && s.StorePath[1] == ':') {
		return SettingsFieldError("storePath", fmt.Sprintf("%q is not an absolute path: give the full path of a folder Grafana's server can write, or leave it empty for the default", s.StorePath))
	}
	switch s.StoreType {
	case "sqlite":
	case "postgres":
		p := s.StorePostgres
		if p == nil || p.Host == "" || p.Database == "" || p.User == "" {
			return SettingsFieldError("storePostgres", "needs host, database and user for a postgres store")
		}
		if p.Port == 0 {
			p.Port = 5432
		}
		if p.TLSMode == "" {
			p.TLSMode = "require"
		}
		if !slices.Contains([]string{"disable", "require", "verify-ca", "verify-full"}, p.TLSMode) {
			return SettingsFieldError("storePostgres.tlsMode", fmt.Sprintf("%q is not a TLS mode: use disable, require, verify-ca or verify-full", p.TLSMode))
		}
	default:
		return SettingsFieldError("storeType", fmt.Sprintf("%q is not a store type: use sqlite or postgres", s.StoreType))
	}
	return s.validateConnectors()
}
