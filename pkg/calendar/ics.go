package calendar

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/covenant/contracts/pkg/models"
)

// MaxICSBytes bounds the iCalendar file HolidaysFromICS reads.
const MaxICSBytes = 4 << 20

// maxRecurrenceYear is the last year a recurrence is expanded into (the
// last a YYYY-MM-DD date can name).
const maxRecurrenceYear = 9999

// HolidaysFromICS reads holidays from an iCalendar (RFC 5545) file, sorted
// by date:
//
//   - every all-day VEVENT (DTSTART;VALUE=DATE) is a holiday named by its
//     SUMMARY, one per day from DTSTART up to but not including DTEND (or
//     for a DURATION of whole days or weeks; one day when it has neither);
//   - a timed event is refused: only all-day events are holidays;
//   - a recurring event is expanded when its RRULE is a fixed-date yearly
//     rule (FREQ=YEARLY, with INTERVAL, and BYMONTH or BYMONTHDAY only when
//     they repeat DTSTART's) bounded by COUNT or UNTIL; EXDATE dates are
//     left out. A 29 February start is kept in leap years only. Other rules
//     (BYDAY, monthly, without an end), RDATE, EXRULE and changed occurrences
//     (RECURRENCE-ID) are refused: list such dates as events of their own;
//   - an event with STATUS:CANCELLED is skipped; other components
//     (VTIMEZONE, VTODO) are ignored;
//   - a date named by two events becomes one holiday whose name joins both
//     ("A / B").
//
// Errors are of kind models.ErrInvalidInput with the field "ics", and name
// the event (its number in the file, UID and SUMMARY) and the fix.
func HolidaysFromICS(r io.Reader) ([]Holiday, error) {
	cal, err := readICS(r)
	if err != nil {
		return nil, err
	}
	events := cal.Events()
	if len(events) == 0 {
		return nil, icsError("has no events (VEVENT): export the holiday calendar with its events")
	}
	names := map[int64]string{}
	for i, ev := range events {
		days, err := eventDays(ev)
		if err != nil {
			return nil, icsError(describeEvent(i, ev) + ": " + err.Error())
		}
		if err := addDays(names, days, summary(ev)); err != nil {
			return nil, icsError(describeEvent(i, ev) + ": " + err.Error())
		}
	}
	return holidayList(names), nil
}

func icsError(msg string) error { return models.InputFieldError("ics", msg) }

// readICS reads and parses at most MaxICSBytes; a panic of the parser on
// malformed input is an error like any other.
func readICS(r io.Reader) (cal *ics.Calendar, err error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxICSBytes+1))
	if err != nil {
		return nil, icsError(fmt.Sprintf("cannot be read: %v", err))
	}
	if len(data) > MaxICSBytes {
		return nil, icsError(fmt.Sprintf("is more than the limit of %d bytes: split the file, or leave out past years", MaxICSBytes))
	}
	defer func() {
		if p := recover(); p != nil {
			cal, err = nil, icsError(fmt.Sprintf("is not an iCalendar file (%v): export the calendar again as .ics", p))
		}
	}()
	cal, err = ics.ParseCalendarWithOptions(bytes.NewReader(data), ics.WithUnknownPropertyHandler(ics.AcceptUnknownPropertyHandler))
	if err != nil {
		return nil, icsError(fmt.Sprintf("is not an iCalendar file (%v): export the calendar again as .ics", err))
	}
	return cal, nil
}

func describeEvent(i int, ev *ics.VEvent) string {
	var parts []string
	if uid := ev.Id(); uid != "" {
		parts = append(parts, fmt.Sprintf("UID %q", uid))
	}
	if s := summary(ev); s != "" {
		parts = append(parts, fmt.Sprintf("SUMMARY %q", s))
	}
	if len(parts) == 0 {
		return fmt.Sprintf("event %d", i+1)
	}
	return fmt.Sprintf("event %d (%s)", i+1, strings.Join(parts, ", "))
}

func summary(ev *ics.VEvent) string {
	if p := ev.GetProperty(ics.ComponentPropertySummary); p != nil {
		return strings.TrimSpace(p.Value)
	}
	return ""
}

