package registry

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/store"
)

// officeHours is a service calendar: Mon–Fri 08:00–18:00 in London, one bank
// holiday and one maintenance window.
const officeHours = `{"id":"uk-office","name":"UK office hours","timezone":"Europe/London",
 "hours":[{"day":"mon","from":"08:00","to":"18:00"},{"day":"tue","from":"08:00","to":"18:00"},
  {"day":"wed","from":"08:00","to":"18:00"},{"day":"thu","from":"08:00","to":"18:00"},
  {"day":"fri","from":"08:00","to":"18:00"}],
 "holidays":[{"date":"2026-05-25","name":"Spring bank holiday"}],
 "exclusions":[{"from":"2026-05-12T09:00:00+01:00","to":"2026-05-12T11:00:00+01:00","reason":"maintenance","note":"CHG-1042"}]}`

func TestCalendarIsARegistryObject(t *testing.T) {
	r, _ := newRegistry(t)
	ctx := context.Background()
	c := mustCreate(t, r, "calendars", officeHours).(*calendar.Calendar)
	if c.ID != "uk-office" || c.Version != 1 || c.CreatedBy != "tester" {
		t.Fatalf("created %+v", c.Meta)
	}

	// Versions and the audit trail, as for every kind.
	c.Holidays = append(c.Holidays, calendar.Holiday{Date: "2026-08-31", Name: "Summer bank holiday"})
	if _, err := r.Update(ctx, kind(t, "calendars"), "uk-office", c, "editor"); err != nil {
		t.Fatal(err)
	}
	got, err := r.Find(ctx, kind(t, "calendars"), "uk-office")
	if err != nil {
		t.Fatal(err)
	}
	if g := got.(*calendar.Calendar); g.Version != 2 || len(g.Holidays) != 2 || g.UpdatedBy != "editor" {
		t.Fatalf("after update: %+v", g)
	}
	audit, err := r.Store.Audit(ctx, "calendar", "uk-office")
	if err != nil || len(audit) != 2 {
		t.Fatalf("audit: %v %v", audit, err)
	}

	// The snapshot the engine reads holds it.
	snap, err := r.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	compiled, err := calendar.Compile(snap.Calendars["uk-office"])
	if err != nil {
		t.Fatal(err)
	}
	// Week of 2026-05-11: 5 × 10 h, less the 2 h maintenance window on Tuesday.
	from := time.Date(2026, 5, 11, 0, 0, 0, 0, compiled.Location())
	if w := compiled.Working(from, from.AddDate(0, 0, 7)); w != 48*time.Hour {
		t.Fatalf("working time in the week of 11 May: %v, want 48h", w)
	}
}

func TestCalendarErrorsNameTheField(t *testing.T) {
	r, _ := newRegistry(t)
	for _, c := range []struct{ body, field string }{
		{`{"name":"x","timezone":"Mars/Olympus","hours":[{"day":"mon","from":"08:00","to":"18:00"}]}`, "timezone"},
		{`{"name":"x","timezone":"UTC","hours":[{"day":"monday","from":"08:00","to":"18:00"}]}`, "hours[0].day"},
		{`{"name":"x","timezone":"UTC","hours":[{"day":"mon","from":"08:00","to":"08:00"}]}`, "hours[0]"},
		{`{"name":"x","timezone":"UTC","hours":[{"day":"mon","from":"08:00","to":"18:00"}],"exclusions":[{"from":"2026-01-02T00:00:00Z","to":"2026-01-01T00:00:00Z","reason":"maintenance"}]}`, "exclusions[0]"},
	} {
		_, err := create(t, r, "calendars", c.body)
		var fe *models.FieldError
		if !errors.As(err, &fe) || !errors.Is(err, models.ErrInvalidInput) || !strings.HasPrefix(fe.Field, c.field) {
			t.Errorf("%s: %v, want an input error on %s", c.body, err, c.field)
		}
	}
	// Nothing was stored.
	page, err := r.List(context.Background(), kind(t, "calendars"), store.ListOptions{})
	if err != nil || page.Total != 0 {
		t.Fatalf("stored after refusals: %+v %v", page, err)
	}
}

func TestCalendarsInTheRegistryYAML(t *testing.T) {
	a, _ := newRegistry(t)
	ctx := context.Background()
	mustCreate(t, a, "calendars", officeHours)
	out, err := a.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"calendars:", "id: uk-office", "timezone: Europe/London", "reason: maintenance", "note: CHG-1042"} {
		if !strings.Contains(string(out), s) {
			t.Fatalf("export lacks %q:\n%s", s, out)
		}
	}
	b, _ := newRegistry(t)
	rep, err := b.Import(ctx, out, "other", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Changes) != 1 || rep.Changes[0].Kind != "calendar" {
		t.Fatalf("import: %+v", rep)
	}
	again, err := b.Export(ctx)
	if err != nil || string(again) != string(out) {
		t.Fatalf("the copy's export differs (%v):\n%s\n---\n%s", err, out, again)
	}
}

