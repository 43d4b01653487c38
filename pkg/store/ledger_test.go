package store

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"
)

func entry(digest string) LedgerEntry {
	return LedgerEntry{AgreementID: "sla", ContractID: "acme", PeriodStart: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		PeriodEnd: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), ComputedAt: time.Date(2026, 2, 1, 0, 5, 0, 0, time.UTC),
		Digest: digest, Snapshot: json.RawMessage(`{"compliance":97.5}`), Actor: "covenant-evaluator"}
}

// ledgerLifecycle: a close, the same result again (nothing), a different one (a restatement).
func ledgerLifecycle(t *testing.T, s *Store) {
	ctx := context.Background()
	e, added, err := s.LedgerAppend(ctx, entry("d1"))
	if err != nil || !added || e.Seq != 1 || e.Kind != LedgerClose {
		t.Fatalf("close: %+v %v %v", e, added, err)
	}
	if _, added, err := s.LedgerAppend(ctx, entry("d1")); err != nil || added {
		t.Fatalf("the same result appended again: %v %v", added, err)
	}
	late := entry("d2")
	late.Snapshot = json.RawMessage(`{"compliance":96.1}`)
	e, added, err = s.LedgerAppend(ctx, late)
	if err != nil || !added || e.Seq != 2 || e.Kind != LedgerRestatement {
		t.Fatalf("restatement: %+v %v %v", e, added, err)
	}
	all, err := s.Ledger(ctx, LedgerFilter{ContractIDs: []string{"acme"}})
	if err != nil || len(all) != 2 || string(all[0].Snapshot) != `{"compliance":97.5}` || all[1].Kind != LedgerRestatement {
		t.Fatalf("ledger %+v %v", all, err)
	}
	if !all[0].PeriodStart.Equal(entry("").PeriodStart) || all[0].Actor != "covenant-evaluator" {
		t.Fatalf("entry %+v", all[0])
	}
	// Without the results' snapshots (another agreement, so that sla's chain stays as racingClose expects).
	res := entry("d9")
	res.AgreementID = "light"
	res, _, err = s.LedgerAppend(ctx, res)
	if err != nil {
		t.Fatal(err)
	}
	act := res
	act.Seq, act.Kind, act.Position, act.Snapshot = 2, LedgerSignOff, 2, json.RawMessage(`{"by":{"login":"u"},"result":1}`)
	act.Hash = ChainHash(res.Hash, act)
	if ok, err := s.insertLedger(ctx, s.db, act); err != nil || !ok {
		t.Fatalf("act: %v %v", ok, err)
	}
	light, err := s.Ledger(ctx, LedgerFilter{AgreementID: "light", NoResultSnapshots: true})
	if err != nil || len(light) != 2 || len(light[0].Snapshot) != 0 || light[0].Digest != "d9" || string(light[1].Snapshot) != string(act.Snapshot) {
		t.Fatalf("without the results' snapshots: %+v %v", light, err)
	}
	if none, _ := s.Ledger(ctx, LedgerFilter{AgreementID: "other"}); len(none) != 0 {
		t.Fatalf("another agreement: %+v", none)
	}
}

func TestLedgerOnSQLite(t *testing.T) {
	s, _ := openTest(t)
	ledgerLifecycle(t, s)
}

// racingClose: writers close one period at once; exactly one close lands.
func racingClose(t *testing.T, stores ...*Store) {
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	added := 0
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func(s *Store) {
			defer wg.Done()
			e := entry("same")
			e.PeriodStart = e.PeriodStart.AddDate(0, 1, 0)
			_, ok, err := s.LedgerAppend(ctx, e)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				added++
				mu.Unlock()
			}
		}(stores[i%len(stores)])
	}
	wg.Wait()
	all, _ := stores[0].Ledger(ctx, LedgerFilter{AgreementID: "sla"})
	closes := 0
	for _, e := range all {
		if e.PeriodStart.Month() == time.February {
			closes++
		}
	}
	if added != 1 || closes != 1 {
		t.Fatalf("%d writers reported an append, %d entries for the period", added, closes)
	}
	verifyAll(t, stores[0])
}

func TestLedgerCloseIsWrittenOnceOnSQLite(t *testing.T) {
	s, _ := openTest(t)
	racingClose(t, s)
}
