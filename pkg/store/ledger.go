package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Ledger entry kinds.
const (
	// LedgerClose is a period's first frozen result.
	LedgerClose = "close"
	// LedgerRestatement is a later result that differs from the one before it.
	LedgerRestatement = "restatement"
)

// LedgerEntry is one frozen result of an agreement's review period.
type LedgerEntry struct {
	AgreementID string          `json:"agreementId"`
	ContractID  string          `json:"contractId"`
	PeriodStart time.Time       `json:"periodStart"`
	PeriodEnd   time.Time       `json:"periodEnd"`
	Seq         int             `json:"seq"`
	Kind        string          `json:"kind"`
	ComputedAt  time.Time       `json:"computedAt"`
	Digest      string          `json:"digest"`
	Snapshot    json.RawMessage `json:"snapshot"`
	Actor       string          `json:"actor"`
}

// ErrLedgerBusy is returned when other writers kept appending to one period.
var ErrLedgerBusy = errors.New("store: the ledger entry could not be appended: other writers kept appending to this period")

// LedgerAppend records a period's result: the close when the period has no
// entry yet, a restatement when the latest entry's digest differs, nothing
// when it is the same. Concurrent writers (several Grafana servers) cannot
// both land the same sequence number: the loser re-reads and decides again.
// It reports whether an entry was appended, and the period's latest entry.
func (s *Store) LedgerAppend(ctx context.Context, e LedgerEntry) (LedgerEntry, bool, error) {
	for attempt := 0; attempt < 5; attempt++ {
		latest, found, err := s.latestLedger(ctx, e.AgreementID, e.PeriodStart)
		if err != nil {
			return LedgerEntry{}, false, err
		}
		if found && latest.Digest == e.Digest {
			return latest, false, nil
		}
		e.Seq, e.Kind = 1, LedgerClose
		if found {
			e.Seq, e.Kind = latest.Seq+1, LedgerRestatement
		}
		res, err := s.db.ExecContext(ctx, s.rebind(`INSERT INTO ledger (scope, agreement_id, period_start, seq, period_end, contract_id, kind, computed_at, digest, snapshot, actor)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
			s.scope, e.AgreementID, e.PeriodStart.UnixMilli(), e.Seq, e.PeriodEnd.UnixMilli(), e.ContractID, e.Kind, e.ComputedAt.UnixMilli(), e.Digest, string(e.Snapshot), e.Actor)
		if err != nil {
			return LedgerEntry{}, false, fmt.Errorf("store: append to the ledger: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return e, true, nil
		}
	}
	return LedgerEntry{}, false, ErrLedgerBusy
}

func (s *Store) latestLedger(ctx context.Context, agreementID string, periodStart time.Time) (LedgerEntry, bool, error) {
	rows, err := s.queryLedger(ctx, `WHERE scope = ? AND agreement_id = ? AND period_start = ? ORDER BY seq DESC LIMIT 1`, s.scope, agreementID, periodStart.UnixMilli())
	if err != nil || len(rows) == 0 {
		return LedgerEntry{}, false, err
	}
	return rows[0], true, nil
}

// LedgerFilter selects ledger entries: of one agreement, or of some contracts (none: all).
type LedgerFilter struct {
	AgreementID string
	ContractIDs []string
}

// Ledger lists entries, by agreement, period and sequence.
func (s *Store) Ledger(ctx context.Context, f LedgerFilter) ([]LedgerEntry, error) {
	where, args := "WHERE scope = ?", []any{s.scope}
	if f.AgreementID != "" {
		where += " AND agreement_id = ?"
		args = append(args, f.AgreementID)
	}
	if len(f.ContractIDs) > 0 {
		where += " AND contract_id IN (?" + repeat(", ?", len(f.ContractIDs)-1) + ")"
		for _, c := range f.ContractIDs {
			args = append(args, c)
		}
	}
	return s.queryLedger(ctx, where+" ORDER BY agreement_id, period_start, seq", args...)
}

func repeat(s string, n int) string {
	out := ""
	for i := 0; i < n; i++ {
		out += s
	}
	return out
}

func (s *Store) queryLedger(ctx context.Context, where string, args ...any) ([]LedgerEntry, error) {
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT agreement_id, contract_id, period_start, period_end, seq, kind, computed_at, digest, snapshot, actor FROM ledger `+where), args...)
	if err != nil {
		return nil, fmt.Errorf("store: read the ledger: %w", err)
	}
	defer rows.Close()
	var out []LedgerEntry
	for rows.Next() {
		var e LedgerEntry
		var start, end, at int64
		var snap string
		if err := rows.Scan(&e.AgreementID, &e.ContractID, &start, &end, &e.Seq, &e.Kind, &at, &e.Digest, &snap, &e.Actor); err != nil {
			return nil, err
		}
		e.PeriodStart, e.PeriodEnd, e.ComputedAt = time.UnixMilli(start).UTC(), time.UnixMilli(end).UTC(), time.UnixMilli(at).UTC()
		e.Snapshot = json.RawMessage(snap)
		out = append(out, e)
	}
	return out, rows.Err()
}

// LedgerRestore adds entries from an export that the ledger does not hold yet
// (by agreement, period and sequence), in one transaction; it never changes one.
func (s *Store) LedgerRestore(ctx context.Context, tx *sql.Tx, entries []LedgerEntry) (int, error) {
	added := 0
	for _, e := range entries {
		res, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO ledger (scope, agreement_id, period_start, seq, period_end, contract_id, kind, computed_at, digest, snapshot, actor)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
			s.scope, e.AgreementID, e.PeriodStart.UnixMilli(), e.Seq, e.PeriodEnd.UnixMilli(), e.ContractID, e.Kind, e.ComputedAt.UnixMilli(), e.Digest, string(e.Snapshot), e.Actor)
		if err != nil {
			return added, fmt.Errorf("store: restore the ledger: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			added++
		}
	}
	return added, nil
}
