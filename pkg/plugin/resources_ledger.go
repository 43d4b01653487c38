package plugin

import (
	"fmt"
	"net/http"
	"time"

	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/report"
	"github.com/covenant/contracts/pkg/store"
)

// The ledger and report API: GET /ledger, /ledger/verify and /report (docs/api.md).
// They read the registry but are not registry objects.
func (d *Datasource) registerLedgerRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /ledger", d.withRegistry(d.handleLedger))
	mux.HandleFunc("GET /ledger/verify", d.withRegistry(d.handleLedgerVerify))
	mux.HandleFunc("GET /report", d.withRegistry(d.handleReport))
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
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
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
