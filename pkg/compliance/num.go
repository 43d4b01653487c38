package compliance

import (
	"encoding/json"
	"math"
	"strconv"
)

// Num is a figure that may be missing: NaN, written as null in JSON.
type Num float64

func nan() Num { return Num(math.NaN()) }

// IsNaN reports whether the figure is missing.
func (n Num) IsNaN() bool { return math.IsNaN(float64(n)) }

// MarshalJSON writes null for a missing figure.
func (n Num) MarshalJSON() ([]byte, error) {
	if n.IsNaN() || math.IsInf(float64(n), 0) {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatFloat(float64(n), 'g', -1, 64)), nil
}

// UnmarshalJSON reads null as a missing figure.
func (n *Num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = nan()
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*n = Num(f)
	return nil
}
