package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/covenant/contracts/pkg/models"
)

// latestSchema is the version of the last migration.
func latestSchema(t *testing.T) int {
	all, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	return all[len(all)-1].version
}

// testScope is the datasource the tests' stores belong to.
var testScope = Scope{OrgID: 1, DatasourceUID: "covenant"}

func openTest(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "nested", "registry.db")
	s, err := OpenSQLite(context.Background(), path, testScope)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, path
}

func obj(kind, id, name, body string, refs ...Ref) Object {
	return Object{Kind: kind, ID: id, Name: name, Body: []byte(body), Refs: refs}
}

func TestStoreLifecycle(t *testing.T) {
	s, path := openTest(t)
	lifecycle(t, s, func() *Store {
		again, err := OpenSQLite(context.Background(), path, testScope)
		if err != nil {
			t.Fatal(err)
		}
		return again
	})
}

// lifecycle runs through create, update, conflicts, deletes, audit and a reopen.
func lifecycle(t *testing.T, s *Store, reopen func() *Store) {
	ctx := context.Background()
	kpi, err := s.Create(ctx, obj("kpi", "uptime", "Uptime", `{"name":"Uptime","unit":"percent"}`), "admin")
	if err != nil || kpi.Version != 1 || kpi.CreatedBy != "admin" {
		t.Fatalf("create: %+v %v", kpi, err)
	}
	if _, err := s.Create(ctx, obj("kpi", "uptime", "Uptime", `{}`), "admin"); !errors.Is(err, models.ErrExists) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := s.Create(ctx, obj("tracker", "t1", "Daily uptime", `{}`, Ref{"kpiId", "kpi", "nope"}), "admin"); err == nil || !strings.Contains(err.Error(), `kpiId: there is no kpi "nope"`) {
		t.Fatalf("missing ref: %v", err)
	}
	tr, err := s.Create(ctx, obj("tracker", "t1", "Daily uptime", `{"kpiId":"uptime"}`, Ref{"kpiId", "kpi", "uptime"}), "editor")
	if err != nil {
		t.Fatal(err)
	}
	// A stale update changes nothing.
	upd := kpi
	upd.Body, upd.Name = []byte(`{"name":"Availability","unit":"percent"}`), "Availability"
	if got, err := s.Update(ctx, upd, "editor"); err != nil || got.Version != 2 || got.CreatedBy != "admin" || got.UpdatedBy != "editor" {
		t.Fatalf("update: %+v %v", got, err)
	}
	upd.Body = []byte(`{"name":"Stale"}`)
	if _, err := s.Update(ctx, upd, "other"); !errors.Is(err, models.ErrConflict) || !strings.Contains(err.Error(), "is at version 2, not 1") {
		t.Fatalf("stale update: %v", err)
	}
	if got, _ := s.Get(ctx, "kpi", "uptime"); string(got.Body) != `{"name":"Availability","unit":"percent"}` {
		t.Fatalf("after a stale update: %s", got.Body)
	}
	// A delete is refused while a tracker uses the KPI, and on a stale version.
	if err := s.Delete(ctx, "kpi", "uptime", 2, "admin"); !errors.Is(err, models.ErrInUse) || !strings.Contains(err.Error(), `used by tracker "t1"`) {
		t.Fatalf("delete in use: %v", err)
	}
	if err := s.Delete(ctx, "tracker", "t1", 7, "admin"); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("stale delete: %v", err)
	}
	if err := s.Delete(ctx, "tracker", "t1", tr.Version, "admin"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "kpi", "uptime", 2, "admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "kpi", "uptime"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("deleted: %v", err)
	}
	audit, err := s.Audit(ctx, "kpi", "uptime")
	if err != nil || len(audit) != 3 || audit[0].Action != "create" || audit[1].Action != "update" || audit[2].Action != "delete" {
		t.Fatalf("audit: %+v %v", audit, err)
	}
	if audit[1].Actor != "editor" || audit[1].Changes != `{"name":{"new":"Availability","old":"Uptime"}}` {
		t.Fatalf("update audit: %+v", audit[1])
	}
	// The file survives a reopen (a Grafana restart), and migrating again changes nothing.
	if _, err := s.Create(ctx, obj("contract", "acme", "Acme", `{}`), "admin"); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	again := reopen()
	defer again.Close()
	if _, err := again.Get(ctx, "contract", "acme"); err != nil {
		t.Fatalf("after reopen: %v", err)
	}
	if v, _ := again.SchemaVersion(ctx); v != latestSchema(t) {
		t.Fatalf("schema version %d", v)
	}
}

func TestStoreListSearchAndPages(t *testing.T) {
	s, _ := openTest(t)
	listSearchAndPages(t, s)
}

