package ledger

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/store"
)

// mayInputs are the inputs of May 2026 (London) for a daily tracker on
// Mon–Fri 08:00–18:00 Europe/London with three exclusions: maintenance on
// Wednesday 13 May 09:00–11:00 (2 working hours), a customer-caused outage on
// Saturday 16 May (no working time) and force majeure from Friday 29 May
// 17:00 to Monday 1 June 09:00 (1 working hour in May, on the 29th), plus
// one in April, outside the period.
func mayInputs(t *testing.T) *Inputs {
	t.Helper()
	london, _ := time.LoadLocation("Europe/London")
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, london) }
	var hours []calendar.Hours
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri"} {
		hours = append(hours, calendar.Hours{Day: d, From: "08:00", To: "18:00"})
	}
	cal := &calendar.Calendar{Meta: models.Meta{ID: "uk-office"}, Name: "UK office", Timezone: "Europe/London", Hours: hours,
		Exclusions: []calendar.Exclusion{
			{From: at(5, 13, 9), To: at(5, 13, 11), Reason: "maintenance", Note: "CHG-1042"},
			{From: at(5, 16, 0), To: at(5, 17, 0), Reason: "customer_caused"},
			{From: at(5, 29, 17), To: at(6, 1, 9), Reason: "force_majeure", Note: "Storm"},
			{From: at(4, 1, 9), To: at(4, 1, 10), Reason: "maintenance"},
		}}
	target := 99.5
	def := models.TrackerDef{Name: "Availability", Method: "avg", Interval: "1d", Timezone: "Europe/London", Target: models.Target{Constant: &target},
		CalendarID: "uk-office", KPI: models.KPIDef{Name: "Uptime", Direction: models.HigherIsBetter, ConnectorQuery: models.ConnectorQuery{RawSQL: "-"}}}
	g := models.Agreement{Meta: models.Meta{ID: "g"}, ContractID: "c", Period: models.ReviewPeriod{Kind: "month", Timezone: "Europe/London"}, ComplianceTarget: 90,
		Trackers: []models.AgreementTracker{{AssignmentID: "a", Weight: 1}}}
	return &Inputs{Agreement: g, Period: compliance.Period{Start: at(5, 1, 0), End: at(6, 1, 0)},
		Trackers: []TrackerInput{{Assignment: "a", Def: def, Mode: compliance.Timeslice, Weight: 1, Calendar: cal}}}
}

// The exclusions applied in a period are those that overlap it, clipped to
// it, each with the working time inside it.
func TestExclusionsApplied(t *testing.T) {
	got, err := mayInputs(t).Exclusions()
	if err != nil {
		t.Fatal(err)
	}
	want := []AppliedExclusion{
		{Assignment: "a", Calendar: "uk-office", From: "2026-05-13T09:00:00+01:00", To: "2026-05-13T11:00:00+01:00", Reason: "maintenance", Note: "CHG-1042", Working: 7200},
		{Assignment: "a", Calendar: "uk-office", From: "2026-05-16T00:00:00+01:00", To: "2026-05-17T00:00:00+01:00", Reason: "customer_caused", Working: 0},
		{Assignment: "a", Calendar: "uk-office", From: "2026-05-29T17:00:00+01:00", To: "2026-06-01T00:00:00+01:00", Reason: "force_majeure", Note: "Storm", Working: 3600},
	}
	if !SameExclusions(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		t.Fatalf("applied exclusions:\n%s", g)
	}
	none := mayInputs(t)
	none.Trackers[0].Calendar.Exclusions = nil
	if x, err := none.Exclusions(); err != nil || x != nil {
		t.Fatalf("a calendar without exclusions: %v, %v", x, err)
	}
}

// An imported entry whose recorded exclusions differ from those of its
// inputs' calendars is refused, naming snapshot.exclusions.
func TestImportChecksTheExclusions(t *testing.T) {
	in := mayInputs(t)
	at := in.Period.End.Add(time.Hour)
	r, err := in.Result(at)
	if err != nil {
		t.Fatal(err)
	}
	x, err := in.Exclusions()
	if err != nil {
		t.Fatal(err)
	}
	entry := func(x []AppliedExclusion) store.LedgerEntry {
		raw, err := json.Marshal(Snapshot{Result: r, Versions: map[string]int64{}, Inputs: in, Exclusions: x})
		if err != nil {
			t.Fatal(err)
		}
		return store.LedgerEntry{AgreementID: "g", ContractID: "c", PeriodStart: in.Period.Start, PeriodEnd: in.Period.End, Seq: 1, Kind: store.LedgerClose,
			ComputedAt: at, Digest: in.Digest(), Snapshot: raw}
	}
	if f, msg := entryCheck(entry(x), nil, true); f != "" {
		t.Fatalf("as recorded: %s %s", f, msg)
	}
	if f, msg := entryCheck(entry(nil), nil, true); f != "" {
		t.Fatalf("an entry written before exclusions were recorded: %s %s", f, msg)
	}
	forged := append([]AppliedExclusion(nil), x...)
	forged[0].Reason = "customer_caused"
	if f, _ := entryCheck(entry(forged), nil, true); f != "snapshot.exclusions" {
		t.Fatalf("a changed reason: field %q, want snapshot.exclusions", f)
	}
}
