package calendar

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

const (
	h = time.Hour
	m = time.Minute
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// at reads "2006-01-02 15:04" on the wall clock of loc.
func at(t testing.TB, loc *time.Location, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustCompile(t testing.TB, c *Calendar) *Compiled {
	t.Helper()
	cc, err := Compile(c)
	if err != nil {
		t.Fatal(err)
	}
	return cc
}

// everyDay is from–to on all seven days.
func everyDay(tz, from, to string) *Calendar {
	c := &Calendar{Name: tz + " " + from + "-" + to, Timezone: tz}
	for _, d := range Days {
		c.Hours = append(c.Hours, Hours{Day: d, From: from, To: to})
	}
	return c
}

// ukOffice is officeHours with the May 2026 bank holidays.
func ukOffice() *Calendar {
	c := officeHours()
	c.Holidays = []Holiday{{"2026-05-04", "Early May bank holiday"}, {"2026-05-25", "Spring bank holiday"}}
	return c
}

type span2 struct {
	name     string
	from, to string // wall clock in the calendar's zone
	want     time.Duration
}

func checkSpans(t *testing.T, c *Calendar, tests []span2) {
	t.Helper()
	cc := mustCompile(t, c)
	loc := zone(t, c.Timezone)
	for _, tt := range tests {
		from, to := at(t, loc, tt.from), at(t, loc, tt.to)
		if got := cc.Working(from, to); got != tt.want {
			t.Errorf("%s: Working(%s, %s) = %v, want %v", tt.name, tt.from, tt.to, got, tt.want)
		}
		if got := cc.Working(to, from); got != -tt.want {
			t.Errorf("%s: reversed: got %v, want %v", tt.name, got, -tt.want)
		}
	}
}

// May 2026 starts on a Friday; 4 and 25 May are bank holiday Mondays.
func TestWorkingOfficeHours(t *testing.T) {
	checkSpans(t, ukOffice(), []span2{
		{"opened Friday 17:30, answered Monday 08:30", "2026-05-08 17:30", "2026-05-11 08:30", 30*m + 30*m},     // Fri 17:30–18:00 + Mon 08:00–08:30
		{"across the bank holiday Monday", "2026-05-01 17:00", "2026-05-05 09:00", 1*h + 1*h},                   // Fri 17–18, Mon 4 May off, Tue 08–09
		{"within a day", "2026-05-11 09:15", "2026-05-11 11:45", 2*h + 30*m},                                    // 11:45 − 09:15
		{"before opening to after closing", "2026-05-12 06:00", "2026-05-12 20:00", 10 * h},                     // 08:00–18:00
		{"all outside working hours", "2026-05-12 18:00", "2026-05-13 08:00", 0},                                // closed overnight
		{"a weekend", "2026-05-09 00:00", "2026-05-11 00:00", 0},                                                // Sat, Sun
		{"a whole week", "2026-05-11 00:00", "2026-05-18 00:00", 5 * 10 * h},                                    // Mon–Fri × 10 h
		{"a week with a bank holiday", "2026-05-04 00:00", "2026-05-11 00:00", 4 * 10 * h},                      // Tue–Fri × 10 h
		{"the bank holiday itself", "2026-05-25 07:00", "2026-05-25 19:00", 0},                                  // no window
		{"GMT in winter", "2026-01-05 07:00", "2026-01-05 09:30", 1*h + 30*m},                                   // 08:00–09:30
		{"over the spring change", "2026-03-27 17:00", "2026-03-30 09:00", 1*h + 1*h},                           // Fri 17–18, Mon 08–09
		{"empty span", "2026-05-12 10:00", "2026-05-12 10:00", 0},                                               // from == to
		{"a year", "2026-01-01 00:00", "2027-01-01 00:00", (261 - 2) * 10 * h},                                  // 261 weekdays in 2026, 2 holidays listed
		{"one nanosecond short of closing", "2026-05-12 17:59", "2026-05-12 18:00", m},                          // 1 min
		{"opened at the close", "2026-05-12 18:00", "2026-05-12 18:00", 0},                                      // empty
		{"a month and a day", "2026-04-30 12:00", "2026-06-01 12:00", 6*h + (21-2)*10*h + 4*h},                  // Thu 30 Apr 12–18, May, Mon 1 Jun 08–12
		{"two blocks apart", "2025-01-01 00:00", "2026-01-01 00:00", 261 * 10 * h},                              // 2025 has 261 weekdays
		{"decade", "2020-01-01 00:00", "2030-01-01 00:00", (2609 - 2) * 10 * h},                                 // weekdays 2020–2029
		{"opened Sunday, answered Monday 08:01", "2026-05-10 23:00", "2026-05-11 08:01", m},                     // Mon 08:00–08:01
		{"opened before the bank holiday, same day answer", "2026-05-25 09:00", "2026-05-26 08:30", 30 * m},     // Tue 08:00–08:30
		{"Friday to the following Tuesday in winter", "2026-01-09 16:00", "2026-01-13 10:00", 2*h + 10*h + 2*h}, // Fri 16–18, Mon, Tue 08–10
	})
}

// The weekday counts in TestWorkingOfficeHours, counted by hand there and
// checked here by walking the days.
func TestWeekdayCounts(t *testing.T) {
	count := func(from, to time.Time) (n int) {
		for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
				n++
			}
		}
		return n
	}
	for _, tt := range []struct {
		from, to time.Time
		want     int
	}{
		{time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), 21},
		{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), 261},
		{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 261},
		{time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), 2609},
	} {
		if got := count(tt.from, tt.to); got != tt.want {
			t.Errorf("%s to %s: %d weekdays, want %d", tt.from, tt.to, got, tt.want)
		}
	}
}

