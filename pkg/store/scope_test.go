package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// scopesApart: two registries in one database (two datasources, here in two
// orgs, with the same ids) see only their own objects, references, audit and ledger.
func scopesApart(t *testing.T, a, b *Store) {
	ctx := context.Background()
	for _, s := range []*Store{a, b} {
		if _, err := s.Create(ctx, obj("kpi", "uptime", "Uptime "+s.scope, `{}`), "admin"); err != nil {
			t.Fatalf("%s: the same id in another scope: %v", s.scope, err)
		}
	}
	if _, err := a.Create(ctx, obj("tracker", "t1", "T", `{}`, Ref{"kpiId", "kpi", "uptime"}), "admin"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.LedgerAppend(ctx, entry("d1")); err != nil {
		t.Fatal(err)
	}
	// An attachment is stored once, by its content's hash, and only a's holds it.
	content := []byte("outage report: customer firewall change at 09:12")
	att, err := a.PutAttachment(ctx, "report.txt", "text/plain", content, "dana", time.Now())
	if err != nil || att.Size != int64(len(content)) || att.Name != "report.txt" {
		t.Fatalf("attachment %+v, %v", att, err)
	}
	if again, err := a.PutAttachment(ctx, "other-name.txt", "text/plain", content, "lee", time.Now()); err != nil || again.SHA256 != att.SHA256 || again.Name != "report.txt" {
		t.Fatalf("the same content again: %+v, %v", again, err)
	}
	if _, got, err := a.AttachmentContent(ctx, att.SHA256); err != nil || string(got) != string(content) {
		t.Fatalf("content %q, %v", got, err)
	}
	if _, err := b.AttachmentInfo(ctx, att.SHA256); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another scope's attachment: %v", err)
	}
	// b's KPI is not used (a's tracker refers to a's KPI), and b has no ledger.
	if err := b.Delete(ctx, "kpi", "uptime", 1, "admin"); err != nil {
		t.Fatalf("delete in the other scope: %v", err)
	}
	if err := a.Delete(ctx, "kpi", "uptime", 1, "admin"); !errors.Is(err, models.ErrInUse) {
		t.Fatalf("a's KPI is in use: %v", err)
	}
	if got, err := a.Get(ctx, "kpi", "uptime"); err != nil || got.Name != "Uptime "+a.scope {
		t.Fatalf("a's KPI: %+v %v", got, err)
	}
	if _, n, _ := b.List(ctx, "tracker", ListOptions{}); n != 0 {
		t.Fatalf("b lists %d trackers", n)
	}
	if l, _ := b.Ledger(ctx, LedgerFilter{}); len(l) != 0 {
		t.Fatalf("b reads %d ledger entries", len(l))
	}
	if l, _ := a.Ledger(ctx, LedgerFilter{}); len(l) != 1 {
		t.Fatalf("a reads %d ledger entries", len(l))
	}
	if audit, _ := b.Audit(ctx, "kpi", "uptime"); len(audit) != 2 || audit[1].Action != "delete" {
		t.Fatalf("b's audit: %+v", audit)
	}
	if audit, _ := a.Audit(ctx, "kpi", "uptime"); len(audit) != 1 {
		t.Fatalf("a's audit: %+v", audit)
	}
	ga, _ := a.Generation(ctx)
	if _, err := b.Create(ctx, obj("contract", "x", "X", `{}`), "admin"); err != nil {
		t.Fatal(err)
	}
	if again, _ := a.Generation(ctx); again != ga {
		t.Fatalf("a write in b changed a's generation: %d → %d", ga, again)
	}
}

