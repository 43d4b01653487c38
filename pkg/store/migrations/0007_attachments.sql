-- Files attached to ledger acts (a dispute's evidence): stored once per scope by the SHA-256 of
-- their content, which the ledger entry records. The content is base64 text, so that SQLite and
-- PostgreSQL store it the same way. Attachments are never changed or deleted through the API.
CREATE TABLE attachment (
  scope       TEXT    NOT NULL,
  sha256      TEXT    NOT NULL,
  name        TEXT    NOT NULL,
  type        TEXT    NOT NULL,
  size        BIGINT  NOT NULL,
  content     TEXT    NOT NULL,
  created_at  BIGINT  NOT NULL,
  created_by  TEXT    NOT NULL,
  PRIMARY KEY (scope, sha256)
);
