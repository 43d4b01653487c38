-- Registry scope: every row belongs to one datasource (its org id and uid), so one PostgreSQL
-- database can hold the registries of several datasources, in one org or in several, without
-- mixing them. The rows already stored move into the scope of the datasource that upgrades the
-- store ({{scope}}: the first datasource to open it after the upgrade).
CREATE TABLE objects_scoped (
  scope       TEXT    NOT NULL,
  kind        TEXT    NOT NULL,
  id          TEXT    NOT NULL,
  version     BIGINT  NOT NULL,
  name        TEXT    NOT NULL,
  body        TEXT    NOT NULL,
  created_at  BIGINT  NOT NULL,
  created_by  TEXT    NOT NULL,
  updated_at  BIGINT  NOT NULL,
  updated_by  TEXT    NOT NULL,
  sort_name   TEXT    NOT NULL DEFAULT '',
  PRIMARY KEY (scope, kind, id)
);
INSERT INTO objects_scoped (scope, kind, id, version, name, body, created_at, created_by, updated_at, updated_by, sort_name)
  SELECT {{scope}}, kind, id, version, name, body, created_at, created_by, updated_at, updated_by, sort_name FROM objects;
DROP TABLE objects;
ALTER TABLE objects_scoped RENAME TO objects;
CREATE INDEX objects_sort ON objects (scope, kind, sort_name, id);

CREATE TABLE refs_scoped (
  scope     TEXT NOT NULL,
  kind      TEXT NOT NULL,
  id        TEXT NOT NULL,
  field     TEXT NOT NULL,
  ref_kind  TEXT NOT NULL,
  ref_id    TEXT NOT NULL,
  PRIMARY KEY (scope, kind, id, field, ref_kind, ref_id)
);
INSERT INTO refs_scoped (scope, kind, id, field, ref_kind, ref_id) SELECT {{scope}}, kind, id, field, ref_kind, ref_id FROM refs;
DROP TABLE refs;
ALTER TABLE refs_scoped RENAME TO refs;
CREATE INDEX refs_target ON refs (scope, ref_kind, ref_id);
CREATE INDEX refs_field ON refs (scope, kind, field, ref_id, id);

-- The audit trail keeps its sequence numbers (the registry's generation counts on them).
ALTER TABLE audit ADD COLUMN scope TEXT NOT NULL DEFAULT '';
UPDATE audit SET scope = {{scope}};
DROP INDEX audit_object;
CREATE INDEX audit_object ON audit (scope, kind, id, seq);
CREATE INDEX audit_scope ON audit (scope, seq);

CREATE TABLE ledger_scoped (
  scope TEXT NOT NULL,
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
  PRIMARY KEY (scope, agreement_id, period_start, seq)
);
INSERT INTO ledger_scoped (scope, agreement_id, period_start, seq, period_end, contract_id, kind, computed_at, digest, snapshot, actor)
  SELECT {{scope}}, agreement_id, period_start, seq, period_end, contract_id, kind, computed_at, digest, snapshot, actor FROM ledger;
DROP TABLE ledger;
ALTER TABLE ledger_scoped RENAME TO ledger;
CREATE INDEX ledger_contract ON ledger (scope, contract_id, period_start)
