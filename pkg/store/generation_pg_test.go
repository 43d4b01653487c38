//go:build postgres

package store

import (
	"context"
	"testing"
	"time"
)

// Regression: the generation was MAX(audit.seq), which PostgreSQL numbers at
// insert, not at commit. A write A that inserted first and committed last left
// MAX(seq) where a later write B had put it, so a reader that built its
// snapshot between B's and A's commits kept it without A's object. Now writers
// of a scope take turns on the generation counter: B waits for A, and the
// generation moves with each commit.
func TestPostgreSQLGenerationMovesInCommitOrder(t *testing.T) {
	ctx := context.Background()
	url := freshDatabase(t)
	open := func() *Store {
		st, err := OpenPostgres(ctx, url, Scope{OrgID: 1, DatasourceUID: "generation"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		return st
	}
	a, b, reader := open(), open(), open()
	contract := func(id string) Object {
		return Object{Kind: "contract", ID: id, Name: id, Body: []byte(`{"name":"` + id + `","counterparty":"x","status":"active"}`)}
	}
	started, release, aDone, bDone := make(chan struct{}), make(chan struct{}), make(chan error, 1), make(chan error, 1)
	go func() {
		aDone <- a.Batch(ctx, "a", func(bt *Batch) error {
			if _, err := bt.Create(contract("slow")); err != nil {
				return err
			}
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	go func() { _, err := b.Create(ctx, contract("fast"), "b"); bDone <- err }()
	time.Sleep(300 * time.Millisecond)
	select {
	case err := <-bDone:
		t.Fatalf("B committed while A, which wrote first, was still open (%v): the generation would not move in commit order", err)
	default:
	}
	before, err := reader.Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	close(release)
	if err := <-aDone; err != nil {
		t.Fatal(err)
	}
	if err := <-bDone; err != nil {
		t.Fatal(err)
	}
	after, err := reader.Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	objs, _, err := reader.List(ctx, "contract", ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if after != before+2 || len(objs) != 2 {
		t.Fatalf("generation %d → %d with %d contracts; want two more and both contracts", before, after, len(objs))
	}
}
