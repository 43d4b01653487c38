package plugin

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/covenant/contracts/pkg/compliance"
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
	mux.HandleFunc("POST /ledger/attachments", d.withRegistry(d.handleAttachmentUpload))
	mux.HandleFunc("GET /ledger/attachments/{sha256}", d.withRegistry(d.handleAttachmentDownload))
	mux.HandleFunc("GET /ledger/{agreement}/{period}/evidence", d.withRegistry(d.handleEvidence))
}

// maxEvidenceRows bounds the rows GET …/evidence lists (all count in its digest).
const maxEvidenceRows = 1000

// handleEvidence is GET /ledger/{agreement}/{period}/evidence?assignmentId=&bucket=
// (bucket: the bucket's start, RFC 3339): the KPI rows behind one bucket of a
// closed period, fetched through the connector now, with their digest and
// whether the bucket's actual still is the one the period's result holds.
func (d *Datasource) handleEvidence(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	bucket, err := time.Parse(time.RFC3339, q.Get("bucket"))
	if err != nil {
		writeError(w, http.StatusBadRequest, models.QueryFieldError("bucket", fmt.Sprintf("%q is not a bucket start: give it in RFC 3339", q.Get("bucket"))))
		return
	}
	snap, err := d.registry.Snapshot(r.Context())
	if err != nil {
		writeStoreError(w, err)
		return
	}
	rows, atClose, err := d.engine.Evidence(r.Context(), snap, r.PathValue("agreement"), r.PathValue("period"), q.Get("assignmentId"), bucket)
	if err != nil {
		writeStoreError(w, err)
		return
	}
	type row struct {
		Time  time.Time `json:"time"`
		Value *float64  `json:"value"`
		Open  bool      `json:"open,omitempty"`
	}
	n := min(len(rows.Rows.Times), maxEvidenceRows)
	list := make([]row, n)
	for i := range list {
		list[i] = row{Time: time.Unix(0, rows.Rows.Times[i]).UTC(), Value: numPtr(compliance.Num(rows.Rows.Values[i]))}
		if rows.Rows.Open != nil {
			list[i].Open = rows.Rows.Open[i]
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"start": rows.Start, "end": rows.End, "rows": list, "truncated": n < len(rows.Rows.Times),
		"evidence": rows.Evidence(atClose)})
}

// MaxAttachmentBytes bounds one attached file.
const MaxAttachmentBytes = 4 << 20

// handleAttachmentUpload is POST /ledger/attachments {name, type, content
// (base64)}: a file for a ledger act, stored under its SHA-256, which it returns.
func (d *Datasource) handleAttachmentUpload(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name    string `json:"name"`
		Type    string `json:"type"`
		Content string `json:"content"`
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, models.InputFieldError("body", fmt.Sprintf("is not a file (%v): send {\"name\", \"type\", \"content\": base64} as JSON", err)))
		return
	}
	name := strings.TrimSpace(body.Name)
	content, err := base64.StdEncoding.DecodeString(body.Content)
	switch {
	case name == "" || len(name) > 200 || strings.ContainsAny(name, "/\\\x00\r\n"):
		err = models.InputFieldError("name", "must be a file name of 1 to 200 characters, without slashes or line breaks")
	case err != nil:
		err = models.InputFieldError("content", "is not base64: send the file's bytes in standard base64")
	case len(content) == 0:
		err = models.InputFieldError("content", "is empty: attach a file with something in it")
	case len(content) > MaxAttachmentBytes:
		err = models.InputFieldError("content", fmt.Sprintf("is %d bytes; a file may have at most %d (4 MiB): attach a smaller file or a link in the comment", len(content), MaxAttachmentBytes))
	case len(body.Type) > 100:
		err = models.InputFieldError("type", "is longer than 100 characters")
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	typ := strings.TrimSpace(body.Type)
	if typ == "" {
		typ = "application/octet-stream"
	}
	a, err := d.registry.Store.PutAttachment(r.Context(), name, typ, content, actor(r), now())
	if err != nil {
		writeStoreError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

// handleAttachmentDownload is GET /ledger/attachments/{sha256}: the file, as a
// download (never shown inline, whatever its type).
func (d *Datasource) handleAttachmentDownload(w http.ResponseWriter, r *http.Request) {
	a, content, err := d.registry.Store.AttachmentContent(r.Context(), strings.ToLower(r.PathValue("sha256")))
	if err != nil {
		writeStoreError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	w.Header().Set("X-Covenant-Sha256", a.SHA256)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(content)
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
