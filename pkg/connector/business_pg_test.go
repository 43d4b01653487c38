//go:build postgres

// Business time pushed down to a real PostgreSQL from scripts/postgres.sh:
//
//	COVENANT_PG_URL=$(scripts/postgres.sh url) go test -tags postgres -run PostgreSQLBusiness ./pkg/connector/
package connector

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// bizCalendar is a service calendar of the differential test.
type bizCalendar struct {
	name string
	cc   *calendar.Compiled
	per  time.Duration
}

func compileCalendar(t testing.TB, c *calendar.Calendar) *calendar.Compiled {
	t.Helper()
	cc, err := calendar.Compile(c)
	if err != nil {
		t.Fatal(err)
	}
	return cc
}

// bizCalendars covers DST in both directions in two zones, holidays,
// exclusions (one with fractions of a second) and windows that run past
// midnight; each measures in another unit.
func bizCalendars(t testing.TB) []bizCalendar {
	var office, ny, night []calendar.Hours
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri"} {
		office = append(office, calendar.Hours{Day: d, From: "08:00", To: "18:00"})
		ny = append(ny, calendar.Hours{Day: d, From: "09:00", To: "17:00"})
	}
	ny = append(ny, calendar.Hours{Day: "sat", From: "10:00", To: "14:00"})
	for _, d := range calendar.Days {
		night = append(night, calendar.Hours{Day: d, From: "22:00", To: "06:00"})
	}
	night = append(night, calendar.Hours{Day: "sun", From: "10:00", To: "12:00"})
	nyZone, _ := time.LoadLocation("America/New_York")
	return []bizCalendar{
		{"UK office, minutes", compileCalendar(t, &calendar.Calendar{Name: "UK office", Timezone: "Europe/London", Hours: office,
			Holidays: []calendar.Holiday{{Date: "2026-04-03", Name: "Good Friday"}, {Date: "2026-04-06", Name: "Easter Monday"},
				{Date: "2026-05-04", Name: "Early May"}, {Date: "2026-05-25", Name: "Spring"}, {Date: "2026-08-31", Name: "Summer"}},
			Exclusions: []calendar.Exclusion{{From: time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 10, 12, 30, 0, 0, time.UTC), Reason: calendar.ReasonMaintenance}}}),
			time.Minute},
		{"New York support, hours", compileCalendar(t, &calendar.Calendar{Name: "NY", Timezone: "America/New_York", Hours: ny,
			Holidays:   []calendar.Holiday{{Date: "2026-07-03", Name: "Independence Day"}, {Date: "2026-09-07", Name: "Labor Day"}, {Date: "2026-11-26", Name: "Thanksgiving"}},
			Exclusions: []calendar.Exclusion{{From: time.Date(2026, 11, 2, 13, 15, 30, 250_000_000, nyZone), To: time.Date(2026, 11, 2, 15, 0, 0, 0, nyZone), Reason: calendar.ReasonForceMajeure}}}),
			time.Hour},
		{"night shift across midnight, seconds", compileCalendar(t, &calendar.Calendar{Name: "Night", Timezone: "Europe/London", Hours: night,
			Holidays:   []calendar.Holiday{{Date: "2026-10-24", Name: "Saturday before the clocks go back"}, {Date: "2026-12-25", Name: "Christmas"}},
			Exclusions: []calendar.Exclusion{{From: time.Date(2026, 6, 1, 23, 0, 0, 0, time.UTC), To: time.Date(2026, 6, 3, 1, 0, 0, 0, time.UTC), Reason: calendar.ReasonCustomerCaused}}}),
			time.Second},
	}
}

// bizTicket is a request opened and answered (end zero: still open).
type bizTicket struct{ opened, answered time.Time }

