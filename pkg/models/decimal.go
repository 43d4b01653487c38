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
	if c, ok := DecimalOf(a).Cmp(DecimalOf(b)); ok {
		return c
	}
	return Dec(a).Cmp(Dec(b))
}

// Decimal is a figure read as people read it, held as M × 10^E: the fast
// form of Dec for the comparisons made per bucket (no allocation). Its
// operations report false where an int64 would overflow; callers then use Dec.
type Decimal struct {
	M int64
	E int
}

// DecimalOf reads a finite x as the decimal of its DecimalDigits significant
// digits, without trailing zeros in M.
func DecimalOf(x float64) Decimal {
	var buf [32]byte
	b := strconv.AppendFloat(buf[:0], x, 'e', DecimalDigits-1, 64) // -d.ddddddddddde±dd
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	var m int64
	digits, i := 0, 0
	for ; i < len(b) && b[i] != 'e'; i++ {
		if b[i] != '.' {
			m = m*10 + int64(b[i]-'0')
			digits++
		}
	}
	exp, sign := 0, 1
	for i++; i < len(b); i++ {
		switch c := b[i]; {
		case c == '-':
			sign = -1
		case c >= '0' && c <= '9':
			exp = exp*10 + int(c-'0')
		}
	}
	d := Decimal{M: m, E: sign*exp - (digits - 1)}
	for d.M != 0 && d.M%10 == 0 {
		d.M /= 10
		d.E++
	}
	if d.M == 0 {
		d.E = 0
	}
	if neg {
		d.M = -d.M
	}
	return d
}

// mul10 is m × 10^k, or false on overflow.
func mul10(m int64, k int) (int64, bool) {
	for ; k > 0; k-- {
		if m > math.MaxInt64/10 || m < -math.MaxInt64/10 {
			return 0, false
		}
		m *= 10
	}
	return m, true
}

// Align returns a and b scaled to the smaller exponent, or false on overflow.
func Align(a, b Decimal) (x, y int64, e int, ok bool) {
	e = min(a.E, b.E)
	if x, ok = mul10(a.M, a.E-e); !ok {
		return 0, 0, 0, false
	}
	y, ok = mul10(b.M, b.E-e)
	return x, y, e, ok
}

// Sub is a − b, or false on overflow.
func (a Decimal) Sub(b Decimal) (Decimal, bool) {
	x, y, e, ok := Align(a, b)
	if !ok || (y > 0 && x < math.MinInt64+y) || (y < 0 && x > math.MaxInt64+y) {
		return Decimal{}, false
	}
	return Decimal{M: x - y, E: e}, true
}

// Mul is a × b, or false on overflow.
func (a Decimal) Mul(b Decimal) (Decimal, bool) {
	if a.M == 0 || b.M == 0 {
		return Decimal{}, true
	}
	p := a.M * b.M
	if p/b.M != a.M || (a.M == -1 && b.M == math.MinInt64) || (b.M == -1 && a.M == math.MinInt64) {
		return Decimal{}, false
	}
	return Decimal{M: p, E: a.E + b.E}, true
}

// Cmp compares a and b: -1, 0 or +1, or false on overflow.
func (a Decimal) Cmp(b Decimal) (int, bool) {
	x, y, _, ok := Align(a, b)
	switch {
	case !ok:
		return 0, false
	case x < y:
		return -1, true
	case x > y:
		return 1, true
	}
	return 0, true
}

// Abs is |a|.
func (a Decimal) Abs() Decimal {
	if a.M < 0 {
		a.M = -a.M
	}
	return a
}

// Float64 is the float nearest to a.
func (a Decimal) Float64() float64 {
	const exact = 1 << 53 // every integer below it is a float64
	if a.M > -exact && a.M < exact && a.E >= -22 && a.E <= 22 {
		// Both operands are exact floats, so one correctly rounded operation gives the nearest.
		if a.E >= 0 {
			return float64(a.M) * math.Pow10(a.E)
		}
		return float64(a.M) / math.Pow10(-a.E)
	}
	r := new(big.Rat).SetInt64(a.M)
	p := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(a.E))), nil))
	if a.E >= 0 {
		r.Mul(r, p)
	} else {
		r.Quo(r, p)
	}
	f, _ := r.Float64()
	return f
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
