package store

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"
)

// verifyAll fails the test unless every agreement's chain holds.
func verifyAll(t *testing.T, s *Store) []ChainStatus {
	t.Helper()
	st, err := s.VerifyLedger(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range st {
		if !c.OK {
			t.Fatalf("the chain of %s is broken: %+v", c.AgreementID, c)
		}
	}
	return st
}

// A restatement of an earlier period appended after a later period's close
// joins the chain at its end: the chain is in the order entries were appended.
func TestLedgerChainInAppendOrder(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	jan, feb := entry("jan-1"), entry("feb-1")
	feb.PeriodStart, feb.PeriodEnd = jan.PeriodEnd, jan.PeriodEnd.AddDate(0, 1, 0)
	late := entry("jan-2")
	for _, e := range []LedgerEntry{jan, feb, late} {
		if _, added, err := s.LedgerAppend(ctx, e); err != nil || !added {
			t.Fatalf("append %s: %v %v", e.Digest, added, err)
		}
	}
	chain, _ := s.Ledger(ctx, LedgerFilter{AgreementID: "sla", ChainOrder: true})
	if len(chain) != 3 || chain[2].Digest != "jan-2" || chain[2].Position != 3 || chain[2].Seq != 2 || chain[2].Kind != LedgerRestatement {
		t.Fatalf("chain %+v", chain)
	}
	if chain[1].Hash != ChainHash(chain[0].Hash, chain[1]) || chain[0].Hash != ChainHash("", chain[0]) || len(chain[0].Hash) != 64 {
		t.Fatalf("hashes %q %q", chain[0].Hash, chain[1].Hash)
	}
	if st := verifyAll(t, s); len(st) != 1 || st[0].Entries != 3 {
		t.Fatalf("verify %+v", st)
	}
}

// Changing, removing or reordering stored entries is reported at the first entry that no longer holds.
func TestLedgerTamperingIsDetected(t *testing.T) {
	for _, c := range []struct {
		name, sql string
		at        int
		reason    string
	}{
		{"edited snapshot", `UPDATE ledger SET snapshot = '{"compliance":100}' WHERE chain_pos = 2`, 1, "hash does not match"},
		{"edited actor", `UPDATE ledger SET actor = 'someone' WHERE chain_pos = 1`, 0, "hash does not match"},
		{"removed entry", `DELETE FROM ledger WHERE chain_pos = 2`, 1, "position is 3 where 2 comes next"},
		{"swapped entries", `UPDATE ledger SET chain_pos = 100 WHERE chain_pos = 2; UPDATE ledger SET chain_pos = 2 WHERE chain_pos = 3; UPDATE ledger SET chain_pos = 3 WHERE chain_pos = 100`, 1, "hash does not match"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, _ := openTest(t)
			ctx := context.Background()
			for i, d := range []string{"a", "b", "c", "d"} {
				e := entry(d)
				e.PeriodStart = e.PeriodStart.AddDate(0, i, 0)
				if _, _, err := s.LedgerAppend(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
			verifyAll(t, s)
			for _, q := range strings.Split(c.sql, ";") {
				if _, err := s.db.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			st, err := s.VerifyLedger(ctx, "sla")
			if err != nil || len(st) != 1 || st[0].OK || st[0].BrokenAt == nil || *st[0].BrokenAt != c.at || !strings.Contains(st[0].Reason, c.reason) {
				t.Fatalf("verify after %s: %+v %v", c.name, st, err)
			}
		})
	}
}

// The hash covers the snapshot's meaning, not its bytes: key order and number
// spelling (as a YAML round trip changes them) hash the same; a changed figure does not.
func TestChainHashOfCanonicalSnapshot(t *testing.T) {
	a, b, c := entry("d"), entry("d"), entry("d")
	a.Snapshot = json.RawMessage(`{"result":{"compliance":97.5,"n":123456789},"versions":{"kpi/x":2}}`)
	b.Snapshot = json.RawMessage(`{"versions": {"kpi/x": 2.0}, "result": {"n": 1.23456789e+08, "compliance": 97.50}}`)
	c.Snapshot = json.RawMessage(`{"result":{"compliance":97.6,"n":123456789},"versions":{"kpi/x":2}}`)
	if ChainHash("p", a) != ChainHash("p", b) {
		t.Fatal("the same snapshot spelled differently hashes differently")
	}
	if ChainHash("p", a) == ChainHash("p", c) || ChainHash("p", a) == ChainHash("q", a) {
		t.Fatal("a changed figure or previous hash hashes the same")
	}
}

// racingAppends: writers on several stores append the closes of different
// periods of one agreement at once; every close lands and the chain holds.
func racingAppends(t *testing.T, stores ...*Store) {
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			e := entry("p")
			e.AgreementID = "busy"
			e.PeriodStart = time.Date(2024, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC)
			if _, ok, err := stores[i%len(stores)].LedgerAppend(ctx, e); err != nil || !ok {
				t.Errorf("period %d: %v %v", i, ok, err)
			}
		}(i)
	}
	wg.Wait()
	st, err := stores[0].VerifyLedger(ctx, "busy")
	if err != nil || len(st) != 1 || !st[0].OK || st[0].Entries != 12 {
		t.Fatalf("after racing appends: %+v %v", st, err)
	}
}

func TestLedgerRacingAppendsOnSQLite(t *testing.T) {
	a, b := twoSQLite(t)
	racingAppends(t, a, b)
}