// bizTickets are n random tickets opened in 2026 up to 1 November, at
// microsecond instants, lasting from nothing to 20 days (so every end is
// before 22 November, within the push-down's horizon for a range to 15
// November whenever the test runs), a tenth still open,
// and a few on purpose: at DST changes, at window edges, over weekends and
// holidays.
func bizTickets(n int) []bizTicket {
	rnd := rand.New(rand.NewPCG(2026, 11))
	london, _ := time.LoadLocation("Europe/London")
	ny, _ := time.LoadLocation("America/New_York")
	out := []bizTicket{
		{time.Date(2026, 5, 15, 17, 30, 0, 0, london), time.Date(2026, 5, 18, 8, 30, 0, 0, london)},   // Friday to Monday
		{time.Date(2026, 3, 28, 21, 0, 0, 0, london), time.Date(2026, 3, 29, 7, 0, 0, 0, london)},     // the clocks go forward
		{time.Date(2026, 10, 24, 12, 0, 0, 0, london), time.Date(2026, 10, 26, 9, 0, 0, 0, london)},   // they go back, over a holiday
		{time.Date(2026, 3, 7, 12, 0, 0, 0, ny), time.Date(2026, 3, 9, 10, 0, 0, 0, ny)},              // New York springs forward
		{time.Date(2026, 10, 31, 13, 0, 0, 0, ny), time.Date(2026, 11, 2, 14, 0, 0, 123_456_000, ny)}, // falls back, into the exclusion
		{time.Date(2026, 4, 2, 8, 0, 0, 0, london), time.Date(2026, 4, 7, 18, 0, 0, 0, london)},       // Easter
		{time.Date(2026, 6, 1, 8, 0, 0, 0, london), time.Date(2026, 6, 1, 8, 0, 0, 0, london)},        // ends as it starts
		{time.Date(2026, 7, 3, 9, 0, 0, 0, ny), time.Time{}},                                          // open
	}
	from := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	span := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Sub(from)
	for len(out) < n {
		opened := from.Add(time.Duration(rnd.Int64N(int64(span/time.Microsecond))) * time.Microsecond)
		var d time.Duration
		switch rnd.IntN(4) {
		case 0:
			d = time.Duration(rnd.Int64N(int64(2 * time.Hour)))
		case 1:
			d = time.Duration(rnd.Int64N(int64(3 * 24 * time.Hour)))
		case 2:
			d = time.Duration(rnd.Int64N(int64(20 * 24 * time.Hour)))
		default:
			d = time.Duration(rnd.IntN(5)) * 24 * time.Hour // whole days: ends at the time of day it opened
		}
		tk := bizTicket{opened: opened, answered: opened.Add(d).Truncate(time.Microsecond)}
		if rnd.IntN(10) == 0 {
			tk.answered = time.Time{}
		}
		out = append(out, tk)
	}
	return out
}

// bizLayout is a table of tickets and its KPI query.
type bizLayout struct {
	name, create, query string
	opened, answered    func(time.Time) any // the column values (answered: never zero)
}

var bizLayouts = []bizLayout{
	{name: "timestamptz, $__timeFilter", create: "CREATE TABLE biz_tickets (seq int, opened timestamptz, answered timestamptz)",
		query:  `SELECT opened AS time, answered AS "end" FROM biz_tickets WHERE $__timeFilter(opened) ORDER BY seq`,
		opened: func(t time.Time) any { return t }, answered: func(t time.Time) any { return t }},
	{name: "timestamp without time zone (UTC)", create: "CREATE TABLE biz_tickets (seq int, opened timestamp, answered timestamp)",
		query:  `SELECT opened AS "Time", answered AS "END", seq AS value FROM biz_tickets ORDER BY seq`,
		opened: func(t time.Time) any { return t.UTC() }, answered: func(t time.Time) any { return t.UTC() }},
	{name: "bigint seconds opened, milliseconds answered", create: "CREATE TABLE biz_tickets (seq int, opened bigint, answered bigint)",
		query:  `SELECT opened AS time, answered AS "end" FROM biz_tickets ORDER BY seq`,
		opened: func(t time.Time) any { return t.Unix() }, answered: func(t time.Time) any { return t.UnixMilli() }},
}

