package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/ledger"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
	"github.com/covenant/contracts/pkg/store"
)

// Event is a moment of a contract's history that a chart can mark (an
// annotation): a period closed or restated in the ledger, a milestone that
// started to hold, a tracker's RAG that changed, the renewal or notice date.
type Event struct {
	// Kind is one of models.AnnotationKinds.
	Kind     string
	Contract string
	Time     time.Time
	// End is zero for a point in time; otherwise the event is the region [Time, End].
	End   time.Time
	Title string
	Text  string
	// Tags are "covenant", the kind, the contract's id, then the agreement's or
	// the tracker's id where there is one.
	Tags []string
}

// Annotations computes the events of the contracts q names, of the kinds it
// asks for, that meet the range [from, to], as of at, oldest first.
func (e *Engine) Annotations(ctx context.Context, snap *registry.Snapshot, q *models.AnnotationsQuery, from, to, at time.Time) ([]Event, error) {
	ids, err := SelectContracts(snap, q.Contract)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	var out []Event
	if q.Wants(models.AnnotationCloses) || q.Wants(models.AnnotationRestatements) || q.Wants(models.AnnotationDisputes) {
		entries, err := e.LedgerEntries(ctx, snap, &models.AgreementQuery{Contract: strings.Join(ids, ",")})
		if err != nil {
			return nil, err
		}
		evs, err := LedgerEvents(snap, entries, q, from, to)
		if err != nil {
			return nil, err
		}
		out = append(out, evs...)
	}
	if q.Wants(models.AnnotationMilestones) {
		var covered []*models.Agreement
		for _, id := range ids {
			covered = append(covered, snap.Agreements[id]...)
		}
		ctx := e.ShareSeries(ctx, snap, covered)
		for _, id := range ids {
			for _, g := range snap.Agreements[id] {
				times, results, err := e.AgreementSeries(ctx, snap, g, from, to, at)
				if err != nil {
					return nil, err
				}
				out = append(out, MilestoneEvents(g, times, results, from, to)...)
			}
		}
	}
	if q.Wants(models.AnnotationRAG) {
		evs, err := e.ragEvents(ctx, snap, ids, from, to, at)
		if err != nil {
			return nil, err
		}
		out = append(out, evs...)
	}
	if q.Wants(models.AnnotationRenewal) {
		for _, id := range ids {
			out = append(out, RenewalEvents(snap.Contracts[id], from, to)...)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Time.Before(out[b].Time) })
	return out, nil
}

