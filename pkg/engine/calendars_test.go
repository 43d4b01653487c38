package engine

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/ledger"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
)

// weekdaysUTC is Mon–Fri 08:00–18:00 UTC, with 2 March 2026 (a Monday) a holiday.
const weekdaysUTC = `{"id":"weekdays","name":"Weekdays","timezone":"UTC",
 "hours":[{"day":"mon","from":"08:00","to":"18:00"},{"day":"tue","from":"08:00","to":"18:00"},
  {"day":"wed","from":"08:00","to":"18:00"},{"day":"thu","from":"08:00","to":"18:00"},
  {"day":"fri","from":"08:00","to":"18:00"}],
 "holidays":[{"date":"2026-03-02","name":"Test holiday"}]}`

// calendarEngine is agreementEngine with the daily availability tracker on weekdaysUTC.
func calendarEngine(t *testing.T) *Engine {
	t.Helper()
	e := agreementEngine(t)
	ctx := context.Background()
	k, _ := registry.KindByPlural("calendars")
	c, err := registry.Decode(k, []byte(weekdaysUTC))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Registry.Create(ctx, k, c, "test"); err != nil {
		t.Fatal(err)
	}
	tk, _ := registry.KindByPlural("trackers")
	found, err := e.Registry.Find(ctx, tk, "availability")
	if err != nil {
		t.Fatal(err)
	}
	tr := found.(*models.Tracker)
	tr.CalendarID = "weekdays"
	if _, err := e.Registry.Update(ctx, tk, "availability", tr, "test"); err != nil {
		t.Fatal(err)
	}
	return e
}

