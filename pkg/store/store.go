// Package store keeps the registry (contracts, KPIs, trackers, assignments,
// agreements) of one datasource instance: objects as versioned JSON, the
// references between them, and an audit trail. Embedded SQLite by default;
// the SQL is written so that PostgreSQL can hold the same schema for Grafana in HA.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// The store's errors are models.ErrNotFound, ErrConflict, ErrExists, ErrInUse
// and ErrLedgerBusy; a failure of the database itself is wrapped as
// models.ErrStoreUnavailable (see unavailable).

// Ref is a reference from an object to another, e.g. a tracker's kpiId.
type Ref struct {
	Field string // the referring field, e.g. kpiId
	Kind  string // the kind referred to
	ID    string
}

// Object is one stored object.
type Object struct {
	Kind      string
	ID        string
	Version   int64
	Name      string
	Body      []byte // JSON
	Refs      []Ref
	CreatedAt time.Time
	CreatedBy string
	UpdatedAt time.Time
	UpdatedBy string
}

// AuditEntry is one change of an object.
type AuditEntry struct {
	Version int64     `json:"version"`
	Action  string    `json:"action"` // create, update, delete
	Actor   string    `json:"actor"`
	At      time.Time `json:"at"`
	Changes string    `json:"changes"` // JSON: the fields that changed, old and new
}

// ListOptions narrows a list.
type ListOptions struct {
	Search string            // case-insensitive substring of the name
	Refs   map[string]string // field -> id, e.g. contractId -> acme
	Limit  int               // 0: all
	Offset int
	// Unordered skips sorting by name (for loading everything).
	Unordered bool
}

// Store is one registry on a SQL database: the rows of its scope.
type Store struct {
	db      *sql.DB
	dialect dialect
	scope   string // Scope.key(): every row read or written carries it
}

// Scope is the datasource a registry belongs to. Every row of every table is
// keyed by it, so one PostgreSQL database holds the registries of several
// datasources (in one org or several) without mixing them.
type Scope struct {
	OrgID         int64
	DatasourceUID string
}

// key is the scope as stored in the scope column: "<org id>/<datasource uid>".
func (sc Scope) key() string { return strconv.FormatInt(sc.OrgID, 10) + "/" + sc.DatasourceUID }

type dialect struct {
	name   string
	serial string
	bind   func(n int) string
	// forShare and forUpdate lock the rows a SELECT reads until the transaction
	// ends. SQLite needs none: its write transactions (BEGIN IMMEDIATE) run one at a time.
	forShare, forUpdate string
}

var (
	sqliteDialect   = dialect{name: "sqlite", serial: "INTEGER PRIMARY KEY", bind: func(int) string { return "?" }}
	postgresDialect = dialect{name: "postgres", serial: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", bind: func(n int) string { return "$" + strconv.Itoa(n) },
		forShare: " FOR SHARE", forUpdate: " FOR UPDATE"}
)

func isUniqueViolation(err error) bool {
	m := err.Error()
	return strings.Contains(m, "UNIQUE constraint failed") || strings.Contains(m, "duplicate key value") || strings.Contains(m, "SQLSTATE 23505")
}

// rebind turns ? markers into the dialect's.
func (s *Store) rebind(q string) string {
	if s.dialect.name == "sqlite" {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString(s.dialect.bind(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations are the schema steps in order; a store records which it has applied.
func migrations() ([]migration, error) {
	entries, err := migrationFiles.ReadDir("migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		v, err := strconv.Atoi(strings.SplitN(e.Name(), "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: the name must start with its number", e.Name())
		}
		body, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].version < out[b].version })
	return out, nil
}

type migration struct {
	version int
	name    string
	sql     string
}

// Migrate applies the migrations the store has not applied yet, all in one
// transaction (both databases have transactional DDL); it refuses a store whose
// schema is newer than this plugin. On PostgreSQL an advisory lock makes
// plugin processes that start together migrate one after the other.
func (s *Store) Migrate(ctx context.Context) error { return s.migrateTo(ctx, 1<<30) }

// migrateTo applies the migrations up to version upTo (tests start from an older schema with it).
func (s *Store) migrateTo(ctx context.Context, upTo int) error {
	all, err := migrations()
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if s.dialect.name == "postgres" {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(72616311)`); err != nil {
			return fmt.Errorf("store: lock for migrations: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", err)
	}
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("store: read schema version: %w", err)
	}
	if latest := all[len(all)-1].version; current > latest {
		return fmt.Errorf("store: its schema is version %d, newer than this plugin's %d: upgrade the plugin (the store is left as it is)", current, latest)
	}
	for _, m := range all {
		if m.version <= current || m.version > upTo {
			continue
		}
		if err := s.apply(ctx, tx, m); err != nil {
			return err
		}
		if step := s.goSteps()[m.version]; step != nil {
			if err := step(ctx, tx); err != nil {
				return fmt.Errorf("store: migration %s: %w", m.name, err)
			}
		}
	}
	return tx.Commit()
}

func (s *Store) apply(ctx context.Context, tx *sql.Tx, m migration) error {
	body := strings.NewReplacer("{{serial}}", s.dialect.serial, "{{scope}}", sqlString(s.scope)).Replace(m.sql)
	for _, stmt := range strings.Split(body, ";") {
		if strings.TrimSpace(stripComments(stmt)) == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("store: migration %s: %w", m.name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`), m.version, m.name, time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("store: record migration %s: %w", m.name, err)
	}
	return nil
}