// SelectContracts resolves a query's contract field: one id, several separated
// by commas, or "*" for every contract of the registry (in id order). An id
// that is not in the registry names the field.
func SelectContracts(snap *registry.Snapshot, field string) ([]string, error) {
	if field == "*" {
		ids := make([]string, 0, len(snap.Contracts))
		for id := range snap.Contracts {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		return ids, nil
	}
	ids := models.ContractIDs(field)
	for _, id := range ids {
		if _, ok := snap.Contracts[id]; !ok {
			return nil, models.QueryFieldError("contract", fmt.Sprintf("there is no contract %q in the registry: choose one on the Contracts page", id))
		}
	}
	return ids, nil
}

// LedgerEvents are the closes and restatements among entries (as q asks) whose
// period ends in [from, to]: each at its period's end, with the figures of its
// result; a restatement also gives the figures of the entry it restates.
func LedgerEvents(snap *registry.Snapshot, entries []store.LedgerEntry, q *models.AnnotationsQuery, from, to time.Time) ([]Event, error) {
	agreements := map[string]*models.Agreement{}
	for _, g := range snap.AllAgreements() {
		agreements[g.ID] = g
	}
	sorted := append([]store.LedgerEntry(nil), entries...)
	sort.SliceStable(sorted, func(a, b int) bool {
		x, y := sorted[a], sorted[b]
		if x.AgreementID != y.AgreementID {
			return x.AgreementID < y.AgreementID
		}
		if !x.PeriodStart.Equal(y.PeriodStart) {
			return x.PeriodStart.Before(y.PeriodStart)
		}
		return x.Seq < y.Seq
	})
	var out []Event
	var prev *compliance.Result // the entry before, when it is of the same agreement and period
	var prevEntry store.LedgerEntry
	for _, en := range sorted {
		if !ledger.IsResult(en.Kind) {
			if q.Wants(models.AnnotationDisputes) && !en.ComputedAt.Before(from) && !en.ComputedAt.After(to) {
				ev, err := actEvent(en, agreements)
				if err != nil {
					return nil, err
				}
				out = append(out, ev)
			}
			continue
		}
		var s ledger.Snapshot
		if err := json.Unmarshal(en.Snapshot, &s); err != nil {
			return nil, fmt.Errorf("ledger entry %s %s #%d cannot be read: %w", en.AgreementID, en.PeriodStart.Format(time.DateOnly), en.Seq, err)
		}
		restated := prev
		if prevEntry.AgreementID != en.AgreementID || !prevEntry.PeriodStart.Equal(en.PeriodStart) {
			restated = nil
		}
		prev, prevEntry = &s.Result, en
		kind := models.AnnotationCloses
		if en.Kind == store.LedgerRestatement {
			kind = models.AnnotationRestatements
		}
		if !q.Wants(kind) || en.PeriodEnd.Before(from) || en.PeriodEnd.After(to) {
			continue
		}
		name, rp := en.AgreementID, models.ReviewPeriod{}
		if g := agreements[en.AgreementID]; g != nil {
			name, rp = g.Name, g.Period
		}
		currency := ""
		if c := snap.Contracts[en.ContractID]; c != nil {
			currency = c.Currency
		}
		period := PeriodLabel(compliance.Period{Start: en.PeriodStart, End: en.PeriodEnd}, rp)
		ev := Event{Kind: kind, Contract: en.ContractID, Time: en.PeriodEnd,
			Tags: []string{"covenant", kind, en.ContractID, en.AgreementID}}
		figures := resultFigures(s.Result, currency)
		if kind == models.AnnotationCloses {
			ev.Title = fmt.Sprintf("Closed: %s, %s", name, period)
			ev.Text = fmt.Sprintf("%s closed %s: %s.", name, period, figures)
		} else {
			ev.Title = fmt.Sprintf("Restated (#%d): %s, %s", en.Seq, name, period)
			ev.Text = fmt.Sprintf("%s restated %s on %s: %s.", name, period, instant(en.ComputedAt), figures)
			if restated != nil {
				ev.Text += fmt.Sprintf(" It was %s (#%d).", resultFigures(*restated, currency), en.Seq-1)
			}
		}
		out = append(out, ev)
	}
	return out, nil
}

// actEvent is a sign-off, dispute or resolution as an event, at the time it
// was made.
func actEvent(en store.LedgerEntry, agreements map[string]*models.Agreement) (Event, error) {
	var a ledger.Act
	if err := json.Unmarshal(en.Snapshot, &a); err != nil {
		return Event{}, fmt.Errorf("ledger entry %s %s #%d cannot be read: %w", en.AgreementID, en.PeriodStart.Format(time.DateOnly), en.Seq, err)
	}
	name, rp := en.AgreementID, models.ReviewPeriod{}
	if g := agreements[en.AgreementID]; g != nil {
		name, rp = g.Name, g.Period
	}
	period := PeriodLabel(compliance.Period{Start: en.PeriodStart, End: en.PeriodEnd}, rp)
	who := a.By.Login
	if a.By.Name != "" {
		who = fmt.Sprintf("%s (%s)", a.By.Name, a.By.Login)
	}
	ev := Event{Kind: models.AnnotationDisputes, Contract: en.ContractID, Time: en.ComputedAt,
		Tags: []string{"covenant", models.AnnotationDisputes, en.ContractID, en.AgreementID, en.Kind}}
	switch en.Kind {
	case store.LedgerSignOff:
		ev.Title = fmt.Sprintf("Signed off: %s, %s", name, period)
		ev.Text = fmt.Sprintf("%s signed off %s %s.", who, name, period)
	case store.LedgerDispute:
		ev.Title = fmt.Sprintf("Disputed: %s, %s", name, period)
		ev.Text = fmt.Sprintf("%s disputed %s %s (%d items).", who, name, period, len(a.Items))
	default:
		ev.Title = fmt.Sprintf("Resolved (%s): %s, %s", a.Outcome, name, period)
		ev.Text = fmt.Sprintf("%s resolved the dispute on %s %s: %s.", who, name, period, a.Outcome)
		if a.Before != nil && a.After != nil && a.Before.Compliance != nil && a.After.Compliance != nil {
			ev.Text += fmt.Sprintf(" Compliance %.2f %% → %.2f %%.", *a.Before.Compliance, *a.After.Compliance)
		}
	}
	if a.Comment != "" {
		ev.Text += " " + a.Comment
	}
	return ev, nil
}

// MilestoneEvents are the runs of an agreement's checkpoints (times, with the
// results evaluated at them, as AgreementSeries returns them) at which each of
// its milestones holds, for the runs that meet [from, to]: each starts at the
// first checkpoint where the milestone holds, with the figures there, and is a
// region up to the last checkpoint of the run (a point when the run is one
// checkpoint long).
func MilestoneEvents(g *models.Agreement, times []time.Time, results []compliance.Result, from, to time.Time) []Event {
	holds := func(i int, name string) bool {
		for _, f := range results[i].Milestones {
			if f.Name == name {
				return true
			}
		}
		return false
	}
	var out []Event
	for _, m := range g.Milestones {
		for i := 0; i < len(results); i++ {
			if !holds(i, m.Name) {
				continue
			}
			last := i
			for last+1 < len(results) && holds(last+1, m.Name) {
				last++
			}
			first := i
			i = last
			if times[last].Before(from) || times[first].After(to) {
				continue
			}
			ev := Event{Kind: models.AnnotationMilestones, Contract: g.ContractID, Time: times[first],
				Title: fmt.Sprintf("Milestone: %s (%s)", m.Name, g.Name),
				Tags:  []string{"covenant", models.AnnotationMilestones, g.ContractID, g.ID}}
			held := "held at " + instant(times[first])
			if last > first {
				ev.End = times[last]
				held = fmt.Sprintf("held from %s to %s", instant(times[first]), instant(times[last]))
			}
			ev.Text = fmt.Sprintf("%s (%s) %s. When it fired: %s.", m.Name, m.Condition, held, resultFigures(results[first], ""))
			out = append(out, ev)
		}
	}
	return out
}

// ragEvents are the RAG changes of the registry trackers of the contracts ids
// over [from, to], as of at. Each tracker's series starts one bucket before the
// range, so that a change at the range's first bucket is seen.
func (e *Engine) ragEvents(ctx context.Context, snap *registry.Snapshot, ids []string, from, to, at time.Time) ([]Event, error) {
	var withTrackers []string
	for _, id := range ids {
		if len(snap.Assignments[id]) > 0 {
			withTrackers = append(withTrackers, id)
		}
	}
	if len(withTrackers) == 0 {
		return nil, nil
	}
	jobs, err := QueryJobs(snap, &models.TrackerSeriesQuery{Contract: strings.Join(withTrackers, ",")})
	if err != nil {
		return nil, err
	}
	budget := NewBudget(models.MaxBucketsPerQuery)
	var out []Event
	for _, j := range jobs {
		t, err := kpi.Compile(j.Def, j.Field)
		if err != nil {
			return nil, err
		}
		before := t.Interval.Floor(t.Interval.Floor(from, t.Location).Add(-time.Nanosecond), t.Location)
		s, err := e.TrackerSeries(ctx, j, before, to, at, budget)
		if err != nil {
			return nil, err
		}
		out = append(out, RAGEvents(j, s.Figures, from, t.Location)...)
	}
	return out, nil
}

// ragNames are the RAG values' names.
var ragNames = map[float64]string{kpi.Green: "green", kpi.Amber: "amber", kpi.Red: "red"}

// RAGEvents are the closed buckets of a tracker's figures whose RAG differs
// from the one of the judged closed bucket before (buckets not judged are
// skipped, as runs of misses skip them), among the buckets that end after
// from: each at its bucket's start, named from → to. loc is the tracker's time
// zone, in which the bucket is named.
func RAGEvents(j Job, f kpi.Figures, from time.Time, loc *time.Location) []Event {
	var out []Event
	unit := kpi.FigureUnit(j.Def)
	prev := math.NaN()
	for i := range f.Start {
		if !f.Closed[i] || math.IsNaN(f.RAG[i]) {
			continue
		}
		if !math.IsNaN(prev) && f.RAG[i] != prev && f.End[i].After(from) {
			was, now := ragNames[prev], ragNames[f.RAG[i]]
			tags := []string{"covenant", models.AnnotationRAG, j.Contract}
			if j.TrackerID != "" {
				tags = append(tags, j.TrackerID)
			}
			out = append(out, Event{Kind: models.AnnotationRAG, Contract: j.Contract, Time: f.Start[i],
				Title: fmt.Sprintf("%s: %s → %s", j.Def.Name, was, now),
				Text: fmt.Sprintf("%s went from %s to %s in the bucket of %s: actual %s against a target of %s.", j.Def.Name, was, now,
					f.Start[i].In(loc).Format("2006-01-02 15:04 MST"), figure(f.Actual[i], unit), figure(f.Target[i], unit)),
				Tags: tags})
		}
		prev = f.RAG[i]
	}
	return out
}

// RenewalEvents are a contract's renewal date and notice date (the renewal
// date less its notice days), each when it lies in [from, to]. A contract
// without a renewal date has neither; one without notice days has no notice date.
func RenewalEvents(c *models.Contract, from, to time.Time) []Event {
	renewal, err := time.Parse(time.DateOnly, c.RenewalDate)
	if err != nil {
		return nil
	}
	in := func(t time.Time) bool { return !t.Before(from) && !t.After(to) }
	tags := []string{"covenant", models.AnnotationRenewal, c.ID}
	var out []Event
	noticeBy := renewal.AddDate(0, 0, -c.NoticeDays)
	if c.NoticeDays > 0 && in(noticeBy) {
		out = append(out, Event{Kind: models.AnnotationRenewal, Contract: c.ID, Time: noticeBy,
			Title: "Notice date: " + c.Name,
			Text: fmt.Sprintf("Last day to give notice on %s (%d days before its renewal on %s).", c.Name, c.NoticeDays,
				c.RenewalDate),
			Tags: append(tags, "notice")})
	}
	if in(renewal) {
		out = append(out, Event{Kind: models.AnnotationRenewal, Contract: c.ID, Time: renewal,
			Title: "Renewal: " + c.Name,
			Text:  fmt.Sprintf("%s renews on %s (notice %d days before, by %s).", c.Name, c.RenewalDate, c.NoticeDays, noticeBy.Format(time.DateOnly)),
			Tags:  tags})
	}
	return out
}

// PeriodLabel is a review period's first and last days as its calendar reads them.
func PeriodLabel(p compliance.Period, rp models.ReviewPeriod) string {
	loc, err := compliance.Location(rp)
	if err != nil {
		loc = time.UTC
	}
	return p.Start.In(loc).Format(time.DateOnly) + " – " + p.End.Add(-time.Nanosecond).In(loc).Format(time.DateOnly)
}

// resultFigures states a result's compliance against its target, its status
// and, with a currency, its penalty or reward.
func resultFigures(r compliance.Result, currency string) string {
	out := fmt.Sprintf("compliance %s (target %s), %s", figure(float64(r.Compliance), "percent"),
		figure(r.Target, "percent"), strings.ReplaceAll(r.Status, "_", " "))
	if currency == "" {
		return out
	}
	switch v := float64(r.PenaltyReward); {
	case math.IsNaN(v) || v == 0:
		return out + ", no penalty or reward"
	case v < 0:
		return out + fmt.Sprintf(", penalty %.2f %s", -v, currency)
	default:
		return out + fmt.Sprintf(", reward %.2f %s", v, currency)
	}
}

// figure is a value in a unit (a Grafana unit id) at two decimals; "none" when missing.
func figure(v float64, unit string) string {
	switch {
	case math.IsNaN(v):
		return "none"
	case unit == "percent":
		return fmt.Sprintf("%.2f %%", v)
	case unit == "" || unit == "none":
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.2f %s", v, unit)
}

// instant is a time as annotations state it, in UTC to the minute.
func instant(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }
