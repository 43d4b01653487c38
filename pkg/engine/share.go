package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
)

// Sharing series within one evaluation: agreements that cover the same
// tracker with the same key (and target) over the same range read the same
// figures, so an evaluation of many agreements computes each such series
// once. Only series that more than one covered tracker asks for are kept,
// and only for the evaluation (the context) they were made for: nothing is
// cached across queries, so every query still reads its data afresh.

type sharedKey struct{}

// shared holds the series of one evaluation that several agreements ask for.
type shared struct {
	repeat map[string]bool // definition and key of series asked for more than once
	mu     sync.Mutex
	series map[string]*sharedSeries // by definition, key, range and time
}

type sharedSeries struct {
	ready chan struct{}
	f     kpi.Figures
	cal   *calendar.Calendar
	err   error
}

// ShareSeries returns ctx with series sharing across the agreements an
// evaluation will load: the figures of a tracker that two or more of them
// cover with the same key and target are computed once per range.
// NoSharing (benchmarks) turns it off.
func (e *Engine) ShareSeries(ctx context.Context, snap *registry.Snapshot, agreements []*models.Agreement) context.Context {
	if e.NoSharing {
		return ctx
	}
	count := map[string]int{}
	for _, g := range agreements {
		for _, t := range g.Trackers {
			a := snap.Assignment(g.ContractID, t.AssignmentID)
			if a == nil {
				continue
			}
			def, err := assignedDef(snap, a)
			if err != nil {
				continue
			}
			count[seriesID(def, a.Key)]++
		}
	}
	s := &shared{repeat: map[string]bool{}, series: map[string]*sharedSeries{}}
	for id, n := range count {
		if n > 1 {
			s.repeat[id] = true
		}
	}
	if len(s.repeat) == 0 {
		return ctx
	}
	return context.WithValue(ctx, sharedKey{}, s)
}

// seriesID names a tracker definition (its target included) and key.
func seriesID(def models.TrackerDef, key string) string {
	raw, _ := json.Marshal(def)
	return string(raw) + "\x00" + key
}

// sharedFigures is figures, shared with the other agreements of the
// evaluation that ask for the same series over the same range. A series that
// failed is not shared: each asker computes it again and gets the error
// with its own field names.
func (e *Engine) sharedFigures(ctx context.Context, def models.TrackerDef, key string, from, to, at time.Time, field string) (kpi.Figures, *calendar.Calendar, error) {
	s, _ := ctx.Value(sharedKey{}).(*shared)
	if s == nil {
		return e.figures(ctx, def, key, from, to, at, field)
	}
	id := seriesID(def, key)
	if !s.repeat[id] {
		return e.figures(ctx, def, key, from, to, at, field)
	}
	id += fmt.Sprintf("\x00%d\x00%d\x00%d", from.UnixNano(), to.UnixNano(), at.UnixNano())
	s.mu.Lock()
	entry, found := s.series[id]
	if !found {
		entry = &sharedSeries{ready: make(chan struct{})}
		s.series[id] = entry
	}
	s.mu.Unlock()
	if found {
		select {
		case <-entry.ready:
		case <-ctx.Done():
			return kpi.Figures{}, nil, ctx.Err()
		}
		if entry.err != nil {
			return e.figures(ctx, def, key, from, to, at, field)
		}
		return entry.f, entry.cal, nil
	}
	entry.f, entry.cal, entry.err = e.figures(ctx, def, key, from, to, at, field)
	close(entry.ready)
	return entry.f, entry.cal, entry.err
}
