-- The ledger's hash chain: one chain per agreement, in the order its entries were appended
-- (chain_pos 1, 2, …). Each entry's hash is SHA-256 over its content and the previous entry's
-- hash, so a changed, removed or reordered entry breaks every hash after it. The entries already
-- stored are chained by the Go step of this migration (store.chainExisting, in the same
-- transaction), in the order they were written (computed_at, period_start, seq), which then
-- adds the unique index on (scope, agreement_id, chain_pos).
ALTER TABLE ledger ADD COLUMN chain_pos INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ledger ADD COLUMN hash TEXT NOT NULL DEFAULT ''
