package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/covenant/contracts/pkg/models"
)

// raceRounds is how many times each race is run.
const raceRounds = 100

// both runs f and g at once (released together) and returns their errors.
func both(f, g func() error) (error, error) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	var ef, eg error
	wg.Add(2)
	go func() { defer wg.Done(); <-start; ef = f() }()
	go func() { defer wg.Done(); <-start; eg = g() }()
	close(start)
	wg.Wait()
	return ef, eg
}

// racingCreateAndDelete creates a tracker while another writer deletes its KPI,
// raceRounds times: never both, and no reference is left dangling.
func racingCreateAndDelete(t *testing.T, a, b *Store) {
	ctx := context.Background()
	bothWon := 0
	for i := 0; i < raceRounds; i++ {
		kpiID, trackerID := fmt.Sprintf("k%d", i), fmt.Sprintf("t%d", i)
		if _, err := a.Create(ctx, obj("kpi", kpiID, "K", `{}`), "admin"); err != nil {
			t.Fatal(err)
		}
		ec, ed := both(
			func() error {
				_, err := a.Create(ctx, obj("tracker", trackerID, "T", `{}`, Ref{"kpiId", "kpi", kpiID}), "editor")
				return err
			},
			func() error { return b.Delete(ctx, "kpi", kpiID, 1, "admin") })
		var missing *MissingRefError
		if ec != nil && !errors.As(ec, &missing) {
			t.Fatalf("round %d: create: %v", i, ec)
		}
		if ed != nil && !errors.Is(ed, models.ErrInUse) {
			t.Fatalf("round %d: delete: %v", i, ed)
		}
		if ec == nil && ed == nil {
			bothWon++
		}
	}
	if n := danglingRefs(t, a); bothWon > 0 || n > 0 {
		t.Fatalf("the create and the delete both succeeded %d times in %d; %d dangling references", bothWon, raceRounds, n)
	}
}

// racingStaleDelete deletes at version 1 while another writer updates to version 2,
// raceRounds times: exactly one of them succeeds each time.
func racingStaleDelete(t *testing.T, a, b *Store) {
	ctx := context.Background()
	bothWon := 0
	for i := 0; i < raceRounds; i++ {
		c, err := a.Create(ctx, obj("contract", fmt.Sprintf("c%d", i), "C", `{"n":1}`), "admin")
		if err != nil {
			t.Fatal(err)
		}
		eu, ed := both(
			func() error {
				o := c
				o.Body = []byte(`{"n":2}`)
				_, err := a.Update(ctx, o, "editor")
				return err
			},
			func() error { return b.Delete(ctx, "contract", c.ID, 1, "admin") })
		if eu != nil && !errors.Is(eu, models.ErrConflict) && !errors.Is(eu, models.ErrNotFound) {
			t.Fatalf("round %d: update: %v", i, eu)
		}
		if ed != nil && !errors.Is(ed, models.ErrConflict) {
			t.Fatalf("round %d: delete: %v", i, ed)
		}
		if eu == nil && ed == nil {
			bothWon++
		}
		if eu != nil && ed != nil {
			t.Fatalf("round %d: neither won: %v, %v", i, eu, ed)
		}
	}
	if bothWon > 0 {
		t.Fatalf("a stale delete succeeded after an update %d times in %d", bothWon, raceRounds)
	}
}

// danglingRefs counts references to objects that do not exist.
func danglingRefs(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM refs r WHERE NOT EXISTS (SELECT 1 FROM objects o WHERE o.scope = r.scope AND o.kind = r.ref_kind AND o.id = r.ref_id)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// twoSQLite is two stores (two connection pools) on one SQLite file.
func twoSQLite(t *testing.T) (*Store, *Store) {
	s, path := openTest(t)
	other, err := OpenSQLite(context.Background(), path, testScope)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Close() })
	return s, other
}

func TestRacingCreateAndDeleteOnSQLite(t *testing.T) {
	a, b := twoSQLite(t)
	racingCreateAndDelete(t, a, b)
}

func TestRacingStaleDeleteOnSQLite(t *testing.T) {
	a, b := twoSQLite(t)
	racingStaleDelete(t, a, b)
}
