package registry

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/connector"
	"github.com/covenant/contracts/pkg/models"
)

// demoSource counts its calls and serves the demo data pinned at a fixed end.
type demoSource struct {
	t     *testing.T
	calls int
}

func (d *demoSource) open(ctx context.Context) (*connector.DemoDB, error) {
	d.calls++
	db, err := connector.OpenDemo(ctx, time.Date(2026, 3, 15, 12, 30, 0, 0, time.UTC))
	if err != nil {
		d.t.Fatal(err)
	}
	d.t.Cleanup(func() { _ = db.Close() })
	return db, nil
}

// A never-used store is seeded with the demo registry, as the demo actor; the
// demo data is generated once; a second seeding does nothing.
func TestSeedDemo(t *testing.T) {
	r, _ := newRegistry(t)
	ctx := context.Background()
	src := &demoSource{t: t}
	seeded, err := r.SeedDemo(ctx, src.open)
	if err != nil || !seeded || src.calls != 1 {
		t.Fatalf("seeded %v (%v), demo data generated %d times", seeded, err, src.calls)
	}
	want := map[string]int{"contracts": 3, "kpis": 5, "trackers": 7, "assignments": 10, "agreements": 3, "calendars": 1}
	for plural, n := range counts(t, r) {
		if n != want[plural] {
			t.Fatalf("%d %s seeded, want %d", n, plural, want[plural])
		}
	}
	s := snapshot(t, r)
	for id, c := range s.Contracts {
		if len(c.Tags) != 1 || c.Tags[0] != "demo" || c.CreatedBy != "covenant-demo" || c.Status == "" || c.RenewalDate == "" {
			t.Fatalf("demo contract %s: tags %v, by %q, status %q, renewal %q", id, c.Tags, c.CreatedBy, c.Status, c.RenewalDate)
		}
	}
	// Each agreement covers assignments of its own contract (the registry checked them on import).
	for _, g := range s.AllAgreements() {
		for _, tr := range g.Trackers {
			if s.Assignment(g.ContractID, tr.AssignmentID) == nil {
				t.Fatalf("agreement %s covers %s, not an assignment of %s", g.ID, tr.AssignmentID, g.ContractID)
			}
		}
	}
	if g := s.Agreements["acme-it"]; len(g) != 1 || g[0].Trackers[1].Mode != "occurrence" || s.Trackers["responses-within-60"].Method != "ratio" {
		t.Fatalf("acme-it's agreement: %+v", g)
	}
	// UK business hours, with the bank holidays and a maintenance window on
	// the Tuesday two weeks before the data's end (Sunday 15 March 2026 →
	// Tuesday 24 February, 09:00–11:00 GMT).
	cal := s.Calendars["uk-business-hours"]
	if cal == nil || len(cal.Hours) != 5 || len(cal.Holidays) != len(ukBankHolidays) || len(cal.Exclusions) != 1 ||
		!cal.Exclusions[0].From.Equal(time.Date(2026, 2, 24, 9, 0, 0, 0, time.UTC)) || !cal.Exclusions[0].To.Equal(time.Date(2026, 2, 24, 11, 0, 0, 0, time.UTC)) {
		t.Fatalf("demo calendar: %+v", cal)
	}
	if tr := s.Trackers["business-hours-availability"]; tr == nil || tr.CalendarID != "uk-business-hours" || !tr.WorkingTimeOnly {
		t.Fatalf("business-hours availability: %+v", tr)
	}
	if k := s.KPIs["first-response-business"]; k == nil || k.BusinessTime == nil || k.BusinessTime.CalendarID != "uk-business-hours" {
		t.Fatalf("business-time KPI: %+v", k)
	}
	gen := generation(t, r)
	again, err := r.SeedDemo(ctx, src.open)
	if err != nil || again || src.calls != 1 || generation(t, r) != gen {
		t.Fatalf("a second seeding: seeded %v (%v), demo data generated %d times, generation %d then %d", again, err, src.calls, gen, generation(t, r))
	}
}

// A store that once held something is not seeded, even when it is empty now:
// the user deleted the demo, or started from scratch.
func TestSeedDemoLeavesUsedStoreAlone(t *testing.T) {
	r, _ := newRegistry(t)
	ctx := context.Background()
	c := mustCreate(t, r, "contracts", acmeContract)
	if err := r.Delete(ctx, kind(t, "contracts"), "acme", c.GetMeta().Version, "tester"); err != nil {
		t.Fatal(err)
	}
	src := &demoSource{t: t}
	seeded, err := r.SeedDemo(ctx, src.open)
	if err != nil || seeded || src.calls != 0 {
		t.Fatalf("seeded %v (%v), demo data generated %d times", seeded, err, src.calls)
	}
	if n := counts(t, r)["contracts"]; n != 0 {
		t.Fatalf("%d contracts in a used store after seeding", n)
	}
}

// When the demo data cannot be generated, seeding fails and stores nothing.
func TestSeedDemoFailure(t *testing.T) {
	r, _ := newRegistry(t)
	boom := errors.New("no memory for the demo")
	seeded, err := r.SeedDemo(context.Background(), func(context.Context) (*connector.DemoDB, error) { return nil, boom })
	if !errors.Is(err, boom) || seeded {
		t.Fatalf("seeded %v, error %v", seeded, err)
	}
	if used, _ := r.Store.Used(context.Background()); used {
		t.Fatal("a failed seeding wrote to the store")
	}
	// Without the demo connector (disabled in the settings), the demo KPIs are refused and nothing lands.
	r.ConnectorType = func(string) (models.ConnectorType, bool) { return "", false }
	src := &demoSource{t: t}
	seeded, err = r.SeedDemo(context.Background(), src.open)
	if seeded {
		t.Fatal("seeded without a demo connector")
	}
	fieldError(t, err, "kpis[0].connector", `"demo" is not a connector of this datasource`)
	if used, _ := r.Store.Used(context.Background()); used {
		t.Fatal("a refused seeding wrote to the store")
	}
}
