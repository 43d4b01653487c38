//go:build postgres

// The store on a real PostgreSQL (scripts/postgres.sh), as Grafana in HA uses it:
//
//	COVENANT_PG_URL=$(scripts/postgres.sh url) go test -tags postgres -run PostgreSQL ./pkg/store/
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/covenant/contracts/pkg/models"
)

// freshDatabase creates an empty database for one test and returns its URL.
func freshDatabase(t *testing.T) string {
	t.Helper()
	raw := os.Getenv("COVENANT_PG_URL")
	if raw == "" {
		t.Fatal("COVENANT_PG_URL is not set: start scripts/postgres.sh and export COVENANT_PG_URL=$(scripts/postgres.sh url)")
	}
	admin, err := sql.Open("pgx", raw)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := "covenant_store_" + strings.ToLower(t.Name())
	for _, q := range []string{"DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", "CREATE DATABASE " + name} {
		if _, err := admin.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	u, _ := url.Parse(raw)
	u.Path = "/" + name
	return u.String()
}

func openPG(t *testing.T, dsn string) *Store {
	t.Helper()
	s, err := OpenPostgres(context.Background(), dsn, testScope)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPostgreSQLStore(t *testing.T) {
	dsn := freshDatabase(t)
	lifecycle(t, openPG(t, dsn), func() *Store { return openPG(t, dsn) })
}

func TestPostgreSQLStoreList(t *testing.T) {
	s := openPG(t, freshDatabase(t))
	defer s.Close()
	listSearchAndPages(t, s)
}

// Two plugin processes (two stores, two connection pools) share one PostgreSQL store.
func TestPostgreSQLStoreSharedByTwoProcesses(t *testing.T) {
	dsn := freshDatabase(t)
	ctx := context.Background()
	// Both start at once: the advisory lock makes them migrate one after the other.
	var wg sync.WaitGroup
	stores := make([]*Store, 2)
	errs := make([]error, 2)
	for i := range stores {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			stores[i], errs[i] = OpenPostgres(ctx, dsn, testScope)
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	a, b := stores[0], stores[1]
	defer a.Close()
	defer b.Close()
	if v, _ := b.SchemaVersion(ctx); v != latestSchema(t) {
		t.Fatalf("schema version %d", v)
	}
	c, err := a.Create(ctx, obj("contract", "acme", "Acme", `{"n":0}`), "grafana-1")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := b.Get(ctx, "contract", "acme"); err != nil || got.Version != 1 {
		t.Fatalf("the other process reads %+v, %v", got, err)
	}
	// Twenty writers on both processes update from the same version: exactly one wins.
	results := make(chan error, 20)
	for i := 0; i < 20; i++ {
		go func(i int) {
			s := []*Store{a, b}[i%2]
			o := c
			o.Body = []byte(fmt.Sprintf(`{"n":%d}`, i))
			_, err := s.Update(ctx, o, fmt.Sprintf("writer-%d", i))
			results <- err
		}(i)
	}
	wins := 0
	for i := 0; i < 20; i++ {
		err := <-results
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, models.ErrConflict):
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d writers won, want exactly 1", wins)
	}
	if got, _ := a.Get(ctx, "contract", "acme"); got.Version != 2 {
		t.Fatalf("version %d after the race", got.Version)
	}
	// Racing creates of one id: one succeeds, the other is told it exists.
	errs2 := make(chan error, 2)
	for _, s := range []*Store{a, b} {
		go func(s *Store) {
			_, err := s.Create(ctx, obj("contract", "globex", "Globex", `{}`), "x")
			errs2 <- err
		}(s)
	}
	e1, e2 := <-errs2, <-errs2
	if (e1 == nil) == (e2 == nil) || !(errors.Is(e1, models.ErrExists) || errors.Is(e2, models.ErrExists)) {
		t.Fatalf("racing creates: %v, %v", e1, e2)
	}
}

// The ledger on PostgreSQL, shared by two stores (two Grafana servers): a
// period is closed exactly once, whichever writes first.
func TestPostgreSQLLedger(t *testing.T) {
	dsn := freshDatabase(t)
	a, b := openPG(t, dsn), openPG(t, dsn)
	ledgerLifecycle(t, a)
	racingClose(t, a, b)
}

// twoPG is two stores (two plugin processes) on one fresh database.
func twoPG(t *testing.T) (*Store, *Store) {
	dsn := freshDatabase(t)
	a, b := openPG(t, dsn), openPG(t, dsn)
	t.Cleanup(func() { _ = a.Close(); _ = b.Close() })
	return a, b
}

// A tracker created while its KPI is deleted, by two processes, 100 times.
func TestPostgreSQLRacingCreateAndDelete(t *testing.T) {
	a, b := twoPG(t)
	racingCreateAndDelete(t, a, b)
}

// A stale delete racing an update, by two processes, 100 times.
func TestPostgreSQLRacingStaleDelete(t *testing.T) {
	a, b := twoPG(t)
	racingStaleDelete(t, a, b)
}

// Two datasources in two orgs keep their registries in one PostgreSQL database.
func TestPostgreSQLScopesApart(t *testing.T) {
	dsn := freshDatabase(t)
	a := openPG(t, dsn)
	b, err := OpenPostgres(context.Background(), dsn, Scope{OrgID: 2, DatasourceUID: "covenant"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	scopesApart(t, a, b)
}

// A PostgreSQL store from before scopes moves into the scope of the datasource that opens it.
func TestPostgreSQLUpgradeIntoScope(t *testing.T) {
	dsn := freshDatabase(t)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	upgradeIntoScope(t, &Store{db: db, dialect: postgresDialect}, func(sc Scope) *Store {
		s, err := OpenPostgres(context.Background(), dsn, sc)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// Two processes append to one agreement's chain at once: it stays one chain.
func TestPostgreSQLLedgerRacingAppends(t *testing.T) {
	a, b := twoPG(t)
	racingAppends(t, a, b)
}