// sqlString quotes s as an SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func stripComments(s string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// SchemaVersion is the highest migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

const objectColumns = `kind, id, version, name, body, created_at, created_by, updated_at, updated_by`

func scanObject(row interface{ Scan(...any) error }) (Object, error) {
	var o Object
	var body string
	var created, updated int64
	if err := row.Scan(&o.Kind, &o.ID, &o.Version, &o.Name, &body, &created, &o.CreatedBy, &updated, &o.UpdatedBy); err != nil {
		return Object{}, err
	}
	o.Body = []byte(body)
	o.CreatedAt, o.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	return o, nil
}

// Get returns one object.
func (s *Store) Get(ctx context.Context, kind, id string) (_ Object, err error) {
	defer markUnavailable(&err)
	o, err := s.getObject(ctx, s.db, kind, id, "")
	if err != nil {
		return Object{}, err
	}
	o.Refs, err = s.refs(ctx, kind, id)
	return o, err
}

// querier is a database or a transaction.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// getObject reads one object of the scope (without its references), with a row lock
// suffix (dialect.forUpdate, forShare or ""); ErrNotFound when there is none.
func (s *Store) getObject(ctx context.Context, q querier, kind, id, lock string) (Object, error) {
	o, err := scanObject(q.QueryRowContext(ctx, s.rebind(`SELECT `+objectColumns+` FROM objects WHERE scope = ? AND kind = ? AND id = ?`+lock), s.scope, kind, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Object{}, fmt.Errorf("%s %q: %w", kind, id, models.ErrNotFound)
	}
	return o, err
}

func (s *Store) refs(ctx context.Context, kind, id string) ([]Ref, error) {
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT field, ref_kind, ref_id FROM refs WHERE scope = ? AND kind = ? AND id = ? ORDER BY field, ref_id`), s.scope, kind, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Ref
	for rows.Next() {
		var r Ref
		if err := rows.Scan(&r.Field, &r.Kind, &r.ID); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// List returns a page of objects of a kind, by name, and how many match in all.
func (s *Store) List(ctx context.Context, kind string, opt ListOptions) (_ []Object, _ int, err error) {
	defer markUnavailable(&err)
	where := []string{"o.scope = ? AND o.kind = ?"}
	args := []any{s.scope, kind}
	if opt.Search != "" {
		where = append(where, "o.sort_name LIKE ? ESCAPE '\\'")
		args = append(args, "%"+likeEscape(strings.ToLower(opt.Search))+"%")
	}
	fields := make([]string, 0, len(opt.Refs))
	for f := range opt.Refs {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	// The first reference filter drives the query through the refs index (the few
	// objects that refer to an id); further ones narrow it.
	from := "objects o"
	for i, f := range fields {
		if i == 0 {
			from = "refs r0 CROSS JOIN objects o"
			where = append(where, "r0.scope = ? AND r0.kind = ? AND r0.field = ? AND r0.ref_id = ? AND o.id = r0.id")
			args = append(args, s.scope, kind, f, opt.Refs[f])
			continue
		}
		where = append(where, "o.id IN (SELECT r.id FROM refs r WHERE r.scope = ? AND r.kind = ? AND r.field = ? AND r.ref_id = ?)")
		args = append(args, s.scope, kind, f, opt.Refs[f])
	}
	cond := strings.Join(where, " AND ")
	total := -1
	if opt.Limit > 0 { // a page: how many in all (a whole list counts itself)
		if err := s.db.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM `+from+` WHERE `+cond), args...).Scan(&total); err != nil {
			return nil, 0, err
		}
	}
	q := `SELECT ` + prefixed("o.", objectColumns) + ` FROM ` + from + ` WHERE ` + cond
	if !opt.Unordered {
		q += ` ORDER BY o.sort_name, o.id`
	}
	if opt.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", opt.Limit, max(opt.Offset, 0))
	}
	rows, err := s.db.QueryContext(ctx, s.rebind(q), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Object
	for rows.Next() {
		o, err := scanObject(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, o)
	}
	if total < 0 {
		total = len(out)
	}
	return out, total, rows.Err()
}

