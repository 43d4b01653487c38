package plugin

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// A night-shift calendar in London: 22:00–06:00 from Sunday to Thursday nights, a holiday on
// Sunday 29 March 2026 (the clocks go forward that night) and a maintenance window.
const nightShift = `{"name":"Night shift","timezone":"Europe/London",
 "hours":[{"day":"sun","from":"22:00","to":"06:00"},{"day":"mon","from":"22:00","to":"06:00"},
  {"day":"tue","from":"22:00","to":"06:00"},{"day":"wed","from":"22:00","to":"06:00"},
  {"day":"thu","from":"22:00","to":"06:00"}],
 "holidays":[{"date":"2026-03-29","name":"Test holiday"}],
 "exclusions":[{"from":"2026-03-31T01:00:00+01:00","to":"2026-03-31T03:00:00+01:00","reason":"maintenance"}]}`

func TestCalendarPreview(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	res := callResourceBody(t, d, "Editor", http.MethodPost, "calendars/preview?from=2026-03-28&days=4", nightShift)
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	var p Preview
	if err := json.Unmarshal(res.body, &p); err != nil {
		t.Fatal(err)
	}
	// Sat 28: no window starts (Friday has none), so 0. Sun 29: its window is dropped (holiday).
	// Mon 30: 00:00–06:00 of Sunday's window is dropped with it, then 22:00–24:00 = 2 h.
	// Tue 31: 00:00–06:00 (Monday's window) less the 01:00–03:00 maintenance = 4 h, and 22:00–24:00 = 2 h.
	want := []struct {
		date, weekday, holiday string
		hours                  int64
		excluded               int
	}{
		{"2026-03-28", "sat", "", 0, 0},
		{"2026-03-29", "sun", "Test holiday", 0, 0},
		{"2026-03-30", "mon", "", 2, 0},
		{"2026-03-31", "tue", "", 6, 1},
	}
	if p.Timezone != "Europe/London" || len(p.Days) != len(want) {
		t.Fatalf("preview %+v", p)
	}
	for i, w := range want {
		g := p.Days[i]
		if g.Date != w.date || g.Weekday != w.weekday || g.Holiday != w.holiday || g.Working != w.hours*3600 || len(g.Excluded) != w.excluded {
			t.Errorf("day %d: %+v, want %+v", i, g, w)
		}
	}
	if p.Total != 8*3600 {
		t.Errorf("total %d s, want 8 h", p.Total)
	}
	// Tuesday's working windows, in order: 00:00–01:00, 03:00–06:00, 22:00–24:00 London time.
	var got []string
	for _, iv := range p.Days[3].Windows {
		got = append(got, iv.From.In(mustZone(t, "Europe/London")).Format("15:04")+"–"+iv.To.In(mustZone(t, "Europe/London")).Format("15:04"))
	}
	if strings.Join(got, " ") != "00:00–01:00 03:00–06:00 22:00–00:00" {
		t.Errorf("Tuesday's windows: %v", got)
	}
}

// The helpers serve the calendar editor: like every POST of the resource API they need the write role.
func TestCalendarHelpersNeedTheWriteRole(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	for _, path := range []string{"calendars/preview", "calendars/holidays/ics"} {
		if res := callResourceBody(t, d, "Viewer", http.MethodPost, path, nightShift); res.status != http.StatusForbidden {
			t.Errorf("%s as a Viewer: %d %s, want 403", path, res.status, res.body)
		}
	}
}

func TestCalendarPreviewErrors(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	for _, c := range []struct{ path, body, field string }{
		{"calendars/preview", `{"name":"x","timezone":"Nowhere/Town","hours":[{"day":"mon","from":"08:00","to":"18:00"}]}`, "timezone"},
		{"calendars/preview?days=400", nightShift, "days"},
		{"calendars/preview?from=31.03.2026", nightShift, "from"},
		{"calendars/preview", `{"name":"x","timezone":"UTC","hours":[],"colour":"red"}`, "colour"},
	} {
		res := callResourceBody(t, d, "Editor", http.MethodPost, c.path, c.body)
		if res.status != http.StatusBadRequest || !strings.Contains(string(res.body), c.field) {
			t.Errorf("%s %s: %d %s, want 400 naming %s", c.path, c.body, res.status, res.body, c.field)
		}
	}
}

func TestHolidaysFromICSResource(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	ics, err := os.ReadFile("../calendar/testdata/uk-bank-holidays-2026.ics")
	if err != nil {
		t.Fatal(err)
	}
	res := callResourceBody(t, d, "Editor", http.MethodPost, "calendars/holidays/ics", string(ics))
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	var body struct {
		Holidays []struct{ Date, Name string } `json:"holidays"`
	}
	if err := json.Unmarshal(res.body, &body); err != nil {
		t.Fatal(err)
	}
	if len(body.Holidays) != 8 || body.Holidays[0].Date != "2026-01-01" || body.Holidays[7].Date != "2026-12-28" {
		t.Fatalf("holidays %+v", body.Holidays)
	}
	res = callResourceBody(t, d, "Editor", http.MethodPost, "calendars/holidays/ics", "not a calendar")
	if res.status != http.StatusBadRequest || !strings.Contains(string(res.body), "ics") {
		t.Fatalf("a file that is not iCalendar: %d %s", res.status, res.body)
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
