package connector

import (
	"container/list"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
	"golang.org/x/sync/singleflight"
)

// The closed-bucket cache. A bucket that has ended keeps its figure until
// rows arrive late (or change), so a repeated query reuses the figures of the
// closed buckets it computed before and asks the connector only for the
// buckets still open and for those it has not seen. Whether the cached
// buckets still hold is decided, on every query that uses them, by the
// connector's watermark over the span of the segment that holds them
// (Watermarker): the embedded
// demo data never changes; a SQLite file changes its size or modification
// time; a KPI query that declares a watermark column is asked for the
// column's maximum (quick) and its row count (full, at least once per TTL).
// A connector that cannot tell (HTTP, or SQL without a watermark column)
// reuses closed buckets for at most the cache's TTL, and never for the
// ledger (Strict). docs/cache.md states exactly when a cached figure can be
// stale, and for how long.

// Watermarker is a connector that can tell cheaply whether the rows a query
// reads over [r.From, r.To) may have changed.
type Watermarker interface {
	// Watermark returns marks that change when those rows change (ok false
	// when the connector cannot tell for this query). Without full, only
	// Mark.Quick is asked for, which may be cheaper and may miss a removed
	// row; with full, both.
	Watermark(ctx context.Context, r Request, full bool) (m Mark, ok bool, err error)
}

// Mark is a watermark: Full changes whenever the rows change; Quick
// whenever a row is added or changed (for most connectors the two are one).
type Mark struct{ Quick, Full string }

// Cache keeps the figures of closed buckets by query (CacheKey). It is safe
// for concurrent use; a nil *Cache caches nothing.
type Cache struct {
	// TTL is how long closed buckets are reused for a query whose connector
	// has no watermark (0: not at all).
	TTL time.Duration
	// MaxBuckets bounds the buckets held, all queries together; past it the
	// least recently used queries' buckets are dropped.
	MaxBuckets int

	mu      sync.Mutex
	entries map[string]*list.Element // of *cacheEntry, most recently used first
	lru     list.List
	held    int // buckets held

	// fills and checks share the connector reads and watermark checks in
	// flight between identical queries (many viewers opening one dashboard).
	fills, checks singleflight.Group

	hits, misses, markChecks, invalidations, expired atomic.Int64
}

// DefaultCacheBuckets bounds a datasource's cache: a million buckets, 44 MB
// of heap (docs/cache.md).
const DefaultCacheBuckets = 1_000_000

// NewCache is a cache reusing closed buckets without a watermark for ttl.
func NewCache(ttl time.Duration) *Cache {
	return &Cache{TTL: ttl, MaxBuckets: DefaultCacheBuckets, entries: map[string]*list.Element{}}
}

// CacheStats counts what the cache did: buckets served from it (Hits) and
// computed by the connector (Misses, open buckets included), watermark
// checks, entries dropped because their watermark changed (Invalidations)
// or their TTL passed (Expired), and what it holds.
type CacheStats struct {
	Hits            int64 `json:"hits"`
	Misses          int64 `json:"misses"`
	WatermarkChecks int64 `json:"watermarkChecks"`
	Invalidations   int64 `json:"invalidations"`
	Expired         int64 `json:"expired"`
	Entries         int   `json:"entries"`
	Buckets         int   `json:"buckets"`
	TTLSeconds      int64 `json:"ttlSeconds"`
}

// Stats reports the cache's counters.
func (c *Cache) Stats() CacheStats {
	if c == nil {
		return CacheStats{}
	}
	c.mu.Lock()
	entries, held := len(c.entries), c.held
	c.mu.Unlock()
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), WatermarkChecks: c.markChecks.Load(),
		Invalidations: c.invalidations.Load(), Expired: c.expired.Load(), Entries: entries, Buckets: held,
		TTLSeconds: int64(c.TTL / time.Second)}
}

// cacheEntry is the closed buckets of one query (connector, SQL or path,
// key, method, condition and calendars), in segments: the buckets of one
// read, under the watermark taken for them.
type cacheEntry struct {
	key string

	mu       sync.Mutex
	segments []*segment // newest first
}

// maxSegments bounds the segments of an entry; past it the oldest goes.
const maxSegments = 32

// segment is the closed buckets one read stored, over [lo, hi), with the
// watermark over that span taken before the rows were read.
type segment struct {
	lo, hi  time.Time
	buckets map[int64]cachedBucket // by start (Unix ns)
	marked  bool                   // the connector gave a watermark (else the TTL applies)
	mark    Mark
	born    time.Time // when it was stored (the TTL counts from it)
	pushed  bool

	// Guarded by the entry's lock:
	fullAt time.Time // when the full watermark was last found unchanged (or taken)
	gone   bool      // dropped: its watermark changed or its TTL passed
}

type cachedBucket struct {
	end   int64
	value float64
}

type strictKey struct{}

// Strict returns ctx under which cached buckets are used only when a
// watermark vouches for them (never on a TTL alone): what the ledger reads.
func Strict(ctx context.Context) context.Context { return context.WithValue(ctx, strictKey{}, true) }