// nightShift is Mon–Fri 22:00–06:00 Europe/London: each window runs into
// the next morning. June 2026 starts on a Monday (BST all month).
func nightShift() *Calendar {
	c := &Calendar{Name: "nights", Timezone: "Europe/London"}
	for _, d := range Days[:5] {
		c.Hours = append(c.Hours, Hours{Day: d, From: "22:00", To: "06:00"})
	}
	return c
}

func TestWorkingPastMidnight(t *testing.T) {
	checkSpans(t, nightShift(), []span2{
		{"inside one night", "2026-06-01 23:00", "2026-06-02 01:00", 2 * h},                           // Mon 23:00 – Tue 01:00
		{"a whole night and more", "2026-06-01 21:00", "2026-06-02 07:00", 8 * h},                     // 22:00–06:00
		{"morning end, then evening start", "2026-06-02 05:00", "2026-06-02 23:00", 1*h + 1*h},        // Tue 05–06 (Mon's window), Tue 22–23
		{"Friday's night runs into Saturday", "2026-06-06 05:00", "2026-06-06 07:00", 1 * h},          // Sat 05–06
		{"Sunday night is off", "2026-06-07 20:00", "2026-06-08 05:00", 0},                            // Monday's window starts 22:00
		{"a week", "2026-06-01 00:00", "2026-06-08 00:00", 5 * 8 * h},                                 // 5 nights × 8 h
		{"daytime", "2026-06-03 07:00", "2026-06-03 21:00", 0},                                        // no window
		{"midnight exactly", "2026-06-02 00:00", "2026-06-02 00:00", 0},                               // empty
		{"from midnight to the end of the night", "2026-06-03 00:00", "2026-06-03 06:00", 6 * h},      // Tue's window, Wed 00–06
		{"across the weekend", "2026-06-05 23:00", "2026-06-08 23:00", 7*h + 1*h},                     // Fri 23:00–Sat 06:00, Mon 22–23
		{"winter, GMT", "2026-01-05 22:00", "2026-01-06 06:00", 8 * h},                                // one night
		{"two nights", "2026-06-01 22:00", "2026-06-03 06:00", 2 * 8 * h},                             // Mon, Tue nights
		{"an evening to the next evening", "2026-06-02 22:30", "2026-06-03 22:30", 7*h + 30*m + 30*m}, // Tue 22:30–06:00, Wed 22–22:30
	})
}

