package models

import (
	"math"
	"math/big"
	"strconv"
)

// Figures are computed in binary floating point, but every decision that a
// person could check by hand — met or missed, Red/Amber/Green, a status, a
// penalty band — is made on decimals as people read them (docs/figures.md):
// a figure is taken as the decimal of its 12 significant digits, which
// drops the residue binary arithmetic leaves in the 15th–17th digit
// (99.3 − 99.5 is −0.20000000000000284 in binary, −0.2 here), and decimals
// are compared exactly.

// DecimalDigits is how many significant digits a figure keeps when it is
// read as a decimal.
const DecimalDigits = 12

// Dec returns x as an exact decimal (x must be finite).
func Dec(x float64) *big.Rat {
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(x, 'g', DecimalDigits, 64))
	if !ok { // cannot happen for a finite x
		return new(big.Rat).SetFloat64(x)
	}
	return r
}

// CmpDec compares a and b as decimals: -1, 0 or +1. NaN compares as 0 with
// nothing: callers test for missing figures first.
func CmpDec(a, b float64) int {
	if math.IsNaN(a) || math.IsNaN(b) {
		return 0
	}
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		switch {
		case a < b:
			return -1
		case a > b:
			return 1
		}
		return 0
	}
	return Dec(a).Cmp(Dec(b))
}