func listSearchAndPages(t *testing.T, s *Store) {
	ctx := context.Background()
	for i := 0; i < 25; i++ {
		name := fmt.Sprintf("Contract %02d", i)
		if i%5 == 0 {
			name = fmt.Sprintf("Globex 100%% deal %02d", i)
		}
		if _, err := s.Create(ctx, obj("contract", fmt.Sprintf("c%02d", i), name, `{}`), "admin"); err != nil {
			t.Fatal(err)
		}
	}
	page, total, err := s.List(ctx, "contract", ListOptions{Limit: 10, Offset: 10})
	if err != nil || total != 25 || len(page) != 10 || page[0].Name != "Contract 13" {
		t.Fatalf("page 2: %d of %d, first %q, %v", len(page), total, page[0].Name, err)
	}
	found, total, _ := s.List(ctx, "contract", ListOptions{Search: "GLOBEX 100%"})
	if total != 5 || len(found) != 5 {
		t.Fatalf("search: %d", total)
	}
	if _, total, _ := s.List(ctx, "contract", ListOptions{Search: "_"}); total != 0 {
		t.Fatalf("_ is not a wildcard: %d", total)
	}
	if _, err := s.Create(ctx, obj("assignment", "a1", "a1", `{}`, Ref{"contractId", "contract", "c03"}), "admin"); err != nil {
		t.Fatal(err)
	}
	if got, total, _ := s.List(ctx, "assignment", ListOptions{Refs: map[string]string{"contractId": "c03"}}); total != 1 || got[0].ID != "a1" {
		t.Fatalf("filter by contract: %d", total)
	}
	if _, total, _ := s.List(ctx, "assignment", ListOptions{Refs: map[string]string{"contractId": "c04"}}); total != 0 {
		t.Fatalf("filter by another contract: %d", total)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	if _, err := s.db.ExecContext(ctx, `INSERT INTO schema_migrations VALUES (99, '0099_future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	if _, err := OpenSQLite(ctx, path, testScope); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("schema is version 99, newer than this plugin's %d: upgrade the plugin", latestSchema(t))) {
		t.Fatalf("got %v", err)
	}
}

// A store written by the previous schema (version 1) keeps its objects when
// the plugin upgrades it, and they list, sort, search and filter as new ones do.
func TestMigrationFromTheFirstSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	old := &Store{db: db, dialect: sqliteDialect, scope: testScope.key()}
	if err := old.migrateTo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO objects VALUES ('contract', 'b', 3, 'Beta Corp', '{"name":"Beta Corp"}', 0, 'admin', 0, 'admin')`,
		`INSERT INTO objects VALUES ('contract', 'a', 1, 'alpha ltd', '{"name":"alpha ltd"}', 0, 'admin', 0, 'admin')`,
		`INSERT INTO objects VALUES ('assignment', 'a-x', 1, 'a-x', '{}', 0, 'admin', 0, 'admin')`,
		`INSERT INTO refs VALUES ('assignment', 'a-x', 'contractId', 'contract', 'a')`,
		`INSERT INTO audit (kind, id, version, action, actor, at, changes) VALUES ('contract', 'b', 3, 'update', 'admin', 0, '{}')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	_ = db.Close()
	s, err := OpenSQLite(ctx, path, testScope)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(ctx); v != latestSchema(t) {
		t.Fatalf("schema version %d", v)
	}
	list, total, err := s.List(ctx, "contract", ListOptions{Limit: 10})
	if err != nil || total != 2 || list[0].ID != "a" || list[1].Version != 3 {
		t.Fatalf("after the upgrade: %+v %d %v", list, total, err)
	}
	if _, n, _ := s.List(ctx, "contract", ListOptions{Search: "BETA"}); n != 1 {
		t.Fatalf("search after the upgrade: %d", n)
	}
	if got, n, _ := s.List(ctx, "assignment", ListOptions{Refs: map[string]string{"contractId": "a"}}); n != 1 || got[0].ID != "a-x" {
		t.Fatalf("filter after the upgrade: %d", n)
	}
	if err := s.Delete(ctx, "contract", "a", 1, "admin"); !errors.Is(err, models.ErrInUse) {
		t.Fatalf("references survive the upgrade: %v", err)
	}
	if audit, _ := s.Audit(ctx, "contract", "b"); len(audit) != 1 {
		t.Fatalf("audit after the upgrade: %v", audit)
	}
	// The rows moved into the scope of the datasource that upgraded the store; another sees none.
	other, err := OpenSQLite(ctx, path, Scope{OrgID: 2, DatasourceUID: "covenant"})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, n, _ := other.List(ctx, "contract", ListOptions{}); n != 0 {
		t.Fatalf("another scope sees %d contracts", n)
	}
}
