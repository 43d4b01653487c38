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
)

// The closed-bucket cache. A bucket that has ended keeps its figure until
// rows arrive late (or change), so a repeated query reuses the figures of the
// closed buckets it computed before and asks the connector only for the
// buckets still open and for those it has not seen. Whether the cached
// buckets still hold is decided, on every query that uses them, by the
// connector's watermark over the span they cover (Watermarker): the embedded
// demo data never changes; a SQLite file changes its size or modification
// time; a KPI query that declares a watermark column is asked for the
// column's maximum (quick) and its row count (full, at least once per TTL).
// A connector that cannot tell (HTTP, or SQL without a watermark column)
// reuses closed buckets for at most the cache's TTL, and never for the
// ledger (Strict). docs/cache.md states exactly when
// a cached figure can be stale, and for how long.

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
	fills   map[string]*fill

	hits, misses, checks, invalidations, expired atomic.Int64
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
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), WatermarkChecks: c.checks.Load(),
		Invalidations: c.invalidations.Load(), Expired: c.expired.Load(), Entries: entries, Buckets: held,
		TTLSeconds: int64(c.TTL / time.Second)}
}

// cacheEntry is the closed buckets of one query (connector, SQL or path,
// key, method, condition and calendars).
type cacheEntry struct {
	key string

	mu      sync.Mutex
	buckets map[int64]cachedBucket // by start (Unix ns)
	lo, hi  time.Time              // the span the buckets cover
	marked  bool                   // the connector gave a watermark for [lo, hi)
	mark    Mark
	fullAt  time.Time // when the full watermark was last found unchanged (or taken)
	born    time.Time // when the first bucket was stored (the TTL counts from it)
	pushed  bool
	gen     int64 // counts the changes of the entry's buckets
	// check is the watermark check in flight, which queries arriving meanwhile share.
	check *markCheck
}

type cachedBucket struct {
	end   int64
	value float64
}

type markCheck struct {
	done chan struct{}
	mark Mark
	ok   bool
	err  error
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
	return cacheKeyOf(r.ConnectorQuery, r.Key, string(m), cond, extra)
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

	e.mu.Lock()
	if len(e.buckets) > 0 && !e.marked && now.Sub(e.born) >= c.TTL {
		c.drop(e, &c.expired)
	}
	if len(e.buckets) > 0 && (e.marked || !strict) {
		for i := 0; i < closed; i++ {
			if b, ok := e.buckets[starts[i].UnixNano()]; ok && b.end == starts[i+1].UnixNano() {
				out[i], have[i] = b.value, true
				found++
			}
		}
	}
	seen := entryState{watermark: watermark{lo: e.lo, hi: e.hi, mark: e.mark, marked: e.marked}, gen: e.gen, pushed: e.pushed, fullAt: e.fullAt}
	e.mu.Unlock()

	// The buckets to compute: from the first not cached to the last not cached.
	first, last := 0, n-1
	for first < n && have[first] {
		first++
	}
	for last >= first && have[last] {
		last--
	}
	fill := first <= last && first < closed // closed buckets will be computed
	var next watermark                      // the watermark the entry keeps them under
	if fill {
		next.lo, next.hi = starts[first], starts[min(last+1, closed)]
		if found > 0 && seen.marked {
			next.lo, next.hi = earlier(next.lo, seen.lo), later(next.hi, seen.hi)
		}
		if wm != nil {
			// Taken before the rows are read: rows that change after it change
			// the watermark, so the buckets read now are checked again next time.
			wr := r
			wr.From, wr.To = next.lo, next.hi
			mk, ok, err := wm.Watermark(ctx, wr, true)
			if err != nil {
				return nil, false, err
			}
			c.checks.Add(1)
			next.mark, next.marked = mk, ok
		}
	}
	if found > 0 && seen.marked {
		// The cached buckets hold while the watermark over their span is
		// unchanged: its quick part on most queries, the full one for the
		// ledger and once per TTL. A quick check already in flight is shared,
		// unless buckets are about to be kept under the new watermark: then
		// the check must come after it.
		full := strict || c.TTL <= 0 || now.Sub(seen.fullAt) >= c.TTL
		mk, ok, err := c.checkMark(ctx, e, wm, r, seen.lo, seen.hi, full, !fill && !full)
		if err != nil {
			return nil, false, err
		}
		if !ok || mk.Quick != seen.mark.Quick || (full && mk.Full != seen.mark.Full) {
			e.mu.Lock()
			if e.gen == seen.gen {
				c.drop(e, &c.invalidations)
			}
			e.mu.Unlock()
			return c.CachedFigures(ctx, conn, r, starts, m, cond, key, now)
		}
		if full {
			e.mu.Lock()
			if e.gen == seen.gen {
				e.fullAt = now
			}
			e.mu.Unlock()
		}
	}
	if first > last {
		c.hits.Add(int64(n))
		c.touch(e)
		return out, seen.pushed, nil
	}
	sub := starts[first : last+2]
	sr := r
	sr.From, sr.To = sub[0], sub[len(sub)-1]
	part, pushed, err := c.compute(ctx, key, conn, sr, sub, m, cond)
	if err != nil {
		return nil, false, err
	}
	copy(out[first:], part)
	c.hits.Add(int64(found))
	c.misses.Add(int64(len(part)))
	if fill && (next.marked || (c.TTL > 0 && !strict)) {
		c.keep(e, seen.gen, found > 0, starts[first:min(last+1, closed)+1], out[first:], next, pushed, now)
	}
	return out, pushed, nil
}

