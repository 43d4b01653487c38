package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/ledger"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
	"github.com/covenant/contracts/pkg/store"
)

// ledger answers a ledger query: a table of closed periods, restatements and
// the acts on them (sign-off, dispute, resolution: without figures).
func (d *Datasource) ledger(ctx context.Context, snap *registry.Snapshot, q *models.AgreementQuery, _ backend.TimeRange) (data.Frames, error) {
	entries, err := d.engine.LedgerEntries(ctx, snap, q)
	if err != nil {
		return nil, err
	}
	n := len(entries)
	var (
		agreement, contract, kind, status, digest = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		start, end, computed                      = make([]time.Time, n), make([]time.Time, n), make([]time.Time, n)
		seq                                       = make([]int64, n)
		comp, penalty                             = make([]*float64, n), make([]*float64, n)
		impact                                    = make([]float64, n)
	)
	for i, e := range entries {
		agreement[i], contract[i], kind[i], seq[i], digest[i] = e.AgreementID, e.ContractID, e.Kind, int64(e.Seq), e.Digest
		start[i], end[i], computed[i] = e.PeriodStart, e.PeriodEnd, e.ComputedAt
		if !ledger.IsResult(e.Kind) {
			continue // a sign-off, dispute or resolution: no figures of its own
		}
		var s ledger.Snapshot
		if err := json.Unmarshal(e.Snapshot, &s); err != nil {
			return nil, fmt.Errorf("ledger entry %s %s #%d cannot be read: %w", e.AgreementID, e.PeriodStart.Format(time.DateOnly), e.Seq, err)
		}
		status[i], impact[i] = s.Result.Status, s.Result.ImpactCost
		comp[i], penalty[i] = numPtr(s.Result.Compliance), numPtr(s.Result.PenaltyReward)
	}
	frame := data.NewFrame("ledger",
		data.NewField("agreement", nil, agreement), data.NewField("contract", nil, contract),
		data.NewField("period_start", nil, start), data.NewField("period_end", nil, end),
		data.NewField("seq", nil, seq), data.NewField("kind", nil, kind), data.NewField("computed_at", nil, computed),
		data.NewField("compliance", nil, comp), data.NewField("status", nil, status),
		data.NewField("impact_cost", nil, impact), data.NewField("penalty_reward", nil, penalty), data.NewField("digest", nil, digest),
	)
	frame.Fields[7].Config = &data.FieldConfig{Unit: "percent"}
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTable}
	chains, err := d.engine.VerifyChains(ctx, entries)
	if err != nil {
		return nil, err
	}
	return data.Frames{frame, chainFrame(chains)}, nil
}

// chainFrame is the table "ledger chain": per agreement whether its hash chain holds.
func chainFrame(chains []store.ChainStatus) *data.Frame {
	n := len(chains)
	agreement, reason := make([]string, n), make([]string, n)
	ok := make([]bool, n)
	entries := make([]int64, n)
	broken := make([]*int64, n)
	for i, c := range chains {
		agreement[i], ok[i], entries[i], reason[i] = c.AgreementID, c.OK, int64(c.Entries), c.Reason
		if c.BrokenAt != nil {
			b := int64(*c.BrokenAt)
			broken[i] = &b
		}
	}
	f := data.NewFrame("ledger chain", data.NewField("agreement", nil, agreement), data.NewField("ok", nil, ok),
		data.NewField("entries", nil, entries), data.NewField("broken_at", nil, broken), data.NewField("reason", nil, reason))
	f.Meta = &data.FrameMeta{Type: data.FrameTypeTable}
	return f
}
