package calendar

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// Limits on one calendar; going over one is an error that names the field and the limit.
const (
	// MaxWindows bounds a calendar's weekly working windows (hours).
	MaxWindows = 50
	// MaxHolidays bounds a calendar's holidays.
	MaxHolidays = 1000
	// MaxExclusions bounds a calendar's exclusions.
	MaxExclusions = 1000
	// MaxHoursChanges bounds a calendar's dated changes of hours.
	MaxHoursChanges = 50
)

// The reasons an exclusion may give.
const (
	ReasonMaintenance    = "maintenance"
	ReasonForceMajeure   = "force_majeure"
	ReasonCustomerCaused = "customer_caused"
)

// Reasons lists the reasons an exclusion may give, in the order errors name them.
var Reasons = []string{ReasonMaintenance, ReasonForceMajeure, ReasonCustomerCaused}

// Days lists the day names of Hours.Day, Monday first.
var Days = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// Calendar is a service calendar: the weekly working hours of a time zone,
// less holidays and exclusions. It is a registry object; Compile turns it
// into the form business time is computed with.
type Calendar struct {
	models.Meta
	Name        string  `json:"name"`
	Description string  `json:"description,omitempty"`
	Timezone    string  `json:"timezone"` // IANA zone, required
	Hours       []Hours `json:"hours"`    // weekly working windows, at least one
	// HoursFrom are changes of the weekly hours, effective-dated like a
	// target's schedule: each change's hours apply to the windows that start
	// on its local date or later, until the next change; Hours apply before
	// the first. Dates strictly increase.
	HoursFrom  []HoursChange `json:"hoursFrom,omitempty"`
	Holidays   []Holiday     `json:"holidays,omitempty"`
	Exclusions []Exclusion   `json:"exclusions,omitempty"`
}

// Hours is one weekly working window: on Day (mon..sun), From to To, both
// "HH:MM" on the local wall clock. To may be "24:00"; a To at or before
// From (but not equal to it) means the window runs past midnight into the
// next day.
type Hours struct {
	Day  string `json:"day"`
	From string `json:"from"`
	To   string `json:"to"`
}

// HoursChange is the weekly hours in force from a local date (YYYY-MM-DD) on.
type HoursChange struct {
	From  string  `json:"from"`
	Hours []Hours `json:"hours"`
}

// Holiday is a local date (YYYY-MM-DD) on which no window starts.
type Holiday struct {
	Date string `json:"date"`
	Name string `json:"name"`
}

// Exclusion is a span of absolute instants [From, To) that does not count as
// working time, and why: one of Reasons.
type Exclusion struct {
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Reason string    `json:"reason"`
	Note   string    `json:"note,omitempty"`
}

// Validate checks the calendar; the error names the JSON path of the first
// field at fault and how to fix it.
func (c *Calendar) Validate() error {
	_, err := c.plan()
	return err
}

// Refs implements the registry's references: a calendar refers to nothing.
func (c *Calendar) Refs() []models.Ref { return nil }

// Title is the calendar's name.
func (c *Calendar) Title() string { return c.Name }

// plan is a checked calendar, parsed into the numbers Compile works from.
type plan struct {
	loc        *time.Location
	weekly     [7][]window      // by time.Weekday
	changes    []hoursChange    // effective-dated hours, by date
	holidays   map[int64]string // civil day number -> name
	exclusions []Exclusion      // sorted by From, then To
}

// hoursChange is the weekly hours in force from civil day from on.
type hoursChange struct {
	from   int64
	weekly [7][]window
}

// window is a weekly window in minutes after its day's local midnight; to
// is above 1440 when the window runs past midnight.
type window struct {
	idx      int          // index in Hours
	day      time.Weekday // the day it starts on
	from, to int
}

const minutesPerDay = 24 * 60

func (c *Calendar) plan() (*plan, error) {
	if strings.TrimSpace(c.Name) == "" {
		return nil, models.InputFieldError("name", "is empty: name the calendar")
	}
	loc, err := checkZone(c.Timezone)
	if err != nil {
		return nil, err
	}
	p := &plan{loc: loc}
	if p.weekly, err = checkHours(c.Hours); err != nil {
		return nil, err
	}
	if p.changes, err = checkHoursChanges(c.HoursFrom); err != nil {
		return nil, err
	}
	if p.holidays, err = checkHolidays(c.Holidays); err != nil {
		return nil, err
	}
	if p.exclusions, err = checkExclusions(c.Exclusions); err != nil {
		return nil, err
	}
	return p, nil
}

func checkZone(name string) (*time.Location, error) {
	if strings.TrimSpace(name) == "" {
		return nil, models.InputFieldError("timezone", "is empty: give the IANA time zone the hours are in, e.g. Europe/London or UTC")
	}
	loc, err := time.LoadLocation(name)
	if err != nil || strings.EqualFold(name, "local") {
		return nil, models.InputFieldError("timezone", fmt.Sprintf("%q is not an IANA time zone: use a name such as UTC, Europe/London or America/New_York", name))
	}
	return loc, nil
}

func limitError(field string, n, limit int, unit, fix string) error {
	return models.InputFieldError(field, fmt.Sprintf("has %d %s, more than the limit of %d: %s", n, unit, limit, fix))
}

func checkHoursChanges(cs []HoursChange) ([]hoursChange, error) {
	if len(cs) > MaxHoursChanges {
		return nil, limitError("hoursFrom", len(cs), MaxHoursChanges, "changes", "drop changes long past (fold them into hours), or split the calendar")
	}
	out := make([]hoursChange, 0, len(cs))
	for i, c := range cs {
		field := fmt.Sprintf("hoursFrom[%d]", i)
		d, ok := parseDate(c.From)
		if !ok {
			return nil, models.InputFieldError(field+".from", fmt.Sprintf("%q is not a date: use YYYY-MM-DD, the first local day the hours apply", c.From))
		}
		if i > 0 && d <= out[i-1].from {
			return nil, models.InputFieldError(field+".from", fmt.Sprintf("%s is not after the change before it (%s): list changes by date, one per date", c.From, cs[i-1].From))
		}
		weekly, err := checkHours(c.Hours)
		if err != nil {
			return nil, models.PrefixField(err, field+".", "")
		}
		out = append(out, hoursChange{from: d, weekly: weekly})
	}
	return out, nil
}

func checkHours(hours []Hours) ([7][]window, error) {
	var weekly [7][]window
	if len(hours) == 0 {
		return weekly, models.InputFieldError("hours", `is empty: add at least one working window, e.g. {"day": "mon", "from": "08:00", "to": "18:00"}`)
	}
	if len(hours) > MaxWindows {
		return weekly, limitError("hours", len(hours), MaxWindows, "windows", "merge windows that touch, or split the calendar")
	}
	all := make([]window, 0, len(hours))
	for i, h := range hours {
		w, err := checkWindow(i, h)
		if err != nil {
			return weekly, err
		}
		all = append(all, w)
	}
	if err := checkOverlaps(all); err != nil {
		return weekly, err
	}
	for _, w := range all {
		weekly[w.day] = append(weekly[w.day], w)
	}
	return weekly, nil
}

func checkWindow(i int, h Hours) (window, error) {
	field := fmt.Sprintf("hours[%d]", i)
	day, ok := parseDay(h.Day)
	if !ok {
		return window{}, models.InputFieldError(field+".day", fmt.Sprintf("%q is not a day: use one of %s", h.Day, strings.Join(Days, ", ")))
	}
	from, ok := parseClock(h.From)
	if !ok || from == minutesPerDay {
		return window{}, models.InputFieldError(field+".from", fmt.Sprintf("%q is not a time of day: use HH:MM from 00:00 to 23:59", h.From))
	}
	to, ok := parseClock(h.To)
	if !ok {
		return window{}, models.InputFieldError(field+".to", fmt.Sprintf("%q is not a time of day: use HH:MM from 00:00 to 24:00", h.To))
	}
	if to == from {
		return window{}, models.InputFieldError(field+".to", fmt.Sprintf("%s is the same as from: the window would be empty; for a whole day use from 00:00 to 24:00", h.To))
	}
	if to < from {
		to += minutesPerDay // runs past midnight
	}
	return window{idx: i, day: day, from: from, to: to}, nil
}

func parseDay(s string) (time.Weekday, bool) {
	i := slices.Index(Days, s)
	if i < 0 {
		return 0, false
	}
	return time.Weekday((i + 1) % 7), true // Days is Monday first, time.Weekday Sunday first
}