func isStrict(ctx context.Context) bool { v, _ := ctx.Value(strictKey{}).(bool); return v }

// CacheKey names a tracker query for the cache: the connector, the KPI's
// connector query, the key bound to $__key, the method and condition, and
// anything else its rows depend on (the calendars' versions), as extra.
func CacheKey(r Request, m kpi.Method, cond *models.Condition, extra string) string {
	raw, _ := json.Marshal(struct {
		Q      models.ConnectorQuery
		Key, M string
		Cond   *models.Condition
		Extra  string
	}{r.ConnectorQuery, r.Key, string(m), cond, extra})
	return string(raw)
}

// CachedFigures is Figures, reusing the closed buckets (those ending at or
// before now) that c holds for the query named key and are still valid, and
// keeping the closed buckets it computes.
func (c *Cache) CachedFigures(ctx context.Context, conn Connector, r Request, starts []time.Time, m kpi.Method, cond *models.Condition, key string, now time.Time) ([]float64, bool, error) {
	n := len(starts) - 1
	if c == nil || n < 1 {
		return Figures(ctx, conn, r, starts, m, cond)
	}
	closed := n // buckets [0, closed) have ended
	for closed > 0 && starts[closed].After(now) {
		closed--
	}
	strict := isStrict(ctx)
	e := c.entry(key)
	wm, _ := conn.(Watermarker)
	out := make([]float64, n)
	have := make([]bool, n)
	found := 0
	var used []*segment
	pushed := false

	e.mu.Lock()
	kept := e.segments[:0]
	for _, sg := range e.segments {
		if !sg.marked && now.Sub(sg.born) >= c.TTL {
			c.dropSegment(sg, &c.expired)
			continue
		}
		kept = append(kept, sg)
	}
	clear(e.segments[len(kept):])
	e.segments = kept
	for i := 0; i < closed; i++ {
		for _, sg := range e.segments {
			if strict && !sg.marked {
				continue
			}
			if b, ok := sg.buckets[starts[i].UnixNano()]; ok && b.end == starts[i+1].UnixNano() {
				out[i], have[i] = b.value, true
				found++
				if !slices.Contains(used, sg) {
					used = append(used, sg)
					pushed = pushed || sg.pushed
				}
				break
			}
		}
	}
	e.mu.Unlock()

	// The cached buckets hold while the watermark over each segment's span
	// is unchanged: its quick part on most queries, the full one for the
	// ledger and once per TTL of the segment.
	for _, sg := range used {
		if !sg.marked {
			continue
		}
		e.mu.Lock()
		full := strict || c.TTL <= 0 || now.Sub(sg.fullAt) >= c.TTL
		e.mu.Unlock()
		mk, ok, err := c.checkMark(ctx, sg, wm, r, full)
		if err != nil {
			return nil, false, err
		}
		if !ok || mk.Quick != sg.mark.Quick || (full && mk.Full != sg.mark.Full) {
			e.mu.Lock()
			c.dropSegment(sg, &c.invalidations)
			e.segments = slices.DeleteFunc(e.segments, func(x *segment) bool { return x == sg })
			e.mu.Unlock()
			return c.CachedFigures(ctx, conn, r, starts, m, cond, key, now)
		}
		if full {
			e.mu.Lock()
			sg.fullAt = now
			e.mu.Unlock()
		}
	}

	// The buckets to compute: from the first not cached to the last not cached.
	first, last := 0, n-1
	for first < n && have[first] {
		first++
	}
	for last >= first && have[last] {
		last--
	}
	if first > last {
		c.hits.Add(int64(n))
		c.touch(e)
		return out, pushed, nil
	}
	sub := starts[first : last+2]
	sr := r
	sr.From, sr.To = sub[0], sub[len(sub)-1]
	keepTo := min(last+1, closed) // the closed buckets computed now: [first, keepTo)
	var markSpan *[2]time.Time
	if first < keepTo && wm != nil {
		markSpan = &[2]time.Time{starts[first], starts[keepTo]}
	}
	f, err := c.compute(ctx, key, conn, wm, sr, sub, m, cond, markSpan)
	if err != nil {
		return nil, false, err
	}
	copy(out[first:], f.part)
	c.hits.Add(int64(found))
	c.misses.Add(int64(len(f.part)))
	if first < keepTo && (f.marked || (c.TTL > 0 && !strict)) {
		c.keep(e, &segment{lo: starts[first], hi: starts[keepTo], marked: f.marked, mark: f.mark, born: now, fullAt: now, pushed: f.pushed},
			starts[first:keepTo+1], out[first:keepTo])
	}
	return out, pushed || f.pushed, nil
}

// fill is what a read of buckets gives: the watermark over the closed
// buckets it will keep (taken first), and their figures.
type fill struct {
	part   []float64
	pushed bool
	mark   Mark
	marked bool
}