// eventDays lists the civil days an event makes holidays of.
func eventDays(ev *ics.VEvent) ([]int64, error) {
	if p := ev.GetProperty(ics.ComponentPropertyStatus); p != nil && strings.EqualFold(p.Value, "CANCELLED") {
		return nil, nil
	}
	for _, prop := range []ics.ComponentProperty{ics.ComponentPropertyRecurrenceId, ics.ComponentPropertyRdate, ics.ComponentPropertyExrule} {
		if ev.HasProperty(prop) {
			return nil, fmt.Errorf("has %s, which is not supported: list each date as an event of its own", prop)
		}
	}
	start, err := eventStart(ev)
	if err != nil {
		return nil, err
	}
	length, err := eventLength(ev, start)
	if err != nil {
		return nil, err
	}
	if summary(ev) == "" {
		return nil, fmt.Errorf("has no SUMMARY: give the event one, it names the holiday")
	}
	starts := []int64{start}
	if p := ev.GetProperty(ics.ComponentPropertyRrule); p != nil {
		if starts, err = expandYearly(start, p.Value, ev); err != nil {
			return nil, err
		}
	}
	var days []int64
	for _, s := range starts {
		for d := s; d < s+length && len(days) <= MaxHolidays; d++ {
			days = append(days, d)
		}
	}
	return days, nil
}