func prefixed(p, cols string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = p + parts[i]
	}
	return strings.Join(parts, ", ")
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Create stores a new object at version 1. Its references must exist.
func (s *Store) Create(ctx context.Context, o Object, actor string) (_ Object, err error) {
	defer markUnavailable(&err)
	return s.write(ctx, func(tx *sql.Tx, now time.Time) (Object, error) { return s.create(ctx, tx, o, actor, now) })
}

// Update replaces an object if its stored version is o.Version, and bumps the version.
func (s *Store) Update(ctx context.Context, o Object, actor string) (_ Object, err error) {
	defer markUnavailable(&err)
	return s.write(ctx, func(tx *sql.Tx, now time.Time) (Object, error) { return s.update(ctx, tx, o, actor, now) })
}

// Batch runs fn's creates and updates in one transaction: all of them land, or none.
func (s *Store) Batch(ctx context.Context, actor string, fn func(b *Batch) error) error {
	_, err := s.write(ctx, func(tx *sql.Tx, now time.Time) (Object, error) {
		return Object{}, fn(&Batch{s: s, ctx: ctx, tx: tx, now: now, actor: actor})
	})
	return err
}

// Batch is a set of writes in one transaction.
type Batch struct {
	s     *Store
	ctx   context.Context
	tx    *sql.Tx
	now   time.Time
	actor string
}

// RestoreLedger adds the ledger entries the store does not hold yet (see LedgerRestore).
func (b *Batch) RestoreLedger(entries []LedgerEntry) (int, error) {
	return b.s.LedgerRestore(b.ctx, b.tx, entries)
}

// Ledger reads ledger entries inside the batch's transaction.
func (b *Batch) Ledger(f LedgerFilter) ([]LedgerEntry, error) { return b.s.ledgerIn(b.ctx, b.tx, f) }

// Audit records an act on the registry as a whole (e.g. an import) in the audit
// trail, as the batch's actor's: kind "registry", the id names the act.
func (b *Batch) Audit(id, action, changes string) error {
	return b.s.audit(b.ctx, b.tx, Object{Kind: "registry", ID: id}, action, b.actor, b.now, changes)
}

// Create adds an object in the batch.
func (b *Batch) Create(o Object) (Object, error) { return b.s.create(b.ctx, b.tx, o, b.actor, b.now) }

// Update changes an object in the batch (o.Version must be the stored one).
func (b *Batch) Update(o Object) (Object, error) { return b.s.update(b.ctx, b.tx, o, b.actor, b.now) }

// Get reads an object inside the batch's transaction (seeing the batch's own writes).
func (b *Batch) Get(kind, id string) (Object, error) { return b.s.getObject(b.ctx, b.tx, kind, id, "") }

