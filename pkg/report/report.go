// Package report assembles the contract performance report: for one contract
// and a period, its obligations, money, risk, issues and renewal outlook.
package report

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/engine"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/ledger"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
	"github.com/covenant/contracts/pkg/store"
)

// Report is the contract performance report for one contract and a period
// (its six sections: docs/managers.md); GET /report returns it, the app prints it.
type Report struct {
	Contract    *models.Contract `json:"contract"`
	From        time.Time        `json:"from"`
	To          time.Time        `json:"to"`
	GeneratedAt time.Time        `json:"generatedAt"`
	Obligations []Obligation     `json:"obligations"`
	Financial   Financial        `json:"financial"`
	Risk        Risk             `json:"risk"`
	Issues      []Issue          `json:"issues"`
	Renewal     Renewal          `json:"renewal"`
}

// Obligation is one tracker of the contract over the report's period.
type Obligation struct {
	TrackerID string `json:"trackerId"`
	Tracker   string `json:"tracker"`
	KPI       string `json:"kpi"`
	Unit      string `json:"unit,omitempty"`
	Clause    string `json:"clause,omitempty"`
	// Status is on_track, at_risk or missed (the latest evaluated bucket's RAG: green,
	// amber, red), or no_data.
	Status      string         `json:"status"`
	At          *time.Time     `json:"at,omitempty"` // the latest evaluated bucket
	Actual      compliance.Num `json:"actual"`
	Target      compliance.Num `json:"target"`
	Variance    compliance.Num `json:"variance"`
	VariancePct compliance.Num `json:"variancePct"`
	// Met and Missed closed buckets in the period, and their compliance (%).
	Met         int            `json:"met"`
	Missed      int            `json:"missed"`
	Compliance  compliance.Num `json:"compliance"`
	Trend       string         `json:"trend"`
	Consecutive int64          `json:"consecutiveMisses"`
}

// AgreementOutcome is an agreement's result in its review period that ends the report's period.
type AgreementOutcome struct {
	AgreementID string `json:"agreementId"`
	Name        string `json:"name"`
	Final       bool   `json:"final"` // the period has closed (the ledger's latest entry)
	// State is the closed period's state on the ledger: closed, signed_off,
	// disputed or resolved ("" while the period is open).
	State string `json:"state,omitempty"`
	// Timezone is the zone of the agreement's review periods (its calendar).
	Timezone string            `json:"timezone"`
	Result   compliance.Result `json:"result"`
	// ValueAtStake is the largest penalty the agreement's bands can impose in a period (capped).
	ValueAtStake float64 `json:"valueAtStake"`
}

// Financial is the money side: impact costs, penalties and credits, the value at stake.
type Financial struct {
	Currency     string             `json:"currency"`
	Value        float64            `json:"value"`
	ImpactCost   float64            `json:"impactCost"`
	Penalties    float64            `json:"penalties"` // negative amounts, summed
	Credits      float64            `json:"credits"`   // rewards, summed
	ValueAtStake float64            `json:"valueAtStake"`
	Agreements   []AgreementOutcome `json:"agreements"`
}

// Risk gathers the indicators a review looks at first.
type Risk struct {
	MaxConsecutiveMisses int64    `json:"maxConsecutiveMisses"`
	TrackersMissing      []string `json:"trackersMissing"` // trackers whose latest bucket is red
	AtRiskRequests       int      `json:"atRiskRequests"`
	AgreementsAtRisk     []string `json:"agreementsAtRisk"`
	AgreementsBreached   []string `json:"agreementsBreached"`
	// OpenDisputes are the closed periods of the contract's agreements under
	// an open dispute (whatever the report's range: an open dispute is a risk
	// until it is resolved), oldest first.
	OpenDisputes []OpenDispute `json:"openDisputes"`
}

// OpenDispute is a disputed closed period, with the dispute.
type OpenDispute struct {
	Agreement   string      `json:"agreement"`
	PeriodStart time.Time   `json:"periodStart"`
	PeriodEnd   time.Time   `json:"periodEnd"`
	Since       time.Time   `json:"since"`
	By          ledger.User `json:"by"`
	Comment     string      `json:"comment,omitempty"`
	Items       int         `json:"items"`
}

