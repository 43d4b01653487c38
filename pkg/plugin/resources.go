package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/resource/httpadapter"

	"github.com/covenant/contracts/pkg/connector"
	"github.com/covenant/contracts/pkg/models"
)

// CallResource serves the resource API (/api/datasources/uid/<uid>/resources/...).
func (d *Datasource) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	return d.resources.CallResource(ctx, req, sender)
}

func (d *Datasource) newResourceHandler() backend.CallResourceHandler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /connectors", d.handleConnectors)
	mux.HandleFunc("POST /connectors/{name}/test", d.handleConnectorTest)
	mux.HandleFunc("GET /connectors/{name}/schema", d.handleConnectorSchema)
	d.registerRegistryRoutes(mux)
	d.registerLedgerRoutes(mux)
	d.registerCalendarRoutes(mux)
	mux.HandleFunc("GET /demo/contracts", d.handleDemoContracts)
	mux.HandleFunc("POST /demo/reload", d.handleDemoReload)
	mux.HandleFunc("GET /cache", d.handleCacheStats)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, fmt.Errorf("no resource %s %s: see docs/api.md for the resource API", r.Method, r.URL.Path))
	})
	return httpadapter.New(d.guard(mux))
}

// guard refuses every request while the settings are invalid, and every
// write from a caller below the datasource's write role. Every request runs
// under the query timeout (an import under importTimeoutFactor times it), with
// its body limited to models.MaxRequestBytes; a panic becomes a 500 error.
func (d *Datasource) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				writeError(w, http.StatusInternalServerError, recovered(r.Method+" "+r.URL.Path, p))
			}
		}()
		if d.settingsErr != nil {
			writeError(w, http.StatusBadRequest, d.settingsErr)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			role, need := callerRole(r.Context()), d.settings.WriteRole
			if strings.HasPrefix(r.URL.Path, "/ledger/") {
				need = d.settings.DisputeRole // sign-off, dispute, resolution
			}
			if !role.AtLeast(need) {
				writeError(w, http.StatusForbidden, fmt.Errorf("this change needs the %s role or higher; you are %s: ask an org admin", need, displayRole(role)))
				return
			}
		}
		timeout := time.Duration(d.settings.QueryTimeoutSeconds) * time.Second
		if r.URL.Path == "/registry/import" {
			timeout *= importTimeoutFactor
		}
		ctx, cancel := d.bounded(r.Context(), timeout)
		defer cancel()
		r = r.WithContext(ctx)
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, models.MaxRequestBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// importTimeoutFactor gives a registry import this many query timeouts: it
// writes every object of the registry in one transaction.
const importTimeoutFactor = 10

func callerRole(ctx context.Context) models.Role {
	if u := backend.UserFromContext(ctx); u != nil {
		return models.Role(u.Role)
	}
	return ""
}

func displayRole(r models.Role) string {
	if r == "" {
		return "anonymous"
	}
	return string(r)
}

// connectorInfo describes a connector to the editors (never its secrets).
type connectorInfo struct {
	Name   string                `json:"name"`
	Type   models.ConnectorType  `json:"type"`
	SQL    bool                  `json:"sql"`
	Tables []connector.DemoTable `json:"tables,omitempty"`
	Rows   int                   `json:"rows,omitempty"`
	From   *time.Time            `json:"from,omitempty"`
	To     *time.Time            `json:"to,omitempty"`
}

func (d *Datasource) handleConnectors(w http.ResponseWriter, r *http.Request) {
	out := []connectorInfo{}
	if !d.settings.DemoDisabled {
		db, err := d.demoDB(r.Context())
		if err != nil {
			writeError(w, http.StatusInternalServerError, err)
			return
		}
		out = append(out, connectorInfo{Name: models.DemoConnector, Type: models.ConnectorDemo, SQL: true, Tables: connector.DemoTables,
			Rows: db.RowCount, From: &db.From, To: &db.To})
	}
	for _, cs := range d.settings.Connectors {
		out = append(out, connectorInfo{Name: cs.Name, Type: cs.Type, SQL: cs.Type.IsSQL()})
	}
	writeJSON(w, http.StatusOK, map[string]any{"connectors": out})
}

