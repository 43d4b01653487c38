// Package engine computes Covenant's figures from the registry through the
// connectors: a tracker's series, an agreement's compliance through its review
// periods, the close of ended periods into the ledger, and the rows of the
// scorecard and the portfolio. It knows nothing of Grafana: pkg/plugin turns
// what it returns into data frames and HTTP answers.
package engine

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/connector"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
)

// ConnectorFunc resolves a connector by name (empty means the demo connector).
type ConnectorFunc func(ctx context.Context, name string) (connector.Connector, error)

// Engine evaluates one datasource's registry. Its zero value is not usable:
// create it with New.
type Engine struct {
	// Registry is the datasource's registry; nil when its store could not be
	// opened (then only inline trackers can be computed).
	Registry *registry.Registry
	// Connector resolves the connector a KPI names.
	Connector ConnectorFunc
	// Now is the clock that decides which buckets and periods have closed.
	Now func() time.Time
	// LedgerInterval is how often the evaluator closes ended periods; a read
	// closes them itself when the evaluator has not within this interval.
	LedgerInterval time.Duration
	// NoSharing turns off sharing series between the agreements of one
	// evaluation (ShareSeries); benchmarks set it to measure what sharing saves.
	NoSharing bool
	// Cache keeps the figures of closed buckets across queries (nil: none).
	Cache *connector.Cache
	// SharedBudget overrides SharedSeriesBudget when set (tests).
	SharedBudget int64

	mu      sync.Mutex
	lastRun map[string]time.Time // agreement id → when its periods were last closed
	// calendars are the service calendars compiled so far, by version.
	calMu     sync.Mutex
	calendars map[calendarKey]*calendar.Compiled
	stop      chan struct{}
	done      chan struct{}
}

// New returns an engine over reg (which may be nil) and its connectors.
func New(reg *registry.Registry, conns ConnectorFunc, now func() time.Time, ledgerInterval time.Duration) *Engine {
	return &Engine{Registry: reg, Connector: conns, Now: now, LedgerInterval: ledgerInterval, lastRun: map[string]time.Time{}}
}

// SelectAgreements resolves an agreement query against the registry: the one
// agreement it names, or the agreements of its contracts ("*" is every contract).
func SelectAgreements(snap *registry.Snapshot, q *models.AgreementQuery) ([]*models.Agreement, error) {
	if q.Agreement != "" {
		for _, g := range snap.AllAgreements() {
			if g.ID == q.Agreement {
				return []*models.Agreement{g}, nil
			}
		}
		return nil, models.QueryFieldError("agreement", fmt.Sprintf("there is no agreement %q in the registry: pick one on a contract's Agreements tab", q.Agreement))
	}
	if q.Contract == "*" {
		return snap.AllAgreements(), nil
	}
	ids, err := SelectContracts(snap, q.Contract)
	if err != nil {
		return nil, err
	}
	var out []*models.Agreement
	for _, id := range ids {
		out = append(out, snap.Agreements[id]...)
	}
	return out, nil
}

// Earlier is the earlier of two instants.
func Earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
