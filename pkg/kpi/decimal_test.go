package kpi

import (
	"math/big"
	"math/rand"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

func judgeOne(actual, target float64, dir models.Direction, tol models.Tolerance) (met, rag float64) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f := Evaluate([]time.Time{start, start.Add(time.Hour)}, []float64{actual}, start.Add(2*time.Hour),
		Evaluation{Direction: dir, Target: models.Target{Constant: &target}, Tolerance: tol})
	return f.Met[0], f.RAG[0]
}

// The review's cases: binary residue made each of them red.
func TestDecimalRAGAtTheToleranceEdge(t *testing.T) {
	for _, c := range []struct {
		name                  string
		actual, target, tol   float64
		percent               bool
		wantRAG, wantVariance float64
	}{
		// The demo's availability: 99.3 − 99.5 = −0.2, |−0.2| ≤ 0.2 → amber (binary: −0.20000000000000284).
		{"demo availability", 99.3, 99.5, 0.2, false, Amber, -0.2},
		// 99.6 − 99.9 = −0.3 ≤ 0.3 → amber.
		{"99.6 against 99.9", 99.6, 99.9, 0.3, false, Amber, -0.3},
		// 2 % of 95 = 1.9; 93.1 − 95 = −1.9 → amber.
		{"2 % of 95", 93.1, 95, 2, true, Amber, -1.9},
		// One step further is red: 93.09 − 95 = −1.91 > 1.9.
		{"just past the tolerance", 93.09, 95, 2, true, Red, -1.91},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			target := c.target
			f := Evaluate([]time.Time{start, start.Add(time.Hour)}, []float64{c.actual}, start.Add(2*time.Hour),
				Evaluation{Direction: models.HigherIsBetter, Target: models.Target{Constant: &target}, Tolerance: models.Tolerance{Value: c.tol, Percent: c.percent}})
			if f.RAG[0] != c.wantRAG || f.Met[0] != 0 || f.Variance[0] != c.wantVariance {
				t.Fatalf("RAG %v met %v variance %v, want RAG %v met 0 variance %v", f.RAG[0], f.Met[0], f.Variance[0], c.wantRAG, c.wantVariance)
			}
		})
	}
}

// decimal is a random number with 1 to 3 decimals: its exact value and the float a user would type.
func decimal(r *rand.Rand, maxUnits int64) (*big.Rat, float64) {
	places := 1 + r.Intn(3)
	scale := int64(1)
	for i := 0; i < places; i++ {
		scale *= 10
	}
	n := r.Int63n(maxUnits * scale)
	exact := big.NewRat(n, scale)
	f, _ := exact.Float64()
	return exact, f
}

// 100,000 targets, tolerances and actuals with 1–3 decimals: met and RAG
// equal an exact rational computation of the same rule.
func TestDecimalRuleRandomized(t *testing.T) {
	r := rand.New(rand.NewSource(13))
	for i := 0; i < 100_000; i++ {
		ta, tf := decimal(r, 200)
		aa, af := decimal(r, 200)
		if r.Intn(3) == 0 { // near the edge: actual = target ± tolerance
			af = tf
			aa = new(big.Rat).Set(ta)
		}
		tola, tolf := decimal(r, 10)
		percent := r.Intn(2) == 0
		dir := models.HigherIsBetter
		if r.Intn(2) == 0 {
			dir = models.LowerIsBetter
		}
		limit := new(big.Rat).Set(tola)
		if percent {
			limit.Mul(limit, new(big.Rat).Abs(ta))
			limit.Quo(limit, big.NewRat(100, 1))
		}
		if r.Intn(2) == 0 { // put the actual exactly on the tolerance's edge
			if dir == models.HigherIsBetter {
				aa = new(big.Rat).Sub(ta, limit)
			} else {
				aa = new(big.Rat).Add(ta, limit)
			}
			if aa.Sign() < 0 || !isShortDecimal(aa) {
				continue
			}
			af, _ = aa.Float64()
		}
		fav := new(big.Rat).Sub(aa, ta)
		if dir == models.LowerIsBetter {
			fav.Neg(fav)
		}
		wantMet, wantRAG := 0.0, float64(Red)
		switch {
		case fav.Sign() >= 0:
			wantMet, wantRAG = 1, Green
		case new(big.Rat).Abs(fav).Cmp(limit) <= 0:
			wantRAG = Amber
		}
		met, rag := judgeOne(af, tf, dir, models.Tolerance{Value: tolf, Percent: percent})
		if met != wantMet || rag != wantRAG {
			t.Fatalf("actual %s target %s tolerance %s (percent %v, %s): met %v RAG %v, want %v %v",
				aa.FloatString(6), ta.FloatString(3), tola.FloatString(3), percent, dir, met, rag, wantMet, wantRAG)
		}
	}
}

// isShortDecimal: at most 8 decimals, as a figure a person types or reads.
func isShortDecimal(x *big.Rat) bool {
	scaled := new(big.Rat).Mul(x, big.NewRat(100_000_000, 1))
	return scaled.IsInt()
}

// The fast path (scaled int64) and exact fractions agree, also where the
// figures are far apart in magnitude and the fast path gives way.
func TestJudgeFastPathMatchesFractions(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	mags := []float64{1e-9, 1e-3, 1, 99.9, 1e6, 1e12, 1e18}
	for i := 0; i < 50_000; i++ {
		a := (r.Float64() - 0.3) * mags[r.Intn(len(mags))]
		tg := (r.Float64() - 0.3) * mags[r.Intn(len(mags))]
		if r.Intn(4) == 0 {
			a = tg + (r.Float64()-0.5)*mags[r.Intn(3)]
		}
		tol := models.Tolerance{Value: r.Float64() * mags[r.Intn(4)], Percent: r.Intn(2) == 0}
		dir := models.HigherIsBetter
		if r.Intn(2) == 0 {
			dir = models.LowerIsBetter
		}
		f1, m1, r1 := judge(a, tg, dir, tol)
		f2, m2, r2 := judgeRat(a, tg, dir, tol)
		if f1 != f2 || m1 != m2 || r1 != r2 {
			t.Fatalf("judge(%v, %v, %s, %+v) = %v %v %v; by fractions %v %v %v", a, tg, dir, tol, f1, m1, r1, f2, m2, r2)
		}
	}
}
