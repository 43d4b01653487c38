package connector

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// memRows is an in-memory connector for the cache's unit tests: it records
// the ranges it is asked for, and its watermark is a counter the test moves.
type memRows struct {
	mu     sync.Mutex
	times  []time.Time
	values []float64
	asked  [][2]time.Time
	mark   int
	marks  atomic.Int64 // watermark queries answered
	noMark bool         // no watermark: the cache's TTL applies
	gate   chan struct{}
}

func (m *memRows) Type() models.ConnectorType { return models.ConnectorHTTPJSON }
func (m *memRows) Preview(context.Context, Request, int) (*data.Frame, error) {
	return nil, errors.New("not used")
}
func (m *memRows) Check(context.Context) (string, error) { return "", nil }
func (m *memRows) Close() error                          { return nil }

func (m *memRows) Rows(ctx context.Context, r Request) (kpi.Rows, error) {
	if m.gate != nil {
		<-m.gate
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.asked = append(m.asked, [2]time.Time{r.From, r.To})
	var out kpi.Rows
	for i, t := range m.times {
		if !t.Before(r.From) && t.Before(r.To) {
			out.Times = append(out.Times, t.UnixNano())
			out.Values = append(out.Values, m.values[i])
		}
	}
	return out, nil
}

// Watermark: quick counts the rows added; full adds the rows held, so a
// removed row changes only the full mark (as a maximum and a count do).
func (m *memRows) Watermark(ctx context.Context, r Request, full bool) (Mark, bool, error) {
	if m.noMark {
		return Mark{}, false, nil
	}
	m.marks.Add(1)
	m.mu.Lock()
	defer m.mu.Unlock()
	quick := fmt.Sprint(m.mark)
	if !full {
		return Mark{Quick: quick}, true, nil
	}
	return Mark{Quick: quick, Full: fmt.Sprintf("%s/%d", quick, len(m.times))}, true, nil
}

// remove takes away the row at t, which only the full watermark sees.
func (m *memRows) remove(t time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.times {
		if m.times[i].Equal(t) {
			m.times = append(m.times[:i], m.times[i+1:]...)
			m.values = append(m.values[:i], m.values[i+1:]...)
			return
		}
	}
}

// add inserts a row (late data when its bucket has closed) and moves the watermark.
func (m *memRows) add(t time.Time, v float64) {
	m.mu.Lock()
	m.times, m.values = append(m.times, t), append(m.values, v)
	m.mark++
	m.mu.Unlock()
}

func (m *memRows) askedSince(n int) [][2]time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([][2]time.Time(nil), m.asked[n:]...)
}

var day0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func days(from, n int) []time.Time {
	out := make([]time.Time, n+1)
	for i := range out {
		out[i] = day0.AddDate(0, 0, from+i)
	}
	return out
}

// hourly rows with value = day index + 1 over the first 10 days.
func tenDays() *memRows {
	m := &memRows{}
	for h := 0; h < 240; h++ {
		m.times = append(m.times, day0.Add(time.Duration(h)*time.Hour))
		m.values = append(m.values, float64(h/24+1))
	}
	return m
}

func cached(t *testing.T, c *Cache, m Connector, starts []time.Time, now time.Time) []float64 {
	t.Helper()
	return cachedCtx(t, context.Background(), c, m, starts, now)
}

