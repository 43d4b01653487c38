package models

import (
	"errors"
	"strings"
	"testing"
)

// An inline tracker's calendar and its KPI's business time are checked with
// the query, naming the field.
func TestTrackerSeriesQueryCalendarFields(t *testing.T) {
	tracker := func(extra, kpiExtra string) string {
		return `{"contract":"acme-it","trackers":[{"name":"T","method":"avg","interval":"1d","target":{"constant":1}` + extra +
			`,"kpi":{"name":"K","direction":"lower_is_better","rawSql":"SELECT 1"` + kpiExtra + `}}]}`
	}
	q, err := LoadTrackerSeriesQuery([]byte(tracker(`,"calendarId":" uk-office "`, `,"businessTime":{"calendarId":"uk-office","unit":"s"}`)))
	if err != nil {
		t.Fatal(err)
	}
	if d := q.Trackers[0]; d.CalendarID != "uk-office" || d.KPI.BusinessTime.Per().Seconds() != 1 {
		t.Fatalf("tracker %+v", d)
	}
	for _, tc := range []struct{ extra, kpiExtra, field, msg string }{
		{"", `,"businessTime":{"calendarId":"uk-office","unit":"minutes"}`, "trackers[0].kpi.businessTime.unit", `"minutes" is not a unit`},
		{"", `,"businessTime":{"unit":"m"}`, "trackers[0].kpi.businessTime.calendarId", "is empty"},
		{"", `,"endField":"answered"`, "trackers[0].kpi.endField", "only read for a business-time KPI"},
		{`,"workingTimeOnly":true`, "", "trackers[0].workingTimeOnly", "follows no calendar"},
	} {
		_, err := LoadTrackerSeriesQuery([]byte(tracker(tc.extra, tc.kpiExtra)))
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field || !strings.Contains(fe.Msg, tc.msg) || !errors.Is(err, ErrInvalidQuery) {
			t.Fatalf("%s: got %v, want %s: %s", tc.kpiExtra, err, tc.field, tc.msg)
		}
	}
}
