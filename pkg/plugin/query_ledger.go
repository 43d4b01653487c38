package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/ledger"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/store"
)

// ledgerEntries closes the selected agreements' ended periods if the evaluator has
// not lately, then reads their ledger: closes and restatements, oldest first.
func (d *Datasource) ledgerEntries(ctx context.Context, q *models.AgreementQuery) ([]store.LedgerEntry, error) {
	snap, err := d.querySnapshot(ctx)
	if err != nil {
		return nil, err
	}
	agreements, err := selectAgreements(snap, q)
	if err != nil {
		return nil, err
	}
	if err := d.ensureClosed(ctx, snap, agreements, now()); err != nil {
		return nil, err
	}
	f := store.LedgerFilter{AgreementID: q.Agreement}
	if q.Agreement == "" && q.Contract != "*" {
		f.ContractIDs = contractIDs(q.Contract)
	}
	return d.registry.Store.Ledger(ctx, f)
}

// ledger answers a ledger query: a table of closed periods and restatements.
func (d *Datasource) ledger(ctx context.Context, _ backend.PluginContext, q backend.DataQuery) backend.DataResponse {
	aq, err := models.LoadAgreementQuery(q.JSON)
	if err != nil {
		return errorResponse(err)
	}
	ctx, cancel := d.queryTimeout(ctx)
	defer cancel()
	entries, err := d.ledgerEntries(ctx, aq)
	if err != nil {
		return errorResponse(err)
	}
	n := len(entries)
	var (
		agreement, contract, kind, status, digest = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		start, end, computed                      = make([]time.Time, n), make([]time.Time, n), make([]time.Time, n)
		seq                                       = make([]int64, n)
		comp, penalty                             = make([]*float64, n), make([]*float64, n)
		impact                                    = make([]float64, n)
	)
	for i, e := range entries {
		var s ledger.Snapshot
		if err := json.Unmarshal(e.Snapshot, &s); err != nil {
			return errorResponse(fmt.Errorf("ledger entry %s %s #%d cannot be read: %w", e.AgreementID, e.PeriodStart.Format(time.DateOnly), e.Seq, err))
		}
		agreement[i], contract[i], kind[i], seq[i], digest[i] = e.AgreementID, e.ContractID, e.Kind, int64(e.Seq), e.Digest
		start[i], end[i], computed[i] = e.PeriodStart, e.PeriodEnd, e.ComputedAt
		status[i], impact[i] = s.Result.Status, s.Result.ImpactCost
		comp[i], penalty[i] = numPtr(s.Result.Compliance), numPtr(s.Result.PenaltyReward)
	}
	frame := data.NewFrame("ledger",
		data.NewField("agreement", nil, agreement), data.NewField("contract", nil, contract),
		data.NewField("period_start", nil, start), data.NewField("period_end", nil, end),
		data.NewField("seq", nil, seq), data.NewField("kind", nil, kind), data.NewField("computed_at", nil, computed),
		data.NewField("compliance", nil, comp), data.NewField("status", nil, status),
		data.NewField("impact_cost", nil, impact), data.NewField("penalty_reward", nil, penalty), data.NewField("digest", nil, digest),
	)
	frame.Fields[7].Config = &data.FieldConfig{Unit: "percent"}
	frame.RefID = q.RefID
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTable}
	chains, err := d.verifyChains(ctx, entries)
	if err != nil {
		return errorResponse(err)
	}
	return backend.DataResponse{Frames: data.Frames{frame, chainFrame(q.RefID, chains)}}
}

// verifyChains checks the hash chains of the agreements that entries belong to.
func (d *Datasource) verifyChains(ctx context.Context, entries []store.LedgerEntry) ([]store.ChainStatus, error) {
	all, err := d.registry.Store.VerifyLedger(ctx, "")
	if err != nil {
		return nil, err
	}
	ids, _ := store.Chains(entries)
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	out := []store.ChainStatus{}
	for _, c := range all {
		if want[c.AgreementID] {
			out = append(out, c)
		}
	}
	return out, nil
}

// chainFrame is the table "ledger chain": per agreement whether its hash chain holds.
func chainFrame(refID string, chains []store.ChainStatus) *data.Frame {
	n := len(chains)
	agreement, reason := make([]string, n), make([]string, n)
	ok := make([]bool, n)
	entries := make([]int64, n)
	broken := make([]*int64, n)
	for i, c := range chains {
		agreement[i], ok[i], entries[i], reason[i] = c.AgreementID, c.OK, int64(c.Entries), c.Reason
		if c.BrokenAt != nil {
			b := int64(*c.BrokenAt)
			broken[i] = &b
		}
	}
	f := data.NewFrame("ledger chain", data.NewField("agreement", nil, agreement), data.NewField("ok", nil, ok),
		data.NewField("entries", nil, entries), data.NewField("broken_at", nil, broken), data.NewField("reason", nil, reason))
	f.RefID = refID
	f.Meta = &data.FrameMeta{Type: data.FrameTypeTable}
	return f
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

func numPtr(n compliance.Num) *float64 {
	if n.IsNaN() {
		return nil
	}
	v := float64(n)
	return &v
}

// handleLedger is GET /ledger?agreementId=&contractId=: the entries with their snapshots.
func (d *Datasource) handleLedger(w http.ResponseWriter, r *http.Request) {
	q := &models.AgreementQuery{Agreement: r.URL.Query().Get("agreementId"), Contract: r.URL.Query().Get("contractId")}
	if q.Agreement == "" && q.Contract == "" {
		q.Contract = "*"
	}
	entries, err := d.ledgerEntries(r.Context(), q)
	if err != nil {
		writeStoreError(w, err)
		return
	}
	if entries == nil {
		entries = []store.LedgerEntry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
}
