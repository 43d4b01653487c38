package engine

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/ledger"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
	"github.com/covenant/contracts/pkg/store"
)

func day(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }

// RAG changes, by hand. Daily buckets 1–7 March 2026 (UTC) of a ratio tracker:
//
//	1 Mar amber, 2 Mar green, 3 Mar not judged (no data), 4 Mar red, 5 Mar red,
//	6 Mar amber, 7 Mar open (its RAG is provisional only: never a change).
//
// From 3 March: 2 Mar ends at the range's start, so its change (amber → green)
// is before the range, but it is the judged bucket before 4 Mar, which turned
// green → red (3 Mar, not judged, is skipped); 5 Mar stays red; 6 Mar turned
// red → amber. Two changes, each at its bucket's start. From 2 March 12:00 the
// 2 Mar bucket meets the range, and its change comes first.
func TestRAGEvents(t *testing.T) {
	nan := math.NaN()
	f := kpi.Figures{
		Start:  []time.Time{day(1), day(2), day(3), day(4), day(5), day(6), day(7)},
		End:    []time.Time{day(2), day(3), day(4), day(5), day(6), day(7), day(8)},
		Closed: []bool{true, true, true, true, true, true, false},
		Actual: []float64{78, 85, nan, 61.5, 70, 79, 90},
		Target: []float64{80, 80, 80, 80, 80, 80, 80},
		RAG:    []float64{kpi.Amber, kpi.Green, nan, kpi.Red, kpi.Red, kpi.Amber, nan},
	}
	j := Job{Contract: "acme", TrackerID: "within-60", Def: models.TrackerDef{Name: "Responses within 60 min", Method: "ratio",
		KPI: models.KPIDef{Name: "First response", Unit: "m"}}}
	evs := RAGEvents(j, f, day(3), time.UTC)
	if len(evs) != 2 {
		t.Fatalf("%d changes, want 2: %+v", len(evs), evs)
	}
	first := evs[0]
	if first.Kind != models.AnnotationRAG || !first.Time.Equal(day(4)) || !first.End.IsZero() || first.Contract != "acme" ||
		first.Title != "Responses within 60 min: green → red" ||
		strings.Join(first.Tags, ",") != "covenant,rag,acme,within-60" {
		t.Fatalf("first change %+v", first)
	}
	// A ratio's figures are percentages of rows, whatever the KPI's unit.
	if want := "Responses within 60 min went from green to red in the bucket of 2026-03-04 00:00 UTC: actual 61.50 % against a target of 80.00 %."; first.Text != want {
		t.Fatalf("text %q, want %q", first.Text, want)
	}
	if evs[1].Title != "Responses within 60 min: red → amber" || !evs[1].Time.Equal(day(6)) {
		t.Fatalf("second change %+v", evs[1])
	}
	if evs := RAGEvents(j, f, day(2).Add(12*time.Hour), time.UTC); len(evs) != 3 || evs[0].Title != "Responses within 60 min: amber → green" {
		t.Fatalf("from 2 March 12:00: %+v", evs)
	}
}

// A milestone's runs, by hand: checkpoints 1–6 March; "Below target" holds at
// 2 and 3 March and again at 5 March, "Late requests" never. The first run is a
// region from 2 to 3 March with the figures of 2 March, when it fired; the
// second a point at 5 March. A range from 4 March keeps the second run only; a
// range from 3 March still meets the first.
func TestMilestoneEvents(t *testing.T) {
	g := &models.Agreement{Meta: models.Meta{ID: "sla"}, Name: "Service levels", ContractID: "acme",
		Milestones: []models.Milestone{{Name: "Below target", Condition: "compliance < 90"}, {Name: "Late requests", Condition: "at_risk_requests > 0"}}}
	below := []compliance.Fired{{Name: "Below target", Condition: "compliance < 90"}}
	times := []time.Time{day(1), day(2), day(3), day(4), day(5), day(6)}
	results := []compliance.Result{
		{Compliance: compliance.Num(math.NaN()), Target: 90, Status: compliance.NoData},
		{Compliance: 85, Target: 90, Status: compliance.AtRisk, Milestones: below},
		{Compliance: 88.5, Target: 90, Status: compliance.AtRisk, Milestones: below},
		{Compliance: 91, Target: 90, Status: compliance.Compliant},
		{Compliance: 89.99, Target: 90, Status: compliance.AtRisk, Milestones: below},
		{Compliance: 90, Target: 90, Status: compliance.Compliant},
	}
	evs := MilestoneEvents(g, times, results, day(1), day(6))
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2: %+v", len(evs), evs)
	}
	run := evs[0]
	if !run.Time.Equal(day(2)) || !run.End.Equal(day(3)) || run.Title != "Milestone: Below target (Service levels)" ||
		strings.Join(run.Tags, ",") != "covenant,milestones,acme,sla" {
		t.Fatalf("first run %+v", run)
	}
	if want := "Below target (compliance < 90) held from 2026-03-02 00:00 UTC to 2026-03-03 00:00 UTC. When it fired: compliance 85.00 % (target 90.00 %), at risk."; run.Text != want {
		t.Fatalf("text %q, want %q", run.Text, want)
	}
	if point := evs[1]; !point.Time.Equal(day(5)) || !point.End.IsZero() || !strings.Contains(point.Text, "held at 2026-03-05 00:00 UTC") {
		t.Fatalf("second run %+v", point)
	}
	if evs := MilestoneEvents(g, times, results, day(4), day(6)); len(evs) != 1 || !evs[0].Time.Equal(day(5)) {
		t.Fatalf("from 4 March: %+v", evs)
	}
	if evs := MilestoneEvents(g, times, results, day(3), day(4)); len(evs) != 1 || !evs[0].Time.Equal(day(2)) {
		t.Fatalf("3–4 March: %+v", evs)
	}
}

