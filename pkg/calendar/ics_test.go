package calendar

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/covenant/contracts/pkg/models"
)

func TestHolidaysFromICSFixture(t *testing.T) {
	f, err := os.Open("testdata/uk-bank-holidays-2026.ics")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := HolidaysFromICS(f)
	if err != nil {
		t.Fatal(err)
	}
	want := []Holiday{
		{"2026-01-01", "New Year's Day"},
		{"2026-04-03", "Good Friday"},
		{"2026-04-06", "Easter Monday"},
		{"2026-05-04", "Early May bank holiday"},
		{"2026-05-25", "Spring bank holiday"},
		{"2026-08-31", "Summer bank holiday"},
		{"2026-12-25", "Christmas Day"},
		{"2026-12-28", "Boxing Day (substitute day)"},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}

	c := officeHours()
	c.Holidays = got
	cc := mustCompile(t, c)
	london := zone(t, "Europe/London")
	// Christmas week: Mon 21 – Thu 24 Dec are working days; Fri 25 and Mon 28 are holidays.
	if got := cc.Working(at(t, london, "2026-12-21 00:00"), at(t, london, "2026-12-29 00:00")); got != 4*10*h {
		t.Errorf("Christmas week: %v, want %v", got, 4*10*h)
	}
	// 2026: 261 weekdays, all eight bank holidays on weekdays.
	if got := cc.Working(at(t, london, "2026-01-01 00:00"), at(t, london, "2027-01-01 00:00")); got != (261-8)*10*h {
		t.Errorf("2026: %v, want %v", got, (261-8)*10*h)
	}
}

// icsFile wraps VEVENT lines in a calendar.
func icsFile(events ...string) string {
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Covenant//test//EN\r\n")
	for _, e := range events {
		b.WriteString("BEGIN:VEVENT\r\nDTSTAMP:20260101T000000Z\r\n")
		b.WriteString(strings.ReplaceAll(strings.TrimSpace(e), "\n", "\r\n"))
		b.WriteString("\r\nEND:VEVENT\r\n")
	}
	b.WriteString("END:VCALENDAR\r\n")
	return b.String()
}

func TestHolidaysFromICS(t *testing.T) {
	tests := []struct {
		name   string
		events []string
		want   []Holiday
	}{
		{"multi-day event, DTEND exclusive", []string{`
UID:xmas
DTSTART;VALUE=DATE:20261224
DTEND;VALUE=DATE:20261227
SUMMARY:Christmas shutdown`}, []Holiday{
			{"2026-12-24", "Christmas shutdown"}, {"2026-12-25", "Christmas shutdown"}, {"2026-12-26", "Christmas shutdown"}}},
		{"no DTEND is one day", []string{`
UID:a
DTSTART;VALUE=DATE:20260101
SUMMARY:New Year's Day`}, []Holiday{{"2026-01-01", "New Year's Day"}}},
		{"DURATION in days", []string{`
UID:a
DTSTART;VALUE=DATE:20260403
DURATION:P4D
SUMMARY:Easter`}, []Holiday{{"2026-04-03", "Easter"}, {"2026-04-04", "Easter"}, {"2026-04-05", "Easter"}, {"2026-04-06", "Easter"}}},
		{"date without VALUE=DATE", []string{`
UID:a
DTSTART:20260101
SUMMARY:New Year's Day`}, []Holiday{{"2026-01-01", "New Year's Day"}}},
		{"escaped summary, sorted output", []string{`
UID:b
DTSTART;VALUE=DATE:20261226
SUMMARY:Boxing Day\, St Stephen's Day`, `
UID:a
DTSTART;VALUE=DATE:20261225
SUMMARY:Christmas Day`}, []Holiday{{"2026-12-25", "Christmas Day"}, {"2026-12-26", "Boxing Day, St Stephen's Day"}}},
		{"same date twice joins the names", []string{`
UID:a
DTSTART;VALUE=DATE:20260317
SUMMARY:St Patrick's Day`, `
UID:b
DTSTART;VALUE=DATE:20260317
SUMMARY:Company day`, `
UID:c
DTSTART;VALUE=DATE:20260317
SUMMARY:St Patrick's Day`}, []Holiday{{"2026-03-17", "St Patrick's Day / Company day"}}},
		{"cancelled events are skipped", []string{`
UID:a
DTSTART;VALUE=DATE:20260101
SUMMARY:New Year's Day`, `
UID:b
STATUS:CANCELLED
DTSTART;VALUE=DATE:20260102
SUMMARY:Extra day`}, []Holiday{{"2026-01-01", "New Year's Day"}}},
		{"yearly with COUNT", []string{`
UID:a
DTSTART;VALUE=DATE:20261225
RRULE:FREQ=YEARLY;COUNT=3
SUMMARY:Christmas Day`}, []Holiday{{"2026-12-25", "Christmas Day"}, {"2027-12-25", "Christmas Day"}, {"2028-12-25", "Christmas Day"}}},
		{"yearly with UNTIL, BYMONTH/BYMONTHDAY repeating DTSTART, and EXDATE", []string{`
UID:a
DTSTART;VALUE=DATE:20260101
RRULE:FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1;UNTIL=20290101T000000Z
EXDATE;VALUE=DATE:20270101,20280101
SUMMARY:New Year's Day`}, []Holiday{{"2026-01-01", "New Year's Day"}, {"2029-01-01", "New Year's Day"}}},
		{"yearly every other year, two days each", []string{`
UID:a
DTSTART;VALUE=DATE:20260601
DTEND;VALUE=DATE:20260603
RRULE:FREQ=YEARLY;INTERVAL=2;COUNT=2
SUMMARY:Jubilee`}, []Holiday{{"2026-06-01", "Jubilee"}, {"2026-06-02", "Jubilee"}, {"2028-06-01", "Jubilee"}, {"2028-06-02", "Jubilee"}}},
		{"29 February in leap years only", []string{`
UID:a
DTSTART;VALUE=DATE:20240229
RRULE:FREQ=YEARLY;COUNT=2
SUMMARY:Leap day`}, []Holiday{{"2024-02-29", "Leap day"}, {"2028-02-29", "Leap day"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := HolidaysFromICS(strings.NewReader(icsFile(tt.events...)))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v\nwant %v", got, tt.want)
			}
			c := officeHours()
			c.Holidays = got
			if err := c.Validate(); err != nil {
				t.Errorf("imported holidays do not validate: %v", err)
			}
		})
	}
}

