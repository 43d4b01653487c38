package kpi

import (
	"math"
	"math/big"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// RAG encodings for alerting (docs/figures.md).
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
	// Working is the business time of [from, to) under the tracker's service
	// calendar; a bucket with none is not evaluated (docs/figures.md,
	// "Trackers on a service calendar"). Nil: every bucket counts.
	Working func(from, to time.Time) time.Duration
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
	Met         []float64 // closed buckets: 1 met, 0 not met, NaN not evaluated (and NaN for buckets not closed)
	RAG         []float64 // closed buckets: Green, Amber, Red, NaN not evaluated (and NaN for buckets not closed)
	// MetProvisional and RAGProvisional judge the buckets not closed yet (the open
	// bucket) on the data they have so far; NaN for closed buckets, and for an open
	// bucket without data (it is never missed or red for lack of data).
	MetProvisional []float64
	RAGProvisional []float64
	// Consecutive is how many closed buckets in a row were not met, ending at this one
	// (0 when it is met); a bucket not closed carries the run of the closed ones before it.
	Consecutive []int64
	// Working is each bucket's business time under the tracker's service
	// calendar; nil without a calendar. A bucket with none is not evaluated:
	// its Met, RAG and provisional figures are NaN whatever its data, and it
	// neither breaks nor extends a run of misses.
	Working []time.Duration
}

// Idle reports whether bucket i has no working time under the tracker's
// service calendar, and so is not evaluated.
func (f Figures) Idle(i int) bool { return f.Working != nil && f.Working[i] <= 0 }

// Evaluate computes every per-bucket figure from the buckets' actuals.
//
// Only closed buckets are judged in Met and RAG (what alert rules and compliance
// read); a bucket not closed yet is provisional: its figures so far go to
// MetProvisional and RAGProvisional, and a missing-data policy does not apply to
// it (an open bucket without rows has no data yet, not missing data).
func Evaluate(starts []time.Time, actual []float64, now time.Time, ev Evaluation) Figures {
	n := len(actual)
	f := Figures{
		Start: starts[:n], End: starts[1 : n+1], Closed: make([]bool, n), Actual: make([]float64, n),
		Target: make([]float64, n), Variance: make([]float64, n), VariancePct: make([]float64, n),
		Favourable: make([]float64, n), Met: make([]float64, n), RAG: make([]float64, n),
		MetProvisional: make([]float64, n), RAGProvisional: make([]float64, n), Consecutive: make([]int64, n),
	}
	if ev.Working != nil {
		f.Working = make([]time.Duration, n)
	}
	streak := int64(0)
	for i := 0; i < n; i++ {
		closed := !f.End[i].After(now)
		f.Closed[i] = closed
		idle := false
		if ev.Working != nil {
			f.Working[i] = ev.Working(f.Start[i], f.End[i])
			idle = f.Working[i] <= 0
		}
		a := actual[i]
		if math.IsNaN(a) && ev.Missing == models.MissingZero && closed && !idle {
			a = 0
		}
		f.Actual[i] = a
		f.Target[i], f.Variance[i], f.VariancePct[i], f.Favourable[i] = nan, nan, nan, nan
		f.Met[i], f.RAG[i], f.MetProvisional[i], f.RAGProvisional[i] = nan, nan, nan, nan
		met, rag := nan, nan
		target, ok := ev.Target.At(f.Start[i])
		if ok {
			f.Target[i] = target
		}
		switch {
		case ok && !math.IsNaN(a) && !math.IsInf(a, 0):
			f.Favourable[i], met, rag = judge(a, target, ev.Direction, ev.Tolerance)
			f.Variance[i] = f.Favourable[i] * ev.Direction.Sign()
			if target != 0 {
				f.VariancePct[i] = f.Variance[i] / math.Abs(target) * 100
			}
		case ok && ev.Missing == models.MissingMissed && closed && !idle:
			met, rag = 0, Red
		}
		if idle {
			// No working time: shown, not judged, and the run carries over it.
			met, rag = nan, nan
		}
		if !closed {
			// Provisional: judged on the data so far, never counted in the run.
			f.MetProvisional[i], f.RAGProvisional[i] = met, rag
			f.Consecutive[i] = streak
			continue
		}
		f.Met[i], f.RAG[i] = met, rag
		switch met {
		case 1:
			streak = 0
		case 0:
			streak++
		}
		f.Consecutive[i] = streak
	}
	return f
}

var nan = math.NaN()

// judge decides a bucket on decimals as people read them (models.Dec): the
// favourable variance (actual − target, negated when lower is better), met
// (1/0) and the RAG code. Amber is a miss within the tolerance: |variance| ≤
// the tolerance, or ≤ tolerance % of |target|. So 99.3 against 99.5 with a
// tolerance of 0.2 is amber, though 99.3 − 99.5 is −0.20000000000000284 in
// binary. The decimals are held as scaled integers (models.Decimal); where
// those would overflow, exact fractions decide (judgeRat).
func judge(actual, target float64, dir models.Direction, tol models.Tolerance) (fav, met, rag float64) {
	t := models.DecimalOf(target)
	v, ok := models.DecimalOf(actual).Sub(t)
	if !ok {
		return judgeRat(actual, target, dir, tol)
	}
	if dir.Sign() < 0 {
		v.M = -v.M
	}
	if v.M >= 0 {
		return v.Float64(), 1, Green
	}
	// Amber when |v| ≤ tolerance, or 100·|v| ≤ tolerance·|target|.
	left, right := v.Abs(), models.DecimalOf(tol.Value)
	if tol.Percent {
		left, ok = left.Mul(models.Decimal{M: 100})
		if ok {
			right, ok = right.Mul(t.Abs())
		}
	}
	c, cmpOK := left.Cmp(right)
	if !ok || !cmpOK {
		return judgeRat(actual, target, dir, tol)
	}
	if c <= 0 {
		return v.Float64(), 0, Amber
	}
	return v.Float64(), 0, Red
}

// judgeRat is judge on exact fractions, for figures too long for int64.
func judgeRat(actual, target float64, dir models.Direction, tol models.Tolerance) (fav, met, rag float64) {
	t := models.Dec(target)
	v := new(big.Rat).Sub(models.Dec(actual), t)
	if dir.Sign() < 0 {
		v.Neg(v)
	}
	fav, _ = v.Float64()
	if v.Sign() >= 0 {
		return fav, 1, Green
	}
	limit := models.Dec(tol.Value)
	if tol.Percent {
		limit.Mul(limit, t.Abs(t))
		limit.Quo(limit, big.NewRat(100, 1))
	}
	if new(big.Rat).Abs(v).Cmp(limit) <= 0 {
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
	return f.slice(0, n)
}

// From returns the figures of the buckets from index i on (a view sharing f's arrays).
func (f Figures) From(i int) Figures { return f.slice(i, len(f.Start)) }

func (f Figures) slice(lo, hi int) Figures {
	var working []time.Duration
	if f.Working != nil {
		working = f.Working[lo:hi]
	}
	return Figures{Working: working,
		Start: f.Start[lo:hi], End: f.End[lo:hi], Closed: f.Closed[lo:hi], Actual: f.Actual[lo:hi], Target: f.Target[lo:hi],
		Variance: f.Variance[lo:hi], VariancePct: f.VariancePct[lo:hi], Favourable: f.Favourable[lo:hi], Met: f.Met[lo:hi],
		RAG: f.RAG[lo:hi], MetProvisional: f.MetProvisional[lo:hi], RAGProvisional: f.RAGProvisional[lo:hi],
		Consecutive: f.Consecutive[lo:hi],
	}
}
