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
//
// Memory: a kept series is let go as soon as the last covered tracker that
// asks for it has taken it, and the series kept at once hold at most
// SharedSeriesBudget bytes (estimated per bucket); a series that does not fit
// is not kept, and each of its askers computes it (docs/agreements.md, "The
// evaluator's memory").

// SharedSeriesBudget bounds the bytes of the series one evaluation keeps for
// sharing at once.
const SharedSeriesBudget = 64 << 20

// bucketBytes estimates what one bucket of kpi.Figures holds: its two times
// (24 bytes each), nine float64 figures, the closed flag, the run of misses
// and the working time.
const bucketBytes = 2*24 + 9*8 + 1 + 8 + 8

type sharedKey struct{}

// shared holds the series of one evaluation that several agreements ask for.
type shared struct {
	repeat map[string]bool // definition and key of series asked for more than once
	mu     sync.Mutex
	series map[string]*sharedSeries // by definition, key, range and time
	// left counts, by definition and key, the askers still to come; kept
	// lists the series kept for them (one per range), let go when none is left.
	left   map[string]int
	kept   map[string][]string
	held   int64 // bytes of the series kept
	budget int64
}

type sharedSeries struct {
	ready chan struct{}
	f     kpi.Figures
	cal   *calendar.Calendar
	err   error
	bytes int64 // counted in held while kept
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
	s := &shared{repeat: map[string]bool{}, series: map[string]*sharedSeries{}, left: map[string]int{}, kept: map[string][]string{}, budget: e.sharedBudget()}
	for id, n := range count {
		if n > 1 {
			s.repeat[id] = true
			s.left[id] = n
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
	series := id
	id += fmt.Sprintf("\x00%d\x00%d\x00%d", from.UnixNano(), to.UnixNano(), at.UnixNano())
	s.mu.Lock()
	entry, found := s.series[id]
	if !found {
		entry = &sharedSeries{ready: make(chan struct{})}
		s.series[id] = entry
		s.kept[series] = append(s.kept[series], id)
	}
	s.release(series)
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
	s.mu.Lock()
	if s.series[id] == entry { // still kept (its askers may all have come already)
		size := int64(len(entry.f.Start)) * bucketBytes
		if entry.err != nil || s.held+size > s.budget {
			delete(s.series, id) // over the budget: later askers compute it themselves
		} else {
			entry.bytes = size
			s.held += size
		}
	}
	s.mu.Unlock()
	close(entry.ready)
	return entry.f, entry.cal, entry.err
}

// release counts an asker of series off, and lets its kept ranges go once
// the last one has asked (s.mu held).
func (s *shared) release(series string) {
	if s.left[series]--; s.left[series] > 0 {
		return
	}
	for _, id := range s.kept[series] {
		if entry, ok := s.series[id]; ok {
			s.held -= entry.bytes
			delete(s.series, id)
		}
	}
	delete(s.kept, series)
	delete(s.left, series)
}

// heldBytes is what the evaluation's shared series hold now (tests).
func (s *shared) heldBytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held
}

// sharedBudget is SharedSeriesBudget, or the engine's own (tests).
func (e *Engine) sharedBudget() int64 {
	if e.SharedBudget > 0 {
		return e.SharedBudget
	}
	return SharedSeriesBudget
}