func TestHolidayDropsTheWholeWindow(t *testing.T) {
	wed := nightShift()
	wed.Holidays = []Holiday{{"2026-06-03", "Wednesday off"}}
	checkSpans(t, wed, []span2{
		{"the holiday's night is dropped", "2026-06-02 20:00", "2026-06-04 08:00", 8 * h}, // Tue night only; Wed 22:00–Thu 06:00 dropped
		{"including its part after midnight", "2026-06-04 00:00", "2026-06-04 06:00", 0},  // Thursday morning belonged to Wednesday
		{"the night before still runs into it", "2026-06-03 00:00", "2026-06-03 06:00", 6 * h},
	})
	thu := nightShift()
	thu.Holidays = []Holiday{{"2026-06-04", "Thursday off"}}
	checkSpans(t, thu, []span2{
		{"a holiday does not cut the night before", "2026-06-04 00:00", "2026-06-04 06:00", 6 * h}, // Wednesday's window
		{"the holiday's own night is dropped", "2026-06-04 20:00", "2026-06-05 08:00", 0},
	})
}

func TestWorkingAcrossDST(t *testing.T) {
	checkSpans(t, everyDay("Europe/London", "00:00", "06:00"), []span2{
		{"spring forward", "2026-03-29 00:00", "2026-03-30 00:00", 5 * h},               // 00:00 GMT – 06:00 BST: 01:00–02:00 never happens
		{"fall back", "2026-10-25 00:00", "2026-10-26 00:00", 7 * h},                    // 00:00 BST – 06:00 GMT: 01:00–02:00 happens twice
		{"an ordinary day", "2026-03-28 00:00", "2026-03-29 00:00", 6 * h},              // 00:00–06:00
		{"the week around spring", "2026-03-26 00:00", "2026-04-02 00:00", 6*6*h + 5*h}, // six 6 h days and the 5 h one
		{"the week around autumn", "2026-10-22 00:00", "2026-10-29 00:00", 6*6*h + 7*h}, // six 6 h days and the 7 h one
		{"morning of the change", "2026-03-29 00:30", "2026-03-29 03:00", h + 30*m},     // 00:30 GMT – 03:00 BST = 1 h 30 real
	})
	checkSpans(t, everyDay("America/New_York", "00:00", "06:00"), []span2{
		{"spring forward", "2026-03-08 00:00", "2026-03-09 00:00", 5 * h}, // 00:00 EST – 06:00 EDT
		{"fall back", "2026-11-01 00:00", "2026-11-02 00:00", 7 * h},      // 00:00 EDT – 06:00 EST
		{"an ordinary day", "2026-03-07 00:00", "2026-03-08 00:00", 6 * h},
	})
	checkSpans(t, everyDay("America/New_York", "08:00", "18:00"), []span2{
		{"office hours on the spring Sunday", "2026-03-08 00:00", "2026-03-09 00:00", 10 * h}, // change is before 08:00
		{"office hours on the autumn Sunday", "2026-11-01 00:00", "2026-11-02 00:00", 10 * h},
	})
	checkSpans(t, everyDay("Europe/London", "00:00", "24:00"), []span2{
		{"24/7 over spring forward", "2026-03-29 00:00", "2026-03-30 00:00", 23 * h},
		{"24/7 over fall back", "2026-10-25 00:00", "2026-10-26 00:00", 25 * h},
	})
	checkSpans(t, everyDay("America/New_York", "00:00", "24:00"), []span2{
		{"24/7 over spring forward", "2026-03-08 00:00", "2026-03-09 00:00", 23 * h},
	})
}