// A tracker may follow a calendar: the registry refuses an unknown one, and
// refuses deleting a calendar a tracker follows, from the tracker's Refs.
func TestTrackerFollowsACalendar(t *testing.T) {
	r, _ := newRegistry(t)
	smallRegistry(t, r)
	ctx := context.Background()
	ghost := `{"id":"ghost-hours","name":"Office-hours availability","kpiId":"uptime","method":"avg","interval":"1d","timezone":"Europe/London","target":{"constant":99.5},"calendarId":"ghost"}`
	_, err := create(t, r, "trackers", ghost)
	fieldError(t, err, "calendarId", `there is no calendar "ghost"`)
	notStored(t, r, "trackers", "ghost-hours")

	mustCreate(t, r, "calendars", officeHours)
	body := `{"id":"office-avail","name":"Office-hours availability","kpiId":"uptime","method":"avg","interval":"1d","timezone":"Europe/London","target":{"constant":99.5},"calendarId":"uk-office"}`
	tr := mustCreate(t, r, "trackers", body).(*models.Tracker)
	if tr.CalendarID != "uk-office" {
		t.Fatalf("calendarId not kept: %+v", tr)
	}
	if def := tr.Def(models.KPIDef{}); def.CalendarID != "uk-office" {
		t.Fatalf("the tracker's definition lost its calendar: %+v", def)
	}
	err = r.Delete(ctx, kind(t, "calendars"), "uk-office", 1, "tester")
	if !errors.Is(err, models.ErrInUse) || !strings.Contains(err.Error(), `tracker "office-avail"`) {
		t.Fatalf("deleting a calendar a tracker follows: %v", err)
	}
	// Once the tracker follows no calendar, the calendar goes.
	tr.CalendarID = ""
	if _, err := r.Update(ctx, kind(t, "trackers"), "office-avail", tr, "editor"); err != nil {
		t.Fatal(err)
	}
	if err := r.Delete(ctx, kind(t, "calendars"), "uk-office", 1, "tester"); err != nil {
		t.Fatal(err)
	}
	notStored(t, r, "calendars", "uk-office")
	snap, err := r.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Calendars) != 0 || snap.Trackers["office-avail"].CalendarID != "" {
		t.Fatalf("snapshot: %v calendars, tracker %+v", len(snap.Calendars), snap.Trackers["office-avail"])
	}
}

// A business-time KPI measures its rows on a calendar: the registry checks its
// unit and its calendar, and refuses deleting a calendar a KPI measures on.
func TestBusinessTimeKPIRefersToItsCalendar(t *testing.T) {
	r, _ := newRegistry(t)
	ctx := context.Background()
	kpi := func(id, businessTime, extra string) string {
		return `{"id":"` + id + `","name":"Business response","unit":"m","direction":"lower_is_better",` +
			`"rawSql":"SELECT opened_at AS time, answered_at AS \"end\" FROM tickets WHERE $__timeFilter(opened_at)"` + businessTime + extra + `}`
	}
	_, err := create(t, r, "kpis", kpi("k1", `,"businessTime":{"calendarId":"uk-office","unit":"m"}`, ""))
	fieldError(t, err, "businessTime.calendarId", `there is no calendar "uk-office"`)
	mustCreate(t, r, "calendars", officeHours)
	_, err = create(t, r, "kpis", kpi("k2", `,"businessTime":{"calendarId":"uk-office","unit":"d"}`, ""))
	fieldError(t, err, "businessTime.unit", `"d" is not a unit: use s (seconds), m (minutes) or h (hours)`)
	_, err = create(t, r, "kpis", kpi("k3", `,"businessTime":{"unit":"m"}`, ""))
	fieldError(t, err, "businessTime.calendarId", "is empty")
	_, err = create(t, r, "kpis", kpi("k4", "", `,"endField":"answered"`))
	fieldError(t, err, "endField", "only read for a business-time KPI")
	k := mustCreate(t, r, "kpis", kpi("k5", `,"businessTime":{"calendarId":"uk-office","unit":"h"}`, "")).(*models.KPI)
	if k.BusinessTime == nil || k.BusinessTime.Per() != time.Hour {
		t.Fatalf("business time %+v", k.BusinessTime)
	}
	err = r.Delete(ctx, kind(t, "calendars"), "uk-office", 1, "tester")
	if !errors.Is(err, models.ErrInUse) || !strings.Contains(err.Error(), `kpi "k5"`) {
		t.Fatalf("deleting a calendar a KPI measures on: %v", err)
	}
}
