package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// weekdaysCalendar is Mon–Fri 08:00–18:00 UTC with a maintenance window on Tuesday 3 March 2026.
const weekdaysCalendar = `{"id":"weekdays","name":"Weekdays","timezone":"UTC",
 "hours":[{"day":"mon","from":"08:00","to":"18:00"},{"day":"tue","from":"08:00","to":"18:00"},
  {"day":"wed","from":"08:00","to":"18:00"},{"day":"thu","from":"08:00","to":"18:00"},{"day":"fri","from":"08:00","to":"18:00"}],
 "exclusions":[{"from":"2026-03-03T09:00:00Z","to":"2026-03-03T11:30:00Z","reason":"maintenance","note":"Core switch upgrade"}]}`

// shadingQuery is the daily uptime tracker on the week from Monday 2 March 2026, on a calendar
// (or none), keeping fields (or all).
func shadingQuery(calendarID, fields string) backend.DataQuery {
	tracker := uptimeTracker
	if calendarID != "" {
		tracker = strings.Replace(tracker, `"interval":"1d"`, `"interval":"1d","calendarId":"`+calendarID+`"`, 1)
	}
	body := `{"contract":"acme-it","trackers":[` + tracker + `]` + fields + `}`
	from := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	return backend.DataQuery{RefID: "A", QueryType: "trackerSeries", JSON: json.RawMessage(body),
		TimeRange: backend.TimeRange{From: from, To: from.AddDate(0, 0, 7)}}
}

func shadingFrame(t *testing.T, d *Datasource, q backend.DataQuery) *data.Frame {
	t.Helper()
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: pluginCtx("Viewer"), Queries: []backend.DataQuery{q}})
	if err != nil {
		t.Fatal(err)
	}
	r := resp.Responses["A"]
	if r.Error != nil || len(r.Frames) != 1 {
		t.Fatalf("%v, %d frames", r.Error, len(r.Frames))
	}
	return r.Frames[0]
}

// A tracker on a calendar: its frame has each bucket's working time (field working, seconds) and
// in meta.custom.calendar what a chart shades — the non-working intervals over its buckets and
// the exclusions met, in epoch ms — as the frame's JSON carries them to the browser.
func TestTrackerFrameShading(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	d := newTestDatasource(t, `{}`)
	mustCall(t, d, http.StatusCreated, "Admin", http.MethodPost, "registry/calendars", weekdaysCalendar)

	f := shadingFrame(t, d, shadingQuery("weekdays", ""))
	working := f.Fields[len(f.Fields)-1]
	if working.Name != "working" || working.Config.Unit != "s" || working.Labels["figure"] != "working" {
		t.Fatalf("last field %q %+v", working.Name, working.Config)
	}
	// Mon–Fri 10 h, Tuesday less 2 h 30 min of maintenance; the weekend none.
	want := []float64{36000, 27000, 36000, 36000, 36000, 0, 0}
	for i, w := range want {
		if got := working.At(i).(float64); got != w {
			t.Fatalf("working[%d] = %v, want %v", i, got, w)
		}
	}

	raw, err := json.Marshal(f.Meta.Custom)
	if err != nil {
		t.Fatal(err)
	}
	var custom struct {
		Calendar struct {
			ID, Name         string
			From, To         int64
			OffHours         [][2]int64
			OffHoursComplete bool
			Exclusions       []struct {
				From, To     int64
				Reason, Note string
			}
		}
	}
	if err := json.Unmarshal(raw, &custom); err != nil {
		t.Fatal(err)
	}
	c := custom.Calendar
	ms := func(d, h, m int) int64 { return time.Date(2026, 3, d, h, m, 0, 0, time.UTC).UnixMilli() }
	if c.ID != "weekdays" || c.Name != "Weekdays" || c.From != ms(2, 0, 0) || c.To != ms(9, 0, 0) || !c.OffHoursComplete {
		t.Fatalf("calendar meta %s", raw)
	}
	wantOff := [][2]int64{{ms(2, 0, 0), ms(2, 8, 0)}, {ms(2, 18, 0), ms(3, 8, 0)}, {ms(3, 9, 0), ms(3, 11, 30)},
		{ms(3, 18, 0), ms(4, 8, 0)}, {ms(4, 18, 0), ms(5, 8, 0)}, {ms(5, 18, 0), ms(6, 8, 0)}, {ms(6, 18, 0), ms(9, 0, 0)}}
	if len(c.OffHours) != len(wantOff) {
		t.Fatalf("off hours %v, want %v", c.OffHours, wantOff)
	}
	for i := range wantOff {
		if c.OffHours[i] != wantOff[i] {
			t.Fatalf("off hours[%d] %v, want %v", i, c.OffHours[i], wantOff[i])
		}
	}
	if len(c.Exclusions) != 1 || c.Exclusions[0].From != ms(3, 9, 0) || c.Exclusions[0].To != ms(3, 11, 30) ||
		c.Exclusions[0].Reason != "maintenance" || c.Exclusions[0].Note != "Core switch upgrade" {
		t.Fatalf("exclusions %+v", c.Exclusions)
	}

	// An alert rule's query (fields) gets its figures without the shading.
	f = shadingFrame(t, d, shadingQuery("weekdays", `,"fields":["rag"]`))
	if _, ok := f.Meta.Custom.(map[string]any)["calendar"]; ok || len(f.Fields) != 2 {
		t.Fatalf("with fields: %d fields, meta %v", len(f.Fields), f.Meta.Custom)
	}
	// The working time can be asked for like any figure.
	f = shadingFrame(t, d, shadingQuery("weekdays", `,"fields":["working"]`))
	if len(f.Fields) != 2 || f.Fields[1].Name != "working" {
		t.Fatalf("fields working: %v", f.Fields)
	}

	// Without a calendar the frame is as it always was.
	f = shadingFrame(t, d, shadingQuery("", ""))
	if _, ok := f.Meta.Custom.(map[string]any)["calendar"]; ok || f.Fields[len(f.Fields)-1].Name != "met_provisional" {
		t.Fatalf("without a calendar: last field %q, meta %v", f.Fields[len(f.Fields)-1].Name, f.Meta.Custom)
	}
}
