package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/ledger"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
	"github.com/covenant/contracts/pkg/store"
)

// PortfolioQuery tunes the portfolio: the classification threshold, how many
// closed periods the renewal signal reads, and how long before the notice date
// the signal is shown.
type PortfolioQuery struct {
	Contract             string  `json:"contract"`
	SubstantialThreshold float64 `json:"substantialThreshold"`
	HistoryPeriods       int     `json:"historyPeriods"`
	LeadDays             int     `json:"leadDays"`
}

func loadPortfolioQuery(raw json.RawMessage) (*PortfolioQuery, error) {
	q := &PortfolioQuery{}
	if err := json.Unmarshal(raw, q); err != nil {
		return nil, fmt.Errorf("%w: the query is not valid JSON (%v)", models.ErrInvalidQuery, err)
	}
	if q.SubstantialThreshold == 0 {
		q.SubstantialThreshold = compliance.DefaultSubstantialThreshold
	}
	if q.HistoryPeriods == 0 {
		q.HistoryPeriods = 4
	}
	if q.LeadDays == 0 {
		q.LeadDays = 90
	}
	switch {
	case q.SubstantialThreshold <= 0 || q.SubstantialThreshold > 100:
		return nil, models.QueryFieldError("substantialThreshold", "must be a percentage above 0 and at most 100")
	case q.HistoryPeriods < 1 || q.HistoryPeriods > 36:
		return nil, models.QueryFieldError("historyPeriods", "must be 1 to 36 periods")
	case q.LeadDays < 0 || q.LeadDays > 3650:
		return nil, models.QueryFieldError("leadDays", "must be 0 to 3650 days")
	}
	return q, nil
}

// portfolioRow is one contract of the portfolio.
type portfolioRow struct {
	id, name, counterparty, status, class, agreementStatus, signal, window string
	compliance                                                             float64
	renewal, noticeBy                                                      *time.Time
}

// portfolio answers a portfolio query: a row per contract with its
// classification this period, compliance, the worst agreement status and the
// renewal signal; and a summary with the contract compliance rate, over the
// active contracts, beside how many of them are unmeasured.
func (d *Datasource) portfolio(ctx context.Context, _ backend.PluginContext, q backend.DataQuery) backend.DataResponse {
	pq, err := loadPortfolioQuery(q.JSON)
	if err != nil {
		return errorResponse(err)
	}
	ctx, cancel := d.queryTimeout(ctx)
	defer cancel()
	snap, err := d.querySnapshot(ctx)
	if err != nil {
		return errorResponse(err)
	}
	at := now()
	ids := contractIDs(pq.Contract)
	if len(ids) == 0 || pq.Contract == "*" {
		ids = ids[:0]
		for id := range snap.Contracts {
			ids = append(ids, id)
		}
		sort.Strings(ids)
	}
	if err := d.ensureClosed(ctx, snap, snap.AllAgreements(), at); err != nil {
		return errorResponse(err)
	}
	ledger, err := d.registry.Store.Ledger(ctx, store.LedgerFilter{})
	if err != nil {
		return errorResponse(err)
	}
	history := latestClosed(ledger)
	var rows []portfolioRow
	active, measured, nonCompliant := 0, 0, 0
	for _, id := range ids {
		c, ok := snap.Contracts[id]
		if !ok {
			return errorResponse(models.QueryFieldError("contract", fmt.Sprintf("there is no contract %q in the registry", id)))
		}
		row, err := d.portfolioRow(ctx, snap, c, history, pq, at)
		if err != nil {
			return errorResponse(err)
		}
		if c.Status == "active" {
			active++
			if row.class != compliance.ClassUnmeasured {
				measured++
				if !compliance.CompliantClass(row.class) {
					nonCompliant++
				}
			}
		}
		rows = append(rows, row)
	}
	// The rate divides by every active contract: an unmeasured one (no agreement
	// with data) is not non-compliant, and the summary says how many there are.
	unmeasured := active - measured
	rate := compliance.ContractComplianceRate(active, nonCompliant)
	table := portfolioFrame(rows)
	table.Meta.Custom = map[string]any{"contractComplianceRate": jsonFloat(rate), "active": active, "measured": measured,
		"unmeasured": unmeasured, "nonCompliant": nonCompliant}
	summary := data.NewFrame("portfolio summary",
		data.NewField("contract_compliance_rate", nil, []*float64{numPtr(compliance.Num(rate))}),
		data.NewField("active", nil, []int64{int64(active)}),
		data.NewField("measured", nil, []int64{int64(measured)}),
		data.NewField("non_compliant", nil, []int64{int64(nonCompliant)}),
		data.NewField("unmeasured", nil, []int64{int64(unmeasured)}),
	)
	summary.Fields[0].Config = &data.FieldConfig{DisplayName: "Contract compliance rate", Unit: "percent", Decimals: ptrUint16(1)}
	table.RefID, summary.RefID = q.RefID, q.RefID
	return backend.DataResponse{Frames: data.Frames{table, summary}}
}

