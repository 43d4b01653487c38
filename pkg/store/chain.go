package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
)

// The ledger's hash chain. Each agreement's entries form one chain, in the
// order they were appended (Position 1, 2, …): an entry's hash is the SHA-256
// (hex) of its canonical content and the previous entry's hash ("" for the
// first). Changing, removing, inserting or reordering an entry breaks the hash
// of that entry or of the one after it.

// chainContent is what an entry's hash covers, in a fixed field order.
type chainContent struct {
	Prev        string          `json:"prev"`
	AgreementID string          `json:"agreementId"`
	ContractID  string          `json:"contractId"`
	PeriodStart int64           `json:"periodStart"` // Unix ms, as stored
	PeriodEnd   int64           `json:"periodEnd"`
	Seq         int             `json:"seq"`
	Kind        string          `json:"kind"`
	ComputedAt  int64           `json:"computedAt"`
	Digest      string          `json:"digest"`
	Snapshot    json.RawMessage `json:"snapshot"`
	Actor       string          `json:"actor"`
}

// ChainHash is the hash of e chained after the entry whose hash is prev.
func ChainHash(prev string, e LedgerEntry) string {
	raw, _ := json.Marshal(chainContent{Prev: prev, AgreementID: e.AgreementID, ContractID: e.ContractID,
		PeriodStart: e.PeriodStart.UnixMilli(), PeriodEnd: e.PeriodEnd.UnixMilli(), Seq: e.Seq, Kind: e.Kind,
		ComputedAt: e.ComputedAt.UnixMilli(), Digest: e.Digest, Snapshot: canonicalJSON(e.Snapshot), Actor: e.Actor})
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// canonicalJSON re-encodes a JSON document so that an export → YAML → import
// round trip hashes the same: object keys sorted, whole numbers as integers,
// others as Go formats a float64. What does not parse is hashed as it is.
func canonicalJSON(raw json.RawMessage) json.RawMessage {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return json.RawMessage(strconv.Quote(string(raw)))
	}
	out, _ := json.Marshal(canonicalNumbers(v))
	return out
}

func canonicalNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = canonicalNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = canonicalNumbers(e)
		}
	case json.Number:
		if i, err := strconv.ParseInt(x.String(), 10, 64); err == nil {
			return i
		}
		f, _ := strconv.ParseFloat(x.String(), 64)
		if i := int64(f); float64(i) == f && f > -1<<53 && f < 1<<53 {
			return i
		}
		return f
	}
	return v
}

// ChainStatus says whether one agreement's chain holds.
type ChainStatus struct {
	AgreementID string `json:"agreementId"`
	OK          bool   `json:"ok"`
	Entries     int    `json:"entries"`
	// BrokenAt is the index (from 0, in chain order) of the first entry that does not hold.
	BrokenAt *int   `json:"brokenAt,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// VerifyChain checks one agreement's entries, in chain order: positions 1, 2, …
// and each hash over its content and the previous hash.
func VerifyChain(agreementID string, chain []LedgerEntry) ChainStatus {
	st := ChainStatus{AgreementID: agreementID, OK: true, Entries: len(chain)}
	prev := ""
	for i, e := range chain {
		reason := chainFault(agreementID, i, prev, e)
		if reason != "" {
			st.OK, st.BrokenAt, st.Reason = false, &i, reason
			return st
		}
		prev = e.Hash
	}
	return st
}

// chainFault says why entry i (after the hash prev) does not hold in the chain of agreementID, or "".
func chainFault(agreementID string, i int, prev string, e LedgerEntry) string {
	switch {
	case e.AgreementID != agreementID:
		return fmt.Sprintf("the entry belongs to agreement %q, not %q", e.AgreementID, agreementID)
	case e.Position != i+1:
		return fmt.Sprintf("its position is %d where %d comes next: an entry is missing, added or out of order", e.Position, i+1)
	case e.Hash != ChainHash(prev, e):
		return "its hash does not match its content and the previous entry's hash: the entry was changed, or one before it"
	}
	return ""
}

// Chains splits entries in chain order (LedgerFilter.ChainOrder) by agreement.
func Chains(entries []LedgerEntry) (ids []string, chains map[string][]LedgerEntry) {
	chains = map[string][]LedgerEntry{}
	for _, e := range entries {
		if _, ok := chains[e.AgreementID]; !ok {
			ids = append(ids, e.AgreementID)
		}
		chains[e.AgreementID] = append(chains[e.AgreementID], e)
	}
	return ids, chains
}

// VerifyLedger checks the chain of every agreement in the ledger, or of one.
func (s *Store) VerifyLedger(ctx context.Context, agreementID string) (_ []ChainStatus, err error) {
	defer markUnavailable(&err)
	entries, err := s.Ledger(ctx, LedgerFilter{AgreementID: agreementID, ChainOrder: true})
	if err != nil {
		return nil, err
	}
	ids, chains := Chains(entries)
	out := make([]ChainStatus, 0, len(ids))
	for _, id := range ids {
		out = append(out, VerifyChain(id, chains[id]))
	}
	return out, nil
}

// chainExisting is migration 0005's Go step: it chains the entries stored
// before the chain existed, per scope and agreement, in the order they were
// written, then makes positions unique per agreement.
func (s *Store) chainExisting(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT scope, `+ledgerColumns+` FROM ledger ORDER BY scope, agreement_id, computed_at, period_start, seq`)
	if err != nil {
		return err
	}
	type scoped struct {
		scope string
		e     LedgerEntry
	}
	var all []scoped
	for rows.Next() {
		var se scoped
		if se.e, err = scanLedgerRow(rows, &se.scope); err != nil {
			rows.Close()
			return err
		}
		all = append(all, se)
	}
	rows.Close()
	prev, last, pos := "", "", 0
	for _, se := range all {
		if key := se.scope + "\x00" + se.e.AgreementID; key != last {
			prev, last, pos = "", key, 0
		}
		pos++
		prev = ChainHash(prev, se.e)
		if _, err := tx.ExecContext(ctx, s.rebind(`UPDATE ledger SET chain_pos = ?, hash = ? WHERE scope = ? AND agreement_id = ? AND period_start = ? AND seq = ?`),
			pos, prev, se.scope, se.e.AgreementID, se.e.PeriodStart.UnixMilli(), se.e.Seq); err != nil {
			return fmt.Errorf("chain the ledger: %w", err)
		}
	}
	_, err = tx.ExecContext(ctx, `CREATE UNIQUE INDEX ledger_chain ON ledger (scope, agreement_id, chain_pos)`)
	return err
}

// goSteps are migrations' steps written in Go, run after the migration's SQL.
func (s *Store) goSteps() map[int]func(context.Context, *sql.Tx) error {
	return map[int]func(context.Context, *sql.Tx) error{5: s.chainExisting}
}