func TestScopesApartOnSQLite(t *testing.T) {
	a, path := openTest(t)
	b, err := OpenSQLite(context.Background(), path, Scope{OrgID: 2, DatasourceUID: "covenant"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	scopesApart(t, a, b)
}

// upgradeIntoScope: a store at schema 3 (before scopes) is upgraded by the first
// datasource that opens it, and every row (objects, references, audit, ledger)
// moves into that datasource's scope; a datasource of another scope sees none.
func upgradeIntoScope(t *testing.T, old *Store, open func(Scope) *Store) {
	ctx := context.Background()
	if err := old.migrateTo(ctx, 3); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO objects (kind, id, version, name, body, created_at, created_by, updated_at, updated_by, sort_name) VALUES ('kpi', 'k', 2, 'K', '{}', 0, 'admin', 0, 'admin', 'k')`,
		`INSERT INTO objects (kind, id, version, name, body, created_at, created_by, updated_at, updated_by, sort_name) VALUES ('tracker', 't', 1, 'T', '{}', 0, 'admin', 0, 'admin', 't')`,
		`INSERT INTO refs (kind, id, field, ref_kind, ref_id) VALUES ('tracker', 't', 'kpiId', 'kpi', 'k')`,
		`INSERT INTO audit (kind, id, version, action, actor, at, changes) VALUES ('kpi', 'k', 2, 'update', 'admin', 0, '{}')`,
		`INSERT INTO ledger (agreement_id, period_start, seq, period_end, contract_id, kind, computed_at, digest, snapshot, actor) VALUES ('sla', 0, 1, 1, 'acme', 'close', 2, 'd', '{}', 'covenant-evaluator')`,
		`INSERT INTO ledger (agreement_id, period_start, seq, period_end, contract_id, kind, computed_at, digest, snapshot, actor) VALUES ('sla', 1, 1, 2, 'acme', 'close', 3, 'e', '{}', 'covenant-evaluator')`,
		`INSERT INTO ledger (agreement_id, period_start, seq, period_end, contract_id, kind, computed_at, digest, snapshot, actor) VALUES ('sla', 0, 2, 1, 'acme', 'restatement', 4, 'f', '{}', 'covenant-evaluator')`,
	} {
		if _, err := old.db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	_ = old.Close()
	s := open(testScope)
	defer s.Close()
	if got, err := s.Get(ctx, "tracker", "t"); err != nil || len(got.Refs) != 1 {
		t.Fatalf("after the upgrade: %+v %v", got, err)
	}
	if err := s.Delete(ctx, "kpi", "k", 2, "admin"); !errors.Is(err, models.ErrInUse) {
		t.Fatalf("references survive the upgrade: %v", err)
	}
	if audit, _ := s.Audit(ctx, "kpi", "k"); len(audit) != 1 {
		t.Fatalf("audit after the upgrade: %+v", audit)
	}
	// The entries are chained in the order they were written: the restatement of the first period last.
	if l, _ := s.Ledger(ctx, LedgerFilter{ChainOrder: true}); len(l) != 3 || l[2].Digest != "f" || l[2].Position != 3 {
		t.Fatalf("ledger after the upgrade: %+v", l)
	}
	verifyAll(t, s)
	if _, added, err := s.LedgerAppend(ctx, LedgerEntry{AgreementID: "sla", PeriodStart: time.UnixMilli(2), Digest: "g", Snapshot: json.RawMessage(`{}`)}); err != nil || !added {
		t.Fatalf("append after the upgrade: %v %v", added, err)
	}
	verifyAll(t, s)
	other := open(Scope{OrgID: 2, DatasourceUID: "other"})
	defer other.Close()
	if _, n, _ := other.List(ctx, "kpi", ListOptions{}); n != 0 {
		t.Fatalf("another scope sees %d KPIs", n)
	}
	if l, _ := other.Ledger(ctx, LedgerFilter{}); len(l) != 0 {
		t.Fatalf("another scope sees %d ledger entries", len(l))
	}
	if used, _ := other.Used(ctx); used {
		t.Fatal("another scope is reported used")
	}
}

func TestUpgradeIntoScopeOnSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v3.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	upgradeIntoScope(t, &Store{db: db, dialect: sqliteDialect}, func(sc Scope) *Store {
		s, err := OpenSQLite(context.Background(), path, sc)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
