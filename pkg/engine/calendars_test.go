package engine

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/connector"
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

// A business-time KPI: its rows' values are business minutes on the
// calendar weekdaysUTC (Mon–Fri 08:00–18:00 UTC), computed in process.
//
//	Fri 6 Mar 17:30 → Mon 9 Mar 08:30: 30 + 30 = 60 minutes
//	Mon 9 Mar 10:00 → 11:30: 90 minutes
//	Tue 10 Mar 09:00 → still open: no value
//
// A daily average then reads 60 on Fri 6, nothing at the weekend, 90 on Mon 9
// and nothing on Tue 10; the requests are 60, 90 and one open.
func TestBusinessTimeKPI(t *testing.T) {
	e := calendarEngine(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tickets.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	utcAt := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, time.UTC) }
	if _, err := db.Exec("CREATE TABLE tickets (opened INTEGER, answered INTEGER)"); err != nil {
		t.Fatal(err)
	}
	for _, tk := range [][2]any{{utcAt(6, 17, 30).Unix(), utcAt(9, 8, 30).Unix()}, {utcAt(9, 10, 0).Unix(), utcAt(9, 11, 30).Unix()}, {utcAt(10, 9, 0).Unix(), nil}} {
		if _, err := db.Exec("INSERT INTO tickets VALUES (?, ?)", tk[0], tk[1]); err != nil {
			t.Fatal(err)
		}
	}
	tickets, err := connector.Open(models.ConnectorSettings{UID: "t", Name: "tickets", Type: models.ConnectorSQLite, Path: path, TimeFormat: "unix", MaxOpenConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer tickets.Close()
	e.Connector = func(context.Context, string) (connector.Connector, error) { return tickets, nil }
	target := 120.0
	def := models.TrackerDef{Name: "Business response", Method: "avg", Interval: "1d", Timezone: "UTC", Target: models.Target{Constant: &target},
		KPI: models.KPIDef{Name: "Response", Unit: "m", Direction: models.LowerIsBetter, BusinessTime: &models.BusinessTime{CalendarID: "weekdays", Unit: "m"},
			ConnectorQuery: models.ConnectorQuery{Connector: "tickets", RawSQL: `SELECT opened AS time, answered AS "end",
				CASE WHEN answered IS NULL THEN 'open' ELSE 'resolved' END AS status FROM tickets WHERE $__timeFilter(opened)`}}}
	job := Job{Contract: "acme", Def: def, Key: "acme", Field: "trackers[0]"}
	s, err := e.TrackerSeries(ctx, job, utcAt(6, 0, 0), utcAt(11, 0, 0), utcAt(12, 0, 0), nil)
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	want := []float64{60, nan, nan, 90, nan}
	for i, w := range want {
		if g := s.Figures.Actual[i]; !(g == w || math.IsNaN(g) && math.IsNaN(w)) {
			t.Fatalf("actuals %v, want %v", s.Figures.Actual, want)
		}
	}
	if s.Pushed {
		t.Fatal("a business-time KPI is never pushed down")
	}

	ratio := def
	ratio.Method, ratio.Condition = "ratio", &models.Condition{Op: "<=", Threshold: 60}
	reqs, err := e.Requests(ctx, ratio, "acme", utcAt(6, 0, 0), utcAt(11, 0, 0), "trackers[0]")
	if err != nil || len(reqs) != 3 || reqs[0].Value != 60 || reqs[1].Value != 90 || !math.IsNaN(reqs[2].Value) || !reqs[2].Open || reqs[0].Open {
		t.Fatalf("requests %+v, %v", reqs, err)
	}

	job.Def.KPI.BusinessTime = &models.BusinessTime{CalendarID: "nope", Unit: "m"}
	_, err = e.TrackerSeries(ctx, job, utcAt(6, 0, 0), utcAt(11, 0, 0), utcAt(12, 0, 0), nil)
	var fe *models.FieldError
	if !errors.As(err, &fe) || fe.Field != "trackers[0].kpi.businessTime.calendarId" {
		t.Fatalf("unknown calendar: %v", err)
	}
}
