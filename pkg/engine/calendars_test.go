package engine

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"os"
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

	// What its chart shades over the week's buckets: the holiday Monday to Tuesday 08:00, the
	// nights Tue–Fri, and Friday 18:00 to the week's end.
	sh := s.Shading
	if sh == nil || sh.CalendarID != "weekdays" || sh.CalendarName != "Weekdays" || !sh.Complete || len(sh.Excluded) != 0 {
		t.Fatalf("shading %+v", sh)
	}
	day := func(d, hour int) time.Time { return time.Date(2026, 3, d, hour, 0, 0, 0, time.UTC) }
	want := []calendar.Interval{{From: day(2, 0), To: day(3, 8)}, {From: day(3, 18), To: day(4, 8)}, {From: day(4, 18), To: day(5, 8)},
		{From: day(5, 18), To: day(6, 8)}, {From: day(6, 18), To: day(9, 0)}}
	if !sh.From.Equal(from) || !sh.To.Equal(day(9, 0)) || len(sh.OffHours) != len(want) {
		t.Fatalf("off hours %v over [%s, %s)", sh.OffHours, sh.From, sh.To)
	}
	for k, iv := range sh.OffHours {
		if !iv.From.Equal(want[k].From) || !iv.To.Equal(want[k].To) {
			t.Fatalf("off hours %d: %v, want %v", k, iv, want[k])
		}
	}

	// Without a calendar, nothing to shade.
	job.Def.CalendarID = ""
	if s, err := e.TrackerSeries(ctx, job, from, from.AddDate(0, 0, 7), demoEnd, nil); err != nil || s.Shading != nil {
		t.Fatalf("without a calendar: %+v, %v", s.Shading, err)
	}
}

