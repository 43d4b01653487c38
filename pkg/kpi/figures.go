package kpi

import (
	"math"
	"math/big"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// RAG encodings for alerting (SPEC §4).
const (
	Green = 0
	Amber = 1
	Red   = 2
)

// Evaluation is how a tracker judges its buckets.
type Evaluation struct {
	Direction models.Direction
	Target    models.Target
	Tolerance models.Tolerance
	Missing   models.MissingPolicy
}

// Figures are a series' per-bucket figures, one element per bucket; NaN is null.
type Figures struct {
	Start       []time.Time
	End         []time.Time
	Closed      []bool // end <= now; the open bucket is shown but never counted
	Actual      []float64
	Target      []float64
	Variance    []float64
	VariancePct []float64
	Favourable  []float64
	Met         []float64 // 1 met, 0 not met, NaN not evaluated
	RAG         []float64 // Green, Amber, Red, NaN not evaluated
	Consecutive []int64   // closed buckets in a row not met, ending here
}

// Evaluate computes every per-bucket figure from the buckets' actuals.
func Evaluate(starts []time.Time, actual []float64, now time.Time, ev Evaluation) Figures {
	n := len(actual)
	f := Figures{
		Start: starts[:n], End: starts[1 : n+1], Closed: make([]bool, n), Actual: make([]float64, n),
		Target: make([]float64, n), Variance: make([]float64, n), VariancePct: make([]float64, n),
		Favourable: make([]float64, n), Met: make([]float64, n), RAG: make([]float64, n), Consecutive: make([]int64, n),
	}
	streak := int64(0)
	for i := 0; i < n; i++ {
		f.Closed[i] = !f.End[i].After(now)
		a := actual[i]
		if math.IsNaN(a) && ev.Missing == models.MissingZero {
			a = 0
		}
		f.Actual[i] = a
		f.Target[i], f.Variance[i], f.VariancePct[i], f.Favourable[i], f.Met[i], f.RAG[i] = nan, nan, nan, nan, nan, nan
		target, ok := ev.Target.At(f.Start[i])
		if ok {
			f.Target[i] = target
		}
		switch {
		case ok && !math.IsNaN(a) && !math.IsInf(a, 0):
			var fav *big.Rat
			fav, f.Met[i], f.RAG[i] = judge(a, target, ev.Direction, ev.Tolerance)
			f.Favourable[i], _ = fav.Float64()
			f.Variance[i] = f.Favourable[i] * ev.Direction.Sign()
			if target != 0 {
				f.VariancePct[i] = f.Variance[i] / math.Abs(target) * 100
			}
		case ok && ev.Missing == models.MissingMissed:
			f.Met[i], f.RAG[i] = 0, Red
		}
		if f.Closed[i] {
			switch f.Met[i] {
			case 1:
				streak = 0
			case 0:
				streak++
			}
		}
		if f.Met[i] == 1 {
			f.Consecutive[i] = 0
		} else {
			f.Consecutive[i] = streak
		}
	}
	return f
}

var nan = math.NaN()

// judge decides a bucket on decimals as people read them (models.Dec): the
// favourable variance (actual − target, negated when lower is better), met
// (1/0) and the RAG code. Amber is a miss within the tolerance: |variance| ≤
// the tolerance, or ≤ tolerance % of |target|. So 99.3 against 99.5 with a
// tolerance of 0.2 is amber, though 99.3 − 99.5 is −0.20000000000000284 in binary.
func judge(actual, target float64, dir models.Direction, tol models.Tolerance) (fav *big.Rat, met, rag float64) {
	t := models.Dec(target)
	fav = new(big.Rat).Sub(models.Dec(actual), t)
	if dir.Sign() < 0 {
		fav.Neg(fav)
	}
	if fav.Sign() >= 0 {
		return fav, 1, Green
	}
	limit := models.Dec(tol.Value)
	if tol.Percent {
		limit.Mul(limit, t.Abs(t))
		limit.Quo(limit, big.NewRat(100, 1))
	}
	if new(big.Rat).Abs(fav).Cmp(limit) <= 0 {
		return fav, 0, Amber
	}
	return fav, 0, Red
}

// Before returns the figures of the buckets that start before t (a view sharing f's arrays).
func (f Figures) Before(t time.Time) Figures {
	n := len(f.Start)
	for n > 0 && !f.Start[n-1].Before(t) {
		n--
	}
	return Figures{
		Start: f.Start[:n], End: f.End[:n], Closed: f.Closed[:n], Actual: f.Actual[:n], Target: f.Target[:n],
		Variance: f.Variance[:n], VariancePct: f.VariancePct[:n], Favourable: f.Favourable[:n], Met: f.Met[:n],
		RAG: f.RAG[:n], Consecutive: f.Consecutive[:n],
	}
}