// A wall-clock time in the spring gap resolves as time.Date does (see the
// package comment), and windows folded over each other count once.
func TestWorkingInTheSpringGap(t *testing.T) {
	london := &Calendar{Name: "gap", Timezone: "Europe/London", Hours: []Hours{{"sun", "01:30", "03:00"}}}
	checkSpans(t, london, []span2{
		// 01:30 does not exist; time.Date makes it 02:30 BST, so 02:30–03:00 BST.
		{"London window starting in the gap", "2026-03-29 00:00", "2026-03-29 12:00", 30 * m},
	})
	ny := &Calendar{Name: "gap", Timezone: "America/New_York", Hours: []Hours{{"sun", "02:30", "03:30"}}}
	checkSpans(t, ny, []span2{
		// 02:30 does not exist; time.Date makes it 01:30 EST (06:30Z); 03:30 EDT is 07:30Z.
		{"New York window starting in the gap", "2026-03-08 00:00", "2026-03-08 12:00", 1 * h},
	})
	folded := &Calendar{Name: "fold", Timezone: "America/New_York", Hours: []Hours{{"sun", "01:00", "01:59"}, {"sun", "02:30", "05:00"}}}
	checkSpans(t, folded, []span2{
		// 01:00–01:59 EST is 06:00Z–06:59Z; 02:30 → 06:30Z, 05:00 EDT is 09:00Z: the union is 06:00Z–09:00Z.
		{"windows folded over each other count once", "2026-03-08 00:00", "2026-03-08 12:00", 3 * h},
		{"an ordinary Sunday", "2026-03-15 00:00", "2026-03-15 12:00", 59*m + 2*h + 30*m},
	})
}

func TestWorkingWithExclusions(t *testing.T) {
	london := zone(t, "Europe/London")
	c := ukOffice()
	c.Exclusions = []Exclusion{
		{From: at(t, london, "2026-05-12 11:30"), To: at(t, london, "2026-05-12 12:30"), Reason: ReasonMaintenance},
		{From: at(t, london, "2026-05-13 17:00"), To: at(t, london, "2026-05-13 20:00"), Reason: ReasonCustomerCaused},
		{From: at(t, london, "2026-05-14 10:00"), To: at(t, london, "2026-05-14 12:00"), Reason: ReasonMaintenance},
		{From: at(t, london, "2026-05-14 11:00"), To: at(t, london, "2026-05-14 13:00"), Reason: ReasonForceMajeure},
		{From: at(t, london, "2026-05-15 16:00"), To: at(t, london, "2026-05-18 09:00"), Reason: ReasonForceMajeure},
	}
	checkSpans(t, c, []span2{
		{"bucket before the edge", "2026-05-12 11:00", "2026-05-12 12:00", 30 * m},         // 11:00–11:30
		{"bucket after the edge", "2026-05-12 12:00", "2026-05-12 13:00", 30 * m},          // 12:30–13:00
		{"both buckets", "2026-05-12 11:00", "2026-05-12 13:00", 30*m + 30*m},              // sum of the two
		{"the day", "2026-05-12 00:00", "2026-05-13 00:00", 10*h - 1*h},                    // 1 h excluded
		{"partly outside working hours", "2026-05-13 00:00", "2026-05-14 00:00", 10*h - h}, // only 17:00–18:00 was working
		{"overlapping exclusions", "2026-05-14 00:00", "2026-05-15 00:00", 10*h - 3*h},     // union 10:00–13:00
		{"over a weekend", "2026-05-15 00:00", "2026-05-19 00:00", 8*h + 9*h},              // Fri 08–16, Mon 09–18
		{"inside an exclusion", "2026-05-12 11:40", "2026-05-12 12:20", 0},                 // all excluded
	})
}

// May 2026: 21 weekdays (TestWeekdayCounts), two bank holidays and a
// 2-hour maintenance on Tuesday 12 May.
func TestWorkingForAMonth(t *testing.T) {
	london := zone(t, "Europe/London")
	c := ukOffice()
	c.Exclusions = []Exclusion{{From: time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC), To: time.Date(2026, 5, 12, 11, 0, 0, 0, time.UTC), Reason: ReasonMaintenance}}
	cc := mustCompile(t, c)
	from, to := at(t, london, "2026-05-01 00:00"), at(t, london, "2026-06-01 00:00")
	want := (21-2)*10*h - 2*h // = 188 h
	if got := cc.Working(from, to); got != want || want != 188*h {
		t.Fatalf("May 2026: %v, want %v", got, want)
	}
	// By day buckets, the sum is the same.
	var sum time.Duration
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		sum += cc.Working(d, d.AddDate(0, 0, 1))
	}
	if sum != want {
		t.Errorf("daily buckets sum to %v, want %v", sum, want)
	}
	// Availability: excluded working time over scheduled working time.
	scheduled := mustCompile(t, ukOffice()).Working(from, to)
	if scheduled != 190*h || scheduled-cc.Working(from, to) != 2*h {
		t.Errorf("scheduled %v", scheduled)
	}
}