// Shading carries a calendar's exclusions met by the buckets, and over MaxShadedIntervals
// non-working intervals only says there are too many.
func TestShading(t *testing.T) {
	from := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	cal := &calendar.Calendar{Meta: models.Meta{ID: "c"}, Name: "Office", Timezone: "UTC",
		Hours: []calendar.Hours{{Day: "mon", From: "08:00", To: "18:00"}, {Day: "tue", From: "08:00", To: "18:00"}},
		Exclusions: []calendar.Exclusion{
			{From: from.Add(9 * time.Hour), To: from.Add(11 * time.Hour), Reason: calendar.ReasonMaintenance, Note: "CHG-1"},
			{From: from.AddDate(0, 0, 30), To: from.AddDate(0, 0, 31), Reason: calendar.ReasonForceMajeure},
		}}
	cc, err := calendar.Compile(cal)
	if err != nil {
		t.Fatal(err)
	}
	// A week: Monday before 08:00, the maintenance, Monday night, and Tuesday 18:00 on.
	sh := shading(cal, cc, from, from.AddDate(0, 0, 7))
	if !sh.Complete || len(sh.OffHours) != 4 || len(sh.Excluded) != 1 || sh.Excluded[0].Note != "CHG-1" {
		t.Fatalf("a week: %+v", sh)
	}
	// Two working days a week: about 2 intervals a week, so 20 years are over the limit.
	sh = shading(cal, cc, from, from.AddDate(20, 0, 0))
	if sh.Complete || sh.OffHours != nil || len(sh.Excluded) != 2 {
		t.Fatalf("20 years: complete %v, %d intervals, %d exclusions", sh.Complete, len(sh.OffHours), len(sh.Excluded))
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
		t.Fatal("SQLite does not push business time down (only PostgreSQL does)")
	}

	ratio := def
	ratio.Method, ratio.Condition = "ratio", &models.Condition{Op: "<=", Threshold: 60}
	reqs, err := e.Requests(ctx, ratio, "acme", utcAt(6, 0, 0), utcAt(11, 0, 0), "trackers[0]")
	if err != nil || len(reqs) != 3 || reqs[0].Value != 60 || reqs[1].Value != 90 || !math.IsNaN(reqs[2].Value) || !reqs[2].Open || reqs[0].Open {
		t.Fatalf("requests %+v, %v", reqs, err)
	}
	// Open tickets are timed on the KPI's calendar: the one opened on 10 March
	// at 09:00 has been open 60 business minutes at 10:00 (not past "<= 60"),
	// 61 at 10:01; one opened on Friday 6 March at 17:30 only 30 by Saturday
	// noon, though 18.5 hours have passed.
	clock, cal, err := e.goalClock(ctx, ratio, "trackers[0]")
	if err != nil || cal == nil || cal.ID != "weekdays" {
		t.Fatalf("goal clock calendar %v, %v", cal, err)
	}
	march := compliance.Period{Start: utcAt(1, 0, 0), End: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	for _, tc := range []struct {
		now  time.Time
		risk int
	}{{utcAt(10, 10, 0), 0}, {utcAt(10, 10, 1), 1}} {
		if c := compliance.OccurrenceCounts(reqs, *ratio.Condition, clock, march, tc.now, 6); c.AtRisk != tc.risk {
			t.Fatalf("at %s: %d at risk, want %d", tc.now, c.AtRisk, tc.risk)
		}
	}
	friday := []compliance.Request{{Time: utcAt(6, 17, 30), Value: math.NaN(), Open: true}}
	for _, tc := range []struct {
		clock compliance.GoalClock
		risk  int
	}{{clock, 0}, {compliance.WallClock("m"), 1}} {
		if c := compliance.OccurrenceCounts(friday, *ratio.Condition, tc.clock, march, utcAt(7, 12, 0), 6); c.AtRisk != tc.risk {
			t.Fatalf("Saturday noon, business clock %v: %d at risk, want %d", tc.clock.Working != nil, c.AtRisk, tc.risk)
		}
	}

	job.Def.KPI.BusinessTime = &models.BusinessTime{CalendarID: "nope", Unit: "m"}
	_, err = e.TrackerSeries(ctx, job, utcAt(6, 0, 0), utcAt(11, 0, 0), utcAt(12, 0, 0), nil)
	var fe *models.FieldError
	if !errors.As(err, &fe) || fe.Field != "trackers[0].kpi.businessTime.calendarId" {
		t.Fatalf("unknown calendar: %v", err)
	}
}

// ukOffice is Mon–Fri 08:00–18:00 Europe/London with the May 2026 bank
// holidays (4 and 25 May) and a maintenance window on Wednesday 13 May,
// 09:00–11:00 London time (BST, 08:00–10:00 UTC).
const ukOffice = `{"id":"uk-office","name":"UK office","timezone":"Europe/London",
 "hours":[{"day":"mon","from":"08:00","to":"18:00"},{"day":"tue","from":"08:00","to":"18:00"},
  {"day":"wed","from":"08:00","to":"18:00"},{"day":"thu","from":"08:00","to":"18:00"},
  {"day":"fri","from":"08:00","to":"18:00"}],
 "holidays":[{"date":"2026-05-04","name":"Early May bank holiday"},{"date":"2026-05-25","name":"Spring bank holiday"}],
 "exclusions":[{"from":"2026-05-13T08:00:00Z","to":"2026-05-13T10:00:00Z","reason":"maintenance","note":"Announced upgrade"}]}`

// TestAvailabilityDuringBusinessHours is availability in a month with a bank
// holiday and a maintenance window, computed by hand. A monitor writes one
// uptime sample per hour for all of May 2026 (744 hours, no DST change),
// 100 % except:
//
//	13 May 09:00 and 10:00 (the maintenance window)  0   excluded
//	 4 May 10:00 (bank holiday)                      0   not working time
//	 9 May 12:00 (a Saturday)                        0   not working time
//	21 May 07:00 (before opening)                    0   not working time
//	21 May 18:00 (closing time: windows are [08:00, 18:00))  0   not working time
//	20 May 14:00                                     50  counted
//	21 May 08:00                                     90  counted
//
// (London times.) May has 19 working days (21 weekdays less two bank
// holidays), 190 working hours, less the 2 excluded: 188 samples count, with
// a sum of 188 × 100 − 50 − 10 = 18,740: availability 18,740 / 188 =
// 99.680851…%, met against 99.5. Counting every sample, as a tracker that
// does not count only working time does, gives (74,400 − 660) / 744 =
// 99.112903…%, missed. The exclusion leaves both the numerator and the
// denominator: on 13 May the daily figure is 8 samples of 100, exactly 100.
func TestAvailabilityDuringBusinessHours(t *testing.T) {
	e := agreementEngine(t)
	ctx := context.Background()
	k, _ := registry.KindByPlural("calendars")
	c, err := registry.Decode(k, []byte(ukOffice))
	if err != nil {
		t.Fatal(err)
	}
	created, err := e.Registry.Create(ctx, k, c, "test")
	if err != nil {
		t.Fatal(err)
	}
	london, _ := time.LoadLocation("Europe/London")
	at := func(d, h int) time.Time { return time.Date(2026, 5, d, h, 0, 0, 0, london) }
	special := map[time.Time]float64{at(13, 9): 0, at(13, 10): 0, at(4, 10): 0, at(9, 12): 0, at(21, 7): 0, at(21, 18): 0, at(20, 14): 50, at(21, 8): 90}
	path := filepath.Join(t.TempDir(), "uptime.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE uptime (time INTEGER, pct REAL)"); err != nil {
		t.Fatal(err)
	}
	n := 0
	for h := at(1, 0); h.Before(at(32, 0)); h = h.Add(time.Hour) {
		v, ok := special[h]
		if !ok {
			v = 100
		}
		if _, err := db.Exec("INSERT INTO uptime VALUES (?, ?)", h.Unix(), v); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 744 {
		t.Fatalf("%d samples, want 744", n)
	}
	src, err := connector.Open(models.ConnectorSettings{UID: "u", Name: "uptime", Type: models.ConnectorSQLite, Path: path, TimeFormat: "unix", MaxOpenConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	e.Connector = func(context.Context, string) (connector.Connector, error) { return src, nil }
	target := 99.5
	def := models.TrackerDef{Name: "Business-hours availability", Method: "avg", Interval: "1M", Timezone: "Europe/London", Target: models.Target{Constant: &target},
		CalendarID: "uk-office", WorkingTimeOnly: true,
		KPI: models.KPIDef{Name: "Uptime", Unit: "percent", Direction: models.HigherIsBetter,
			ConnectorQuery: models.ConnectorQuery{Connector: "uptime", RawSQL: "SELECT time, pct AS value FROM uptime WHERE $__timeFilter(time)"}}}
	job := Job{Contract: "acme", Def: def, Key: "acme", Field: "trackers[0]"}
	june := at(32, 0)
	s, err := e.TrackerSeries(ctx, job, at(1, 0), june, june, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := s.Figures
	if len(f.Actual) != 1 || models.CmpDec(f.Actual[0], 18740.0/188) != 0 || f.Met[0] != 1 || s.Pushed {
		t.Fatalf("May: actual %v (want 18740/188 = 99.680851…), met %v, pushed %v", f.Actual, f.Met, s.Pushed)
	}
	if w := f.Working[0]; w != 188*time.Hour {
		t.Fatalf("May's working time %v, want 188h", w)
	}
	all := job
	all.Def.WorkingTimeOnly = false
	s, err = e.TrackerSeries(ctx, all, at(1, 0), june, june, nil)
	if err != nil {
		t.Fatal(err)
	}
	if models.CmpDec(s.Figures.Actual[0], 73740.0/744) != 0 || s.Figures.Met[0] != 0 {
		t.Fatalf("every sample: actual %v (want 73740/744 = 99.112903…), met %v", s.Figures.Actual, s.Figures.Met)
	}

	daily := job
	daily.Def.Interval = "1d"
	s, err = e.TrackerSeries(ctx, daily, at(1, 0), june, june, nil)
	if err != nil {
		t.Fatal(err)
	}
	f = s.Figures
	if f.Actual[12] != 100 || f.Working[12] != 8*time.Hour || f.Met[12] != 1 {
		t.Fatalf("13 May: actual %v, working %v, met %v; want 100 over 8h, met", f.Actual[12], f.Working[12], f.Met[12])
	}
	if !math.IsNaN(f.Actual[3]) || !math.IsNaN(f.Met[3]) || !math.IsNaN(f.Actual[8]) {
		t.Fatalf("the bank holiday and a Saturday read no samples: %v, %v, %v", f.Actual[3], f.Met[3], f.Actual[8])
	}
	if f.Actual[19] != (9*100+50)/10.0 || f.Actual[20] != (9*100+90)/10.0 {
		t.Fatalf("20 and 21 May: %v, %v; want 95 and 99", f.Actual[19], f.Actual[20])
	}

	// Through the closed-bucket cache (the file settled, so its watermark
	// holds), an edited calendar is another version: dropping the
	// maintenance window counts its two samples of 0, 18,740 / 190.
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	e.Cache = connector.NewCache(time.Hour)
	e.Now = func() time.Time { return june } // May has closed
	for i := 0; i < 2; i++ {
		if s, err = e.TrackerSeries(ctx, job, at(1, 0), june, june, nil); err != nil || models.CmpDec(s.Figures.Actual[0], 18740.0/188) != 0 {
			t.Fatalf("cached May, load %d: %v, %v", i+1, s.Figures.Actual, err)
		}
	}
	if st := e.Cache.Stats(); st.Hits < 1 || st.Buckets < 1 {
		t.Fatalf("the repeat load was not served from the cache: %+v", st)
	}
	edited := created.(*calendar.Calendar)
	edited.Exclusions = nil
	if _, err := e.Registry.Update(ctx, k, "uk-office", edited, "test"); err != nil {
		t.Fatal(err)
	}
	if s, err = e.TrackerSeries(ctx, job, at(1, 0), june, june, nil); err != nil || models.CmpDec(s.Figures.Actual[0], 18740.0/190) != 0 {
		t.Fatalf("May after the maintenance window was removed: %v (want 18740/190), %v", s.Figures.Actual, err)
	}
}