func (s *Store) create(ctx context.Context, tx *sql.Tx, o Object, actor string, now time.Time) (Object, error) {
	var n int
	if err := tx.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM objects WHERE scope = ? AND kind = ? AND id = ?`), s.scope, o.Kind, o.ID).Scan(&n); err != nil {
		return Object{}, err
	}
	if n > 0 {
		return Object{}, fmt.Errorf("%s %q: %w", o.Kind, o.ID, models.ErrExists)
	}
	o.Version, o.CreatedAt, o.CreatedBy, o.UpdatedAt, o.UpdatedBy = 1, now, actor, now, actor
	if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO objects (scope, `+objectColumns+`, sort_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		s.scope, o.Kind, o.ID, o.Version, o.Name, string(o.Body), now.UnixMilli(), actor, now.UnixMilli(), actor, strings.ToLower(o.Name)); err != nil {
		if isUniqueViolation(err) { // created by another process since the check
			return Object{}, fmt.Errorf("%s %q: %w", o.Kind, o.ID, models.ErrExists)
		}
		return Object{}, err
	}
	if err := s.setRefs(ctx, tx, o); err != nil {
		return Object{}, err
	}
	return o, s.audit(ctx, tx, o, "create", actor, now, Diff(nil, o.Body))
}

func (s *Store) update(ctx context.Context, tx *sql.Tx, o Object, actor string, now time.Time) (Object, error) {
	old, err := s.getObject(ctx, tx, o.Kind, o.ID, s.dialect.forUpdate)
	if err != nil {
		return Object{}, err
	}
	res, err := tx.ExecContext(ctx, s.rebind(`UPDATE objects SET version = version + 1, name = ?, sort_name = ?, body = ?, updated_at = ?, updated_by = ? WHERE scope = ? AND kind = ? AND id = ? AND version = ?`),
		o.Name, strings.ToLower(o.Name), string(o.Body), now.UnixMilli(), actor, s.scope, o.Kind, o.ID, o.Version)
	if err != nil {
		return Object{}, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return Object{}, staleVersion(o.Kind, o.ID, old.Version, o.Version)
	}
	o.Version, o.CreatedAt, o.CreatedBy, o.UpdatedAt, o.UpdatedBy = old.Version+1, old.CreatedAt, old.CreatedBy, now, actor
	if _, err := tx.ExecContext(ctx, s.rebind(`DELETE FROM refs WHERE scope = ? AND kind = ? AND id = ?`), s.scope, o.Kind, o.ID); err != nil {
		return Object{}, err
	}
	if err := s.setRefs(ctx, tx, o); err != nil {
		return Object{}, err
	}
	return o, s.audit(ctx, tx, o, "update", actor, now, Diff(old.Body, o.Body))
}

// Delete removes an object at the given version, unless something refers to it.
// The object's row is locked first (PostgreSQL), so a writer adding a reference
// to it waits, and the DELETE itself carries the version: a write that landed
// in between leaves it 0 rows, a conflict.
func (s *Store) Delete(ctx context.Context, kind, id string, version int64, actor string) (err error) {
	defer markUnavailable(&err)
	_, err = s.write(ctx, func(tx *sql.Tx, now time.Time) (Object, error) {
		old, err := s.getObject(ctx, tx, kind, id, s.dialect.forUpdate)
		if err != nil {
			return Object{}, err
		}
		if old.Version != version {
			return Object{}, staleVersion(kind, id, old.Version, version)
		}
		if err := s.checkUnused(ctx, tx, kind, id); err != nil {
			return Object{}, err
		}
		res, err := tx.ExecContext(ctx, s.rebind(`DELETE FROM objects WHERE scope = ? AND kind = ? AND id = ? AND version = ?`), s.scope, kind, id, version)
		if err != nil {
			return Object{}, err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return Object{}, staleVersion(kind, id, old.Version+1, version)
		}
		if _, err := tx.ExecContext(ctx, s.rebind(`DELETE FROM refs WHERE scope = ? AND kind = ? AND id = ?`), s.scope, kind, id); err != nil {
			return Object{}, err
		}
		return old, s.audit(ctx, tx, Object{Kind: kind, ID: id, Version: old.Version}, "delete", actor, now, Diff(old.Body, nil))
	})
	return err
}

// staleVersion is the conflict of a write made at a version the object is no longer at.
func staleVersion(kind, id string, stored, given int64) error {
	return fmt.Errorf("%s %q is at version %d, not %d: %w", kind, id, stored, given, models.ErrConflict)
}

// checkUnused is ErrInUse, naming the users, when another object refers to kind/id.
func (s *Store) checkUnused(ctx context.Context, tx *sql.Tx, kind, id string) error {
	rows, err := tx.QueryContext(ctx, s.rebind(`SELECT kind, id FROM refs WHERE scope = ? AND ref_kind = ? AND ref_id = ? ORDER BY kind, id`), s.scope, kind, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	var users []string
	for rows.Next() {
		var k, i string
		if err := rows.Scan(&k, &i); err != nil {
			return err
		}
		users = append(users, k+" "+strconv.Quote(i))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(users) > 0 {
		return fmt.Errorf("%s %q is used by %s: %w", kind, id, strings.Join(users, ", "), models.ErrInUse)
	}
	return nil
}

// setRefs records o's references after checking that each target exists. The
// target's row is share-locked (PostgreSQL) until the transaction ends, so a
// concurrent delete of it waits and then sees the new reference.
func (s *Store) setRefs(ctx context.Context, tx *sql.Tx, o Object) error {
	for _, r := range o.Refs {
		var one int
		err := tx.QueryRowContext(ctx, s.rebind(`SELECT 1 FROM objects WHERE scope = ? AND kind = ? AND id = ?`+s.dialect.forShare), s.scope, r.Kind, r.ID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return &MissingRefError{Ref: r}
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO refs (scope, kind, id, field, ref_kind, ref_id) VALUES (?, ?, ?, ?, ?, ?)`), s.scope, o.Kind, o.ID, r.Field, r.Kind, r.ID); err != nil {
			return err
		}
	}
	return nil
}

