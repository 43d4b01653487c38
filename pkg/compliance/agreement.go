package compliance

import (
	"math"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// Statuses of an agreement in a period (see status for how one is chosen).
const (
	// Compliant: the compliance meets the target, and so does the projection.
	Compliant = "compliant"
	// AtRisk: the projected end-of-period compliance (or the current one) is
	// below target, but the target can still be reached.
	AtRisk = "at_risk"
	// Breached: the target cannot be reached whatever happens in the rest of
	// the period, or the period ended below it.
	Breached = "breached"
	// NoData: no covered tracker has an evaluated unit (yet, or at all in a
	// closed period: requests still in progress are not evaluated).
	NoData = "no_data"
)

// StatusCode encodes a status for alert rules: compliant 0, at_risk 1, breached 2, no_data -1.
func StatusCode(s string) float64 {
	switch s {
	case Compliant:
		return 0
	case AtRisk:
		return 1
	case Breached:
		return 2
	}
	return -1
}

// Covered is one tracker an agreement covers, with its weight and counts in the period.
type Covered struct {
	AssignmentID string  `json:"assignmentId"`
	TrackerID    string  `json:"trackerId"`
	Name         string  `json:"name"`
	Weight       float64 `json:"weight"`
	Counts
	// Compliance, Projected and Best are percentages; NaN (null in JSON) without data.
	Compliance Num `json:"compliance"`
	Projected  Num `json:"projected"`
	Best       Num `json:"best"`
}

// Result is an agreement's evaluation in one period as of a time: every figure
// of docs/figures.md, and what the ledger freezes when the period closes.
type Result struct {
	AgreementID string    `json:"agreementId"`
	ContractID  string    `json:"contractId"`
	Period      Period    `json:"period"`
	AsOf        time.Time `json:"asOf"`
	// Closed: the period has ended and so has every bucket that counts in it
	// (a bucket that starts inside the period may end after it).
	Closed   bool      `json:"closed"`
	Target   float64   `json:"target"`
	Trackers []Covered `json:"trackers"`
	// Compliance is the weighted compliance of the trackers with data, stated
	// at the agreement's precision (rounded half up); ComplianceUnrounded is
	// the same figure before rounding.
	Compliance          Num `json:"compliance"`
	ComplianceUnrounded Num `json:"complianceUnrounded"`
	// Precision is the number of decimals compliance is stated at.
	Precision int `json:"precision"`
	Projected Num `json:"projected"`
	// Best is the highest compliance the period can still end at: every
	// remaining bucket met, and for occurrence trackers while the period is
	// open 100 % (enough met requests bring a tracker as close to it as one
	// likes; bestIsLimit says when it is approached but never reached).
	Best   Num    `json:"best"`
	Status string `json:"status"`
	// RequiredRunRate is the share (%) of the remaining units that must be met to
	// end at the target: 0 when it is secured, above 100 when it cannot be
	// reached, null when nothing remains.
	RequiredRunRate Num `json:"requiredRunRate"`
	// AtRiskRequests are open requests already past their goal (occurrence trackers).
	AtRiskRequests int     `json:"atRiskRequests"`
	Missed         int     `json:"missed"`
	ImpactCost     float64 `json:"impactCost"`
	// PenaltyReward is the band's amount for the final compliance (negative: a
	// penalty), or for the projection while the period is open.
	PenaltyReward Num     `json:"penaltyReward"`
	Band          *int    `json:"band,omitempty"`
	Milestones    []Fired `json:"milestones,omitempty"`
	// bestIsLimit: Best counts an occurrence tracker that already has a miss
	// (resolved, or a request past its goal) at 100 %, which it can approach
	// but no longer reach.
	bestIsLimit bool
}

// Evaluate combines the covered trackers' counts into the agreement's figures.
// contractValue prices bands given as a percentage of the contract's value.
func Evaluate(g *models.Agreement, p Period, now time.Time, covered []Covered, contractValue float64) Result {
	r := Result{AgreementID: g.ID, ContractID: g.ContractID, Period: p, AsOf: now, Closed: p.Closed(now) && !bucketsToClose(covered),
		Target: g.ComplianceTarget, Precision: g.Decimals(), Trackers: make([]Covered, 0, len(covered))}
	var sw, sp float64
	var bw, sb float64             // for the best case
	var needW, haveW, remW float64 // for the required run-rate
	for _, c := range covered {
		// Open requests past their goal will be misses: they count in the period's total.
		atRisk := math.Max(float64(c.AtRisk), 0)
		n := float64(c.Evaluated()) + atRisk + c.Remaining
		c.Compliance, c.Projected, c.Best = nan(), nan(), nan()
		if c.Evaluated() > 0 {
			c.Compliance = Num(float64(c.Met) / float64(c.Evaluated()) * 100)
		}
		if n > 0 {
			rate := c.RecentRate
			if math.IsNaN(rate) {
				rate = 1 // nothing evaluated yet: no evidence of misses
			}
			c.Projected = Num((float64(c.Met) + c.Remaining*rate) / n * 100)
			c.Best = Num((float64(c.Met) + c.Remaining) / n * 100)
			sw += c.Weight
			sp += c.Weight * float64(c.Projected)
			needW += c.Weight * float64(c.Met) / n
			remW += c.Weight * c.Remaining / n
			haveW += c.Weight
		}
		switch {
		case c.Mode == Occurrence && !r.Closed:
			// The requests still to come have no bound: met ones can bring the
			// tracker as close to 100 % as one likes, reaching it only without a miss.
			c.Best = 100
			r.bestIsLimit = r.bestIsLimit || c.Missed > 0 || c.AtRisk > 0
			bw += c.Weight
			sb += c.Weight * 100
		case n > 0:
			bw += c.Weight
			sb += c.Weight * float64(c.Best)
		}
		r.Missed += c.Missed
		if c.AtRisk > 0 {
			r.AtRiskRequests += c.AtRisk
		}
		r.Trackers = append(r.Trackers, c)
	}
	r.Compliance, r.ComplianceUnrounded, r.Projected, r.Best, r.RequiredRunRate, r.PenaltyReward = nan(), nan(), nan(), nan(), nan(), nan()
	if unrounded, rounded, ok := complianceOf(r.Trackers, r.Precision); ok {
		r.ComplianceUnrounded, r.Compliance = unrounded, rounded
	}
	if sw > 0 {
		r.Projected = stated(Num(sp/sw), r.Precision)
	}
	if bw > 0 {
		r.Best = stated(Num(sb/bw), r.Precision)
	}
	if remW > 0 && !r.Closed {
		r.RequiredRunRate = Num(math.Max(0, (g.ComplianceTarget/100*haveW-needW)/remW*100))
	}
	r.Status = status(r)
	r.ImpactCost = g.ImpactCostPerMiss * float64(r.Missed)
	final := r.Compliance
	if !r.Closed {
		final = r.Projected
	}
	if !math.IsNaN(float64(final)) {
		if i, amount, ok := bandFor(g, float64(final), contractValue); ok {
			r.Band, r.PenaltyReward = &i, Num(amount)
		} else if len(g.Bands) > 0 {
			r.PenaltyReward = 0
		}
	}
	r.Milestones = milestones(g, r)
	return r
}

// bucketsToClose reports whether a timeslice tracker still has a bucket of the
// period to close: after the period's end, one that straddles it.
func bucketsToClose(covered []Covered) bool {
	for _, c := range covered {
		if c.Mode == Timeslice && c.Remaining > 0 {
			return true
		}
	}
	return false
}

// status judges the agreement's figures against its target, comparing them
// as decimals as read:
//
//   - a closed period is compliant when its final compliance reaches the
//     target, breached when it does not, and no_data without an evaluated unit
//     (a period whose only requests are still in progress has no compliance);
//   - while the period is open, it is breached only when no future can reach
//     the target: the best case (Best) is below it, or equals it only as a
//     limit an occurrence tracker with a miss can approach but not reach.
//     Requests expected at the rate they came so far are a forecast, not a
//     bound, so they never make a breach certain: they give the projection;
//   - otherwise compliant when the compliance so far and the projection both
//     reach the target, at_risk when one of them does not, no_data when there
//     is neither.
func status(r Result) string {
	c, p, b := float64(r.Compliance), float64(r.Projected), float64(r.Best)
	reaches := func(x float64) bool { return math.IsNaN(x) || models.CmpDec(x, r.Target) >= 0 }
	switch {
	case r.Closed:
		if math.IsNaN(c) {
			return NoData
		}
		if reaches(c) {
			return Compliant
		}
		return Breached
	case math.IsNaN(c) && math.IsNaN(p):
		return NoData
	case !math.IsNaN(b) && (models.CmpDec(b, r.Target) < 0 || models.CmpDec(b, r.Target) == 0 && r.bestIsLimit):
		return Breached
	case reaches(c) && reaches(p):
		return Compliant
	}
	return AtRisk
}

// bandFor finds the band holding a compliance (already stated at the
// agreement's precision), comparing decimals: from ≤ compliance < to, or
// compliance = to where no band starts at to (bands written as contracts
// write them, 92–94.99 and 95–98.99, and the top band); its amount, as a
// percentage of the contract's value when the band says so, and penalties
// capped at the agreement's penalty cap.
func bandFor(g *models.Agreement, compliance, contractValue float64) (int, float64, bool) {
	for i, b := range g.Bands {
		if models.CmpDec(compliance, b.From) < 0 {
			continue
		}
		if cmp := models.CmpDec(compliance, b.To); cmp < 0 || cmp == 0 && !bandStartsAt(g.Bands, b.To) {
			amount := b.Amount
			if b.Percent {
				amount = b.Amount / 100 * contractValue
			}
			if amount < 0 && g.PenaltyCap > 0 && -amount > g.PenaltyCap {
				amount = -g.PenaltyCap
			}
			return i, amount, true
		}
	}
	return 0, 0, false
}

// bandStartsAt reports whether a band starts at x, as decimals.
func bandStartsAt(bands []models.Band, x float64) bool {
	for _, b := range bands {
		if models.CmpDec(b.From, x) == 0 {
			return true
		}
	}
	return false
}

// ContractComplianceRate is (active − non-compliant) / active × 100 over the
// active contracts, measured or not (an unmeasured contract is not
// non-compliant); NaN without active contracts.
func ContractComplianceRate(active, nonCompliant int) float64 {
	if active == 0 {
		return math.NaN()
	}
	return float64(active-nonCompliant) / float64(active) * 100
}
