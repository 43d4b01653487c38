package compliance

import (
	"math"
	"math/big"

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
	f, _ := roundHalfUp(models.Dec(float64(x)), decimals).Float64()
	return Num(f)
}

// statedRat is stated for an exact figure.
func statedRat(x *big.Rat, decimals int) Num {
	f, _ := roundHalfUp(x, decimals).Float64()
	return Num(f)
}