// Issue is a milestone that fired in the period: when first and last, and whether it still holds.
type Issue struct {
	Agreement string    `json:"agreement"`
	Milestone string    `json:"milestone"`
	Condition string    `json:"condition"`
	First     time.Time `json:"first"`
	Last      time.Time `json:"last"`
	Active    bool      `json:"active"`
}

// Renewal is the recommendation with its evidence and the notice date.
type Renewal struct {
	Signal      string              `json:"signal"`
	Evidence    []compliance.Result `json:"evidence"` // the closed periods judged, oldest first
	Compliant   int                 `json:"compliant"`
	RenewalDate string              `json:"renewalDate,omitempty"`
	NoticeBy    string              `json:"noticeBy,omitempty"`
	Window      string              `json:"window"`
}

var obligationStatus = map[float64]string{0: "on_track", 1: "at_risk", 2: "missed"}

// Build assembles the report of a contract for [from, to), as of at, from
// the engine's registry and connectors.
func Build(ctx context.Context, e *engine.Engine, c *models.Contract, from, to, at time.Time) (*Report, error) {
	snap, err := e.Registry.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	r := &Report{Contract: c, From: from, To: to, GeneratedAt: at, Obligations: []Obligation{}, Issues: []Issue{}}
	if err := reportObligations(ctx, e, snap, r, at); err != nil {
		return nil, err
	}
	if err := e.EnsureClosed(ctx, snap, snap.Agreements[c.ID], at); err != nil {
		return nil, err
	}
	entries, err := e.Registry.Store.Ledger(ctx, store.LedgerFilter{ContractIDs: []string{c.ID}})
	if err != nil {
		return nil, err
	}
	history := engine.LatestClosed(entries)
	states := map[string]string{}
	for _, s := range ledger.States(entries) {
		states[stateKey(s.AgreementID, s.PeriodStart)] = s.State
	}
	r.Risk.OpenDisputes, err = openDisputes(snap, entries)
	if err != nil {
		return nil, err
	}
	r.Financial = Financial{Currency: c.Currency, Value: c.Value, Agreements: []AgreementOutcome{}}
	r.Risk.TrackersMissing, r.Risk.AgreementsAtRisk, r.Risk.AgreementsBreached = []string{}, []string{}, []string{}
	var evidence []compliance.Result
	for _, g := range snap.Agreements[c.ID] {
		loc, err := compliance.Location(g.Period)
		if err != nil {
			return nil, err
		}
		// The report's dates are calendar days in each agreement's own zone: a Q3 report judges the
		// agreement's Q3 (or its September), wherever its periods start in UTC.
		gto := onCalendarOf(to, loc)
		outs, err := agreementOutcomes(ctx, e, snap, g, history[g.ID], states, onCalendarOf(from, loc), engine.Earlier(gto, at), at)
		if err != nil {
			return nil, err
		}
		// The money of every period in the report's range adds up (a cumulative total);
		// the risk is the latest period's.
		for _, out := range outs {
			res := out.Result
			r.Financial.Agreements = append(r.Financial.Agreements, out)
			r.Financial.ImpactCost += res.ImpactCost
			if !res.PenaltyReward.IsNaN() {
				if res.PenaltyReward < 0 {
					r.Financial.Penalties += float64(res.PenaltyReward)
				} else {
					r.Financial.Credits += float64(res.PenaltyReward)
				}
			}
			r.Financial.ValueAtStake += out.ValueAtStake
		}
		if len(outs) > 0 {
			res := outs[len(outs)-1].Result
			r.Risk.AtRiskRequests += res.AtRiskRequests
			switch res.Status {
			case compliance.AtRisk:
				r.Risk.AgreementsAtRisk = append(r.Risk.AgreementsAtRisk, g.Name)
			case compliance.Breached:
				r.Risk.AgreementsBreached = append(r.Risk.AgreementsBreached, g.Name)
			}
		}
		issues, err := reportIssues(ctx, e, snap, g, from, to, at)
		if err != nil {
			return nil, err
		}
		r.Issues = append(r.Issues, issues...)
		// Renewal evidence: the last 4 periods closed by the report's end.
		var closed []compliance.Result
		for _, h := range history[g.ID] {
			if !h.Period.End.After(engine.Earlier(gto, at)) {
				closed = append(closed, h)
			}
		}
		if len(closed) > 4 {
			closed = closed[len(closed)-4:]
		}
		evidence = append(evidence, closed...)
	}
	r.Renewal = renewalOf(c, evidence, at, 90)
	return r, nil
}

