package ledger

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/models"
)

// weeklyInputs are a weekly UTC tracker's inputs for June 2026, an agreement
// with a 90 % target: the weeks starting Monday 1, 8, 15 and 22 June met (99
// against a target of 95, higher is better) and, when straddling is set, the
// week of 29 June – 6 July missed (50).
func weeklyInputs(straddling bool) *Inputs {
	target := 95.0
	def := models.TrackerDef{Name: "Uptime", Method: "avg", Interval: "1w", Timezone: "UTC", Target: models.Target{Constant: &target},
		KPI: models.KPIDef{Name: "Uptime", Direction: models.HigherIsBetter, ConnectorQuery: models.ConnectorQuery{RawSQL: "-"}}}
	june := compliance.Period{Start: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)}
	var starts, ends []time.Time
	var actual []float64
	for w := 0; w < 5; w++ {
		s := june.Start.AddDate(0, 0, 7*w)
		starts, ends, actual = append(starts, s), append(ends, s.AddDate(0, 0, 7)), append(actual, 99)
	}
	actual[4] = 50
	if !straddling {
		starts, ends, actual = starts[:4], ends[:4], actual[:4]
	}
	buckets, late := BucketsIn(starts, ends, actual, june)
	g := models.Agreement{Meta: models.Meta{ID: "g"}, ContractID: "c", Period: models.ReviewPeriod{Kind: "month"}, ComplianceTarget: 90,
		Trackers: []models.AgreementTracker{{AssignmentID: "a", Weight: 1}}}
	return &Inputs{Agreement: g, Period: june, ByStart: late,
		Trackers: []TrackerInput{{Assignment: "a", Def: def, Mode: compliance.Timeslice, Weight: 1, Buckets: buckets}}}
}

// The week of 29 June – 6 July starts in June, so it counts in June's result
// computed again from the inputs: 4 met of 5, 80 %, breached (target 90).
// Inputs written before that rule (no ByStart, no straddling bucket) are
// computed again as they were: the 4 weeks wholly inside June, 100 %. Inputs
// without a straddling bucket keep the JSON they had, so older digests hold.
func TestRecomputeCountsTheStraddlingWeekByItsStart(t *testing.T) {
	at := time.Date(2026, 7, 7, 0, 0, 0, 0, time.UTC)
	in := weeklyInputs(true)
	if !in.ByStart || len(in.Trackers[0].Buckets) != 5 {
		t.Fatalf("ByStart %v, %d buckets; want true, 5", in.ByStart, len(in.Trackers[0].Buckets))
	}
	r, err := in.Result(at)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(float64(r.Compliance)-80) > 1e-9 || r.Status != compliance.Breached || !r.Closed {
		t.Fatalf("June: %v %s closed %v, want 80 breached closed", r.Compliance, r.Status, r.Closed)
	}
	legacy := weeklyInputs(false)
	if legacy.ByStart {
		t.Fatal("inputs without a straddling bucket must not set ByStart")
	}
	r, err = legacy.Result(at)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(float64(r.Compliance)-100) > 1e-9 || r.Status != compliance.Compliant {
		t.Fatalf("legacy June: %v %s, want 100 compliant", r.Compliance, r.Status)
	}
	// The digest covers the flag only where it is set: older entries' JSON is unchanged.
	for _, tc := range []struct {
		in   *Inputs
		want bool
	}{{legacy, false}, {in, true}} {
		b, err := json.Marshal(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(b), `"bucketsByStart":true`); got != tc.want {
			t.Fatalf("bucketsByStart in the JSON: %v, want %v", got, tc.want)
		}
	}
}

// An occurrence tracker on a business-time KPI times its open requests on the
// KPI's calendar, which the inputs hold (GoalCalendar): a request opened on
// Friday 6 March 2026 at 17:30 UTC and still open at 08:31 on Monday has been
// open 61 business minutes on Mon–Fri 08:00–18:00 UTC, past "<= 60". Without
// the calendar the inputs cannot be computed again.
func TestRecomputeOccurrenceOnABusinessClock(t *testing.T) {
	var hours []calendar.Hours
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri"} {
		hours = append(hours, calendar.Hours{Day: d, From: "08:00", To: "18:00"})
	}
	cal := &calendar.Calendar{Meta: models.Meta{ID: "weekdays"}, Name: "Weekdays", Timezone: "UTC", Hours: hours}
	def := models.TrackerDef{Name: "Responses", Method: "ratio", Condition: &models.Condition{Op: "<=", Threshold: 60}, Interval: "1d", Timezone: "UTC",
		KPI: models.KPIDef{Name: "Response", Unit: "m", Direction: models.LowerIsBetter, BusinessTime: &models.BusinessTime{CalendarID: "weekdays", Unit: "m"},
			ConnectorQuery: models.ConnectorQuery{RawSQL: "-"}}}
	march := compliance.Period{Start: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	opened := time.Date(2026, 3, 6, 17, 30, 0, 0, time.UTC)
	g := models.Agreement{Meta: models.Meta{ID: "g"}, ContractID: "c", Period: models.ReviewPeriod{Kind: "month"}, ComplianceTarget: 90,
		Trackers: []models.AgreementTracker{{AssignmentID: "a", Weight: 1, Mode: compliance.Occurrence}}}
	in := &Inputs{Agreement: g, Period: march, Trackers: []TrackerInput{{Assignment: "a", Def: def, Mode: compliance.Occurrence, Weight: 1,
		Requests: []Request{{Time: opened.UnixNano(), Value: math.NaN(), Open: true}}, GoalCalendar: cal}}}
	for _, tc := range []struct {
		at   time.Time
		risk int
	}{{time.Date(2026, 3, 7, 12, 0, 0, 0, time.UTC), 0}, {time.Date(2026, 3, 9, 8, 31, 0, 0, time.UTC), 1}} {
		r, err := in.Result(tc.at)
		if err != nil {
			t.Fatal(err)
		}
		if r.AtRiskRequests != tc.risk {
			t.Fatalf("at %s: %d requests at risk, want %d", tc.at.Format(time.RFC3339), r.AtRiskRequests, tc.risk)
		}
	}
	in.Trackers[0].GoalCalendar = nil
	if _, err := in.Result(time.Date(2026, 3, 9, 8, 31, 0, 0, time.UTC)); err == nil || !strings.Contains(err.Error(), `calendar "weekdays"`) {
		t.Fatalf("without the goal calendar: %v", err)
	}
}
