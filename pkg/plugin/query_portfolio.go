package plugin

import (
	"context"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/engine"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
)

// portfolio answers a portfolio query: a row per contract with its
// classification this period, compliance, the worst agreement status and the
// renewal signal; and a summary with the contract compliance rate, over the
// active contracts, beside how many of them are unmeasured.
func (d *Datasource) portfolio(ctx context.Context, snap *registry.Snapshot, pq *models.PortfolioQuery, _ backend.TimeRange) (data.Frames, error) {
	rows, sum, err := d.engine.Portfolio(ctx, snap, pq, now())
	if err != nil {
		return nil, err
	}
	active, measured, nonCompliant, unmeasured, rate := sum.Active, sum.Measured, sum.NonCompliant, sum.Active-sum.Measured, sum.Rate
	var rateMeta any // null when no contract is measured
	if p := numPtr(compliance.Num(rate)); p != nil {
		rateMeta = *p
	}
	table := portfolioFrame(rows)
	table.Meta.Custom = map[string]any{"contractComplianceRate": rateMeta, "active": active, "measured": measured,
		"unmeasured": unmeasured, "nonCompliant": nonCompliant, "disputed": sum.Disputed}
	summary := data.NewFrame("portfolio summary",
		data.NewField("contract_compliance_rate", nil, []*float64{numPtr(compliance.Num(rate))}),
		data.NewField("active", nil, []int64{int64(active)}),
		data.NewField("measured", nil, []int64{int64(measured)}),
		data.NewField("non_compliant", nil, []int64{int64(nonCompliant)}),
		data.NewField("unmeasured", nil, []int64{int64(unmeasured)}),
		data.NewField("disputed", nil, []int64{int64(sum.Disputed)}),
	)
	summary.Fields[0].Config = &data.FieldConfig{DisplayName: "Contract compliance rate", Unit: "percent", Decimals: ptrUint16(1)}
	return data.Frames{table, summary}, nil
}

func portfolioFrame(rows []engine.PortfolioRow) *data.Frame {
	n := len(rows)
	col := func(get func(r engine.PortfolioRow) string) []string {
		out := make([]string, n)
		for i, r := range rows {
			out[i] = get(r)
		}
		return out
	}
	comp := make([]*float64, n)
	renewal, noticeBy := make([]*time.Time, n), make([]*time.Time, n)
	disputes := make([]int64, n)
	for i, r := range rows {
		disputes[i] = int64(r.OpenDisputes)
		comp[i] = numPtr(compliance.Num(r.Compliance))
		renewal[i], noticeBy[i] = r.Renewal, r.NoticeBy
	}
	frame := data.NewFrame("portfolio",
		data.NewField("contract", nil, col(func(r engine.PortfolioRow) string { return r.ID })),
		data.NewField("name", nil, col(func(r engine.PortfolioRow) string { return r.Name })),
		data.NewField("counterparty", nil, col(func(r engine.PortfolioRow) string { return r.Counterparty })),
		data.NewField("status", nil, col(func(r engine.PortfolioRow) string { return r.Status })),
		data.NewField("classification", nil, col(func(r engine.PortfolioRow) string { return r.Class })),
		data.NewField("compliance", nil, comp),
		data.NewField("agreement_status", nil, col(func(r engine.PortfolioRow) string { return r.AgreementStatus })),
		data.NewField("renewal_date", nil, renewal),
		data.NewField("notice_by", nil, noticeBy),
		data.NewField("renewal_signal", nil, col(func(r engine.PortfolioRow) string { return r.Signal })),
		data.NewField("renewal_window", nil, col(func(r engine.PortfolioRow) string { return r.Window })),
		data.NewField("open_disputes", nil, disputes),
	)
	frame.Fields[5].Config = &data.FieldConfig{Unit: "percent", Decimals: ptrUint16(1)}
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTable}
	return frame
}
