-- The registry: every object (contract, kpi, tracker, assignment, agreement) as JSON with its
-- version, and the references between objects, so that a delete can be refused while
-- something depends on the object. One store per datasource instance.
CREATE TABLE objects (
  kind        TEXT    NOT NULL,
  id          TEXT    NOT NULL,
  version     BIGINT  NOT NULL,
  name        TEXT    NOT NULL,
  body        TEXT    NOT NULL,
  created_at  BIGINT  NOT NULL,
  created_by  TEXT    NOT NULL,
  updated_at  BIGINT  NOT NULL,
  updated_by  TEXT    NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE INDEX objects_name ON objects (kind, name);

CREATE TABLE refs (
  kind      TEXT NOT NULL,
  id        TEXT NOT NULL,
  field     TEXT NOT NULL,
  ref_kind  TEXT NOT NULL,
  ref_id    TEXT NOT NULL,
  PRIMARY KEY (kind, id, field, ref_kind, ref_id)
);
CREATE INDEX refs_target ON refs (ref_kind, ref_id);

-- Who changed what, when: one row per create, update and delete.
CREATE TABLE audit (
  seq      {{serial}},
  kind     TEXT   NOT NULL,
  id       TEXT   NOT NULL,
  version  BIGINT NOT NULL,
  action   TEXT   NOT NULL,
  actor    TEXT   NOT NULL,
  at       BIGINT NOT NULL,
  changes  TEXT   NOT NULL
);
CREATE INDEX audit_object ON audit (kind, id, seq);