func TestWindows(t *testing.T) {
	london := zone(t, "Europe/London")
	c := ukOffice()
	c.Exclusions = []Exclusion{{From: at(t, london, "2026-05-05 09:00"), To: at(t, london, "2026-05-05 10:00"), Reason: ReasonMaintenance}}
	cc := mustCompile(t, c)
	got := cc.Windows(at(t, london, "2026-05-01 09:30"), at(t, london, "2026-05-05 12:00"))
	want := []Interval{
		{at(t, london, "2026-05-01 09:30"), at(t, london, "2026-05-01 18:00")}, // clipped at from
		{at(t, london, "2026-05-05 08:00"), at(t, london, "2026-05-05 09:00")}, // Mon 4 May is a holiday
		{at(t, london, "2026-05-05 10:00"), at(t, london, "2026-05-05 12:00")}, // after the maintenance, clipped at to
	}
	if !sameIntervals(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if got[0].From.Location().String() != "Europe/London" {
		t.Errorf("intervals in %v, want the calendar's zone", got[0].From.Location())
	}
	if w := cc.Windows(at(t, london, "2026-05-05 12:00"), at(t, london, "2026-05-01 09:30")); w != nil {
		t.Errorf("reversed range: %v", w)
	}
	// 24/7 over 200 days crosses blocks: one interval, merged where the blocks touch.
	all := mustCompile(t, everyDay("UTC", "00:00", "24:00"))
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 0, 200)
	if got := all.Windows(from, to); len(got) != 1 || !got[0].From.Equal(from) || !got[0].To.Equal(to) {
		t.Errorf("24/7 windows: %v", got)
	}
	// Midnight-spanning windows come out whole, and the sum matches Working.
	nights := mustCompile(t, nightShift())
	from, to = at(t, london, "2026-06-01 00:00"), at(t, london, "2026-06-08 00:00")
	ws := nights.Windows(from, to)
	var sum time.Duration
	for _, w := range ws {
		sum += w.To.Sub(w.From)
	}
	if len(ws) != 5 || sum != nights.Working(from, to) || !ws[4].To.Equal(at(t, london, "2026-06-06 06:00")) {
		t.Errorf("nights: %v", ws)
	}
}

func sameIntervals(a, b []Interval) bool {
	return slices.EqualFunc(a, b, func(x, y Interval) bool { return x.From.Equal(y.From) && x.To.Equal(y.To) })
}

