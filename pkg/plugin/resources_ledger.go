package plugin

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/covenant/contracts/pkg/engine"
	"github.com/covenant/contracts/pkg/ledger"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/report"
	"github.com/covenant/contracts/pkg/store"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// The ledger and report API: GET /ledger, /ledger/verify and /report (docs/api.md).
// They read the registry but are not registry objects.
func (d *Datasource) registerLedgerRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /ledger", d.withRegistry(d.handleLedger))
	mux.HandleFunc("GET /ledger/verify", d.withRegistry(d.handleLedgerVerify))
	mux.HandleFunc("GET /report", d.withRegistry(d.handleReport))
	mux.HandleFunc("POST /ledger/{agreement}/{period}/{act}", d.withRegistry(d.handleLedgerAct))
}

// ledgerActs maps the API's act names to ledger entry kinds.
var ledgerActs = map[string]string{"signoff": store.LedgerSignOff, "dispute": store.LedgerDispute, "resolve": store.LedgerResolution}

// handleLedgerAct is POST /ledger/{agreement}/{period}/signoff|dispute|resolve:
// an act on a closed period (the guard let only the dispute role through).
// period is the period's first day, YYYY-MM-DD in the agreement's time zone.
func (d *Datasource) handleLedgerAct(w http.ResponseWriter, r *http.Request) {
	kind, ok := ledgerActs[r.PathValue("act")]
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Errorf("%q is not an act on a period: use signoff, dispute or resolve", r.PathValue("act")))
		return
	}
	var req engine.ActRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, models.InputFieldError("body", fmt.Sprintf("is not an act (%v): send {\"comment\", …} as JSON", err)))
		return
	}
	snap, err := d.registry.Snapshot(r.Context())
	if err != nil {
		writeStoreError(w, err)
		return
	}
	user := ledger.User{Login: actor(r)}
	if u := backend.UserFromContext(r.Context()); u != nil {
		user.Name = u.Name
	}
	entries, err := d.engine.Act(r.Context(), snap, r.PathValue("agreement"), r.PathValue("period"), kind, req, user, now())
	var refused *engine.Refusal
	switch {
	case errors.As(err, &refused):
		writeError(w, http.StatusConflict, refused.Err)
		return
	case err != nil:
		writeStoreError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"entries": entries})
}

// handleLedgerVerify is GET /ledger/verify?agreementId=: whether each agreement's hash chain holds.
func (d *Datasource) handleLedgerVerify(w http.ResponseWriter, r *http.Request) {
	chains, err := d.registry.Store.VerifyLedger(r.Context(), r.URL.Query().Get("agreementId"))
	if err != nil {
		writeStoreError(w, err)
		return
	}
	ok := true
	for _, c := range chains {
		ok = ok && c.OK
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": ok, "agreements": chains})
}

// handleLedger is GET /ledger?agreementId=&contractId=: the entries with their snapshots.
func (d *Datasource) handleLedger(w http.ResponseWriter, r *http.Request) {
	q := &models.AgreementQuery{Agreement: r.URL.Query().Get("agreementId"), Contract: r.URL.Query().Get("contractId")}
	if q.Agreement == "" && q.Contract == "" {
		q.Contract = "*"
	}
	snap, err := d.registry.Snapshot(r.Context())
	if err != nil {
		writeStoreError(w, err)
		return
	}
	entries, err := d.engine.LedgerEntries(r.Context(), snap, q)
	if err != nil {
		writeStoreError(w, err)
		return
	}
	if entries == nil {
		entries = []store.LedgerEntry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries, "periods": ledger.States(entries)})
}

// handleReport is GET /report?contractId=&from=YYYY-MM-DD&to=YYYY-MM-DD (to exclusive, UTC dates or RFC 3339).
func (d *Datasource) handleReport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	id := q.Get("contractId")
	snap, err := d.registry.Snapshot(r.Context())
	if err != nil {
		writeStoreError(w, err)
		return
	}
	c, ok := snap.Contracts[id]
	if !ok {
		writeError(w, http.StatusNotFound, models.QueryFieldError("contractId", fmt.Sprintf("there is no contract %q in the registry", id)))
		return
	}
	from, err := parseDay("from", q.Get("from"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	to, err := parseDay("to", q.Get("to"))
	if err == nil && !to.After(from) {
		err = models.QueryFieldError("to", "must be after from: the report covers [from, to)")
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	rep, err := report.Build(r.Context(), d.engine, c, from, to, now())
	if err != nil {
		writeStoreError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// parseDay reads a date parameter: YYYY-MM-DD (a UTC midnight) or RFC 3339.
func parseDay(field, s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, models.QueryFieldError(field, fmt.Sprintf("%q is not a date: use YYYY-MM-DD or RFC 3339", s))
}
