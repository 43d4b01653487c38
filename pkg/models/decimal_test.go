package models

import "testing"

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