// entryState is what a query read of its entry.
type entryState struct {
	watermark
	gen    int64
	pushed bool
	fullAt time.Time
}

// watermark is the span a cache entry's buckets cover and the connector's
// watermark over it (marked false: none; the TTL applies).
type watermark struct {
	lo, hi time.Time
	mark   Mark
	marked bool
}

// fill is a computation of buckets in flight, which identical queries
// arriving meanwhile share.
type fill struct {
	done   chan struct{}
	part   []float64
	pushed bool
	err    error
}

// compute is Figures, shared with identical computations in flight (many
// viewers opening one dashboard at once). One whose own context ended is
// not shared: the others compute for themselves.
func (c *Cache) compute(ctx context.Context, key string, conn Connector, r Request, starts []time.Time, m kpi.Method, cond *models.Condition) ([]float64, bool, error) {
	id := fmt.Sprintf("%s\x00%d\x00%d\x00%d", key, starts[0].UnixNano(), starts[len(starts)-1].UnixNano(), len(starts))
	c.mu.Lock()
	f, shared := c.fills[id]
	if !shared {
		f = &fill{done: make(chan struct{})}
		if c.fills == nil {
			c.fills = map[string]*fill{}
		}
		c.fills[id] = f
	}
	c.mu.Unlock()
	if shared {
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
		if f.err == nil {
			return slices.Clone(f.part), f.pushed, nil
		}
		if !errors.Is(f.err, context.Canceled) && !errors.Is(f.err, context.DeadlineExceeded) {
			return nil, false, f.err
		}
		return Figures(ctx, conn, r, starts, m, cond)
	}
	f.part, f.pushed, f.err = Figures(ctx, conn, r, starts, m, cond)
	c.mu.Lock()
	delete(c.fills, id)
	c.mu.Unlock()
	close(f.done)
	if f.err != nil {
		return nil, false, f.err
	}
	return slices.Clone(f.part), f.pushed, nil
}

// checkMark asks the connector for the watermark over [lo, hi), full or
// quick. With share, a query arriving while a quick check is in flight
// shares its answer (a check begun at most one check's time before).
func (c *Cache) checkMark(ctx context.Context, e *cacheEntry, wm Watermarker, r Request, lo, hi time.Time, full, share bool) (Mark, bool, error) {
	if wm == nil {
		return Mark{}, false, nil
	}
	wr := r
	wr.From, wr.To = lo, hi
	if !share {
		c.checks.Add(1)
		return wm.Watermark(ctx, wr, full)
	}
	e.mu.Lock()
	chk := e.check
	if chk == nil {
		chk = &markCheck{done: make(chan struct{})}
		e.check = chk
		e.mu.Unlock()
		chk.mark, chk.ok, chk.err = wm.Watermark(context.WithoutCancel(ctx), wr, false)
		c.checks.Add(1)
		e.mu.Lock()
		e.check = nil
		e.mu.Unlock()
		close(chk.done)
	} else {
		e.mu.Unlock()
	}
	select {
	case <-chk.done:
	case <-ctx.Done():
		return Mark{}, false, ctx.Err()
	}
	return chk.mark, chk.ok, chk.err
}

// keep stores closed buckets just computed (starts and values) under the
// watermark w, taken over a span that covers them. With extend, the entry's
// buckets that the query used (and w's span covers) stay, if the entry is
// still as the query read it (generation gen); else the entry holds only
// these.
func (c *Cache) keep(e *cacheEntry, gen int64, extend bool, starts []time.Time, values []float64, w watermark, pushed bool, now time.Time) {
	e.mu.Lock()
	if !extend || e.gen != gen || len(e.buckets) == 0 {
		c.forget(e)
		e.buckets = make(map[int64]cachedBucket, len(starts)-1)
		e.born = now
	}
	added := 0
	for i := 0; i+1 < len(starts); i++ {
		s := starts[i].UnixNano()
		if _, ok := e.buckets[s]; !ok {
			added++
		}
		e.buckets[s] = cachedBucket{end: starts[i+1].UnixNano(), value: values[i]}
	}
	e.lo, e.hi, e.mark, e.marked, e.pushed, e.fullAt = w.lo, w.hi, w.mark, w.marked, pushed, now
	e.gen++
	e.mu.Unlock()
	c.mu.Lock()
	c.held += added
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

// drop empties e (its lock held), counting why.
func (c *Cache) drop(e *cacheEntry, why *atomic.Int64) {
	why.Add(1)
	c.forget(e)
	e.buckets, e.marked, e.mark = nil, false, Mark{}
	e.gen++
}

// forget takes e's buckets off the count held (e's lock held).
func (c *Cache) forget(e *cacheEntry) {
	c.mu.Lock()
	c.held -= len(e.buckets)
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
		c.forget(e)
		e.buckets = nil
		e.mu.Unlock()
	}
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// cacheKeyOf joins what names a query in the cache.
func cacheKeyOf(q models.ConnectorQuery, key, method string, cond *models.Condition, extra string) string {
	raw, _ := json.Marshal(struct {
		Q      models.ConnectorQuery
		Key, M string
		Cond   *models.Condition
		Extra  string
	}{q, key, method, cond, extra})
	return string(raw)
}
