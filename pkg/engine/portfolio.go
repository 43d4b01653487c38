package engine

import (
	"context"
	"math"
	"time"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/ledger"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
	"github.com/covenant/contracts/pkg/store"
)

// PortfolioSummary counts the active contracts: how many are measured (an
// agreement with data this period), how many of those are not compliant, and
// the contract compliance rate over all active ones.
type PortfolioSummary struct {
	Active, Measured, NonCompliant int
	// Disputed is how many of the contracts have a closed period under an open dispute.
	Disputed int
	Rate     float64 // NaN when there is no active contract
}

// Portfolio computes the rows of the contracts q names ("*" or none: every
// contract, in id order) as of at, closing ended periods first, and the summary.
func (e *Engine) Portfolio(ctx context.Context, snap *registry.Snapshot, q *models.PortfolioQuery, at time.Time) ([]PortfolioRow, PortfolioSummary, error) {
	var sum PortfolioSummary
	field := q.Contract
	if len(models.ContractIDs(field)) == 0 {
		field = "*" // none named: every contract
	}
	ids, err := SelectContracts(snap, field)
	if err != nil {
		return nil, sum, err
	}
	if err := e.EnsureClosed(ctx, snap, snap.AllAgreements(), at); err != nil {
		return nil, sum, err
	}
	entries, err := e.Registry.Store.Ledger(ctx, store.LedgerFilter{})
	if err != nil {
		return nil, sum, err
	}
	history := LatestClosed(entries)
	disputes := OpenDisputes(entries)
	var covered []*models.Agreement
	for _, id := range ids {
		covered = append(covered, snap.Agreements[id]...)
	}
	ctx = e.ShareSeries(ctx, snap, covered)
	var rows []PortfolioRow
	for _, id := range ids {
		c := snap.Contracts[id]
		row, err := e.PortfolioRow(ctx, snap, c, history, q, at)
		if err != nil {
			return nil, sum, err
		}
		if row.OpenDisputes = disputes[id]; row.OpenDisputes > 0 {
			sum.Disputed++
		}
		if c.Status == "active" {
			sum.Active++
			if row.Class != compliance.ClassUnmeasured {
				sum.Measured++
				if !compliance.CompliantClass(row.Class) {
					sum.NonCompliant++
				}
			}
		}
		rows = append(rows, row)
	}
	// The rate divides by every active contract: an unmeasured one (no agreement
	// with data) is not non-compliant, and the summary says how many there are.
	sum.Rate = compliance.ContractComplianceRate(sum.Active, sum.NonCompliant)
	return rows, sum, nil
}

// PortfolioRow is one contract of the portfolio.
type PortfolioRow struct {
	ID, Name, Counterparty, Status, Class, AgreementStatus, Signal, Window string
	Compliance                                                             float64 // NaN when unmeasured
	Renewal, NoticeBy                                                      *time.Time
	// OpenDisputes is how many of the contract's closed periods are disputed and not yet resolved.
	OpenDisputes int
}

// OpenDisputes counts, per contract, the closed periods of entries whose
// dispute is open (ledger state disputed).
func OpenDisputes(entries []store.LedgerEntry) map[string]int {
	out := map[string]int{}
	for _, s := range ledger.States(entries) {
		if s.State == ledger.StateDisputed {
			out[s.ContractID]++
		}
	}
	return out
}

// PortfolioRow computes a contract's row as of at: its classification this
// period, mean compliance, worst agreement status and the renewal signal from
// the last q.HistoryPeriods closed periods of each agreement (history, by
// agreement id, oldest first).
func (e *Engine) PortfolioRow(ctx context.Context, snap *registry.Snapshot, c *models.Contract, history map[string][]compliance.Result,
	q *models.PortfolioQuery, at time.Time) (PortfolioRow, error) {
	row := PortfolioRow{ID: c.ID, Name: c.Name, Counterparty: c.Counterparty, Status: c.Status, Compliance: math.NaN()}
	var current, closed []compliance.Result
	for _, g := range snap.Agreements[c.ID] {
		p, err := compliance.PeriodAt(g.Period, at)
		if err != nil {
			return row, err
		}
		a, err := e.LoadAgreement(ctx, snap, g, p.Start, p.End, at)
		if err != nil {
			return row, err
		}
		current = append(current, a.Evaluate(p, at))
		h := history[g.ID]
		if len(h) > q.HistoryPeriods {
			h = h[len(h)-q.HistoryPeriods:]
		}
		closed = append(closed, h...)
	}
	row.Class = compliance.Classify(current, q.SubstantialThreshold)
	row.Compliance = compliance.MeanCompliance(current)
	row.AgreementStatus = WorstStatus(current)
	row.Signal = compliance.RenewalSignal(closed)
	row.Window = "no renewal date"
	if r, err := time.Parse(time.DateOnly, c.RenewalDate); err == nil {
		noticeBy := r.AddDate(0, 0, -c.NoticeDays)
		row.Renewal, row.NoticeBy = &r, &noticeBy
		row.Window = RenewalWindow(r, noticeBy, at, q.LeadDays)
	}
	return row, nil
}

// RenewalWindow says where at stands against a renewal date: "passed" after
// it, "not yet" before the lead days ahead of the notice date, else "open".
func RenewalWindow(renewal, noticeBy, at time.Time, leadDays int) string {
	switch {
	case at.After(renewal):
		return "passed"
	case at.Before(noticeBy.AddDate(0, 0, -leadDays)):
		return "not yet"
	}
	return "open"
}

// WorstStatus is the most severe of the results' statuses.
func WorstStatus(rs []compliance.Result) string {
	rank := map[string]int{compliance.NoData: 0, compliance.Compliant: 1, compliance.AtRisk: 2, compliance.Breached: 3}
	worst := ""
	for _, r := range rs {
		if worst == "" || rank[r.Status] > rank[worst] {
			worst = r.Status
		}
	}
	return worst
}