// reportObligations fills the obligations and the trackers' risk indicators.
func reportObligations(ctx context.Context, e *engine.Engine, snap *registry.Snapshot, r *Report, at time.Time) error {
	c := r.Contract
	if len(snap.Assignments[c.ID]) == 0 {
		return nil
	}
	jobs, err := engine.ContractJobs(snap, &models.TrackerSeriesQuery{Contract: c.ID})
	if err != nil {
		return err
	}
	for _, j := range jobs {
		row, err := e.ScorecardRow(ctx, snap, j, r.From, r.To, at)
		if err != nil {
			return err
		}
		// The row's buckets cover the report's period: those wholly inside it count, closed as of now.
		f := row.Figures
		o := Obligation{TrackerID: j.TrackerID, Tracker: j.Def.Name, KPI: j.Def.KPI.Name, Unit: kpi.FigureUnit(j.Def), Status: "no_data",
			Actual: compliance.Num(row.Actual), Target: compliance.Num(row.Target), Variance: compliance.Num(row.Variance),
			VariancePct: compliance.Num(row.VariancePct), Trend: row.Trend, Consecutive: row.Misses, Compliance: compliance.Num(math.NaN())}
		if a := snap.Assignment(c.ID, j.AssignmentID); a != nil {
			o.Clause = a.Clause
		}
		if s, ok := obligationStatus[row.RAG]; ok {
			o.Status = s
		}
		// The latest evaluated bucket inside the period, and the period's met and missed buckets.
		for i := range f.Start {
			if f.Start[i].Before(r.From) || f.End[i].After(r.To) || !f.Closed[i] || math.IsNaN(f.Met[i]) {
				continue
			}
			if f.Met[i] == 1 {
				o.Met++
			} else {
				o.Missed++
			}
		}
		for i := len(f.Start) - 1; i >= 0; i-- {
			if !math.IsNaN(f.RAG[i]) && !f.Start[i].Before(r.From) && f.Start[i].Before(r.To) {
				at := f.Start[i]
				o.At = &at
				break
			}
		}
		if o.Met+o.Missed > 0 {
			o.Compliance = compliance.Num(float64(o.Met) / float64(o.Met+o.Missed) * 100)
		}
		if o.Consecutive > r.Risk.MaxConsecutiveMisses {
			r.Risk.MaxConsecutiveMisses = o.Consecutive
		}
		if o.Status == "missed" {
			r.Risk.TrackersMissing = append(r.Risk.TrackersMissing, o.Tracker)
		}
		r.Obligations = append(r.Obligations, o)
	}
	return nil
}

// agreementOutcomes are the agreement's results in its review periods that overlap [from, end),
// oldest first: the ledger's latest entry for a period that has closed, else a live evaluation as of at.
func agreementOutcomes(ctx context.Context, e *engine.Engine, snap *registry.Snapshot, g *models.Agreement, history []compliance.Result, states map[string]string,
	from, end, at time.Time) ([]AgreementOutcome, error) {
	tz := g.Period.Timezone
	if tz == "" {
		tz = "UTC"
	}
	stake := valueAtStake(g, snap.Contracts[g.ContractID].Value)
	var outs []AgreementOutcome
	p, err := compliance.PeriodAt(g.Period, from)
	if err != nil {
		return nil, err
	}
	for p.Start.Before(end) {
		out := AgreementOutcome{AgreementID: g.ID, Name: g.Name, Timezone: tz, ValueAtStake: stake}
		for _, h := range history {
			if h.Period.Start.Equal(p.Start) {
				out.Final, out.Result, out.State = true, h, states[stateKey(g.ID, p.Start)]
			}
		}
		if !out.Final {
			a, err := e.LoadAgreement(ctx, snap, g, p.Start, p.End, at)
			if err != nil {
				return nil, err
			}
			out.Result = a.Evaluate(p, at)
		}
		outs = append(outs, out)
		next, err := compliance.PeriodAt(g.Period, p.End)
		if err != nil || !next.Start.After(p.Start) {
			break // a custom period is one range
		}
		p = next
	}
	return outs, nil
}

func stateKey(agreementID string, start time.Time) string {
	return fmt.Sprintf("%s\x00%d", agreementID, start.UnixMilli())
}