var clockRe = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$`)

// parseClock reads "HH:MM" (or "24:00") as minutes after midnight.
func parseClock(s string) (int, bool) {
	if s == "24:00" {
		return minutesPerDay, true
	}
	m := clockRe.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	return (int(m[1][0]-'0')*10+int(m[1][1]-'0'))*60 + int(m[2][0]-'0')*10 + int(m[2][1]-'0'), true
}

func formatClock(min int) string {
	return fmt.Sprintf("%02d:%02d", min/60, min%60)
}

func (w window) String() string {
	to := w.to
	if to > minutesPerDay {
		to -= minutesPerDay // shown as the next day's wall clock
	}
	return fmt.Sprintf("%s %s-%s", Days[(int(w.day)+6)%7], formatClock(w.from), formatClock(to))
}

// weekStart is the window's start in minutes after Sunday 00:00.
func (w window) weekStart() int { return int(w.day)*minutesPerDay + w.from }

// weekEnd is the window's end in minutes after Sunday 00:00; above a week
// when a Saturday window runs into Sunday.
func (w window) weekEnd() int { return int(w.day)*minutesPerDay + w.to }

// checkOverlaps refuses two windows that share a minute of the week,
// including a window past midnight that runs into the next day's first
// window (and Saturday's into Sunday's). Windows that touch are fine.
func checkOverlaps(all []window) error {
	ws := slices.Clone(all)
	sort.SliceStable(ws, func(i, j int) bool { return ws[i].weekStart() < ws[j].weekStart() })
	for k := 1; k < len(ws); k++ {
		if p, q := ws[k-1], ws[k]; q.weekStart() < p.weekEnd() {
			return overlapError(p, q)
		}
	}
	const week = 7 * minutesPerDay
	if last, first := ws[len(ws)-1], ws[0]; len(ws) > 1 && last.weekEnd()-week > first.weekStart() {
		return overlapError(last, first)
	}
	return nil
}

// overlapError reports q, which starts inside p; when p runs past
// midnight into q's day the fault is named on p's end.
func overlapError(p, q window) error {
	if p.day != q.day {
		return models.InputFieldError(fmt.Sprintf("hours[%d].to", p.idx), fmt.Sprintf(
			"the window %s runs past midnight into hours[%d] (%s): end it at or before %s, or start the other later",
			p, q.idx, q, formatClock(q.from)))
	}
	return models.InputFieldError(fmt.Sprintf("hours[%d].from", q.idx), fmt.Sprintf(
		"the window %s overlaps hours[%d] (%s): windows must not overlap; move or shorten one of them (windows that only touch are fine)",
		q, p.idx, p))
}

var dateRe = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

func checkHolidays(hs []Holiday) (map[int64]string, error) {
	if len(hs) > MaxHolidays {
		return nil, limitError("holidays", len(hs), MaxHolidays, "holidays", "drop past years' holidays, or split the calendar")
	}
	days := make(map[int64]string, len(hs))
	first := make(map[int64]int, len(hs))
	for i, h := range hs {
		field := fmt.Sprintf("holidays[%d]", i)
		d, ok := parseDate(h.Date)
		if !ok {
			return nil, models.InputFieldError(field+".date", fmt.Sprintf("%q is not a date: use YYYY-MM-DD", h.Date))
		}
		if j, dup := first[d]; dup {
			return nil, models.InputFieldError(field+".date", fmt.Sprintf("%s is listed twice (also holidays[%d]): keep one of them", h.Date, j))
		}
		if strings.TrimSpace(h.Name) == "" {
			return nil, models.InputFieldError(field+".name", "is empty: name the holiday, e.g. Christmas Day")
		}
		days[d], first[d] = h.Name, i
	}
	return days, nil
}

// parseDate reads YYYY-MM-DD as a civil day number (days since 1970-01-01).
func parseDate(s string) (int64, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || !dateRe.MatchString(s) {
		return 0, false
	}
	return civilDay(t.Date()), true
}

func checkExclusions(es []Exclusion) ([]Exclusion, error) {
	if len(es) > MaxExclusions {
		return nil, limitError("exclusions", len(es), MaxExclusions, "exclusions", "drop exclusions of past periods, or split the calendar")
	}
	for i, e := range es {
		if err := checkExclusion(fmt.Sprintf("exclusions[%d]", i), e); err != nil {
			return nil, err
		}
	}
	sorted := slices.Clone(es)
	slices.SortStableFunc(sorted, func(a, b Exclusion) int {
		if c := a.From.Compare(b.From); c != 0 {
			return c
		}
		return a.To.Compare(b.To)
	})
	return sorted, nil
}

func checkExclusion(field string, e Exclusion) error {
	for _, f := range []struct {
		name string
		t    time.Time
	}{{"from", e.From}, {"to", e.To}} {
		if f.t.IsZero() {
			return models.InputFieldError(field+"."+f.name, "is missing: give an instant in RFC 3339, e.g. 2026-05-12T22:00:00Z")
		}
		if f.t.Before(models.EarliestTime) || f.t.After(models.LatestTime) {
			return models.InputFieldError(field+"."+f.name, fmt.Sprintf("%s is outside the times Covenant can compute (%s to %s): pick an instant inside them",
				f.t.UTC().Format(time.RFC3339), models.EarliestTime.Format(time.DateOnly), models.LatestTime.Format(time.DateOnly)))
		}
	}
	if !e.To.After(e.From) {
		return models.InputFieldError(field+".to", fmt.Sprintf("%s is not after from (%s): set it to the instant the exclusion ends",
			e.To.Format(time.RFC3339Nano), e.From.Format(time.RFC3339Nano)))
	}
	if !slices.Contains(Reasons, e.Reason) {
		return models.InputFieldError(field+".reason", fmt.Sprintf("%q is not a reason: use one of %s", e.Reason, strings.Join(Reasons, ", ")))
	}
	return nil
}

// civilDay is the number of days from 1970-01-01 to the date y-m-d.
func civilDay(y int, m time.Month, d int) int64 {
	secs := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()
	day := secs / 86400
	if secs%86400 < 0 {
		day--
	}
	return day
}

// civilDate is the date of civil day number d.
func civilDate(d int64) (int, time.Month, int) {
	return time.Unix(d*86400, 0).UTC().Date()
}

// weekday is the day of the week of civil day number d (1970-01-01 was a Thursday).
func weekday(d int64) time.Weekday {
	return time.Weekday(((d+4)%7 + 7) % 7)
}
