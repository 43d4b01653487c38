package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/covenant/contracts/pkg/models"
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
	// Position is the entry's place in its agreement's hash chain (1, 2, … in the order appended).
	Position int `json:"position"`
	// Hash chains the entry to the one before it (see ChainHash).
	Hash string `json:"hash"`
}

// LedgerAppend records a period's result: the close when the period has no
// entry yet, a restatement when the latest entry's digest differs, nothing
// when it is the same; the entry is chained after its agreement's last one.
// Concurrent writers (several Grafana servers) cannot both land the same
// sequence number or chain position: the loser re-reads and decides again.
// It reports whether an entry was appended, and the period's latest entry.
func (s *Store) LedgerAppend(ctx context.Context, e LedgerEntry) (_ LedgerEntry, _ bool, err error) {
	defer markUnavailable(&err)
	for attempt := 0; attempt < 10; attempt++ {
		latest, err := s.queryLedger(ctx, s.db, `WHERE scope = ? AND agreement_id = ? AND period_start = ? ORDER BY seq DESC LIMIT 1`, s.scope, e.AgreementID, e.PeriodStart.UnixMilli())
		if err != nil {
			return LedgerEntry{}, false, err
		}
		if len(latest) == 1 && latest[0].Digest == e.Digest {
			return latest[0], false, nil
		}
		e.Seq, e.Kind = 1, LedgerClose
		if len(latest) == 1 {
			e.Seq, e.Kind = latest[0].Seq+1, LedgerRestatement
		}
		tip, err := s.chainTip(ctx, s.db, e.AgreementID)
		if err != nil {
			return LedgerEntry{}, false, err
		}
		e.Position, e.Hash = tip.Position+1, ChainHash(tip.Hash, e)
		if ok, err := s.insertLedger(ctx, s.db, e); err != nil || ok {
			return e, ok, err
		}
	}
	return LedgerEntry{}, false, models.ErrLedgerBusy
}

// chainTip is the last entry of an agreement's chain (Position 0 when it has none).
func (s *Store) chainTip(ctx context.Context, q queryer, agreementID string) (LedgerEntry, error) {
	tip, err := s.queryLedger(ctx, q, `WHERE scope = ? AND agreement_id = ? ORDER BY chain_pos DESC LIMIT 1`, s.scope, agreementID)
	if err != nil || len(tip) == 0 {
		return LedgerEntry{}, err
	}
	return tip[0], nil
}

// insertLedger adds an entry unless its (agreement, period, seq) or its chain position is taken.
func (s *Store) insertLedger(ctx context.Context, x execer, e LedgerEntry) (bool, error) {
	res, err := x.ExecContext(ctx, s.rebind(`INSERT INTO ledger (scope, `+ledgerColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
		s.scope, e.AgreementID, e.ContractID, e.PeriodStart.UnixMilli(), e.PeriodEnd.UnixMilli(), e.Seq, e.Kind, e.ComputedAt.UnixMilli(),
		e.Digest, string(e.Snapshot), e.Actor, e.Position, e.Hash)
	if err != nil {
		return false, fmt.Errorf("store: append to the ledger: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// LedgerFilter selects ledger entries: of one agreement, or of some contracts (none: all).
type LedgerFilter struct {
	AgreementID string
	ContractIDs []string
	// ChainOrder lists each agreement's entries in chain order instead of by period and sequence.
	ChainOrder bool
}

// Ledger lists entries by agreement, then by period and sequence (or in chain order).
func (s *Store) Ledger(ctx context.Context, f LedgerFilter) (_ []LedgerEntry, err error) {
	defer markUnavailable(&err)
	return s.ledgerIn(ctx, s.db, f)
}

func (s *Store) ledgerIn(ctx context.Context, q queryer, f LedgerFilter) ([]LedgerEntry, error) {
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
	order := " ORDER BY agreement_id, period_start, seq"
	if f.ChainOrder {
		order = " ORDER BY agreement_id, chain_pos"
	}
	return s.queryLedger(ctx, q, where+order, args...)
}

func repeat(s string, n int) string {
	out := ""
	for i := 0; i < n; i++ {
		out += s
	}
	return out
}

// queryer and execer are a database or a transaction.
type (
	queryer interface {
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	}
	execer interface {
		ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	}
)

const ledgerColumns = `agreement_id, contract_id, period_start, period_end, seq, kind, computed_at, digest, snapshot, actor, chain_pos, hash`

func (s *Store) queryLedger(ctx context.Context, q queryer, where string, args ...any) ([]LedgerEntry, error) {
	rows, err := q.QueryContext(ctx, s.rebind(`SELECT `+ledgerColumns+` FROM ledger `+where), args...)
	if err != nil {
		return nil, fmt.Errorf("store: read the ledger: %w", err)
	}
	defer rows.Close()
	var out []LedgerEntry
	for rows.Next() {
		e, err := scanLedgerRow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// scanLedgerRow reads a row of ledgerColumns, after the columns of before.
func scanLedgerRow(rows *sql.Rows, before ...any) (LedgerEntry, error) {
	var e LedgerEntry
	var start, end, at int64
	var snap string
	dest := append(before, &e.AgreementID, &e.ContractID, &start, &end, &e.Seq, &e.Kind, &at, &e.Digest, &snap, &e.Actor, &e.Position, &e.Hash)
	if err := rows.Scan(dest...); err != nil {
		return LedgerEntry{}, err
	}
	e.PeriodStart, e.PeriodEnd, e.ComputedAt = time.UnixMilli(start).UTC(), time.UnixMilli(end).UTC(), time.UnixMilli(at).UTC()
	e.Snapshot = json.RawMessage(snap)
	return e, nil
}

// LedgerRestore appends imported chains (by agreement, in chain order, already
// checked: see ledger.CheckImport) after what the store holds: an entry whose
// position the store already holds is skipped (the check found it equal). It
// never changes an entry. An entry that cannot land (another writer appended
// to the agreement meanwhile) fails the whole import with ErrConflict.
func (s *Store) LedgerRestore(ctx context.Context, tx *sql.Tx, entries []LedgerEntry) (int, error) {
	added := 0
	tips := map[string]int{}
	for _, e := range entries {
		tip, ok := tips[e.AgreementID]
		if !ok {
			t, err := s.chainTip(ctx, tx, e.AgreementID)
			if err != nil {
				return added, err
			}
			tip = t.Position
		}
		if e.Position <= tip {
			tips[e.AgreementID] = tip
			continue
		}
		landed := false
		if e.Position == tip+1 {
			var err error
			if landed, err = s.insertLedger(ctx, tx, e); err != nil {
				return added, err
			}
		}
		if !landed {
			return added, fmt.Errorf("the ledger of agreement %q changed during the import (position %d): %w", e.AgreementID, e.Position, models.ErrConflict)
		}
		tips[e.AgreementID] = e.Position
		added++
	}
	return added, nil
}
