package calendar

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// officeHours is Mon–Fri 08:00–18:00 Europe/London, with no holidays.
func officeHours() *Calendar {
	c := &Calendar{Name: "UK office", Timezone: "Europe/London"}
	for _, d := range Days[:5] {
		c.Hours = append(c.Hours, Hours{Day: d, From: "08:00", To: "18:00"})
	}
	return c
}

func TestValidateAcceptsGoodCalendars(t *testing.T) {
	for name, c := range map[string]*Calendar{
		"office hours": officeHours(),
		"24/7": {Name: "always", Timezone: "UTC", Hours: []Hours{
			{"mon", "00:00", "24:00"}, {"tue", "00:00", "24:00"}, {"wed", "00:00", "24:00"}, {"thu", "00:00", "24:00"},
			{"fri", "00:00", "24:00"}, {"sat", "00:00", "24:00"}, {"sun", "00:00", "24:00"}}},
		"touching windows": {Name: "split", Timezone: "UTC", Hours: []Hours{
			{"mon", "08:00", "12:00"}, {"mon", "12:00", "18:00"}, {"mon", "22:00", "00:00"}, {"tue", "00:00", "06:00"}}},
		"night shift into the next day's start": {Name: "nights", Timezone: "America/New_York", Hours: []Hours{
			{"mon", "22:00", "06:00"}, {"tue", "06:00", "08:00"}, {"sat", "22:00", "06:00"}, {"sun", "06:00", "07:00"}}},
		"holidays and exclusions": {Name: "full", Timezone: "Europe/London", Hours: []Hours{{"mon", "09:00", "17:00"}},
			Holidays: []Holiday{{"2026-12-25", "Christmas Day"}, {"2026-12-28", "Boxing Day (substitute day)"}},
			Exclusions: []Exclusion{{From: time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC), To: time.Date(2026, 5, 12, 11, 0, 0, 0, time.UTC),
				Reason: ReasonMaintenance, Note: "database upgrade"}}},
	} {
		if err := c.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestValidateNamesTheField(t *testing.T) {
	t0 := time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		change func(c *Calendar)
		field  string
		says   string
	}{
		{"no name", func(c *Calendar) { c.Name = " " }, "name", "name the calendar"},
		{"no zone", func(c *Calendar) { c.Timezone = "" }, "timezone", "is empty"},
		{"unknown zone", func(c *Calendar) { c.Timezone = "Europe/Londn" }, "timezone", "not an IANA time zone"},
		{"local zone", func(c *Calendar) { c.Timezone = "Local" }, "timezone", "not an IANA time zone"},
		{"no hours", func(c *Calendar) { c.Hours = nil }, "hours", "at least one"},
		{"too many hours", func(c *Calendar) {
			c.Hours = nil
			for i := range MaxWindows + 1 {
				c.Hours = append(c.Hours, Hours{Day: "mon", From: formatClock(i * 20), To: formatClock(i*20 + 10)})
			}
		}, "hours", "limit of 50"},
		{"bad day", func(c *Calendar) { c.Hours[2].Day = "Wednesday" }, "hours[2].day", "use one of mon, tue"},
		{"bad from", func(c *Calendar) { c.Hours[1].From = "8:00" }, "hours[1].from", "HH:MM"},
		{"from 24:00", func(c *Calendar) { c.Hours[1].From = "24:00" }, "hours[1].from", "00:00 to 23:59"},
		{"bad to", func(c *Calendar) { c.Hours[2].To = "18:60" }, "hours[2].to", "HH:MM"},
		{"to 25:00", func(c *Calendar) { c.Hours[2].To = "25:00" }, "hours[2].to", "HH:MM"},
		{"zero-length window", func(c *Calendar) { c.Hours[2].To = "08:00" }, "hours[2].to", "from 00:00 to 24:00"},
		{"whole day as 00:00-00:00", func(c *Calendar) { c.Hours[0] = Hours{"mon", "00:00", "00:00"} }, "hours[0].to", "from 00:00 to 24:00"},
		{"overlap on a day", func(c *Calendar) { c.Hours = append(c.Hours, Hours{"tue", "17:00", "19:00"}) }, "hours[5].from", "overlaps hours[1]"},
		{"same start", func(c *Calendar) { c.Hours = append(c.Hours, Hours{"wed", "08:00", "09:00"}) }, "hours[5].from", "overlaps hours[2]"},
		{"inside another", func(c *Calendar) { c.Hours = append(c.Hours, Hours{"thu", "12:00", "13:00"}) }, "hours[5].from", "overlaps hours[3]"},
		{"past midnight into the next day", func(c *Calendar) { c.Hours = append(c.Hours, Hours{"mon", "22:00", "08:30"}) }, "hours[5].to", "runs past midnight into hours[1] (tue 08:00-18:00)"},
		{"saturday night into sunday", func(c *Calendar) {
			c.Hours = append(c.Hours, Hours{"sun", "05:00", "07:00"}, Hours{"sat", "23:00", "06:00"})
		}, "hours[6].to", "runs past midnight into hours[5]"},
		{"too many holidays", func(c *Calendar) {
			for i := range MaxHolidays + 1 {
				c.Holidays = append(c.Holidays, Holiday{time.Date(2026, 1, 1+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), "day off"})
			}
		}, "holidays", "limit of 1000"},
		{"bad holiday date", func(c *Calendar) { c.Holidays = []Holiday{{"2026-02-30", "nope"}} }, "holidays[0].date", "YYYY-MM-DD"},
		{"holiday date not padded", func(c *Calendar) { c.Holidays = []Holiday{{"2026-1-01", "nope"}} }, "holidays[0].date", "YYYY-MM-DD"},
		{"duplicate holiday", func(c *Calendar) {
			c.Holidays = []Holiday{{"2026-12-25", "Christmas Day"}, {"2026-12-26", "Boxing Day"}, {"2026-12-25", "Christmas"}}
		}, "holidays[2].date", "listed twice (also holidays[0])"},
		{"holiday without a name", func(c *Calendar) { c.Holidays = []Holiday{{"2026-12-25", ""}} }, "holidays[0].name", "name the holiday"},
		{"too many exclusions", func(c *Calendar) {
			for i := range MaxExclusions + 1 {
				from := t0.Add(time.Duration(i) * time.Hour)
				c.Exclusions = append(c.Exclusions, Exclusion{From: from, To: from.Add(time.Minute), Reason: ReasonMaintenance})
			}
		}, "exclusions", "limit of 1000"},
		{"exclusion without from", func(c *Calendar) { c.Exclusions = []Exclusion{{To: t0, Reason: ReasonMaintenance}} }, "exclusions[0].from", "is missing"},
		{"exclusion without to", func(c *Calendar) { c.Exclusions = []Exclusion{{From: t0, Reason: ReasonMaintenance}} }, "exclusions[0].to", "is missing"},
		{"exclusion ending at its start", func(c *Calendar) {
			c.Exclusions = []Exclusion{{From: t0, To: t0.Add(time.Hour), Reason: ReasonMaintenance}, {From: t0, To: t0, Reason: ReasonMaintenance}}
		}, "exclusions[1].to", "not after from"},
		{"exclusion too late", func(c *Calendar) {
			c.Exclusions = []Exclusion{{From: t0, To: time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), Reason: ReasonMaintenance}}
		}, "exclusions[0].to", "outside the times"},
		{"unknown reason", func(c *Calendar) {
			c.Exclusions = []Exclusion{{From: t0, To: t0.Add(time.Hour), Reason: ReasonMaintenance}, {From: t0, To: t0.Add(time.Hour), Reason: "outage"}}
		}, "exclusions[1].reason", "use one of maintenance, force_majeure, customer_caused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := officeHours()
			tt.change(c)
			err := c.Validate()
			var fe *models.FieldError
			if !errors.As(err, &fe) || !errors.Is(err, models.ErrInvalidInput) {
				t.Fatalf("got %v, want an input field error", err)
			}
			if fe.Field != tt.field || !strings.Contains(fe.Msg, tt.says) {
				t.Errorf("got %q, want field %s saying %q", err, tt.field, tt.says)
			}
		})
	}
}

