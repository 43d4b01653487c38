package compliance

import (
	"math/big"
	"math/rand"
	"strings"
	"testing"

	"github.com/covenant/contracts/pkg/models"
)

func closedPeriod() (Period, Counts) {
	return Period{Start: utc(2026, 1, 1), End: utc(2026, 2, 1)}, Counts{Mode: Timeslice}
}

// The review's case: weights 0.1 and 0.2, both trackers at 19/20 = 95 %,
// target 95, bands [92, 95) → −3000 and [95, 99) → −1000. By hand:
// (0.1·95 + 0.2·95) / 0.3 = 95 → compliant, −1000. In binary the weighted
// mean is 94.999999999999986: breached, −3000.
func TestDecimalWeightsLandOnTheBandEdge(t *testing.T) {
	p, _ := closedPeriod()
	g := agreement(95)
	g.Bands = []models.Band{{From: 92, To: 95, Amount: -3000}, {From: 95, To: 99, Amount: -1000}, {From: 99, To: 100, Amount: 0}}
	c := Counts{Mode: Timeslice, Met: 19, Missed: 1}
	r := Evaluate(g, p, utc(2026, 2, 5), []Covered{covered(0.1, c), covered(0.2, c)}, 0)
	if float64(r.Compliance) != 95 || r.Status != Compliant || float64(r.PenaltyReward) != -1000 {
		t.Fatalf("compliance %v status %s penalty %v, want 95 compliant -1000", r.Compliance, r.Status, r.PenaltyReward)
	}
}

// Bands written as contracts write them: 92–94.99 → −3000, 95–98.99 → −1000,
// 99–100 → 0 are contiguous at 2 decimals; each edge falls in its own band.
func TestContractStyleBands(t *testing.T) {
	g := agreement(95, models.AgreementTracker{AssignmentID: "a", Weight: 1})
	g.Period = models.ReviewPeriod{Kind: "month"}
	g.Bands = []models.Band{{From: 95, To: 98.99, Amount: -1000}, {From: 92, To: 94.99, Amount: -3000}, {From: 99, To: 100, Amount: 0}}
	if err := g.Validate(); err != nil {
		t.Fatalf("contract-style bands refused: %v", err)
	}
	for _, c := range []struct{ compliance, want float64 }{{92, -3000}, {94.99, -3000}, {95, -1000}, {98.99, -1000}, {99, 0}, {100, 0}} {
		if _, amount, ok := bandFor(g, c.compliance, 0); !ok || amount != c.want {
			t.Errorf("%v %%: band amount %v (found %v), want %v", c.compliance, amount, ok, c.want)
		}
	}
	// 94.995 cannot be stated at 2 decimals: it rounds half up to 95.00.
	if got := stated(94.995, 2); float64(got) != 95 {
		t.Errorf("94.995 stated at 2 decimals: %v, want 95", got)
	}
	// A real gap still gets an error naming the field.
	g.Bands = []models.Band{{From: 92, To: 94.98, Amount: -3000}, {From: 95, To: 100, Amount: 0}}
	if err := g.Validate(); err == nil || !strings.Contains(err.Error(), "bands[1].from") || !strings.Contains(err.Error(), "gap") {
		t.Fatalf("a gap of 0.02: %v", err)
	}
	// At 1 decimal, 94.9 then 95 meets; 94.99 then 95 overlaps nothing but is not a step of 0.1.
	one := 1
	g.Precision = &one
	g.Bands = []models.Band{{From: 92, To: 94.9, Amount: -3000}, {From: 95, To: 100, Amount: 0}}
	if err := g.Validate(); err != nil {
		t.Fatalf("bands at 1 decimal: %v", err)
	}
	g.Bands = []models.Band{{From: 92, To: 96, Amount: -3000}, {From: 95, To: 100, Amount: 0}}
	if err := g.Validate(); err == nil || !strings.Contains(err.Error(), "overlap") {
		t.Fatalf("overlapping bands: %v", err)
	}
}