func cachedCtx(t *testing.T, ctx context.Context, c *Cache, m Connector, starts []time.Time, now time.Time) []float64 {
	t.Helper()
	r := Request{ConnectorQuery: models.ConnectorQuery{Path: "/kpi"}, From: starts[0], To: starts[len(starts)-1], Key: "acme"}
	out, _, err := c.CachedFigures(ctx, m, r, starts, kpi.Sum, nil, CacheKey(r, kpi.Sum, nil, ""), now)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCacheReusesClosedBucketsAndRecomputesTheOpenOne(t *testing.T) {
	m, c := tenDays(), NewCache(time.Minute)
	now := day0.AddDate(0, 0, 6).Add(12 * time.Hour) // day 6 is open
	first := cached(t, c, m, days(0, 7), now)
	want := []float64{24, 48, 72, 96, 120, 144, 7 * 24}
	if !slices.Equal(first, want) {
		t.Fatalf("first load %v, want %v", first, want)
	}
	n := len(m.askedSince(0))
	again := cached(t, c, m, days(0, 7), now)
	if !slices.Equal(again, want) {
		t.Fatalf("repeat load %v, want %v", again, want)
	}
	asked := m.askedSince(n)
	if len(asked) != 1 || !asked[0][0].Equal(day0.AddDate(0, 0, 6)) || !asked[0][1].Equal(day0.AddDate(0, 0, 7)) {
		t.Fatalf("the repeat load asked the connector for %v, want only the open day 6", asked)
	}
	s := c.Stats()
	if s.Hits != 6 || s.Misses != 8 || s.Entries != 1 || s.Buckets != 6 {
		t.Fatalf("stats %+v, want 6 hits, 7+1 misses, 1 entry of 6 buckets", s)
	}
}

func TestCacheLateDataInvalidates(t *testing.T) {
	m, c := tenDays(), NewCache(time.Minute)
	now := day0.AddDate(0, 0, 9)
	before := cached(t, c, m, days(0, 5), now)
	m.add(day0.AddDate(0, 0, 2).Add(time.Hour), 1000) // late into closed day 2
	after := cached(t, c, m, days(0, 5), now)
	if before[2] != 72 || after[2] != 1072 {
		t.Fatalf("day 2: %v before, %v after the late row; want 72 and 1072", before[2], after[2])
	}
	if s := c.Stats(); s.Invalidations != 1 {
		t.Fatalf("stats %+v, want 1 invalidation", s)
	}
	// And the figures then stay cached under the new watermark.
	n := len(m.askedSince(0))
	if again := cached(t, c, m, days(0, 5), now); !slices.Equal(again, after) || len(m.askedSince(n)) != 0 {
		t.Fatalf("after the invalidation: %v (asked %v), want %v from the cache", again, m.askedSince(n), after)
	}
}

// A removed row escapes the quick watermark: the full one finds it, for the
// ledger at once and for every query once per TTL.
func TestCacheFullWatermarkOncePerTTL(t *testing.T) {
	m, c := tenDays(), NewCache(time.Minute)
	now := day0.AddDate(0, 0, 9)
	cached(t, c, m, days(0, 3), now)
	m.remove(day0.Add(time.Hour))
	if got := cached(t, c, m, days(0, 3), now.Add(30*time.Second)); got[0] != 24 {
		t.Fatalf("within the TTL, the quick watermark: day 0 is %v, want the cached 24", got[0])
	}
	if got := cachedCtx(t, Strict(context.Background()), c, m, days(0, 3), now.Add(30*time.Second)); got[0] != 23 {
		t.Fatalf("strict (full watermark): day 0 is %v, want 23", got[0])
	}
	m.remove(day0.Add(2 * time.Hour))
	if got := cached(t, c, m, days(0, 3), now.Add(time.Minute)); got[0] != 23 {
		t.Fatalf("%v", got[0]) // the strict read's full check was at +30 s
	}
	if got := cached(t, c, m, days(0, 3), now.Add(91*time.Second)); got[0] != 22 {
		t.Fatalf("a TTL after the last full check: day 0 is %v, want 22", got[0])
	}
}

func TestCacheComputesOnlyTheBucketsItLacks(t *testing.T) {
	m, c := tenDays(), NewCache(time.Minute)
	now := day0.AddDate(0, 0, 20)
	cached(t, c, m, days(2, 3), now) // days 2–4
	n := len(m.askedSince(0))
	got := cached(t, c, m, days(0, 8), now) // days 0–7
	if want := []float64{24, 48, 72, 96, 120, 144, 168, 192}; !slices.Equal(got, want) {
		t.Fatalf("%v, want %v", got, want)
	}
	// Days 0–7 lack 0–1 and 5–7: one query from the first lacking to the last.
	asked := m.askedSince(n)
	if len(asked) != 1 || !asked[0][0].Equal(day0) || !asked[0][1].Equal(day0.AddDate(0, 0, 8)) {
		t.Fatalf("asked %v", asked)
	}
	n = len(m.askedSince(0))
	cached(t, c, m, days(1, 6), now)
	if asked := m.askedSince(n); len(asked) != 0 {
		t.Fatalf("days 1–6 are all cached, yet the connector was asked %v", asked)
	}
}

func TestCacheWithoutWatermarkUsesTheTTL(t *testing.T) {
	m, c := tenDays(), NewCache(time.Minute)
	m.noMark = true
	now := day0.AddDate(0, 0, 9)
	cached(t, c, m, days(0, 3), now)
	m.add(day0.Add(time.Hour), 1000) // late, but nothing tells the cache
	if got := cached(t, c, m, days(0, 3), now.Add(59*time.Second)); got[0] != 24 {
		t.Fatalf("within the TTL: day 0 is %v, want the cached 24", got[0])
	}
	// The ledger never reads on a TTL alone.
	if got := cachedCtx(t, Strict(context.Background()), c, m, days(0, 3), now.Add(59*time.Second)); got[0] != 1024 {
		t.Fatalf("strict: day 0 is %v, want 1024", got[0])
	}
	if got := cached(t, c, m, days(0, 3), now.Add(time.Minute)); got[0] != 1024 {
		t.Fatalf("once the TTL has passed: day 0 is %v, want 1024", got[0])
	}
	if s := c.Stats(); s.Expired != 1 {
		t.Fatalf("stats %+v, want 1 expired", s)
	}
	// A TTL of 0 reuses nothing without a watermark.
	c0 := NewCache(0)
	cached(t, c0, m, days(0, 3), now)
	if s := c0.Stats(); s.Buckets != 0 {
		t.Fatalf("TTL 0 kept %d buckets", s.Buckets)
	}
}

func TestCacheSharesComputationsInFlight(t *testing.T) {
	m, c := tenDays(), NewCache(time.Minute)
	m.gate = make(chan struct{})
	now := day0.AddDate(0, 0, 9)
	var wg sync.WaitGroup
	results := make([][]float64, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = cached(t, c, m, days(0, 5), now)
		}()
	}
	time.Sleep(50 * time.Millisecond) // let them all arrive
	close(m.gate)
	wg.Wait()
	for _, r := range results {
		if !slices.Equal(r, []float64{24, 48, 72, 96, 120}) {
			t.Fatalf("%v", r)
		}
	}
	if asked := m.askedSince(0); len(asked) != 1 {
		t.Fatalf("8 viewers at once made %d connector queries, want 1", len(asked))
	}
}

