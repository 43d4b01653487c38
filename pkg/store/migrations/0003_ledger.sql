-- The period-close ledger (docs/agreements.md): a frozen result per agreement and review period,
-- appended to (never overwritten) when a recomputation differs. The key makes each
-- (agreement, period, sequence) land once, whichever Grafana server writes it first.
CREATE TABLE ledger (
  agreement_id TEXT NOT NULL,
  period_start BIGINT NOT NULL,
  seq INTEGER NOT NULL,
  period_end BIGINT NOT NULL,
  contract_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  computed_at BIGINT NOT NULL,
  digest TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  actor TEXT NOT NULL,
  PRIMARY KEY (agreement_id, period_start, seq)
);
CREATE INDEX ledger_contract ON ledger (contract_id, period_start);
