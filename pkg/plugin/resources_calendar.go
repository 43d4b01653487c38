package plugin

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
)

// Preview bounds: a preview shows whole local days, 14 unless asked, at most 62.
const (
	previewDays    = 14
	maxPreviewDays = 62
)

// The service-calendar helpers of the calendar editor (docs/api.md). Neither writes anything: a
// preview computes a draft's working time, an .ics upload is read into holidays for the form. Like
// every POST of the resource API they need the write role.
func (d *Datasource) registerCalendarRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /calendars/preview", d.handleCalendarPreview)
	mux.HandleFunc("POST /calendars/holidays/ics", d.handleHolidaysFromICS)
}

// PreviewDay is one local day of a calendar preview.
type PreviewDay struct {
	Date     string               `json:"date"`    // YYYY-MM-DD in the calendar's zone
	Weekday  string               `json:"weekday"` // mon..sun
	Working  int64                `json:"working"` // business seconds in the day
	Windows  []calendar.Interval  `json:"windows"` // working intervals, after holidays and exclusions
	Holiday  string               `json:"holiday,omitempty"`
	Excluded []calendar.Exclusion `json:"excluded,omitempty"` // exclusions overlapping the day, clipped to it
}

// Preview is a calendar's working time, day by day.
type Preview struct {
	Timezone string       `json:"timezone"`
	Days     []PreviewDay `json:"days"`
	Total    int64        `json:"total"` // business seconds over all the days
}

// handleCalendarPreview is POST /calendars/preview?from=YYYY-MM-DD&days=14 with a calendar (a
// draft or a stored one) as the body: its working time per local day from `from` (today in the
// calendar's zone when left out).
func (d *Datasource) handleCalendarPreview(w http.ResponseWriter, r *http.Request) {
	k, _ := registry.KindByPlural("calendars")
	e, ok := readEntity(w, r, k)
	if !ok {
		return
	}
	compiled, err := calendar.Compile(e.(*calendar.Calendar))
	if err != nil {
		writeStoreError(w, err)
		return
	}
	days, err := previewLength(r.URL.Query().Get("days"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	loc := compiled.Location()
	start := time.Now().In(loc)
	if s := r.URL.Query().Get("from"); s != "" {
		if start, err = time.ParseInLocation(time.DateOnly, s, loc); err != nil {
			writeError(w, http.StatusBadRequest, models.InputFieldError("from", fmt.Sprintf("%q is not a date: use YYYY-MM-DD", s)))
			return
		}
	}
	writeJSON(w, http.StatusOK, preview(e.(*calendar.Calendar), compiled, start, days))
}

func previewLength(s string) (int, error) {
	if s == "" {
		return previewDays, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxPreviewDays {
		return 0, models.InputFieldError("days", fmt.Sprintf("%q is not a number of days from 1 to %d", s, maxPreviewDays))
	}
	return n, nil
}

// preview walks the local days from start's date; a day is midnight to the next midnight in the
// calendar's zone (23 or 25 hours across a DST change).
func preview(c *calendar.Calendar, compiled *calendar.Compiled, start time.Time, days int) Preview {
	holidays := make(map[string]string, len(c.Holidays))
	for _, h := range c.Holidays {
		holidays[h.Date] = h.Name
	}
	loc := compiled.Location()
	out := Preview{Timezone: c.Timezone, Days: make([]PreviewDay, 0, days)}
	y, m, dd := start.Date()
	for i := 0; i < days; i++ {
		from := time.Date(y, m, dd+i, 0, 0, 0, 0, loc)
		to := time.Date(y, m, dd+i+1, 0, 0, 0, 0, loc)
		date := from.Format(time.DateOnly)
		day := PreviewDay{
			Date:     date,
			Weekday:  calendar.Days[(int(from.Weekday())+6)%7],
			Working:  int64(compiled.Working(from, to) / time.Second),
			Windows:  compiled.Windows(from, to),
			Holiday:  holidays[date],
			Excluded: compiled.Excluded(from, to),
		}
		if day.Windows == nil {
			day.Windows = []calendar.Interval{}
		}
		out.Total += day.Working
		out.Days = append(out.Days, day)
	}
	return out
}

// handleHolidaysFromICS is POST /calendars/holidays/ics with an iCalendar file as the body: its
// all-day events as holidays, for the calendar form to merge.
func (d *Datasource) handleHolidaysFromICS(w http.ResponseWriter, r *http.Request) {
	holidays, err := calendar.HolidaysFromICS(r.Body) // at most calendar.MaxICSBytes
	if err != nil {
		writeStoreError(w, err)
		return
	}
	if holidays == nil {
		holidays = []calendar.Holiday{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"holidays": holidays})
}