func TestHolidaysFromICSErrors(t *testing.T) {
	tests := []struct {
		name string
		file string
		says []string
	}{
		{"timed event", icsFile(`
UID:standup-1
DTSTART:20260105T090000Z
DTEND:20260105T091500Z
SUMMARY:Stand-up`), []string{`event 1 (UID "standup-1", SUMMARY "Stand-up")`, "starts at a time", "only all-day events"}},
		{"timed event with a zone", icsFile(`
UID:a
DTSTART;VALUE=DATE:20260101
SUMMARY:New Year's Day`, `
UID:b
DTSTART;TZID=Europe/London:20260105T090000
SUMMARY:Meeting`), []string{`event 2 (UID "b", SUMMARY "Meeting")`, "only all-day events"}},
		{"timed DTEND", icsFile(`
UID:a
DTSTART;VALUE=DATE:20260101
DTEND:20260101T170000Z
SUMMARY:Half day`), []string{`UID "a"`, "ends at a time", "DTEND;VALUE=DATE"}},
		{"DTEND not after DTSTART", icsFile(`
UID:a
DTSTART;VALUE=DATE:20260102
DTEND;VALUE=DATE:20260102
SUMMARY:Nothing`), []string{"DTEND 20260102 is not after DTSTART"}},
		{"bad date", icsFile(`
UID:a
DTSTART;VALUE=DATE:20260230
SUMMARY:Nope`), []string{`DTSTART "20260230" is not a date`}},
		{"no DTSTART", icsFile(`
UID:a
SUMMARY:Floating`), []string{"has no DTSTART"}},
		{"no SUMMARY", icsFile(`
UID:nameless
DTSTART;VALUE=DATE:20260101`), []string{`event 1 (UID "nameless")`, "has no SUMMARY"}},
		{"DURATION in hours", icsFile(`
UID:a
DTSTART;VALUE=DATE:20260101
DURATION:PT8H
SUMMARY:Short`), []string{`DURATION "PT8H" is not whole days`}},
		{"open-ended yearly rule", icsFile(`
UID:a
DTSTART;VALUE=DATE:20261225
RRULE:FREQ=YEARLY
SUMMARY:Christmas Day`), []string{`RRULE "FREQ=YEARLY" repeats without end`, "COUNT or UNTIL"}},
		{"BYDAY rule", icsFile(`
UID:a
DTSTART;VALUE=DATE:20260504
RRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=1MO;COUNT=5
SUMMARY:Early May bank holiday`), []string{"uses BYDAY", "only fixed-date yearly rules"}},
		{"monthly rule", icsFile(`
UID:a
DTSTART;VALUE=DATE:20260101
RRULE:FREQ=MONTHLY;COUNT=3
SUMMARY:First of the month`), []string{"is not yearly"}},
		{"BYMONTH other than DTSTART's", icsFile(`
UID:a
DTSTART;VALUE=DATE:20260101
RRULE:FREQ=YEARLY;BYMONTH=1,7;COUNT=3
SUMMARY:Twice a year`), []string{"picks months other than DTSTART's"}},
		{"RDATE", icsFile(`
UID:a
DTSTART;VALUE=DATE:20260101
RDATE;VALUE=DATE:20270101
SUMMARY:New Year's Day`), []string{"has RDATE", "list each date as an event of its own"}},
		{"changed occurrence", icsFile(`
UID:a
RECURRENCE-ID;VALUE=DATE:20271225
DTSTART;VALUE=DATE:20271227
SUMMARY:Christmas Day (moved)`), []string{"has RECURRENCE-ID"}},
		{"no events", icsFile(), []string{"has no events"}},
		{"not iCalendar", "day,name\n2026-01-01,New Year's Day\n", []string{"is not an iCalendar file"}},
		{"too many holidays", icsFile(`
UID:a
DTSTART;VALUE=DATE:20260101
DTEND;VALUE=DATE:20300101
SUMMARY:Sabbatical`), []string{"more than the limit of 1000"}},
		{"too many occurrences", icsFile(`
UID:a
DTSTART;VALUE=DATE:20260101
RRULE:FREQ=YEARLY;COUNT=5000
SUMMARY:New Year's Day`), []string{"more than the limit of 1000"}},
		{"too big a file", icsFile(strings.Repeat("COMMENT:"+strings.Repeat("x", 60)+"\n", MaxICSBytes/60)), []string{"more than the limit of 4194304 bytes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := HolidaysFromICS(strings.NewReader(tt.file))
			var fe *models.FieldError
			if !errors.As(err, &fe) || !errors.Is(err, models.ErrInvalidInput) || fe.Field != "ics" {
				t.Fatalf("got %v, want an input error on ics", err)
			}
			for _, s := range tt.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("%q does not say %q", err, s)
				}
			}
		})
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestHolidaysFromICSReadError(t *testing.T) {
	if _, err := HolidaysFromICS(failingReader{}); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("got %v", err)
	}
}
