package compliance

import (
	"math"
	"math/big"
	"math/bits"

	"github.com/covenant/contracts/pkg/models"
)

// Compliance is stated as contracts state it: at the agreement's precision
// (default 2 decimals), rounded half up, before its status and its band are
// decided (docs/figures.md). The unrounded figure stays in the result for the
// ledger.

// exactCompliance is Σ wᵢ·metᵢ/evaluatedᵢ·100 / Σ wᵢ over the trackers with
// data, computed on the counts and the weights as decimals, exactly; false
// when no tracker has data.
func exactCompliance(covered []Covered) (*big.Rat, bool) {
	sum, weights := new(big.Rat), new(big.Rat)
	for _, c := range covered {
		if c.Evaluated() == 0 {
			continue
		}
		w := models.Dec(c.Weight)
		share := big.NewRat(int64(c.Met)*100, int64(c.Evaluated()))
		sum.Add(sum, share.Mul(share, w))
		weights.Add(weights, w)
	}
	if weights.Sign() == 0 {
		return nil, false
	}
	return sum.Quo(sum, weights), true
}

// roundHalfUp rounds x to decimals places, halves away from zero.
func roundHalfUp(x *big.Rat, decimals int) *big.Rat {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals)), nil)
	q := new(big.Rat).Mul(x, new(big.Rat).SetInt(scale))
	neg := q.Sign() < 0
	q.Abs(q)
	q.Add(q, big.NewRat(1, 2))
	n := new(big.Int).Quo(q.Num(), q.Denom()) // floor of a positive rational
	if neg {
		n.Neg(n)
	}
	return new(big.Rat).SetFrac(n, scale)
}

// stated returns a figure at decimals places as a float (the nearest one to
// the decimal); NaN stays NaN.
func stated(x Num, decimals int) Num {
	if x.IsNaN() || math.IsInf(float64(x), 0) {
		return x
	}
	if f, ok := statedFast(x, decimals); ok {
		return f
	}
	f, _ := roundHalfUp(models.Dec(float64(x)), decimals).Float64()
	return Num(f)
}

// statedRat is stated for an exact figure.
func statedRat(x *big.Rat, decimals int) Num {
	f, _ := roundHalfUp(x, decimals).Float64()
	return Num(f)
}

// The same figures without big.Rat where int64 suffices (every figure a
// result states is computed per checkpoint: thousands per query). Each fast
// path computes the very same rational and reports false where an
// intermediate would overflow or a float would not be exact; the callers then
// take the big.Rat path. TestFastDecimalsMatch checks them against it.

// complianceOf is exactCompliance as the result states it: the nearest float
// to the exact figure, and that figure rounded half up at decimals places;
// false when no tracker has data.
func complianceOf(covered []Covered, decimals int) (unrounded, rounded Num, has bool) {
	if u, r, h, ok := fastCompliance(covered, decimals); ok {
		return u, r, h
	}
	exact, ok := exactCompliance(covered)
	if !ok {
		return 0, 0, false
	}
	f, _ := exact.Float64()
	return Num(f), statedRat(exact, decimals), true
}

// fastCompliance is complianceOf in int64: the figure is P/Q with
// P = Σ Wᵢ·100·metᵢ·(L/evaluatedᵢ) and Q = L·Σ Wᵢ, Wᵢ the weights as decimals
// scaled to integers and L the evaluated counts' least common multiple.
func fastCompliance(covered []Covered, decimals int) (unrounded, rounded Num, has, ok bool) {
	if decimals < 0 || decimals > 15 {
		return 0, 0, false, false
	}
	var ws [8]models.Decimal
	weights := ws[:0]
	e := math.MaxInt
	for _, c := range covered {
		if c.Evaluated() == 0 {
			continue
		}
		if c.Met < 0 || c.Evaluated() < 0 {
			return 0, 0, false, false
		}
		if math.IsNaN(c.Weight) || math.IsInf(c.Weight, 0) {
			return 0, 0, false, false
		}
		w := models.DecimalOf(c.Weight)
		if w.M < 0 {
			return 0, 0, false, false
		}
		weights = append(weights, w)
		if w.M != 0 {
			e = min(e, w.E)
		}
	}
	if e == math.MaxInt {
		return 0, 0, false, true // no tracker with data, or every weight 0: no compliance
	}
	var l, sumW int64 = 1, 0
	for _, c := range covered {
		if c.Evaluated() == 0 {
			continue
		}
		n := int64(c.Evaluated())
		g := gcd(l, n)
		if l, ok = mul64(l/g, n); !ok {
			return 0, 0, false, false
		}
	}
	var p int64
	k := 0
	for _, c := range covered {
		if c.Evaluated() == 0 {
			continue
		}
		w := weights[k]
		k++
		if w.M == 0 {
			continue
		}
		wi, _, _, fits := models.Align(w, models.Decimal{E: e})
		if !fits {
			return 0, 0, false, false
		}
		if sumW, ok = add64(sumW, wi); !ok {
			return 0, 0, false, false
		}
		t, ok1 := mul64(wi, 100*int64(c.Met))
		t, ok2 := mul64(t, l/int64(c.Evaluated()))
		if p, ok = add64(p, t); !ok || !ok1 || !ok2 {
			return 0, 0, false, false
		}
	}
	q, fits := mul64(l, sumW)
	const exact = 1 << 53 // every integer up to it is a float64
	if !fits || q > exact || p > exact {
		return 0, 0, false, false
	}
	// Both exact floats: one correctly rounded division is the nearest float to P/Q.
	unrounded = Num(float64(p) / float64(q))
	// Half up: floor((2·P·10^d + Q) / 2Q).
	num, ok1 := mul64(p, 2*pow10[decimals])
	num, ok2 := add64(num, q)
	den, ok3 := mul64(q, 2)
	if !ok1 || !ok2 || !ok3 {
		return 0, 0, false, false
	}
	return unrounded, Num(models.Decimal{M: num / den, E: -decimals}.Float64()), true, true
}

var pow10 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// mul64 and add64 are a·b and a+b for non-negative a and b, false on overflow.
func mul64(a, b int64) (int64, bool) {
	if a < 0 || b < 0 {
		return 0, false
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	return int64(lo), hi == 0 && lo <= math.MaxInt64
}

func add64(a, b int64) (int64, bool) {
	if a < 0 || b < 0 || a > math.MaxInt64-b {
		return 0, false
	}
	return a + b, true
}

// statedFast is stated on int64 decimals, false where it does not fit.
func statedFast(x Num, decimals int) (Num, bool) {
	if decimals < 0 || decimals > 15 {
		return 0, false
	}
	d := models.DecimalOf(float64(x))
	if d.E >= -decimals {
		return Num(d.Float64()), true // already at the precision or coarser: the value is kept
	}
	drop := -decimals - d.E // digits below the precision
	m, neg := d.M, d.M < 0
	if neg {
		m = -m
	}
	var n int64
	if drop <= 18 {
		scale := int64(1)
		for i := 0; i < drop; i++ {
			scale *= 10
		}
		n = m / scale
		if 2*(m%scale) >= scale {
			n++
		}
	} // else m < 10^DecimalDigits ≤ scale/2: rounds to 0
	if neg {
		n = -n
	}
	return Num(models.Decimal{M: n, E: -decimals}.Float64()), true
}