// MissingRefError is a reference to an object that does not exist.
type MissingRefError struct{ Ref Ref }

func (e *MissingRefError) Error() string {
	return fmt.Sprintf("%s: there is no %s %q", e.Ref.Field, e.Ref.Kind, e.Ref.ID)
}

// audit records a change in the audit trail and moves the store's generation
// (see Generation), in the change's transaction.
func (s *Store) audit(ctx context.Context, tx *sql.Tx, o Object, action, actor string, at time.Time, changes string) error {
	_, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO audit (scope, kind, id, version, action, actor, at, changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		s.scope, o.Kind, o.ID, o.Version, action, actor, at.UnixMilli(), changes)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, s.rebind(`INSERT INTO generation (scope, gen) VALUES (?, 1) ON CONFLICT (scope) DO UPDATE SET gen = generation.gen + 1`), s.scope)
	return err
}

// Audit returns an object's changes, oldest first.
func (s *Store) Audit(ctx context.Context, kind, id string) (_ []AuditEntry, err error) {
	defer markUnavailable(&err)
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT version, action, actor, at, changes FROM audit WHERE scope = ? AND kind = ? AND id = ? ORDER BY seq`), s.scope, kind, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []AuditEntry{}
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&e.Version, &e.Action, &e.Actor, &at, &e.Changes); err != nil {
			return nil, err
		}
		e.At = time.UnixMilli(at).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// write runs fn in a transaction. PostgreSQL may end one of two transactions
// that lock rows in opposite orders (a deadlock) or fail a serialization: the
// work is then run again from the start, a few times.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx, now time.Time) (Object, error)) (Object, error) {
	for attempt := 1; ; attempt++ {
		o, err := s.writeOnce(ctx, fn)
		if err == nil || attempt == 3 || !retryable(err) {
			return o, err
		}
	}
}

func (s *Store) writeOnce(ctx context.Context, fn func(tx *sql.Tx, now time.Time) (Object, error)) (Object, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Object{}, err
	}
	defer func() { _ = tx.Rollback() }()
	o, err := fn(tx, time.Now().UTC().Truncate(time.Millisecond))
	if err != nil {
		return Object{}, err
	}
	return o, tx.Commit()
}

// retryable is a PostgreSQL deadlock (40P01) or serialization failure (40001).
func retryable(err error) bool {
	m := err.Error()
	return strings.Contains(m, "SQLSTATE 40P01") || strings.Contains(m, "SQLSTATE 40001")
}

// Used reports whether the store has ever held an object (its audit trail is not empty).
func (s *Store) Used(ctx context.Context) (_ bool, err error) {
	defer markUnavailable(&err)
	var n int
	err = s.db.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM (SELECT 1 FROM audit WHERE scope = ? LIMIT 1) AS a`), s.scope).Scan(&n)
	return n > 0, err
}

// Generation identifies the store's state: it changes with every write, from
// any process sharing the store, in the order the writes commit (a counter
// each write transaction increments; writers of one scope take turns on it).
func (s *Store) Generation(ctx context.Context) (_ int64, err error) {
	defer markUnavailable(&err)
	var g int64
	err = s.db.QueryRowContext(ctx, s.rebind(`SELECT COALESCE(MAX(gen), 0) FROM generation WHERE scope = ?`), s.scope).Scan(&g)
	return g, err
}

// markUnavailable wraps an error of the database itself (not one of the
// store's refusals: a missing object, a version conflict, a duplicate id, an
// object in use, a busy ledger, a missing reference; nor a deadline or an
// error the caller's own function returned as a FieldError) as
// models.ErrStoreUnavailable, so that callers can tell the store's outage from
// their own mistakes.
func markUnavailable(err *error) {
	e := *err
	if e == nil {
		return
	}
	var missing *MissingRefError
	var fe *models.FieldError
	for _, known := range []error{models.ErrNotFound, models.ErrConflict, models.ErrExists, models.ErrInUse, models.ErrLedgerBusy,
		models.ErrStoreUnavailable, models.ErrInvalidQuery, models.ErrInvalidInput, context.DeadlineExceeded, context.Canceled} {
		if errors.Is(e, known) {
			return
		}
	}
	if errors.As(e, &missing) || errors.As(e, &fe) {
		return
	}
	*err = fmt.Errorf("%w: %w", models.ErrStoreUnavailable, e)
}