func TestCacheKeepsToItsBound(t *testing.T) {
	m, c := tenDays(), NewCache(time.Minute)
	c.MaxBuckets = 10
	now := day0.AddDate(0, 0, 20)
	for _, key := range []string{"a", "b", "c"} {
		r := Request{ConnectorQuery: models.ConnectorQuery{Path: "/kpi"}, Key: key}
		starts := days(0, 5)
		r.From, r.To = starts[0], starts[5]
		if _, _, err := c.CachedFigures(context.Background(), m, r, starts, kpi.Sum, nil, CacheKey(r, kpi.Sum, nil, ""), now); err != nil {
			t.Fatal(err)
		}
	}
	if s := c.Stats(); s.Buckets > 10 || s.Entries != 2 {
		t.Fatalf("stats %+v, want at most 10 buckets in the 2 most recent entries", s)
	}
}

// A SQLite file's watermark is the file itself: a row written into a closed
// bucket shows in the next query, with no watermark column.
func TestCacheSQLiteFileLateRow(t *testing.T) {
	path, writer, conn := sqliteFile(t)
	if _, err := writer.Exec("CREATE TABLE k (t INTEGER, v REAL)"); err != nil {
		t.Fatal(err)
	}
	for h := 0; h < 72; h++ {
		if _, err := writer.Exec("INSERT INTO k VALUES (?, 1)", day0.Add(time.Duration(h)*time.Hour).Unix()); err != nil {
			t.Fatal(err)
		}
	}
	c := NewCache(0) // no TTL: only the watermark keeps buckets
	r := Request{ConnectorQuery: models.ConnectorQuery{RawSQL: "SELECT t AS time, v AS value FROM k WHERE $__timeFilter(t)"}}
	starts := days(0, 3)
	r.From, r.To = starts[0], starts[3]
	key := CacheKey(r, kpi.Count, nil, "")
	get := func() []float64 {
		out, _, err := c.CachedFigures(context.Background(), conn, r, starts, kpi.Count, nil, key, day0.AddDate(0, 0, 5))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	old := time.Now().Add(-time.Hour)
	settled := func() { // as if the last write were an hour ago
		if err := osChtimes(path, old); err != nil {
			t.Fatal(err)
		}
	}
	settled()
	if got := get(); !slices.Equal(got, []float64{24, 24, 24}) {
		t.Fatalf("%v", got)
	}
	get()
	if s := c.Stats(); s.Hits != 3 {
		t.Fatalf("stats %+v: the repeat query should come from the cache", s)
	}
	if _, err := writer.Exec("INSERT INTO k VALUES (?, 1)", day0.Add(30*time.Hour).Unix()); err != nil {
		t.Fatal(err)
	}
	old = old.Add(time.Minute) // a later write, still settled
	settled()
	if got := get(); !slices.Equal(got, []float64{24, 25, 24}) {
		t.Fatalf("after a late row in day 1: %v, want 24 25 24", got)
	}
	// A file written within the last seconds is never trusted.
	if _, err := writer.Exec("INSERT INTO k VALUES (?, 1)", day0.Add(31*time.Hour).Unix()); err != nil {
		t.Fatal(err)
	}
	if got := get(); !slices.Equal(got, []float64{24, 26, 24}) {
		t.Fatalf("right after a write: %v, want 24 26 24", got)
	}
}

// osChtimes sets a file's modification time (and its write-ahead log's, if any).
func osChtimes(path string, t time.Time) error {
	if err := os.Chtimes(path, t, t); err != nil {
		return err
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		return os.Chtimes(path+"-wal", t, t)
	}
	return nil
}