// Renewal and notice dates, by hand: renewal on 1 September 2026 with 60 days'
// notice, so notice by 3 July (1 Sep − 31 days = 1 Aug, − 29 more = 3 Jul).
// Each date counts when it lies in the range, its ends included.
func TestRenewalEvents(t *testing.T) {
	c := &models.Contract{Meta: models.Meta{ID: "globex"}, Name: "Globex freight", RenewalDate: "2026-09-01", NoticeDays: 60}
	date := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name     string
		c        *models.Contract
		from, to time.Time
		want     []string
	}{
		{"both", c, date(7, 1), date(10, 1), []string{"2026-07-03 Notice date: Globex freight", "2026-09-01 Renewal: Globex freight"}},
		{"the notice date only", c, date(7, 1), date(8, 1), []string{"2026-07-03 Notice date: Globex freight"}},
		{"the renewal only, on the range's end", c, date(8, 1), date(9, 1), []string{"2026-09-01 Renewal: Globex freight"}},
		{"the notice date on the range's start", c, date(7, 3), date(7, 4), []string{"2026-07-03 Notice date: Globex freight"}},
		{"neither, after", c, date(9, 2), date(12, 1), nil},
		{"neither, between", c, date(7, 4), date(8, 31), nil},
		{"no notice days", &models.Contract{Meta: models.Meta{ID: "x"}, Name: "X", RenewalDate: "2026-09-01"}, date(1, 1), date(12, 1), []string{"2026-09-01 Renewal: X"}},
		{"no renewal date", &models.Contract{Meta: models.Meta{ID: "y"}, Name: "Y", NoticeDays: 30}, date(1, 1), date(12, 1), nil},
	} {
		var got []string
		for _, e := range RenewalEvents(tc.c, tc.from, tc.to) {
			got = append(got, e.Time.Format(time.DateOnly)+" "+e.Title)
			if e.Kind != models.AnnotationRenewal || e.Tags[2] != tc.c.ID {
				t.Errorf("%s: %+v", tc.name, e)
			}
		}
		if strings.Join(got, "; ") != strings.Join(tc.want, "; ") {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	evs := RenewalEvents(c, date(1, 1), date(12, 1))
	if want := "Last day to give notice on Globex freight (60 days before its renewal on 2026-09-01)."; evs[0].Text != want || strings.Join(evs[0].Tags, ",") != "covenant,renewal,globex,notice" {
		t.Fatalf("notice %q %v", evs[0].Text, evs[0].Tags)
	}
}

// A close and its restatement, by hand: February 2026 of "Service levels"
// closed at 94.45 % (compliant, no penalty) and was restated at 89.50 %
// (breached, a 5,000 EUR penalty). Both are at the period's end, 1 March; the
// restatement says what it restates. January's close (its period ends on 1
// February) is before the range; kinds keep the restatements only.
func TestLedgerEventsRestatement(t *testing.T) {
	snap := &registry.Snapshot{
		Contracts: map[string]*models.Contract{"acme": {Meta: models.Meta{ID: "acme"}, Name: "Acme", Currency: "EUR"}},
		Agreements: map[string][]*models.Agreement{"acme": {{Meta: models.Meta{ID: "sla"}, Name: "Service levels", ContractID: "acme",
			Period: models.ReviewPeriod{Kind: "month", Timezone: "UTC"}}}},
	}
	entry := func(start time.Time, seq int, kind string, computed time.Time, r compliance.Result) store.LedgerEntry {
		b, err := json.Marshal(ledger.Snapshot{Result: r})
		if err != nil {
			t.Fatal(err)
		}
		return store.LedgerEntry{AgreementID: "sla", ContractID: "acme", PeriodStart: start, PeriodEnd: start.AddDate(0, 1, 0), Seq: seq,
			Kind: kind, ComputedAt: computed, Snapshot: b}
	}
	jan, feb := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	entries := []store.LedgerEntry{
		entry(jan, 1, store.LedgerClose, feb, compliance.Result{Compliance: 97, Target: 90, Status: compliance.Compliant}),
		// Out of order on purpose: the restatement is matched with the close it follows.
		entry(feb, 2, store.LedgerRestatement, day(10).Add(8*time.Hour),
			compliance.Result{Compliance: 89.5, Target: 90, Status: compliance.Breached, PenaltyReward: -5000}),
		entry(feb, 1, store.LedgerClose, day(1), compliance.Result{Compliance: 94.45, Target: 90, Status: compliance.Compliant}),
	}
	all := &models.AnnotationsQuery{Contract: "acme", Kinds: models.AnnotationKinds}
	evs, err := LedgerEvents(snap, entries, all, time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC), day(15))
	if err != nil || len(evs) != 2 {
		t.Fatalf("%d events (%v), want February's close and restatement: %+v", len(evs), err, evs)
	}
	closed, restated := evs[0], evs[1]
	if closed.Kind != models.AnnotationCloses || !closed.Time.Equal(day(1)) || closed.Title != "Closed: Service levels, 2026-02-01 – 2026-02-28" ||
		closed.Text != "Service levels closed 2026-02-01 – 2026-02-28: compliance 94.45 % (target 90.00 %), compliant, no penalty or reward." {
		t.Fatalf("close %+v", closed)
	}
	if restated.Kind != models.AnnotationRestatements || !restated.Time.Equal(day(1)) || restated.Title != "Restated (#2): Service levels, 2026-02-01 – 2026-02-28" ||
		strings.Join(restated.Tags, ",") != "covenant,restatements,acme,sla" {
		t.Fatalf("restatement %+v", restated)
	}
	if want := "Service levels restated 2026-02-01 – 2026-02-28 on 2026-03-10 08:00 UTC: compliance 89.50 % (target 90.00 %), breached, penalty 5000.00 EUR." +
		" It was compliance 94.45 % (target 90.00 %), compliant, no penalty or reward (#1)."; restated.Text != want {
		t.Fatalf("text %q, want %q", restated.Text, want)
	}
	only := &models.AnnotationsQuery{Contract: "acme", Kinds: []string{models.AnnotationRestatements}}
	if evs, err := LedgerEvents(snap, entries, only, jan, day(15)); err != nil || len(evs) != 1 || evs[0].Kind != models.AnnotationRestatements {
		t.Fatalf("restatements only: %+v (%v)", evs, err)
	}
}