func TestExcluded(t *testing.T) {
	london := zone(t, "Europe/London")
	c := ukOffice()
	long := Exclusion{From: at(t, london, "2026-05-01 00:00"), To: at(t, london, "2026-05-20 00:00"), Reason: ReasonForceMajeure, Note: "flood"}
	short := Exclusion{From: at(t, london, "2026-05-12 09:00"), To: at(t, london, "2026-05-12 11:00"), Reason: ReasonMaintenance, Note: "upgrade"}
	later := Exclusion{From: at(t, london, "2026-05-13 17:00"), To: at(t, london, "2026-05-13 19:00"), Reason: ReasonCustomerCaused}
	c.Exclusions = []Exclusion{later, short, long} // any order
	cc := mustCompile(t, c)

	got := cc.Excluded(at(t, london, "2026-05-12 10:00"), at(t, london, "2026-05-13 18:00"))
	want := []Exclusion{
		{From: at(t, london, "2026-05-12 10:00"), To: at(t, london, "2026-05-13 18:00"), Reason: ReasonForceMajeure, Note: "flood"}, // clipped both ends
		{From: at(t, london, "2026-05-12 10:00"), To: at(t, london, "2026-05-12 11:00"), Reason: ReasonMaintenance, Note: "upgrade"},
		{From: at(t, london, "2026-05-13 17:00"), To: at(t, london, "2026-05-13 18:00"), Reason: ReasonCustomerCaused},
	}
	if !sameExclusions(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if got := cc.Excluded(at(t, london, "2026-05-21 00:00"), at(t, london, "2026-05-22 00:00")); got != nil {
		t.Errorf("after all exclusions: %v", got)
	}
	// An exclusion ending exactly at from is not met ([From, To) is half-open).
	if got := cc.Excluded(at(t, london, "2026-05-20 00:00"), at(t, london, "2026-05-21 00:00")); got != nil {
		t.Errorf("touching: %v", got)
	}
	if got := cc.Excluded(at(t, london, "2026-05-13 18:30"), at(t, london, "2026-05-13 18:00")); got != nil {
		t.Errorf("reversed: %v", got)
	}
	// The calendar's own exclusions are not changed by clipping.
	if !c.Exclusions[2].From.Equal(long.From) {
		t.Error("Excluded changed the calendar")
	}
}

func sameExclusions(a, b []Exclusion) bool {
	return slices.EqualFunc(a, b, func(x, y Exclusion) bool {
		return x.From.Equal(y.From) && x.To.Equal(y.To) && x.Reason == y.Reason && x.Note == y.Note
	})
}

func TestCompileRefusesNil(t *testing.T) {
	if _, err := Compile(nil); err == nil {
		t.Fatalf("got %v", err)
	}
	var c *Compiled
	if c.Working(time.Now(), time.Now().Add(time.Hour)) != 0 || c.Windows(time.Now(), time.Now()) != nil {
		t.Error("a nil Compiled has working time")
	}
}

func TestCompiledDoesNotFollowTheCalendar(t *testing.T) {
	c := officeHours()
	cc := mustCompile(t, c)
	c.Hours[0].To = "09:00"
	c.Timezone = "Asia/Tokyo"
	london := zone(t, "Europe/London")
	if got := cc.Working(at(t, london, "2026-05-11 00:00"), at(t, london, "2026-05-12 00:00")); got != 10*h {
		t.Errorf("got %v", got)
	}
	if cc.Location().String() != "Europe/London" {
		t.Errorf("location %v", cc.Location())
	}
}

func TestWorkingAtTheEdgesOfTime(t *testing.T) {
	all := mustCompile(t, everyDay("UTC", "00:00", "24:00"))
	ancient := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	future := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := all.Working(ancient, models.EarliestTime.Add(h)); got != h {
		t.Errorf("before EarliestTime: %v, want 1h (clamped)", got)
	}
	if got := all.Working(models.LatestTime.Add(-h), future); got != h {
		t.Errorf("after LatestTime: %v, want 1h (clamped)", got)
	}
	// 560 years of 24/7 is more than a time.Duration holds: it saturates.
	if got := all.Working(ancient, future); got != time.Duration(1<<63-1) {
		t.Errorf("saturation: %v", got)
	}
	if got := all.Working(future, ancient); got != -time.Duration(1<<63-1) {
		t.Errorf("negative saturation: %v", got)
	}
}

func TestCompileRefusesWhatValidateRefuses(t *testing.T) {
	c := officeHours()
	c.Hours[1].Day = "tues"
	if _, err := Compile(c); err == nil || err.Error() != c.Validate().Error() {
		t.Errorf("Compile: %v", err)
	}
}

// reference computes Working the slow way: day by day, with no blocks.
func reference(c *Compiled, from, to time.Time) time.Duration {
	a, b := from.UnixNano(), to.UnixNano()
	var spans []span
	first := civilDay(from.In(c.loc).Date()) - dayMargin
	last := civilDay(to.In(c.loc).Date()) + dayMargin
	for d := first; d <= last; d++ {
		if _, ok := c.holidays[d]; ok {
			continue
		}
		y, mo, dd := civilDate(d)
		for _, w := range c.weekly[weekday(d)] {
			s := time.Date(y, mo, dd, 0, w.from, 0, 0, c.loc).UnixNano()
			e := time.Date(y, mo, dd, 0, w.to, 0, 0, c.loc).UnixNano()
			if s, e = max(s, a), min(e, b); s < e {
				spans = append(spans, span{s, e})
			}
		}
	}
	var sum int64
	for _, s := range subtract(merge(spans), c.excluded) {
		sum += s.to - s.from
	}
	return time.Duration(sum)
}

// propertyCalendars are calendars the properties are checked on.
func propertyCalendars(t *testing.T) map[string]*Compiled {
	london := zone(t, "Europe/London")
	office := ukOffice()
	office.Holidays = append(office.Holidays, Holiday{"2026-12-25", "Christmas Day"}, Holiday{"2026-03-30", "a Monday off"})
	for i := range 40 {
		from := at(t, london, "2026-01-05 07:00").Add(time.Duration(i) * 211 * h)
		office.Exclusions = append(office.Exclusions, Exclusion{From: from, To: from.Add(time.Duration(i%7+1) * 47 * m), Reason: Reasons[i%3]})
	}
	nights := nightShift()
	nights.Timezone = "America/New_York"
	nights.Holidays = []Holiday{{"2026-03-09", "off"}, {"2026-11-02", "off"}}
	folded := &Calendar{Name: "fold", Timezone: "America/New_York", Hours: []Hours{{"sun", "01:00", "01:59"}, {"sun", "02:30", "05:00"}, {"sat", "23:00", "01:00"}}}
	return map[string]*Compiled{
		"office": mustCompile(t, office),
		"nights": mustCompile(t, nights),
		"folded": mustCompile(t, folded),
		"24/7":   mustCompile(t, everyDay("Europe/London", "00:00", "24:00")),
	}
}

func TestWorkingProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	year := int64(400 * 24 * h)
	for name, cc := range propertyCalendars(t) {
		for i := range 3000 {
			ts := []time.Time{base.Add(time.Duration(rng.Int64N(year))), base.Add(time.Duration(rng.Int64N(year))), base.Add(time.Duration(rng.Int64N(year)))}
			if i%3 == 0 { // nearby timestamps, minutes to days apart
				ts[1] = ts[0].Add(time.Duration(rng.Int64N(int64(72 * h))))
				ts[2] = ts[1].Add(time.Duration(rng.Int64N(int64(72 * h))))
			}
			slices.SortFunc(ts, func(x, y time.Time) int { return x.Compare(y) })
			a, b, c := ts[0], ts[1], ts[2]
			ab, bc, ac := cc.Working(a, b), cc.Working(b, c), cc.Working(a, c)
			msg := fmt.Sprintf("%s: a=%s b=%s c=%s", name, a, b, c)
			if ac != ab+bc {
				t.Fatalf("%s: Working(a,c)=%v != %v + %v", msg, ac, ab, bc)
			}
			if ac < 0 || ac > c.Sub(a) {
				t.Fatalf("%s: Working(a,c)=%v outside [0, %v]", msg, ac, c.Sub(a))
			}
			if name == "24/7" && ac != c.Sub(a) {
				t.Fatalf("%s: 24/7 gives %v, want %v", msg, ac, c.Sub(a))
			}
			if ref := reference(cc, a, c); ac != ref {
				t.Fatalf("%s: Working %v, day by day %v", msg, ac, ref)
			}
			if cc.Working(c, a) != -ac {
				t.Fatalf("%s: reversed", msg)
			}
			var ws time.Duration
			for _, w := range cc.Windows(a, c) {
				ws += w.To.Sub(w.From)
			}
			if ws != ac {
				t.Fatalf("%s: Windows sum to %v, Working %v", msg, ws, ac)
			}
		}
	}
}