// A registry tracker on a calendar: its weekend and holiday buckets are not
// evaluated, an agreement counts only its working days, and the ledger's
// inputs hold the calendar so the result can be computed again from them.
//
// February 2026 (UTC) has 28 days, 20 of them weekdays (Feb 1 is a Sunday:
// weekdays 2–6, 9–13, 16–20, 23–27), none a holiday: 20 evaluated buckets
// (the demo data has a row every day). March 1–14 (closed by demoEnd, 15
// March 12:30) has weekdays 2–6 and 9–13, less the holiday on the 2nd: 9.
func TestTrackerOnACalendar(t *testing.T) {
	e := calendarEngine(t)
	ctx := context.Background()
	snap, err := e.Registry.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := ContractJobs(snap, &models.TrackerSeriesQuery{Contract: "acme", TrackerIDs: []string{"availability"}})
	if err != nil || len(jobs) != 1 || jobs[0].Def.CalendarID != "weekdays" {
		t.Fatalf("jobs %+v, %v", jobs, err)
	}
	feb := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	s, err := e.TrackerSeries(ctx, jobs[0], feb, feb.AddDate(0, 1, 0), demoEnd, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := s.Figures
	evaluated := 0
	for i, start := range f.Start {
		weekend := start.Weekday() == time.Saturday || start.Weekday() == time.Sunday
		if weekend != math.IsNaN(f.Met[i]) || weekend != (f.Working[i] == 0) {
			t.Fatalf("%s: met %v, working %v", start.Format("Mon 2 Jan"), f.Met[i], f.Working[i])
		}
		if math.IsNaN(f.Actual[i]) {
			t.Fatalf("%s: the demo data has a row every day", start.Format("Mon 2 Jan"))
		}
		if !weekend {
			evaluated++
		}
	}
	if evaluated != 20 {
		t.Fatalf("%d weekdays evaluated in February, want 20", evaluated)
	}

	g := snap.Agreements["acme"][0]
	periods, _ := compliance.Periods(g.Period, feb, demoEnd, 10)
	if len(periods) != 2 {
		t.Fatalf("periods %v", periods)
	}
	a, err := e.LoadAgreement(ctx, snap, g, periods[0].Start, periods[1].End, demoEnd)
	if err != nil {
		t.Fatal(err)
	}
	if v := a.Versions(); v["calendar/weekdays"] != 1 {
		t.Fatalf("versions %v: want the calendar's", v)
	}
	for i, want := range []int{20, 9} {
		p := periods[i]
		r := a.Evaluate(p, demoEnd)
		if got := r.Trackers[0].Counts.Evaluated(); got != want {
			t.Fatalf("%s: %d availability buckets evaluated, want %d", p.Start.Format("Jan"), got, want)
		}
		in := a.Inputs(p)
		if in.Trackers[0].Calendar == nil || in.Trackers[0].Calendar.ID != "weekdays" || in.Trackers[0].Calendar.Version != 0 {
			t.Fatalf("the inputs hold the calendar without its meta: %+v", in.Trackers[0].Calendar)
		}
		y, _ := yaml.Marshal(in)
		raw, _ := yaml.YAMLToJSON(y)
		var back ledger.Inputs
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		got, err := back.Result(demoEnd)
		if err != nil || back.Digest() != in.Digest() {
			t.Fatalf("after YAML: same digest %v, %v", back.Digest() == in.Digest(), err)
		}
		if got.Trackers[0].Counts != r.Trackers[0].Counts || !sameNum(got.Compliance, r.Compliance) {
			t.Fatalf("recomputed %+v, evaluated %+v", got.Trackers[0].Counts, r.Trackers[0].Counts)
		}
		// Without the calendar the inputs give another result: they must hold it.
		back.Trackers[0].Calendar = nil
		if _, err := back.Result(demoEnd); err == nil {
			t.Fatal("inputs of a tracker on a calendar without the calendar: want an error")
		}
	}
}

// An inline tracker names a registry calendar; an unknown one is a query
// error on trackers[i].calendarId, as is one without a registry.
func TestInlineTrackerCalendar(t *testing.T) {
	e := calendarEngine(t)
	ctx := context.Background()
	target := 99.5
	def := models.TrackerDef{Name: "Availability", KPI: models.KPIDef{Name: "Uptime", Direction: models.HigherIsBetter,
		ConnectorQuery: models.ConnectorQuery{RawSQL: "SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key"}},
		Method: "avg", Interval: "1d", Timezone: "UTC", Target: models.Target{Constant: &target}, Missing: models.MissingMissed, CalendarID: "nope"}
	job := Job{Contract: "acme-it", Def: def, Key: "acme-it", Field: "trackers[0]"}
	from := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	_, err := e.TrackerSeries(ctx, job, from, from.AddDate(0, 0, 7), demoEnd, nil)
	var fe *models.FieldError
	if !errors.As(err, &fe) || fe.Field != "trackers[0].calendarId" || !errors.Is(err, models.ErrInvalidQuery) {
		t.Fatalf("unknown calendar: %v", err)
	}
	bare := New(nil, e.Connector, e.Now, time.Hour)
	if _, err := bare.TrackerSeries(ctx, job, from, from.AddDate(0, 0, 7), demoEnd, nil); !errors.As(err, &fe) || fe.Field != "trackers[0].calendarId" {
		t.Fatalf("a calendar without a registry: %v", err)
	}

	// Mon 2 March is the calendar's holiday, Sat 7 and Sun 8 the weekend.
	job.Def.CalendarID = "weekdays"
	s, err := e.TrackerSeries(ctx, job, from, from.AddDate(0, 0, 7), demoEnd, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range s.Figures.Met {
		if idle := i == 0 || i >= 5; idle != math.IsNaN(m) {
			t.Fatalf("day %d: met %v", i, m)
		}
	}
}

// The engine compiles a calendar once per version.
func TestCompiledCalendarCache(t *testing.T) {
	e := New(nil, nil, time.Now, time.Hour)
	c := &calendar.Calendar{Meta: models.Meta{ID: "c", Version: 1}, Name: "c", Timezone: "UTC", Hours: []calendar.Hours{{Day: "mon", From: "08:00", To: "18:00"}}}
	a, err := e.compiled(c)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := e.compiled(c); b != a {
		t.Fatal("compiled again at the same version")
	}
	c.Version = 2
	if b, _ := e.compiled(c); b == a {
		t.Fatal("a new version is compiled afresh")
	}
}
