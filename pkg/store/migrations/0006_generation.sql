-- The store's generation per scope: a counter every write transaction increments (with its
-- audit entry). A reader's cached snapshot is current while the counter has not moved. The
-- counter replaces MAX(audit.seq): PostgreSQL hands out seq when a row is inserted, not when
-- its transaction commits, so a write that committed after a later-numbered one left MAX(seq)
-- unchanged and readers kept a snapshot without it. Updating one row per scope makes writers
-- of a scope take turns, so the counter moves in commit order.
CREATE TABLE generation (
  scope  TEXT    NOT NULL PRIMARY KEY,
  gen    BIGINT  NOT NULL
);
INSERT INTO generation (scope, gen) SELECT scope, MAX(seq) FROM audit GROUP BY scope;
