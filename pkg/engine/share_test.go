package engine

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/connector"
	"github.com/covenant/contracts/pkg/registry"
)

// Two agreements on two contracts cover the same tracker with the same key:
// within one evaluation their series is read once, and every figure is the
// one each computes alone.
func TestAgreementsShareASeries(t *testing.T) {
	e := agreementEngine(t)
	ctx := context.Background()
	// A second contract with the same trackers, key and agreement.
	for _, o := range []struct{ kind, body string }{
		{"contracts", `{"id":"acme2","name":"Acme IT 2","counterparty":"Acme Corp","value":1800000,"currency":"EUR","status":"active"}`},
		{"assignments", `{"id":"b-avail","contractId":"acme2","trackerId":"availability","key":"acme-it"}`},
		{"assignments", `{"id":"b-resp","contractId":"acme2","trackerId":"within-60","key":"acme-it"}`},
		{"agreements", `{"id":"sla2","name":"Service levels 2","contractId":"acme2","period":{"kind":"month","timezone":"UTC"},"complianceTarget":90,
			"trackers":[{"assignmentId":"b-avail","weight":3},{"assignmentId":"b-resp","weight":1,"mode":"occurrence"}],"impactCostPerMiss":200}`},
	} {
		k, _ := registry.KindByPlural(o.kind)
		obj, err := registry.Decode(k, []byte(o.body))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Registry.Create(ctx, k, obj, "test"); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := e.Registry.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int64
	inner := e.Connector
	e.Connector = func(ctx context.Context, name string) (connector.Connector, error) {
		calls.Add(1)
		return inner(ctx, name)
	}
	from := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	var maxHeld int64
	evaluate := func(share bool) string {
		e.NoSharing = !share
		calls.Store(0)
		agreements := snap.AllAgreements()
		c := e.ShareSeries(ctx, snap, agreements)
		s, _ := c.Value(sharedKey{}).(*shared)
		var out []any
		for _, g := range agreements {
			times, results, err := e.AgreementSeries(c, snap, g, from, demoEnd, demoEnd)
			if err != nil {
				t.Fatal(err)
			}
			if s != nil {
				maxHeld = max(maxHeld, s.heldBytes())
			}
			out = append(out, times, results)
		}
		if s != nil && s.heldBytes() != 0 {
			t.Fatalf("%d bytes of series still kept after their last asker", s.heldBytes())
		}
		raw, _ := json.Marshal(out)
		return string(raw)
	}
	alone := evaluate(false)
	aloneCalls := calls.Load()
	shared := evaluate(true)
	if shared != alone {
		t.Fatal("shared series changed the figures")
	}
	// Alone: each agreement reads its timeslice tracker (its occurrence one
	// reads requests, which are not shared). Shared: the timeslice series once.
	if aloneCalls < 4 || calls.Load() != aloneCalls-1 {
		t.Fatalf("connector calls: %d alone, %d shared", aloneCalls, calls.Load())
	}
	if maxHeld == 0 {
		t.Fatal("no series was kept for the second agreement")
	}
	// Over the budget, the series is not kept: each agreement reads its own,
	// with the same figures.
	e.SharedBudget = maxHeld - 1
	if evaluate(true) != alone || calls.Load() != aloneCalls {
		t.Fatalf("over the budget: %d connector calls, want %d, or other figures", calls.Load(), aloneCalls)
	}
}
