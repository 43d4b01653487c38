package compliance

import (
	"math"

	"github.com/covenant/contracts/pkg/models"
)

// Performance classifications of a contract over a period (docs/figures.md).
const (
	// ClassActual: every agreement compliant, and every covered tracker met its agreement's target.
	ClassActual = "actual"
	// ClassSubstantial: no agreement breached and every agreement's compliance at or above the threshold.
	ClassSubstantial = "substantial"
	// ClassPartial: no agreement breached, but some compliance below the threshold.
	ClassPartial = "partial"
	// ClassBreach: an agreement is breached.
	ClassBreach = "breach"
	// ClassUnmeasured: the contract has no agreement with data.
	ClassUnmeasured = "unmeasured"
)

// DefaultSubstantialThreshold is the compliance (%) at or above which performance is substantial.
const DefaultSubstantialThreshold = models.DefaultSubstantialThreshold

// Classify classifies a contract from its agreements' results in a period.
func Classify(results []Result, threshold float64) string {
	measured, breach, actual, substantial := 0, false, true, true
	for _, r := range results {
		if r.Status == NoData {
			continue
		}
		measured++
		if r.Status == Breached {
			breach = true
		}
		if r.Status != Compliant {
			actual = false
		}
		for _, c := range r.Trackers {
			if !c.Compliance.IsNaN() && float64(c.Compliance) < r.Target {
				actual = false
			}
		}
		if r.Compliance.IsNaN() || float64(r.Compliance) < threshold {
			substantial = false
		}
	}
	switch {
	case measured == 0:
		return ClassUnmeasured
	case breach:
		return ClassBreach
	case actual:
		return ClassActual
	case substantial:
		return ClassSubstantial
	}
	return ClassPartial
}

// Compliant reports whether a classification counts as compliant for the contract compliance rate.
func CompliantClass(class string) bool { return class == ClassActual || class == ClassSubstantial }

// Renewal signals (docs/figures.md).
const (
	SignalRenew       = "renew"
	SignalRenegotiate = "renegotiate"
	SignalExit        = "exit"
	// SignalUnknown: no closed period to judge by yet.
	SignalUnknown = "insufficient history"
)

// RenewalSignal judges the last closed periods' final results: renew when every
// one was compliant, exit when fewer than half were, renegotiate otherwise.
func RenewalSignal(closed []Result) string {
	if len(closed) == 0 {
		return SignalUnknown
	}
	ok := 0
	for _, r := range closed {
		if r.Status == Compliant {
			ok++
		}
	}
	share := float64(ok) / float64(len(closed))
	switch {
	case share == 1:
		return SignalRenew
	case share < 0.5:
		return SignalExit
	}
	return SignalRenegotiate
}

// MeanCompliance is the mean of the results' compliance that have one; NaN without.
func MeanCompliance(results []Result) float64 {
	sum, n := 0.0, 0
	for _, r := range results {
		if !r.Compliance.IsNaN() {
			sum += float64(r.Compliance)
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}