// loadTickets fills biz_tickets in layout l.
func loadTickets(t testing.TB, db *sql.DB, l bizLayout, tickets []bizTicket) {
	t.Helper()
	for _, stmt := range []string{"DROP TABLE IF EXISTS biz_tickets", l.create} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	stmt, err := tx.Prepare("INSERT INTO biz_tickets VALUES ($1, $2, $3)")
	if err != nil {
		t.Fatal(err)
	}
	for i, tk := range tickets {
		var end any
		if !tk.answered.IsZero() {
			end = l.answered(tk.answered)
		}
		if _, err := stmt.Exec(i, l.opened(tk.opened), end); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// sameFigures compares figures: exactly for count, min, max and last (a row's
// own value), within 1e-9 relative for the others (the database adds and
// interpolates in its own order).
func sameFigures(t *testing.T, name string, m kpi.Method, starts []time.Time, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d figures, want %d", name, len(got), len(want))
	}
	exact := m == kpi.Count || m == kpi.Min || m == kpi.Max || m == kpi.Last
	for i := range want {
		g, w := got[i], want[i]
		if math.IsNaN(g) != math.IsNaN(w) || (!math.IsNaN(w) && g != w && (exact || math.Abs(g-w) > 1e-9*math.Max(1, math.Abs(w)))) {
			t.Fatalf("%s: bucket %s: push-down %v, in process %v", name, starts[i], g, w)
		}
	}
}

func TestPostgreSQLBusinessTimePushDownMatchesEngine(t *testing.T) {
	writer, c := bizConnector(t)
	ctx := context.Background()
	tickets := bizTickets(2000)
	compared, exactRows := 0, 0
	for _, l := range bizLayouts {
		loadTickets(t, writer, l, tickets)
		p := pusherOf(c)
		p.mu.Lock()
		p.shapes = nil // a new table: probe again
		p.mu.Unlock()
		for _, cal := range bizCalendars(t) {
			b := &Business{Working: cal.cc.Working, Windows: cal.cc.Windows, Per: cal.per}
			// Within two hours of business time.
			cond := &models.Condition{Op: "<=", Threshold: float64(2*time.Hour) / float64(cal.per)}
			for _, iv := range []kpi.Interval{kpi.Day, kpi.Week, kpi.Month, kpi.Hour} {
				starts, err := kpi.Buckets(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC), iv, cal.cc.Location())
				if err != nil {
					t.Fatal(err)
				}
				r := Request{ConnectorQuery: models.ConnectorQuery{RawSQL: l.query}, From: starts[0], To: starts[len(starts)-1], Business: b}
				rows, err := c.Rows(ctx, r)
				if err != nil {
					t.Fatalf("%s: rows: %v", l.name, err)
				}
				methods := kpi.Methods
				if iv == kpi.Hour { // about one ticket an hour: each row's own value, exactly
					methods = []kpi.Method{kpi.Last, kpi.Min, kpi.Count}
				}
				for _, m := range methods {
					var mc *models.Condition
					if m == kpi.Ratio {
						mc = cond
					}
					name := fmt.Sprintf("%s / %s / %s / %s", l.name, cal.name, iv, m)
					got, pushed, err := Figures(ctx, c, r, starts, m, mc)
					if err != nil || !pushed {
						t.Fatalf("%s: pushed down %v: %v", name, pushed, err)
					}
					sameFigures(t, name, m, starts, got, kpi.Aggregate(rows, starts, m, mc))
					compared++
					if iv == kpi.Hour && m == kpi.Last {
						for _, v := range got {
							if !math.IsNaN(v) {
								exactRows++
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d series compared, all pushed down; by hour, %d buckets held a last value equal to the row's in process", compared, exactRows)
}

// An end past the push-down's horizon falls back to the rows in process,
// with the same figures; an end before its time is the in-process error.
func TestPostgreSQLBusinessTimeFallsBack(t *testing.T) {
	writer, c := bizConnector(t)
	ctx := context.Background()
	london, _ := time.LoadLocation("Europe/London")
	l := bizLayouts[0]
	tickets := append(bizTickets(300), bizTicket{time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC), time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)})
	loadTickets(t, writer, l, tickets)
	cal := bizCalendars(t)[0]
	b := &Business{Working: cal.cc.Working, Windows: cal.cc.Windows, Per: cal.per}
	starts, _ := kpi.Buckets(time.Date(2026, 1, 1, 0, 0, 0, 0, london), time.Date(2026, 11, 15, 0, 0, 0, 0, london), kpi.Month, london)
	r := Request{ConnectorQuery: models.ConnectorQuery{RawSQL: l.query}, From: starts[0], To: starts[len(starts)-1], Business: b}
	rows, err := c.Rows(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []kpi.Method{kpi.Sum, kpi.Max, kpi.P90, kpi.Count} {
		got, pushed, err := Figures(ctx, c, r, starts, m, nil)
		if err != nil || pushed {
			t.Fatalf("%s with an end in 2200: pushed %v, %v", m, pushed, err)
		}
		sameFigures(t, "end in 2200 / "+string(m), m, starts, got, kpi.Aggregate(rows, starts, m, nil))
	}
	// The same rows with the far end outside the range push down again.
	outside := r
	outside.To = starts[5] // June 2026, before the far ticket opened
	if _, pushed, err := Figures(ctx, c, outside, starts[:6], kpi.Sum, nil); err != nil || !pushed {
		t.Fatalf("the far end outside the range: pushed %v, %v", pushed, err)
	}
	// Without a windows function there is no push-down.
	noWindows := r
	noWindows.Business = &Business{Working: b.Working, Per: b.Per}
	if _, pushed, err := Figures(ctx, c, noWindows, starts, kpi.Sum, nil); err != nil || pushed {
		t.Fatalf("no windows: pushed %v, %v", pushed, err)
	}
	// An end before its time (the far end gone): the error of the in-process path.
	for _, stmt := range []string{
		"DELETE FROM biz_tickets WHERE answered > '2100-01-01'",
		"INSERT INTO biz_tickets VALUES (9999, '2026-07-01 12:00Z', '2026-07-01 11:00Z')",
	} {
		if _, err := writer.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	if _, pushed, err := Figures(ctx, c, r, starts, kpi.Avg, nil); err == nil || pushed || !strings.Contains(err.Error(), "before the time") {
		t.Fatalf("an end before its time: pushed %v, %v", pushed, err)
	}
}

// By hand, through PostgreSQL: the tickets of TestBusinessTimeFromSQL on
// Mon–Fri 08:00–18:00 Europe/London, in minutes (Fri 15 May 17:30 → Mon 18
// May 08:30 is 30 + 30 = 60).
func TestPostgreSQLBusinessTimeByHand(t *testing.T) {
	writer, c := bizConnector(t)
	ctx := context.Background()
	var tickets []bizTicket
	for _, tk := range businessTickets {
		tickets = append(tickets, bizTicket{tk[0], tk[1]})
	}
	l := bizLayouts[0]
	loadTickets(t, writer, l, tickets)
	loc, _ := kpi.LoadLocation("tz", "Europe/London")
	starts, _ := kpi.Buckets(bst(15, 0, 0), bst(22, 0, 0), kpi.Day, loc)
	r := Request{ConnectorQuery: models.ConnectorQuery{RawSQL: l.query}, From: starts[0], To: starts[len(starts)-1], Business: officeMinutes(t)}
	got, pushed, err := Figures(ctx, c, r, starts, kpi.Avg, nil)
	if err != nil || !pushed {
		t.Fatalf("pushed %v: %v", pushed, err)
	}
	// Fri 15 60, Sat 16 0, Tue 19 600, Wed 20 none yet (open), Thu 21 135.
	assertValues(t, got, []float64{60, 0, math.NaN(), math.NaN(), 600, math.NaN(), 135})
	friday := Request{ConnectorQuery: r.ConnectorQuery, From: starts[0], To: starts[1], Business: r.Business}
	if got, pushed, err := Figures(ctx, c, friday, starts[:2], kpi.Sum, nil); err != nil || !pushed || got[0] != 60 {
		t.Fatalf("Friday 17:30 to Monday 08:30: %v minutes, pushed %v, %v; want 60", got, pushed, err)
	}
	// Open rows count and have no value, as in process.
	if got, pushed, err := Figures(ctx, c, r, starts, kpi.Count, nil); err != nil || !pushed {
		t.Fatalf("count: pushed %v, %v", pushed, err)
	} else {
		assertValues(t, got, []float64{1, 1, 0, 0, 1, 1, 1})
	}
}

// bizConnector is the PostgreSQL of COVENANT_PG_URL as a connector, and a
// connection to write the table biz_tickets with (dropped after the test).
func bizConnector(t *testing.T) (*sql.DB, Connector) {
	t.Helper()
	s, writer := pgWriter(t)
	t.Cleanup(func() { _, _ = writer.Exec("DROP TABLE IF EXISTS biz_tickets") })
	c, err := Open(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return writer, c
}
