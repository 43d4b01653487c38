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
	// LedgerSignOff, LedgerDispute and LedgerResolution are acts on a
	// period's result (its lifecycle; see pkg/ledger): they hold no result.
	LedgerSignOff    = "signoff"
	LedgerDispute    = "dispute"
	LedgerResolution = "resolution"
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
		// The period's latest result, and its last entry of any kind (an act on a result).
		latest, err := s.queryLedger(ctx, s.db, `WHERE scope = ? AND agreement_id = ? AND period_start = ? AND kind IN (?, ?) ORDER BY seq DESC LIMIT 1`,
			s.scope, e.AgreementID, e.PeriodStart.UnixMilli(), LedgerClose, LedgerRestatement)
		if err != nil {
			return LedgerEntry{}, false, err
		}
		if len(latest) == 1 && latest[0].Digest == e.Digest {
			return latest[0], false, nil
		}
		last, err := s.queryLedgerCols(ctx, s.db, ledgerColumnsNoSnapshot, `WHERE scope = ? AND agreement_id = ? AND period_start = ? ORDER BY seq DESC LIMIT 1`, s.scope, e.AgreementID, e.PeriodStart.UnixMilli())
		if err != nil {
			return LedgerEntry{}, false, err
		}
		e.Seq, e.Kind = 1, LedgerClose
		if len(latest) == 1 {
			e.Seq, e.Kind = last[0].Seq+1, LedgerRestatement
		}
		tip, err := s.chainTipHash(ctx, s.db, e.AgreementID)
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

// chainTipHash is chainTip without its snapshot: its position and hash.
func (s *Store) chainTipHash(ctx context.Context, q queryer, agreementID string) (LedgerEntry, error) {
	tip, err := s.queryLedgerCols(ctx, q, ledgerColumnsNoSnapshot, `WHERE scope = ? AND agreement_id = ? ORDER BY chain_pos DESC LIMIT 1`, s.scope, agreementID)
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
	// NoResultSnapshots leaves the snapshots of closes and restatements empty
	// (their digests say what they hold); acts keep theirs (a period's
	// lifecycle reads them). For readers that do not read results.
	NoResultSnapshots bool
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
	cols := ledgerColumns
	if f.NoResultSnapshots {
		cols = ledgerColumnsNoResultSnapshot
	}
	return s.queryLedgerCols(ctx, q, cols, where+order, args...)
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

// ledgerColumnsNoSnapshot and ledgerColumnsNoResultSnapshot are
// ledgerColumns with every snapshot, or those of results, read as empty.
const (
	ledgerColumnsNoSnapshot       = `agreement_id, contract_id, period_start, period_end, seq, kind, computed_at, digest, '', actor, chain_pos, hash`
	ledgerColumnsNoResultSnapshot = `agreement_id, contract_id, period_start, period_end, seq, kind, computed_at, digest, ` +
		`CASE WHEN kind IN ('` + LedgerClose + `', '` + LedgerRestatement + `') THEN '' ELSE snapshot END, actor, chain_pos, hash`
)

func (s *Store) queryLedger(ctx context.Context, q queryer, where string, args ...any) ([]LedgerEntry, error) {
	return s.queryLedgerCols(ctx, q, ledgerColumns, where, args...)
}

func (s *Store) queryLedgerCols(ctx context.Context, q queryer, cols, where string, args ...any) ([]LedgerEntry, error) {
	rows, err := q.QueryContext(ctx, s.rebind(`SELECT `+cols+` FROM ledger `+where), args...)
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

// LedgerAct appends entries that act on a period's result (its lifecycle:
// sign-off, dispute, resolution, and a resolution's restatement). build gets
// the period's entries in sequence order and returns the entries to append, or
// an error that refuses the act; their Seq, Position and Hash are set here,
// after the period's last entry and the chain's tip. They land together or not
// at all: when another writer appended meanwhile, build runs again on what is
// stored then. Each act is recorded in the agreement's audit trail (at its
// version), in the same transaction.
func (s *Store) LedgerAct(ctx context.Context, agreementID string, version int64, periodStart time.Time, build func(period []LedgerEntry) ([]LedgerEntry, error)) (_ []LedgerEntry, err error) {
	defer markUnavailable(&err)
	for attempt := 0; attempt < 10; attempt++ {
		period, err := s.queryLedger(ctx, s.db, `WHERE scope = ? AND agreement_id = ? AND period_start = ? ORDER BY seq`, s.scope, agreementID, periodStart.UnixMilli())
		if err != nil {
			return nil, err
		}
		out, err := build(period)
		if err != nil {
			return nil, err
		}
		tip, err := s.chainTip(ctx, s.db, agreementID)
		if err != nil {
			return nil, err
		}
		landed, err := s.insertAll(ctx, out, period, tip, version)
		if err != nil || landed {
			return out, err
		}
	}
	return nil, models.ErrLedgerBusy
}

// insertAll appends entries in one transaction after the period's last entry
// and the chain's tip, setting their Seq, Position and Hash; landed is false
// (and nothing is written) when a sequence number or position was taken.
func (s *Store) insertAll(ctx context.Context, out, period []LedgerEntry, tip LedgerEntry, version int64) (landed bool, err error) {
	seq := 0
	if len(period) > 0 {
		seq = period[len(period)-1].Seq
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("store: append to the ledger: %w", err)
	}
	defer func() {
		if !landed || err != nil {
			_ = tx.Rollback()
		}
	}()
	for i := range out {
		seq++
		out[i].Seq, out[i].Position = seq, tip.Position+1
		out[i].Hash = ChainHash(tip.Hash, out[i])
		ok, err := s.insertLedger(ctx, tx, out[i])
		if err != nil || !ok {
			return false, err
		}
		tip = out[i]
		if out[i].Kind == LedgerClose || out[i].Kind == LedgerRestatement {
			continue
		}
		changes, _ := json.Marshal(map[string]any{"ledger": map[string]any{"periodStart": out[i].PeriodStart, "seq": out[i].Seq, "kind": out[i].Kind}})
		o := Object{Kind: "agreements", ID: out[i].AgreementID, Version: version}
		if err := s.audit(ctx, tx, o, out[i].Kind, out[i].Actor, out[i].ComputedAt, string(changes)); err != nil {
			return false, fmt.Errorf("store: audit a ledger act: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("store: append to the ledger: %w", err)
	}
	return true, nil
}