// latestClosed keeps, per agreement and period, the latest ledger entry's result (a restatement supersedes).
func latestClosed(entries []store.LedgerEntry) map[string][]compliance.Result {
	latest := map[string]map[int64]store.LedgerEntry{}
	for _, e := range entries {
		m := latest[e.AgreementID]
		if m == nil {
			m = map[int64]store.LedgerEntry{}
			latest[e.AgreementID] = m
		}
		if cur, ok := m[e.PeriodStart.UnixMilli()]; !ok || e.Seq > cur.Seq {
			m[e.PeriodStart.UnixMilli()] = e
		}
	}
	out := map[string][]compliance.Result{}
	for id, m := range latest {
		for _, e := range m {
			var s ledger.Snapshot
			if json.Unmarshal(e.Snapshot, &s) == nil {
				out[id] = append(out[id], s.Result)
			}
		}
		sort.Slice(out[id], func(a, b int) bool { return out[id][a].Period.Start.Before(out[id][b].Period.Start) })
	}
	return out
}

func (d *Datasource) portfolioRow(ctx context.Context, snap *registry.Snapshot, c *models.Contract, history map[string][]compliance.Result,
	pq *PortfolioQuery, at time.Time) (portfolioRow, error) {
	row := portfolioRow{id: c.ID, name: c.Name, counterparty: c.Counterparty, status: c.Status, compliance: math.NaN()}
	var current, closed []compliance.Result
	for _, g := range snap.Agreements[c.ID] {
		p, err := compliance.PeriodAt(g.Period, at)
		if err != nil {
			return row, err
		}
		a, err := d.loadAgreement(ctx, snap, g, p.Start, p.End, at)
		if err != nil {
			return row, err
		}
		current = append(current, a.evaluate(p, at))
		h := history[g.ID]
		if len(h) > pq.HistoryPeriods {
			h = h[len(h)-pq.HistoryPeriods:]
		}
		closed = append(closed, h...)
	}
	row.class = compliance.Classify(current, pq.SubstantialThreshold)
	row.compliance = compliance.MeanCompliance(current)
	row.agreementStatus = worstStatus(current)
	row.signal = compliance.RenewalSignal(closed)
	if r, err := time.Parse(time.DateOnly, c.RenewalDate); err == nil {
		noticeBy := r.AddDate(0, 0, -c.NoticeDays)
		row.renewal, row.noticeBy = &r, &noticeBy
		switch {
		case at.After(r):
			row.window = "passed"
		case at.Before(noticeBy.AddDate(0, 0, -pq.LeadDays)):
			row.window = "not yet"
		default:
			row.window = "open"
		}
	} else {
		row.window = "no renewal date"
	}
	return row, nil
}

// worstStatus is the most severe of the results' statuses.
func worstStatus(rs []compliance.Result) string {
	rank := map[string]int{compliance.NoData: 0, compliance.Compliant: 1, compliance.AtRisk: 2, compliance.Breached: 3}
	worst := ""
	for _, r := range rs {
		if worst == "" || rank[r.Status] > rank[worst] {
			worst = r.Status
		}
	}
	return worst
}

func portfolioFrame(rows []portfolioRow) *data.Frame {
	n := len(rows)
	col := func(get func(r portfolioRow) string) []string {
		out := make([]string, n)
		for i, r := range rows {
			out[i] = get(r)
		}
		return out
	}
	comp := make([]*float64, n)
	renewal, noticeBy := make([]*time.Time, n), make([]*time.Time, n)
	for i, r := range rows {
		comp[i] = numPtr(compliance.Num(r.compliance))
		renewal[i], noticeBy[i] = r.renewal, r.noticeBy
	}
	frame := data.NewFrame("portfolio",
		data.NewField("contract", nil, col(func(r portfolioRow) string { return r.id })),
		data.NewField("name", nil, col(func(r portfolioRow) string { return r.name })),
		data.NewField("counterparty", nil, col(func(r portfolioRow) string { return r.counterparty })),
		data.NewField("status", nil, col(func(r portfolioRow) string { return r.status })),
		data.NewField("classification", nil, col(func(r portfolioRow) string { return r.class })),
		data.NewField("compliance", nil, comp),
		data.NewField("agreement_status", nil, col(func(r portfolioRow) string { return r.agreementStatus })),
		data.NewField("renewal_date", nil, renewal),
		data.NewField("notice_by", nil, noticeBy),
		data.NewField("renewal_signal", nil, col(func(r portfolioRow) string { return r.signal })),
		data.NewField("renewal_window", nil, col(func(r portfolioRow) string { return r.window })),
	)
	frame.Fields[5].Config = &data.FieldConfig{Unit: "percent", Decimals: ptrUint16(1)}
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTable}
	return frame
}
