package plugin

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
	"github.com/covenant/contracts/pkg/store"
)

// Registry API: /registry/{kind}[/{id}[/audit]] for kind in contracts, kpis,
// trackers, assignments, agreements (docs/api.md).

const (
	defaultPageSize = 50
	maxPageSize     = 500
	maxBodyBytes    = 1 << 20
)

func (d *Datasource) registerRegistryRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /registry/export", d.withRegistry(d.handleExport))
	mux.HandleFunc("POST /registry/import", d.withRegistry(d.handleImport))
	mux.HandleFunc("GET /registry/import/audit", d.withRegistry(d.handleImportAudit))
	mux.HandleFunc("GET /registry/{kind}", d.withKind(d.handleList))
	mux.HandleFunc("POST /registry/{kind}", d.withKind(d.handleCreate))
	mux.HandleFunc("GET /registry/{kind}/{id}", d.withKind(d.handleGet))
	mux.HandleFunc("PUT /registry/{kind}/{id}", d.withKind(d.handleUpdate))
	mux.HandleFunc("DELETE /registry/{kind}/{id}", d.withKind(d.handleDelete))
	mux.HandleFunc("GET /registry/{kind}/{id}/audit", d.withKind(d.handleAudit))
}

type kindHandler func(w http.ResponseWriter, r *http.Request, k registry.Kind)

func (d *Datasource) withKind(h kindHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		k, ok := registry.KindByPlural(r.PathValue("kind"))
		if !ok {
			writeError(w, http.StatusNotFound, fmt.Errorf("no registry kind %q: use contracts, kpis, trackers, assignments or agreements", r.PathValue("kind")))
			return
		}
		d.withRegistry(func(w http.ResponseWriter, r *http.Request) { h(w, r, k) })(w, r)
	}
}

// registryUnavailable says why the registry cannot be used, or nil.
func (d *Datasource) registryUnavailable() error {
	if d.registryErr != nil {
		return fmt.Errorf("the registry is not available: %v", d.registryErr)
	}
	return nil
}

// withRegistry answers 503 with the reason while the registry's store is not open.
func (d *Datasource) withRegistry(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := d.registryUnavailable(); err != nil {
			writeError(w, http.StatusServiceUnavailable, err)
			return
		}
		h(w, r)
	}
}

// writeStoreError maps registry and store errors to HTTP statuses.
func writeStoreError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, models.ErrNotFound):
		writeError(w, http.StatusNotFound, err)
	case errors.Is(err, models.ErrConflict):
		writeError(w, http.StatusConflict, fmt.Errorf("%v: someone changed it since you read it; reload it and apply your change again", err))
	case errors.Is(err, models.ErrInUse):
		writeError(w, http.StatusConflict, fmt.Errorf("%v: remove those first", err))
	case errors.Is(err, models.ErrExists):
		writeError(w, http.StatusConflict, fmt.Errorf("%v: choose another id", err))
	default:
		writeError(w, httpStatus(err), err)
	}
}

func actor(r *http.Request) string {
	if u := backend.UserFromContext(r.Context()); u != nil && u.Login != "" {
		return u.Login
	}
	return "unknown"
}

func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, models.QueryFieldError(name, fmt.Sprintf("%q is not a whole number from %d to %d", v, lo, hi))
	}
	return n, nil
}

func (d *Datasource) handleList(w http.ResponseWriter, r *http.Request, k registry.Kind) {
	limit, err := intParam(r, "limit", defaultPageSize, 1, maxPageSize)
	if err != nil {
		writeStoreError(w, err)
		return
	}
	offset, err := intParam(r, "offset", 0, 0, 1<<30)
	if err != nil {
		writeStoreError(w, err)
		return
	}
	opt := store.ListOptions{Search: r.URL.Query().Get("search"), Limit: limit, Offset: offset, Refs: map[string]string{}}
	for _, f := range []string{"contractId", "trackerId", "kpiId", "assignmentId"} {
		if v := r.URL.Query().Get(f); v != "" {
			opt.Refs[f] = v
		}
	}
	page, err := d.registry.List(r.Context(), k, opt)
	if err != nil {
		writeStoreError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

func (d *Datasource) handleGet(w http.ResponseWriter, r *http.Request, k registry.Kind) {
	e, err := d.registry.Find(r.Context(), k, r.PathValue("id"))
	if err != nil {
		writeStoreError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func readEntity(w http.ResponseWriter, r *http.Request, k registry.Kind) (registry.Entity, bool) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil || len(body) > maxBodyBytes {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Errorf("the body is over %d bytes or unreadable", maxBodyBytes))
		return nil, false
	}
	e, err := registry.Decode(k, body)
	if err != nil {
		writeStoreError(w, err)
		return nil, false
	}
	return e, true
}

func (d *Datasource) handleCreate(w http.ResponseWriter, r *http.Request, k registry.Kind) {
	e, ok := readEntity(w, r, k)
	if !ok {
		return
	}
	saved, err := d.registry.Create(r.Context(), k, e, actor(r))
	if err != nil {
		writeStoreError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, saved)
}

func (d *Datasource) handleUpdate(w http.ResponseWriter, r *http.Request, k registry.Kind) {
	e, ok := readEntity(w, r, k)
	if !ok {
		return
	}
	saved, err := d.registry.Update(r.Context(), k, r.PathValue("id"), e, actor(r))
	if err != nil {
		writeStoreError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, saved)
}

func (d *Datasource) handleDelete(w http.ResponseWriter, r *http.Request, k registry.Kind) {
	v, err := intParam(r, "version", 0, 1, 1<<62)
	if err == nil && v == 0 {
		err = models.QueryFieldError("version", "is missing: send ?version= with the version you read")
	}
	if err != nil {
		writeStoreError(w, err)
		return
	}
	if err := d.registry.Delete(r.Context(), k, r.PathValue("id"), int64(v), actor(r)); err != nil {
		writeStoreError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (d *Datasource) handleAudit(w http.ResponseWriter, r *http.Request, k registry.Kind) {
	d.writeAudit(w, r, k.Name, r.PathValue("id"))
}

// handleImportAudit is GET /registry/import/audit: every import, who made it, when, what it changed.
func (d *Datasource) handleImportAudit(w http.ResponseWriter, r *http.Request) {
	d.writeAudit(w, r, "registry", "import")
}

func (d *Datasource) writeAudit(w http.ResponseWriter, r *http.Request, kind, id string) {
	entries, err := d.registry.Store.Audit(r.Context(), kind, id)
	if err != nil {
		writeStoreError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
}

const maxImportBytes = 16 << 20

func (d *Datasource) handleExport(w http.ResponseWriter, r *http.Request) {
	doc, err := d.registry.Export(r.Context())
	if err != nil {
		writeStoreError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/yaml")
	w.Header().Set("Content-Disposition", `attachment; filename="covenant-registry.yaml"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(doc)
}

// handleImport applies a registry YAML document; ?dryRun=true only reports what would change.
func (d *Datasource) handleImport(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxImportBytes+1))
	if err != nil || len(body) > maxImportBytes {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Errorf("the document is over %d MB or unreadable", maxImportBytes>>20))
		return
	}
	report, err := d.registry.Import(r.Context(), body, actor(r), r.URL.Query().Get("dryRun") == "true")
	if err != nil {
		writeStoreError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, report)
}