// Through the engine: a corrected target restates the months still in the
// restatement window (December, January, February), and each restatement
// says the figures of the close it restates.
func TestAnnotationsRestatedAfterATargetChange(t *testing.T) {
	e := agreementEngine(t)
	ctx := context.Background()
	snap, err := e.Registry.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.ClosePeriods(ctx, snap, snap.AllAgreements(), demoEnd); err != nil {
		t.Fatal(err)
	}
	k, _ := registry.KindByPlural("trackers")
	corrected, err := registry.Decode(k, []byte(`{"id":"availability","version":1,"name":"Availability","kpiId":"uptime","method":"avg","interval":"1d",
		"timezone":"UTC","target":{"constant":99.95},"tolerance":{"value":0.2}}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Registry.Update(ctx, k, "availability", corrected, "test"); err != nil {
		t.Fatal(err)
	}
	if snap, err = e.Registry.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := e.ClosePeriods(ctx, snap, snap.AllAgreements(), demoEnd); err != nil || n != 3 {
		t.Fatalf("restated %d (%v), want 3", n, err)
	}
	q := &models.AnnotationsQuery{Contract: "acme", Kinds: []string{models.AnnotationCloses, models.AnnotationRestatements}}
	evs, err := e.Annotations(ctx, snap, q, time.Date(2025, 12, 15, 0, 0, 0, 0, time.UTC), demoEnd, demoEnd)
	if err != nil {
		t.Fatal(err)
	}
	closes := map[time.Time]string{}
	restatements := 0
	for _, ev := range evs {
		figures := ev.Text[strings.Index(ev.Text, ": ")+2:]
		switch ev.Kind {
		case models.AnnotationCloses:
			closes[ev.Time] = strings.TrimSuffix(figures, ".")
		case models.AnnotationRestatements:
			restatements++
			if was := closes[ev.Time]; was == "" || !strings.HasSuffix(ev.Text, " It was "+was+" (#1).") {
				t.Errorf("%s: %q does not give the close's figures %q", ev.Time, ev.Text, was)
			}
		}
	}
	// December (ends 1 January), January and February: a close and a restatement each.
	if len(closes) != 3 || restatements != 3 {
		t.Fatalf("%d closes and %d restatements, want 3 and 3: %+v", len(closes), restatements, evs)
	}
}