var (
	icsDateRe     = regexp.MustCompile(`^[0-9]{8}$`)
	icsDateTimeRe = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}Z?$`)
)

func eventStart(ev *ics.VEvent) (int64, error) {
	p := ev.GetProperty(ics.ComponentPropertyDtStart)
	if p == nil {
		return 0, fmt.Errorf("has no DTSTART: give the date of the holiday as DTSTART;VALUE=DATE:YYYYMMDD")
	}
	day, timed, err := propDate(p)
	if timed {
		return 0, fmt.Errorf("starts at a time (DTSTART %s): only all-day events (DTSTART;VALUE=DATE) are holidays; make it an all-day event or leave it out", p.Value)
	}
	if err != nil {
		return 0, fmt.Errorf("DTSTART %w", err)
	}
	return day, nil
}

// eventLength is the event's number of days: DTEND is exclusive.
func eventLength(ev *ics.VEvent, start int64) (int64, error) {
	if p := ev.GetProperty(ics.ComponentPropertyDtEnd); p != nil {
		end, timed, err := propDate(p)
		if timed {
			return 0, fmt.Errorf("ends at a time (DTEND %s): only all-day events are holidays; give DTEND;VALUE=DATE, the day after the last holiday", p.Value)
		}
		if err != nil {
			return 0, fmt.Errorf("DTEND %w", err)
		}
		if end <= start {
			return 0, fmt.Errorf("DTEND %s is not after DTSTART: DTEND is the day after the last day of the event", p.Value)
		}
		return end - start, nil
	}
	if p := ev.GetProperty(ics.ComponentPropertyDuration); p != nil {
		return durationDays(p.Value)
	}
	return 1, nil
}

var durationRe = regexp.MustCompile(`^P([0-9]{1,6})([DW])$`)

func durationDays(v string) (int64, error) {
	m := durationRe.FindStringSubmatch(v)
	if m == nil {
		return 0, fmt.Errorf("DURATION %q is not whole days: give DTEND;VALUE=DATE, or a DURATION such as P1D or P1W", v)
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	if m[2] == "W" {
		n *= 7
	}
	if n == 0 {
		return 0, fmt.Errorf("DURATION %q is empty: an all-day event lasts at least P1D", v)
	}
	return n, nil
}

// propDate reads a DATE value; timed says it is a DATE-TIME. A value of
// eight digits is read as a date even without VALUE=DATE.
func propDate(p *ics.IANAProperty) (day int64, timed bool, err error) {
	v := p.Value
	if vt := p.ICalParameters[string(ics.ParameterValue)]; (len(vt) == 1 && strings.EqualFold(vt[0], "DATE-TIME")) || icsDateTimeRe.MatchString(v) {
		return 0, true, nil
	}
	d, ok := icsDate(v)
	if !ok {
		return 0, false, fmt.Errorf("%q is not a date: use YYYYMMDD", v)
	}
	return d, false, nil
}

// icsDay reads the date of a DATE or DATE-TIME value (as UNTIL and EXDATE
// may give either).
func icsDay(v string) (int64, bool) {
	if icsDateTimeRe.MatchString(v) {
		v = v[:8]
	}
	return icsDate(v)
}

// icsDate reads a DATE value, YYYYMMDD, as a civil day number.
func icsDate(v string) (int64, bool) {
	if !icsDateRe.MatchString(v) {
		return 0, false
	}
	t, err := time.Parse("20060102", v)
	if err != nil {
		return 0, false
	}
	return civilDay(t.Date()), true
}

// yearlyRule is an RRULE of the fixed-date yearly kind.
type yearlyRule struct {
	interval int
	count    int   // 0: none
	until    int64 // civil day; 0 with hasUntil false: none
	hasUntil bool
}

// expandYearly lists the starts of a yearly event from start, less EXDATEs.
func expandYearly(start int64, rrule string, ev *ics.VEvent) ([]int64, error) {
	rule, err := parseYearly(rrule, start)
	if err != nil {
		return nil, err
	}
	skip, err := exdates(ev)
	if err != nil {
		return nil, err
	}
	y, mo, d := civilDate(start)
	var out []int64
	n := 0
	for year := y; year <= maxRecurrenceYear && len(out) <= MaxHolidays; year += rule.interval {
		if t := time.Date(year, mo, d, 0, 0, 0, 0, time.UTC); t.Day() != d {
			continue // 29 February in a common year: no occurrence
		}
		day := civilDay(year, mo, d)
		if rule.hasUntil && day > rule.until {
			break
		}
		if !skip[day] {
			out = append(out, day)
		}
		if n++; n == rule.count {
			break
		}
	}
	return out, nil
}

func parseYearly(rrule string, start int64) (yearlyRule, error) {
	refuse := func(why string) (yearlyRule, error) {
		return yearlyRule{}, fmt.Errorf("RRULE %q %s: only fixed-date yearly rules (FREQ=YEARLY with INTERVAL, COUNT or UNTIL) are expanded; list the dates as events of their own", rrule, why)
	}
	rule := yearlyRule{interval: 1}
	_, mo, d := civilDate(start)
	freq := ""
	for part := range strings.SplitSeq(rrule, ";") {
		key, val, _ := strings.Cut(part, "=")
		n, nerr := strconv.Atoi(val)
		switch strings.ToUpper(key) {
		case "FREQ":
			freq = strings.ToUpper(val)
		case "INTERVAL":
			if nerr != nil || n < 1 || n > 100 {
				return refuse("has an INTERVAL that is not 1 to 100")
			}
			rule.interval = n
		case "COUNT":
			if nerr != nil || n < 1 {
				return refuse("has a COUNT that is not a positive number")
			}
			rule.count = n
		case "UNTIL":
			day, ok := icsDay(val)
			if !ok {
				return refuse("has an UNTIL that is not a date")
			}
			rule.until, rule.hasUntil = day, true
		case "BYMONTH":
			if nerr != nil || n != int(mo) {
				return refuse("picks months other than DTSTART's")
			}
		case "BYMONTHDAY":
			if nerr != nil || n != d {
				return refuse("picks days other than DTSTART's")
			}
		case "WKST":
		default:
			return refuse("uses " + strings.ToUpper(key))
		}
	}
	if freq != "YEARLY" {
		return refuse("is not yearly")
	}
	if rule.count == 0 && !rule.hasUntil {
		return yearlyRule{}, fmt.Errorf("RRULE %q repeats without end: add COUNT or UNTIL to it, or list each year's date as an event of its own", rrule)
	}
	return rule, nil
}

// exdates reads the event's EXDATE dates (each property a comma-separated list).
func exdates(ev *ics.VEvent) (map[int64]bool, error) {
	skip := map[int64]bool{}
	for _, p := range ev.GetProperties(ics.ComponentPropertyExdate) {
		for v := range strings.SplitSeq(p.Value, ",") {
			d, ok := icsDay(v)
			if !ok {
				return nil, fmt.Errorf("EXDATE %q is not a date: use YYYYMMDD", v)
			}
			skip[d] = true
		}
	}
	return skip, nil
}

// addDays names days in names, joining the names of a date met twice, and
// refuses more than MaxHolidays dates.
func addDays(names map[int64]string, days []int64, name string) error {
	for _, d := range days {
		switch old, ok := names[d]; {
		case !ok:
			names[d] = name
		case !slices.Contains(strings.Split(old, " / "), name):
			names[d] = old + " / " + name
		}
		if len(names) > MaxHolidays {
			return fmt.Errorf("brings the holidays to more than the limit of %d: leave out past years, or split the file", MaxHolidays)
		}
	}
	return nil
}

func holidayList(names map[int64]string) []Holiday {
	days := make([]int64, 0, len(names))
	for d := range names {
		days = append(days, d)
	}
	slices.Sort(days)
	out := make([]Holiday, len(days))
	for i, d := range days {
		y, mo, dd := civilDate(d)
		out[i] = Holiday{Date: fmt.Sprintf("%04d-%02d-%02d", y, mo, dd), Name: names[d]}
	}
	return out
}
