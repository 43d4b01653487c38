package compliance

import (
	"math"
	"sort"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// Statuses of an agreement in a period (SPEC §5.5).
const (
	// Compliant: the compliance meets the target, and so does the projection.
	Compliant = "compliant"
	// AtRisk: the projected end-of-period compliance (or the current one) is below target.
	AtRisk = "at_risk"
	// Breached: the target cannot be reached even if every remaining unit is met,
	// or the period ended below it.
	Breached = "breached"
	// NoData: no covered tracker has an evaluated unit yet.
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
// of SPEC §5, and what the ledger freezes when the period closes.
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
	// Compliance is the weighted compliance of the trackers with data (SPEC §5.4).
	Compliance Num    `json:"compliance"`
	Projected  Num    `json:"projected"`
	Best       Num    `json:"best"`
	Status     string `json:"status"`
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
}

// Evaluate combines the covered trackers' counts into the agreement's figures.
// contractValue prices bands given as a percentage of the contract's value.
func Evaluate(g *models.Agreement, p Period, now time.Time, covered []Covered, contractValue float64) Result {
	r := Result{AgreementID: g.ID, ContractID: g.ContractID, Period: p, AsOf: now, Closed: p.Closed(now) && !bucketsToClose(covered), Target: g.ComplianceTarget}
	var sw, sc, sp, sb float64
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
			sb += c.Weight * float64(c.Best)
			needW += c.Weight * float64(c.Met) / n
			remW += c.Weight * c.Remaining / n
			haveW += c.Weight
		}
		if c.Evaluated() > 0 {
			sc += c.Weight * float64(c.Compliance)
		}
		r.Missed += c.Missed
		if c.AtRisk > 0 {
			r.AtRiskRequests += c.AtRisk
		}
		r.Trackers = append(r.Trackers, c)
	}
	r.Compliance, r.Projected, r.Best, r.RequiredRunRate, r.PenaltyReward = nan(), nan(), nan(), nan(), nan()
	var cw float64
	for _, c := range r.Trackers {
		if c.Evaluated() > 0 {
			cw += c.Weight
		}
	}
	if cw > 0 {
		r.Compliance = Num(sc / cw)
	}
	if sw > 0 {
		r.Projected = Num(sp / sw)
		r.Best = Num(sb / sw)
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

func status(r Result) string {
	c, p, b := float64(r.Compliance), float64(r.Projected), float64(r.Best)
	switch {
	case math.IsNaN(c) && math.IsNaN(p):
		return NoData
	case r.Closed:
		if c >= r.Target {
			return Compliant
		}
		return Breached
	case !math.IsNaN(b) && b < r.Target:
		return Breached
	case (math.IsNaN(c) || c >= r.Target) && (math.IsNaN(p) || p >= r.Target):
		return Compliant
	}
	return AtRisk
}

// bandFor finds the band holding a compliance: [from, to), the top band's to
// inclusive; its amount, as a percentage of the contract's value when the band
// says so, and penalties capped at the agreement's penalty cap.
func bandFor(g *models.Agreement, compliance, contractValue float64) (int, float64, bool) {
	bands := append([]models.Band(nil), g.Bands...)
	order := make([]int, len(bands))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return bands[order[a]].From < bands[order[b]].From })
	for k, i := range order {
		b := bands[i]
		top := k == len(order)-1
		if compliance >= b.From && (compliance < b.To || (top && compliance <= b.To)) {
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

// ContractComplianceRate is SPEC §6's (active − non-compliant) / active × 100; NaN without active contracts.
func ContractComplianceRate(active, nonCompliant int) float64 {
	if active == 0 {
		return math.NaN()
	}
	return float64(active-nonCompliant) / float64(active) * 100
}
