package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/store"
)

// A read closes ended periods only when the evaluator has not within its
// interval, and closing twice appends nothing more.
func TestEnsureClosedWithinInterval(t *testing.T) {
	e := agreementEngine(t)
	ctx := context.Background()
	snap, err := e.Registry.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	count := func() int {
		entries, err := e.Registry.Store.Ledger(ctx, store.LedgerFilter{AgreementID: "sla"})
		if err != nil {
			t.Fatal(err)
		}
		return len(entries)
	}
	// The evaluator ran a minute ago (within the hour): a read leaves the ledger alone.
	e.lastRun["sla"] = demoEnd.Add(-time.Minute)
	if err := e.EnsureClosed(ctx, snap, snap.AllAgreements(), demoEnd); err != nil || count() != 0 {
		t.Fatalf("within the interval: %d entries (%v)", count(), err)
	}
	// Two hours ago: the read closes the two years of ended months itself (March 2024 – February 2026).
	e.lastRun["sla"] = demoEnd.Add(-2 * time.Hour)
	if err := e.EnsureClosed(ctx, snap, snap.AllAgreements(), demoEnd); err != nil || count() != 24 {
		t.Fatalf("after the interval: %d entries (%v)", count(), err)
	}
	if !e.lastRun["sla"].Equal(demoEnd) {
		t.Fatalf("last run %v", e.lastRun["sla"])
	}
	if n, err := e.ClosePeriods(ctx, snap, snap.AllAgreements(), demoEnd); err != nil || n != 0 || count() != 24 {
		t.Fatalf("closing again appended %d (%v)", n, err)
	}
}

// An agreement query selects one agreement or a contract's; unknown ids name the field.
func TestSelectAgreements(t *testing.T) {
	e := agreementEngine(t)
	snap, err := e.Registry.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q     models.AgreementQuery
		want  int
		field string
	}{
		{models.AgreementQuery{Agreement: "sla"}, 1, ""},
		{models.AgreementQuery{Contract: "acme"}, 1, ""},
		{models.AgreementQuery{Contract: "*"}, 1, ""},
		{models.AgreementQuery{Contract: "{acme,acme}"}, 1, ""},
		{models.AgreementQuery{Agreement: "nope"}, 0, "agreement"},
		{models.AgreementQuery{Contract: "acme,nope"}, 0, "contract"},
	} {
		got, err := SelectAgreements(snap, &tc.q)
		var fe *models.FieldError
		switch {
		case tc.field == "" && (err != nil || len(got) != tc.want):
			t.Errorf("%+v: %d agreements (%v), want %d", tc.q, len(got), err, tc.want)
		case tc.field != "" && (!errors.As(err, &fe) || fe.Field != tc.field):
			t.Errorf("%+v: %v, want an error on %s", tc.q, err, tc.field)
		}
	}
}

// A registry contract resolves to its assigned trackers with their ids; trackerIds
// narrows them and names one that is not assigned; the bucket budget is shared.
func TestJobsAndBudget(t *testing.T) {
	e := agreementEngine(t)
	ctx := context.Background()
	snap, err := e.Registry.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := QueryJobs(snap, &models.TrackerSeriesQuery{Contract: "acme"})
	if err != nil || len(jobs) != 2 {
		t.Fatalf("%d jobs (%v)", len(jobs), err)
	}
	if j := jobs[0]; j.TrackerID != "availability" || j.KPIID != "uptime" || j.AssignmentID != "a-avail" || j.Key != "acme-it" || j.Counterparty != "Acme Corp" || !j.Registered() {
		t.Fatalf("job %+v", j)
	}
	one, err := QueryJobs(snap, &models.TrackerSeriesQuery{Contract: "acme", TrackerIDs: []string{"within-60"}})
	if err != nil || len(one) != 1 || one[0].TrackerID != "within-60" {
		t.Fatalf("narrowed: %+v (%v)", one, err)
	}
	if _, err := QueryJobs(snap, &models.TrackerSeriesQuery{Contract: "acme", TrackerIDs: []string{"nope"}}); err == nil || !strings.HasPrefix(err.Error(), "trackerIds:") {
		t.Fatalf("unassigned tracker: %v", err)
	}
	// 30 daily buckets each: a budget of 45 pays for the first tracker and refuses the second.
	budget := NewBudget(45)
	from := demoEnd.Truncate(24*time.Hour).AddDate(0, 0, -30)
	to := demoEnd.Truncate(24 * time.Hour)
	if _, err := e.TrackerSeries(ctx, jobs[0], from, to, demoEnd, budget); err != nil {
		t.Fatal(err)
	}
	_, err = e.TrackerSeries(ctx, jobs[1], from, to, demoEnd, budget)
	var fe *models.FieldError
	if !errors.As(err, &fe) || fe.Field != `tracker "within-60".interval` {
		t.Fatalf("over the budget: %v", err)
	}
}