func TestWorkingConcurrently(t *testing.T) {
	cc := mustCompile(t, ukOffice())
	london := zone(t, "Europe/London")
	from, to := at(t, london, "2026-01-01 00:00"), at(t, london, "2027-01-01 00:00")
	want := map[time.Time]time.Duration{}
	for d := from; d.Before(to); d = d.Add(7 * h) {
		want[d] = reference(cc, d, d.Add(31*h))
	}
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			for d, w := range want { // each goroutine in its own order, building blocks as it goes
				if got := cc.Working(d, d.Add(31*h)); got != w {
					errs <- fmt.Errorf("%s: got %v, want %v", d, got, w)
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestHoursChangeFromADate: effective-dated hours. Office hours Mon–Fri
// 08:00–18:00 London until Friday 5 June 2026; from Monday 8 June the desk
// also opens Saturdays 09:00–13:00 and closes at 17:00 on weekdays, and
// from 1 July it is back to the old hours. The week of 1–7 June is 5 × 10 h
// = 50 h; the week of 8–14 June is 5 × 9 h + 4 h = 49 h; the week of 29
// June – 5 July is Mon–Tue at 9 h (18 h) and Wed–Fri at 10 h (30 h): 48 h.
// A window belongs to the date it starts on: a night shift Sun 22:00 →
// Mon 06:00 changed from 1 July counts whole under the hours of its Sunday.
func TestHoursChangeFromADate(t *testing.T) {
	c := officeHours()
	var summer []Hours
	for _, d := range Days[:5] {
		summer = append(summer, Hours{Day: d, From: "08:00", To: "17:00"})
	}
	summer = append(summer, Hours{Day: "sat", From: "09:00", To: "13:00"})
	c.HoursFrom = []HoursChange{{From: "2026-06-08", Hours: summer}, {From: "2026-07-01", Hours: officeHours().Hours}}
	cc, err := Compile(c)
	if err != nil {
		t.Fatal(err)
	}
	london, _ := time.LoadLocation("Europe/London")
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, london) }
	for _, tc := range []struct {
		from, to time.Time
		want     time.Duration
	}{
		{day(6, 1), day(6, 8), 50 * time.Hour},
		{day(6, 8), day(6, 15), 49 * time.Hour},
		{day(6, 29), day(7, 6), 48 * time.Hour},
	} {
		if got := cc.Working(tc.from, tc.to); got != tc.want {
			t.Errorf("%s – %s: %v, want %v", tc.from.Format(time.DateOnly), tc.to.Format(time.DateOnly), got, tc.want)
		}
	}

	night := &Calendar{Name: "Night desk", Timezone: "UTC", Hours: []Hours{{Day: "sun", From: "22:00", To: "06:00"}},
		HoursFrom: []HoursChange{{From: "2026-03-02", Hours: []Hours{{Day: "mon", From: "09:00", To: "10:00"}}}}}
	nc, err := Compile(night)
	if err != nil {
		t.Fatal(err)
	}
	// Sunday 1 March 22:00 → Monday 2 March 06:00 is the Sunday's window (8 h);
	// Monday 2 March 09:00–10:00 is the change's (1 h).
	if got := nc.Working(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)); got != 9*time.Hour {
		t.Errorf("across the change: %v, want 9h", got)
	}
}

// Changes of hours are checked like the hours, naming the field.
func TestHoursChangesAreChecked(t *testing.T) {
	for _, tc := range []struct {
		changes []HoursChange
		field   string
	}{
		{[]HoursChange{{From: "2026-13-01", Hours: officeHours().Hours}}, "hoursFrom[0].from"},
		{[]HoursChange{{From: "2026-06-01", Hours: officeHours().Hours}, {From: "2026-06-01", Hours: officeHours().Hours}}, "hoursFrom[1].from"},
		{[]HoursChange{{From: "2026-06-01"}}, "hoursFrom[0].hours"},
		{[]HoursChange{{From: "2026-06-01", Hours: []Hours{{Day: "mon", From: "08:00", To: "25:00"}}}}, "hoursFrom[0].hours[0].to"},
	} {
		c := officeHours()
		c.HoursFrom = tc.changes
		var fe *models.FieldError
		if err := c.Validate(); !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%+v: %v, want an error on %s", tc.changes, err, tc.field)
		}
	}
}
