package calendar

import (
	"math"
	"math/rand/v2"
	"os"
	"sync"
	"testing"
	"time"
)

// benchPairs are 1,000,000 (opened, responded) pairs: opened uniformly over
// 2026, answered between a minute and ten days later (log-uniform, so most
// tickets are hours long and some are days).
var benchPairs = sync.OnceValue(func() [][2]time.Time {
	rng := rand.New(rand.NewPCG(7, 11))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	year := int64(365 * 24 * time.Hour)
	lo, hi := math.Log(float64(time.Minute)), math.Log(float64(10*24*time.Hour))
	pairs := make([][2]time.Time, 1_000_000)
	for i := range pairs {
		opened := start.Add(time.Duration(rng.Int64N(year)))
		length := time.Duration(math.Exp(lo + rng.Float64()*(hi-lo)))
		pairs[i] = [2]time.Time{opened, opened.Add(length)}
	}
	return pairs
})

// benchCalendar is Mon–Fri 08:00–18:00 Europe/London with the 2026 bank
// holidays and 100 two-hour maintenance exclusions.
func benchCalendar(b *testing.B) *Calendar {
	f, err := os.Open("testdata/uk-bank-holidays-2026.ics")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	c := officeHours()
	if c.Holidays, err = HolidaysFromICS(f); err != nil {
		b.Fatal(err)
	}
	for i := range 100 {
		from := time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * 87 * time.Hour)
		c.Exclusions = append(c.Exclusions, Exclusion{From: from, To: from.Add(2 * time.Hour), Reason: ReasonMaintenance})
	}
	return c
}

// BenchmarkWorking measures one (opened, responded) pair per op:
//
//	working:  Working on a compiled calendar whose blocks are built;
//	subtract: responded.Sub(opened), the wall-clock duration, for comparison;
//	cold:     Compile and then all 1,000,000 pairs, reported per pair.
func BenchmarkWorking(b *testing.B) {
	pairs := benchPairs()
	c := benchCalendar(b)
	b.Run("working", func(b *testing.B) {
		cc := mustCompile(b, c)
		for _, p := range pairs { // build the blocks
			cc.Working(p[0], p[1])
		}
		b.ReportAllocs()
		var sum time.Duration
		i := 0
		for b.Loop() {
			p := &pairs[i]
			sum += cc.Working(p[0], p[1])
			if i++; i == len(pairs) {
				i = 0
			}
		}
		sink = sum
	})
	b.Run("subtract", func(b *testing.B) {
		b.ReportAllocs()
		var sum time.Duration
		i := 0
		for b.Loop() {
			p := &pairs[i]
			sum += p[1].Sub(p[0])
			if i++; i == len(pairs) {
				i = 0
			}
		}
		sink = sum
	})
	b.Run("cold", func(b *testing.B) {
		b.ReportAllocs()
		var sum time.Duration
		for b.Loop() {
			cc := mustCompile(b, c)
			for _, p := range pairs {
				sum += cc.Working(p[0], p[1])
			}
		}
		sink = sum
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pairs)), "ns/pair")
	})
}

var sink time.Duration