func TestCalendarIsARegistryEntity(t *testing.T) {
	var e interface {
		GetMeta() *models.Meta
		Validate() error
		Refs() []models.Ref
		Title() string
	} = officeHours()
	if e.Title() != "UK office" || e.Refs() != nil || e.GetMeta() == nil {
		t.Errorf("title %q, refs %v", e.Title(), e.Refs())
	}
}

func TestCalendarJSONShape(t *testing.T) {
	c := officeHours()
	c.Hours = c.Hours[:1]
	c.ID, c.Version = "uk-office", 3
	c.Holidays = []Holiday{{"2026-12-25", "Christmas Day"}}
	c.Exclusions = []Exclusion{{From: time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC), To: time.Date(2026, 5, 12, 11, 0, 0, 0, time.UTC), Reason: ReasonMaintenance}}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "version", "createdAt", "name", "timezone", "hours", "holidays", "exclusions"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q in %s", k, b)
		}
	}
	if _, ok := m["description"]; ok {
		t.Errorf("empty description written: %s", b)
	}
	want := `"hours":[{"day":"mon","from":"08:00","to":"18:00"}]`
	if !strings.Contains(string(b), want) {
		t.Errorf("%s lacks %s", b, want)
	}
	if !strings.Contains(string(b), `{"from":"2026-05-12T09:00:00Z","to":"2026-05-12T11:00:00Z","reason":"maintenance"}`) {
		t.Errorf("exclusion shape: %s", b)
	}
	var back Calendar
	if err := json.Unmarshal(b, &back); err != nil || back.ID != "uk-office" || back.Version != 3 || fmt.Sprint(back.Hours) != fmt.Sprint(c.Hours) {
		t.Errorf("round trip: %v %+v", err, back)
	}
}
