package models

import (
	"math/big"
	"testing"
)

func TestCmpDecReadsFiguresAsDecimals(t *testing.T) {
	for _, c := range []struct {
		a, b float64
		want int
	}{
		{99.3 - 99.5, -0.2, 0}, // binary: -0.20000000000000284
		{0.1 + 0.2, 0.3, 0},    // binary: 0.30000000000000004
		{94.99999999999999, 95, 0},
		{94.99, 95, -1},
		{1e-13, 0, 1}, // 12 significant digits of a tiny number are still not zero
		{-3, -2, -1},
	} {
		if got := CmpDec(c.a, c.b); got != c.want {
			t.Errorf("CmpDec(%v, %v) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// DecimalOf agrees with Dec on every figure of a sample, and its operations
// with big.Rat's where they do not overflow.
func TestDecimalOfMatchesDec(t *testing.T) {
	xs := []float64{0, 1, -1, 0.1, 0.2, 0.3, 99.3, 99.3 - 99.5, 0.1 + 0.2, 94.99999999999999, 1e-13, 123456.789012345, -7.25e-9, 1e15, 3.4e38, 5e-324, 99.89833333333333}
	for _, a := range xs {
		da := DecimalOf(a)
		want := Dec(a)
		got := new(big.Rat).SetFrac(big.NewInt(da.M), big.NewInt(1))
		if da.E >= 0 {
			got.Mul(got, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(da.E)), nil)))
		} else {
			got.Quo(got, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-da.E)), nil)))
		}
		if got.Cmp(want) != 0 {
			t.Errorf("DecimalOf(%v) = %v, Dec = %v", a, got.RatString(), want.RatString())
		}
		for _, b := range xs {
			db := DecimalOf(b)
			if c, ok := da.Cmp(db); ok && c != Dec(a).Cmp(Dec(b)) {
				t.Errorf("Cmp(%v, %v) = %d", a, b, c)
			}
			if d, ok := da.Sub(db); ok {
				if f := d.Float64(); f != ratFloat(new(big.Rat).Sub(Dec(a), Dec(b))) {
					t.Errorf("Sub(%v, %v) = %v", a, b, f)
				}
			}
		}
	}
}

func ratFloat(r *big.Rat) float64 { f, _ := r.Float64(); return f }