// handleConnectorTest tests one connector's connection ("test connection" on the config page).
func (d *Datasource) handleConnectorTest(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	ctx, cancel := context.WithTimeout(r.Context(), time.Duration(d.settings.QueryTimeoutSeconds)*time.Second)
	defer cancel()
	msg, err := d.checkConnector(ctx, name)
	switch {
	case errors.Is(err, models.ErrUnknownConnector):
		writeError(w, http.StatusNotFound, err)
	case err != nil:
		writeJSON(w, http.StatusOK, map[string]any{"name": name, "ok": false, "message": err.Error()})
	default:
		writeJSON(w, http.StatusOK, map[string]any{"name": name, "ok": true, "message": msg})
	}
}

// connectorSchema is the answer of GET /connectors/{name}/schema.
type connectorSchema struct {
	Name string               `json:"name"`
	Type models.ConnectorType `json:"type"`
	connector.Schema
	MaxTables  int `json:"maxTables"`
	MaxColumns int `json:"maxColumns"`
}

// handleConnectorSchema lists a SQL connector's tables and their columns, for
// the SQL editors' completion, under the query timeout.
func (d *Datasource) handleConnectorSchema(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	ctx, cancel := context.WithTimeout(r.Context(), time.Duration(d.settings.QueryTimeoutSeconds)*time.Second)
	defer cancel()
	c, err := d.connector(ctx, name)
	switch {
	case errors.Is(err, models.ErrUnknownConnector):
		writeError(w, http.StatusNotFound, err)
		return
	case err != nil:
		writeError(w, httpStatus(err), err)
		return
	}
	sr, ok := c.(connector.SchemaReader)
	if !ok {
		writeError(w, http.StatusBadRequest, fmt.Errorf("connector %q (%s) has no tables: schemas exist for SQL connectors only (demo, sqlite, postgres, mysql); an HTTP connector's rows come from its path and field mapping", name, c.Type()))
		return
	}
	lim := connector.DefaultSchemaLimits
	s, err := sr.Schema(ctx, lim)
	if err != nil {
		writeError(w, httpStatus(err), err)
		return
	}
	writeJSON(w, http.StatusOK, connectorSchema{Name: name, Type: c.Type(), Schema: *s, MaxTables: lim.Tables, MaxColumns: lim.Columns})
}

// demoDB is the demo dataset, unless the demo connector is disabled.
func (d *Datasource) demoDB(ctx context.Context) (*connector.DemoDB, error) {
	c, err := d.connector(ctx, models.DemoConnector)
	if err != nil {
		return nil, err
	}
	return c.(*connector.DemoDB), nil
}

func (d *Datasource) handleDemoContracts(w http.ResponseWriter, r *http.Request) {
	db, err := d.demoDB(r.Context())
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"contracts": db.Contracts})
}

// handleDemoReload regenerates the demo data up to now (for servers that have run for days).
func (d *Datasource) handleDemoReload(w http.ResponseWriter, r *http.Request) {
	if _, err := d.demoDB(r.Context()); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	db, err := connector.ReloadDemo(r.Context())
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"rows": db.RowCount, "from": db.From, "to": db.To})
}

// apiError is the JSON body of every resource API error.
type apiError struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

func writeError(w http.ResponseWriter, status int, err error) {
	body := apiError{Error: err.Error()}
	var fe *models.FieldError
	if errors.As(err, &fe) {
		body.Field = fe.Field
	}
	writeJSON(w, status, body)
}

// handleCacheStats reports what the closed-bucket cache did since the
// datasource's settings were last saved (counts, no figures); enabled is
// false when the settings turn it off.
func (d *Datasource) handleCacheStats(w http.ResponseWriter, r *http.Request) {
	c := d.engine.Cache
	writeJSON(w, http.StatusOK, struct {
		Enabled bool `json:"enabled"`
		connector.CacheStats
	}{c != nil, c.Stats()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
