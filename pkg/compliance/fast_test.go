package compliance

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// TestFastDecimalsMatch: the int64 paths give exactly the big.Rat figures.
func TestFastDecimalsMatch(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 19))
	weights := []float64{0, 1, 2, 3, 0.5, 0.1, 0.3, 1.25, 7, 100, 1e-7, 33.333, 0.07, 1e6}
	checked := 0
	for n := 0; n < 100_000; n++ {
		covered := make([]Covered, 1+r.IntN(6))
		for i := range covered {
			ev := r.IntN(120)
			if r.IntN(10) == 0 {
				ev = r.IntN(5_000_000)
			}
			met := 0
			if ev > 0 {
				met = r.IntN(ev + 1)
			}
			covered[i] = Covered{Weight: weights[r.IntN(len(weights))], Counts: Counts{Met: met, Missed: ev - met}}
		}
		decimals := r.IntN(7)
		exact, wantHas := exactCompliance(covered)
		u, rd, has, ok := fastCompliance(covered, decimals)
		if !ok {
			continue
		}
		checked++
		if has != wantHas {
			t.Fatalf("%+v: has %v, want %v", covered, has, wantHas)
		}
		if !has {
			continue
		}
		wu, _ := exact.Float64()
		if wr := statedRat(exact, decimals); float64(u) != wu || rd != wr {
			t.Fatalf("%+v at %d: %v %v, want %v %v", covered, decimals, u, rd, wu, wr)
		}
	}
	if checked < 50_000 {
		t.Fatalf("the fast path took only %d of 100,000", checked)
	}
	for n := 0; n < 100_000; n++ {
		x := r.Float64() * 100
		switch n % 4 {
		case 1:
			x = math.Round(x*1000) / 1000 // halves at the precision
		case 2:
			x = -x
		case 3:
			x = float64(r.IntN(20000)) / 200
		}
		decimals := r.IntN(7)
		f, ok := statedFast(Num(x), decimals)
		want, _ := roundHalfUp(models.Dec(x), decimals).Float64()
		if !ok || float64(f) != want || math.Signbit(float64(f)) != math.Signbit(want) {
			t.Fatalf("stated(%v, %d) = %v (%v), want %v", x, decimals, f, ok, want)
		}
	}
}

// TestTimesliceCursorMatches: counting a period's buckets at many times
// (TimesliceCursor), or at one time without copying the figures
// (TimesliceCountsAt), gives what counting the figures as they stood gives.
func TestTimesliceCursorMatches(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for n := 0; n < 300; n++ {
		nb := 1 + r.IntN(120)
		f := kpi.Figures{}
		for i := 0; i < nb; i++ {
			s := start.Add(time.Duration(i) * 24 * time.Hour)
			f.Start, f.End = append(f.Start, s), append(f.End, s.Add(24*time.Hour))
			f.Closed = append(f.Closed, r.IntN(8) != 0)
			m := []float64{0, 1, 1, 1, math.NaN()}[r.IntN(5)]
			if !f.Closed[i] {
				m = math.NaN()
			}
			f.Met = append(f.Met, m)
		}
		if n%2 == 0 {
			for i := 0; i < nb; i++ {
				f.Working = append(f.Working, time.Duration(r.IntN(3))*time.Hour)
			}
		}
		if n%7 == 0 && nb > 2 { // ends out of order: counted from scratch
			f.End[1], f.End[2] = f.End[2], f.End[1]
		}
		p := Period{Start: start.Add(time.Duration(r.IntN(20)) * 24 * time.Hour), End: start.Add(time.Duration(30+r.IntN(100)) * 24 * time.Hour)}
		window := r.IntN(9)
		if n%5 == 0 {
			window = 17 + r.IntN(10) // longer than recentUnits keeps inline
		}
		c := NewTimesliceCursor(f, p, window)
		for k := 0; k < 40; k++ {
			at := start.Add(time.Duration(r.IntN(150*24)) * time.Hour)
			g := f
			g.Closed = make([]bool, nb)
			for i := range g.Closed {
				g.Closed[i] = f.Closed[i] && !f.End[i].After(at)
			}
			want, got := referenceTimesliceCounts(g, p, window), c.At(at)
			if plain := TimesliceCounts(g, p, window); plain != want && !(math.IsNaN(plain.RecentRate) && math.IsNaN(want.RecentRate)) {
				t.Fatalf("case %d at %s: TimesliceCounts %+v, want %+v", n, at, plain, want)
			}
			if direct := TimesliceCountsAt(f, p, window, at); direct.Met != want.Met || direct.Missed != want.Missed || direct.Remaining != want.Remaining ||
				direct.Consecutive != want.Consecutive || !(direct.RecentRate == want.RecentRate || math.IsNaN(direct.RecentRate) && math.IsNaN(want.RecentRate)) {
				t.Fatalf("case %d at %s: counted directly %+v, want %+v", n, at, direct, want)
			}
			if got.Met != want.Met || got.Missed != want.Missed || got.Remaining != want.Remaining || got.Consecutive != want.Consecutive ||
				got.Mode != want.Mode || !(got.RecentRate == want.RecentRate || math.IsNaN(got.RecentRate) && math.IsNaN(want.RecentRate)) {
				t.Fatalf("case %d at %s: %+v, want %+v", n, at, got, want)
			}
		}
	}
}

// referenceTimesliceCounts is TimesliceCounts as it was first written (every
// evaluated unit kept, rateOf over them): the oracle of the faster counts.
func referenceTimesliceCounts(f kpi.Figures, p Period, window int) Counts {
	c := Counts{Mode: Timeslice, RecentRate: math.NaN()}
	var recent []float64
	for i := range f.Start {
		if !CountsIn(f.Start[i], p) || f.Idle(i) {
			continue
		}
		if !f.Closed[i] {
			c.Remaining++
			continue
		}
		met := f.Met[i]
		if math.IsNaN(met) {
			continue
		}
		if met == 1 {
			c.Met++
			c.Consecutive = 0
		} else {
			c.Missed++
			c.Consecutive++
		}
		recent = append(recent, met)
	}
	c.RecentRate = rateOf(recent, window)
	return c
}