// compute is Figures, with the watermark over span taken before the rows
// are read (rows that change after it change the watermark, so the buckets
// are checked again next time), shared with identical reads in flight. A
// read cancelled by its own caller is not shared: the others then read for
// themselves.
func (c *Cache) compute(ctx context.Context, key string, conn Connector, wm Watermarker, r Request, starts []time.Time, m kpi.Method, cond *models.Condition, span *[2]time.Time) (fill, error) {
	read := func() (any, error) {
		var f fill
		if span != nil {
			wr := r
			wr.From, wr.To = span[0], span[1]
			var err error
			if f.mark, f.marked, err = wm.Watermark(ctx, wr, true); err != nil {
				return f, err
			}
			c.markChecks.Add(1)
		}
		var err error
		f.part, f.pushed, err = Figures(ctx, conn, r, starts, m, cond)
		return f, err
	}
	id := fmt.Sprintf("%s\x00%d\x00%d\x00%d", key, starts[0].UnixNano(), starts[len(starts)-1].UnixNano(), len(starts))
	if span != nil {
		id += fmt.Sprintf("\x00%d\x00%d", span[0].UnixNano(), span[1].UnixNano())
	}
	v, err := shared(ctx, &c.fills, id, read)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		if ctx.Err() != nil {
			return fill{}, err
		}
		v, err = read() // the read we shared was cancelled by its caller
	}
	f, _ := v.(fill)
	f.part = slices.Clone(f.part) // each caller fills in its own
	return f, err
}

// checkMark asks the connector for the watermark over a segment's span,
// full or quick. Queries arriving while the same check is in flight share
// its answer (a check begun at most one check's time before).
func (c *Cache) checkMark(ctx context.Context, sg *segment, wm Watermarker, r Request, full bool) (Mark, bool, error) {
	if wm == nil {
		return Mark{}, false, nil
	}
	type answer struct {
		mark Mark
		ok   bool
	}
	v, err := shared(ctx, &c.checks, fmt.Sprintf("%p %t", sg, full), func() (any, error) {
		wr := r
		wr.From, wr.To = sg.lo, sg.hi
		mk, ok, err := wm.Watermark(context.WithoutCancel(ctx), wr, full)
		c.markChecks.Add(1)
		return answer{mk, ok}, err
	})
	a, _ := v.(answer)
	return a.mark, a.ok, err
}

// shared runs fn once for all callers of id in flight; a caller whose
// context ends stops waiting.
func shared(ctx context.Context, g *singleflight.Group, id string, fn func() (any, error)) (any, error) {
	select {
	case res := <-g.DoChan(id, fn):
		return res.Val, res.Err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// keep stores a new segment of closed buckets (starts and values), newest
// first; past maxSegments the oldest goes.
func (c *Cache) keep(e *cacheEntry, sg *segment, starts []time.Time, values []float64) {
	sg.buckets = make(map[int64]cachedBucket, len(values))
	for i := range values {
		sg.buckets[starts[i].UnixNano()] = cachedBucket{end: starts[i+1].UnixNano(), value: values[i]}
	}
	e.mu.Lock()
	e.segments = append([]*segment{sg}, e.segments...)
	for len(e.segments) > maxSegments {
		c.dropSegment(e.segments[len(e.segments)-1], nil)
		e.segments = e.segments[:len(e.segments)-1]
	}
	e.mu.Unlock()
	c.mu.Lock()
	c.held += len(sg.buckets)
	c.mu.Unlock()
	c.touch(e)
	c.trim()
}

// entry returns the cache entry of key, made if needed.
func (c *Cache) entry(key string) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		return el.Value.(*cacheEntry)
	}
	e := &cacheEntry{key: key}
	c.entries[key] = c.lru.PushFront(e)
	return e
}

// touch marks e as the most recently used.
func (c *Cache) touch(e *cacheEntry) {
	c.mu.Lock()
	if el, ok := c.entries[e.key]; ok {
		c.lru.MoveToFront(el)
	}
	c.mu.Unlock()
}

// dropSegment takes a segment's buckets off the count held (its entry's
// lock held), counting why (nil: not counted).
func (c *Cache) dropSegment(sg *segment, why *atomic.Int64) {
	if sg.gone {
		return
	}
	sg.gone = true
	if why != nil {
		why.Add(1)
	}
	c.mu.Lock()
	c.held -= len(sg.buckets)
	c.mu.Unlock()
}

// trim drops the least recently used entries while over MaxBuckets.
func (c *Cache) trim() {
	for {
		c.mu.Lock()
		if c.held <= c.MaxBuckets || c.lru.Len() <= 1 {
			c.mu.Unlock()
			return
		}
		el := c.lru.Back()
		e := el.Value.(*cacheEntry)
		c.lru.Remove(el)
		delete(c.entries, e.key)
		c.mu.Unlock()
		e.mu.Lock()
		for _, sg := range e.segments {
			c.dropSegment(sg, nil)
		}
		e.segments = nil
		e.mu.Unlock()
	}
}