func TestComplianceRoundsHalfUpAtThePrecision(t *testing.T) {
	p, _ := closedPeriod()
	// 2 of 3 met = 66.666…: 66.67 at 2 decimals, 67 at 0, the unrounded figure kept.
	c := Counts{Mode: Timeslice, Met: 2, Missed: 1}
	for _, tc := range []struct {
		precision int
		want      float64
	}{{2, 66.67}, {0, 67}, {4, 66.6667}} {
		g := agreement(90)
		g.Precision = &tc.precision
		r := Evaluate(g, p, utc(2026, 2, 5), []Covered{covered(1, c)}, 0)
		if float64(r.Compliance) != tc.want || !near(float64(r.ComplianceUnrounded), 200.0/3) {
			t.Errorf("precision %d: %v (unrounded %v), want %v", tc.precision, r.Compliance, r.ComplianceUnrounded, tc.want)
		}
	}
	// 7 of 8 = 87.5 exactly: a half rounds up at 0 decimals.
	zero := 0
	g := agreement(88)
	g.Precision = &zero
	r := Evaluate(g, p, utc(2026, 2, 5), []Covered{covered(1, Counts{Mode: Timeslice, Met: 7, Missed: 1})}, 0)
	if float64(r.Compliance) != 88 || r.Status != Compliant {
		t.Errorf("87.5 at 0 decimals: %v %s, want 88 compliant", r.Compliance, r.Status)
	}
}

// 100,000 agreements of two trackers with weights of 1–2 decimals, targets
// and band edges of 0–2 decimals: the stated compliance, the status of the
// closed period and the band equal an exact rational computation.
func TestDecimalComplianceRandomized(t *testing.T) {
	r := rand.New(rand.NewSource(13))
	p, _ := closedPeriod()
	weight := func() (*big.Rat, float64) {
		scale := int64(10)
		if r.Intn(2) == 0 {
			scale = 100
		}
		n := 1 + r.Int63n(3*scale)
		x := big.NewRat(n, scale)
		f, _ := x.Float64()
		return x, f
	}
	edge := func() float64 { return float64(8000+r.Intn(2000)) / 100 } // 80.00–99.99
	for i := 0; i < 100_000; i++ {
		w1r, w1 := weight()
		w2r, w2 := weight()
		e1, e2 := 1+r.Intn(40), 1+r.Intn(40)
		m1, m2 := r.Intn(e1+1), r.Intn(e2+1)
		lo, hi := edge(), edge()
		if lo > hi {
			lo, hi = hi, lo
		}
		if lo == hi {
			continue
		}
		g := agreement(hi)
		g.Bands = []models.Band{{From: 0, To: lo, Amount: -3}, {From: lo, To: hi, Amount: -2}, {From: hi, To: 100, Amount: -1}}
		res := Evaluate(g, p, utc(2026, 2, 5), []Covered{
			covered(w1, Counts{Mode: Timeslice, Met: m1, Missed: e1 - m1}),
			covered(w2, Counts{Mode: Timeslice, Met: m2, Missed: e2 - m2}),
		}, 0)
		// By rationals: Σ w·met/n·100 / Σ w, rounded half up at 2 decimals.
		sum := new(big.Rat).Mul(w1r, big.NewRat(int64(m1)*100, int64(e1)))
		sum.Add(sum, new(big.Rat).Mul(w2r, big.NewRat(int64(m2)*100, int64(e2))))
		exact := sum.Quo(sum, new(big.Rat).Add(w1r, w2r))
		want := roundHalfUp(exact, 2)
		wantStatus, wantBand := Breached, -3.0
		if want.Cmp(models.Dec(hi)) >= 0 {
			wantStatus = Compliant
		}
		switch {
		case want.Cmp(models.Dec(hi)) >= 0:
			wantBand = -1
		case want.Cmp(models.Dec(lo)) >= 0:
			wantBand = -2
		}
		wf, _ := want.Float64()
		if float64(res.Compliance) != wf || res.Status != wantStatus || float64(res.PenaltyReward) != wantBand {
			t.Fatalf("weights %v %v, %d/%d and %d/%d, edges %v %v: compliance %v %s band %v, want %v %s %v",
				w1, w2, m1, e1, m2, e2, lo, hi, res.Compliance, res.Status, res.PenaltyReward, wf, wantStatus, wantBand)
		}
	}
}