// openDisputes are the contract's disputed closed periods, oldest first, each
// with its open dispute (the agreement by name).
func openDisputes(snap *registry.Snapshot, entries []store.LedgerEntry) ([]OpenDispute, error) {
	names := map[string]string{}
	for _, g := range snap.AllAgreements() {
		names[g.ID] = g.Name
	}
	out := []OpenDispute{}
	for _, s := range ledger.States(entries) {
		if s.State != ledger.StateDisputed {
			continue
		}
		for _, en := range entries {
			if en.AgreementID != s.AgreementID || !en.PeriodStart.Equal(s.PeriodStart) || en.Seq != s.Dispute {
				continue
			}
			var a ledger.Act
			if err := json.Unmarshal(en.Snapshot, &a); err != nil {
				return nil, fmt.Errorf("ledger entry %s #%d cannot be read: %w", en.AgreementID, en.Seq, err)
			}
			name := names[s.AgreementID]
			if name == "" {
				name = s.AgreementID
			}
			out = append(out, OpenDispute{Agreement: name, PeriodStart: s.PeriodStart, PeriodEnd: s.PeriodEnd, Since: en.ComputedAt, By: a.By, Comment: a.Comment, Items: len(a.Items)})
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].PeriodStart.Before(out[b].PeriodStart) })
	return out, nil
}

// valueAtStake is the largest penalty an agreement's bands can impose in a period, capped.
func valueAtStake(g *models.Agreement, contractValue float64) float64 {
	worst := 0.0
	for _, b := range g.Bands {
		amount := b.Amount
		if b.Percent {
			amount = b.Amount / 100 * contractValue
		}
		worst = math.Min(worst, amount)
	}
	if g.PenaltyCap > 0 && -worst > g.PenaltyCap {
		worst = -g.PenaltyCap
	}
	return -worst
}

// reportIssues lists the agreement's milestones that held at a checkpoint in [from, to).
func reportIssues(ctx context.Context, e *engine.Engine, snap *registry.Snapshot, g *models.Agreement, from, to, at time.Time) ([]Issue, error) {
	if len(g.Milestones) == 0 {
		return nil, nil
	}
	times, results, err := e.AgreementSeries(ctx, snap, g, from, to, at)
	if err != nil {
		return nil, err
	}
	byName := map[string]*Issue{}
	var order []string
	for i, r := range results {
		if times[i].Before(from) || !times[i].Before(to.Add(time.Nanosecond)) {
			continue
		}
		fired := map[string]bool{}
		for _, m := range r.Milestones {
			fired[m.Name] = true
			is := byName[m.Name]
			if is == nil {
				is = &Issue{Agreement: g.Name, Milestone: m.Name, Condition: m.Condition, First: times[i]}
				byName[m.Name] = is
				order = append(order, m.Name)
			}
			is.Last = times[i]
		}
		if i == len(results)-1 {
			for name := range fired {
				byName[name].Active = true
			}
		}
	}
	out := make([]Issue, 0, len(order))
	for _, n := range order {
		out = append(out, *byName[n])
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].First.Before(out[b].First) })
	return out, nil
}

// renewalOf judges renewal from the evidence and places the notice date.
func renewalOf(c *models.Contract, evidence []compliance.Result, at time.Time, leadDays int) Renewal {
	r := Renewal{Signal: compliance.RenewalSignal(evidence), Evidence: evidence, Window: "no renewal date"}
	if r.Evidence == nil {
		r.Evidence = []compliance.Result{}
	}
	for _, e := range evidence {
		if e.Status == compliance.Compliant {
			r.Compliant++
		}
	}
	if d, err := time.Parse(time.DateOnly, c.RenewalDate); err == nil {
		noticeBy := d.AddDate(0, 0, -c.NoticeDays)
		r.RenewalDate, r.NoticeBy = c.RenewalDate, noticeBy.Format(time.DateOnly)
		r.Window = engine.RenewalWindow(d, noticeBy, at, leadDays)
	}
	return r
}

// onCalendarOf reads a report date (a UTC midnight) as the first instant of that calendar day in
// loc (its midnight, or 01:00 where a DST change skips midnight); an instant given with a time of
// day is kept.
func onCalendarOf(t time.Time, loc *time.Location) time.Time {
	u := t.UTC()
	if u.Hour() != 0 || u.Minute() != 0 || u.Second() != 0 || u.Nanosecond() != 0 {
		return t
	}
	return kpi.StartOfLocalDate(u.Year(), u.Month(), u.Day(), loc)
}
