package ledger

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/store"
)

// A closed period's lifecycle, kept on the ledger: after its close a period
// is signed off, or disputed and then resolved. Each act is an entry of the
// period's sequence and of its agreement's hash chain, after the result it
// acts on (a close or a restatement); docs/disputes.md.

// Period states.
const (
	StateOpen      = ""           // no result yet: the period has not closed
	StateClosed    = "closed"     // a result, neither signed off nor disputed
	StateSignedOff = "signed_off" // both parties accepted the result
	StateDisputed  = "disputed"   // a party challenged it; a resolution is due
	StateResolved  = "resolved"   // the dispute was resolved: upheld, or restated
)

// Resolution outcomes.
const (
	// Upheld keeps the disputed result.
	Upheld = "upheld"
	// Restated applies the agreed exclusions: a restatement follows.
	Restated = "restated"
)

// User is who acted, as Grafana gave them.
type User struct {
	Login string `json:"login"`
	Name  string `json:"name,omitempty"`
}

// Item is what a dispute challenges, or a resolution excludes: one covered
// tracker (by assignment) as a whole, one of its buckets (by start), or one
// of its requests (by opening time), with the reason.
type Item struct {
	Assignment string     `json:"assignmentId"`
	Bucket     *time.Time `json:"bucket,omitempty"`
	Request    *time.Time `json:"request,omitempty"`
	Reason     string     `json:"reason"`
	// Note is free text (a ticket number, the evidence's name).
	Note string `json:"note,omitempty"`
	// Cite asks a dispute to cite the bucket's KPI rows: the act then records
	// them as Evidence.
	Cite bool `json:"cite,omitempty"`
	// Evidence is what a cited bucket's rows were when the dispute was made.
	Evidence *RowsEvidence `json:"evidence,omitempty"`
}

// RowsEvidence describes the KPI rows behind a bucket, fetched through its
// connector: how many, the SHA-256 of their times and values (so anyone can
// fetch them again and see whether they are still the same), the bucket's
// actual computed from them, the actual the period's result holds, and
// whether the two differ (the rows changed since the close).
type RowsEvidence struct {
	Rows    int      `json:"rows"`
	Digest  string   `json:"digest"`
	Actual  *float64 `json:"actual"`
	AtClose *float64 `json:"atClose"`
	Changed bool     `json:"changed"`
}

// BucketActual is the actual a tracker's inputs hold for the bucket starting
// at start (NaN when none), and whether the inputs hold that bucket.
func (in *Inputs) BucketActual(assignment string, start time.Time) (float64, bool) {
	ti := in.tracker(assignment)
	if ti == nil {
		return math.NaN(), false
	}
	for _, b := range ti.Buckets {
		if b.Start == start.Unix() {
			return b.Actual, true
		}
	}
	return math.NaN(), false
}

// SameFigure compares two figures as the ledger does: both missing (NaN)
// are equal, and others within a relative 1e-9.
func SameFigure(a, b float64) bool { return sameFigure(a, b) }

// Figures are a result's headline figures, before and after a restatement.
type Figures struct {
	Compliance    *float64 `json:"compliance"`
	Status        string   `json:"status"`
	PenaltyReward *float64 `json:"penaltyReward"`
	ImpactCost    float64  `json:"impactCost"`
	Missed        int      `json:"missed"`
}

// FiguresOf are a result's headline figures.
func FiguresOf(r compliance.Result) Figures {
	num := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	return Figures{Compliance: num(float64(r.Compliance)), Status: r.Status, PenaltyReward: num(float64(r.PenaltyReward)), ImpactCost: r.ImpactCost, Missed: r.Missed}
}

// Act is the snapshot of a lifecycle entry (kinds signoff, dispute and
// resolution): who acted, on which result, why, and what.
type Act struct {
	By      User   `json:"by"`
	Comment string `json:"comment,omitempty"`
	// Result is the sequence number of the close or restatement acted on.
	Result int `json:"result"`
	// Items are a dispute's challenged items.
	Items []Item `json:"items,omitempty"`
	// Dispute is the sequence number of the dispute a resolution resolves.
	Dispute int `json:"dispute,omitempty"`
	// Outcome is a resolution's: upheld or restated.
	Outcome string `json:"outcome,omitempty"`
	// Exclusions are a restated resolution's agreed exclusions.
	Exclusions []Item `json:"exclusions,omitempty"`
	// Before and After are a restated resolution's figures (After is that of
	// the restatement, which is the entry before the resolution).
	Before *Figures `json:"before,omitempty"`
	After  *Figures `json:"after,omitempty"`
	// Attachments are the files attached to the act (the evidence), by the
	// SHA-256 of their content, which the registry's store keeps.
	Attachments []Attachment `json:"attachments,omitempty"`
}

// Attachment is a file an act attaches, as the ledger records it.
type Attachment struct {
	SHA256 string `json:"sha256"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Size   int64  `json:"size"`
}

// Lifecycle is a period's state from its entries.
type Lifecycle struct {
	State string `json:"state"`
	// Result is the sequence number of the period's latest close or restatement (0: none).
	Result int `json:"result"`
	// Dispute is the sequence number of the open dispute (0: none).
	Dispute int `json:"dispute,omitempty"`
	// Agreed are the exclusions agreed by every restated resolution so far:
	// the evaluator applies them whenever it computes the period again.
	Agreed []Item `json:"agreed,omitempty"`
}

// IsResult reports whether an entry kind holds a result (close, restatement).
func IsResult(kind string) bool { return kind == store.LedgerClose || kind == store.LedgerRestatement }

// PeriodLifecycle follows one period's entries (any order) to its state. A
// restatement that is not a resolution's own (late data, a corrected target)
// reopens a signed-off or resolved period: its figures changed, so they are
// to be accepted again; a disputed period stays disputed.
func PeriodLifecycle(entries []store.LedgerEntry) (Lifecycle, error) {
	sorted := append([]store.LedgerEntry(nil), entries...)
	sort.Slice(sorted, func(a, b int) bool { return sorted[a].Seq < sorted[b].Seq })
	var l Lifecycle
	for i, e := range sorted {
		switch e.Kind {
		case store.LedgerClose, store.LedgerRestatement:
			l.Result = e.Seq
			ownRestatement := i+1 < len(sorted) && sorted[i+1].Kind == store.LedgerResolution
			if l.State != StateDisputed && !ownRestatement {
				l.State = StateClosed
			}
		case store.LedgerSignOff, store.LedgerDispute, store.LedgerResolution:
			var a Act
			if err := json.Unmarshal(e.Snapshot, &a); err != nil {
				return l, fmt.Errorf("entry %d (%s) cannot be read: %w", e.Seq, e.Kind, err)
			}
			if err := l.apply(e.Kind, a); err != nil {
				return l, fmt.Errorf("entry %d (%s): %w", e.Seq, e.Kind, err)
			}
			if e.Kind == store.LedgerDispute {
				l.Dispute = e.Seq
			}
		default:
			return l, fmt.Errorf("entry %d has the unknown kind %q", e.Seq, e.Kind)
		}
	}
	return l, nil
}

// apply moves the state by one act, or says why the act is refused.
func (l *Lifecycle) apply(kind string, a Act) error {
	if err := l.Allows(kind, a.Dispute); err != nil {
		return err
	}
	switch kind {
	case store.LedgerSignOff:
		l.State = StateSignedOff
	case store.LedgerDispute:
		l.State = StateDisputed
	case store.LedgerResolution:
		l.State, l.Dispute = StateResolved, 0
		if a.Outcome == Restated {
			l.Agreed = append(l.Agreed, a.Exclusions...)
		}
	}
	return nil
}

// Allows says why an act of kind is refused in the period's state (nil when
// it is allowed); dispute is the dispute a resolution names.
func (l Lifecycle) Allows(kind string, dispute int) error {
	switch {
	case l.State == StateOpen:
		return fmt.Errorf("the period has not closed yet: it can be signed off or disputed once its result is on the ledger")
	case kind == store.LedgerResolution && l.State != StateDisputed:
		return fmt.Errorf("there is no open dispute on this period (it is %s): only an open dispute can be resolved", l.State)
	case kind == store.LedgerResolution && dispute != l.Dispute:
		return fmt.Errorf("names dispute %d, but the open dispute is entry %d: resolve that one", dispute, l.Dispute)
	case kind == store.LedgerResolution:
		return nil
	case l.State == StateSignedOff:
		return fmt.Errorf("the period is already signed off: its result is final")
	case l.State == StateDisputed:
		return fmt.Errorf("the period has an open dispute (entry %d): resolve it first", l.Dispute)
	case l.State == StateResolved:
		return fmt.Errorf("the period's dispute was resolved: its result is final")
	}
	return nil
}

// Reasons an item may give for an agreed exclusion (those of a calendar's
// exclusion windows); a dispute's items may give any reason.
var exclusionReasons = map[string]bool{"maintenance": true, "force_majeure": true, "customer_caused": true}

// CheckItems checks a dispute's items (exclusion false) or a resolution's
// agreed exclusions (exclusion true) against the inputs of the result they act
// on: each names a covered tracker and, when it names one, a bucket or
// request among the inputs; field prefixes error field names.
func (in *Inputs) CheckItems(items []Item, field string, exclusion bool) error {
	if len(items) == 0 {
		if exclusion {
			return models.InputFieldError(field, "is empty: a restatement applies at least one agreed exclusion (or resolve with outcome upheld)")
		}
		return models.InputFieldError(field, "is empty: name at least one challenged tracker, bucket or request")
	}
	if len(items) > MaxItems {
		return models.InputFieldError(field, fmt.Sprintf("has %d entries; at most %d", len(items), MaxItems))
	}
	for i, it := range items {
		f := fmt.Sprintf("%s[%d]", field, i)
		it.Reason = strings.TrimSpace(it.Reason)
		switch {
		case it.Reason == "":
			return models.InputFieldError(f+".reason", "is empty: say why")
		case exclusion && !exclusionReasons[it.Reason]:
			return models.InputFieldError(f+".reason", fmt.Sprintf("%q is not a reason for an exclusion: use maintenance, force_majeure or customer_caused", it.Reason))
		case len(it.Reason) > 2000 || len(it.Note) > 2000:
			return models.InputFieldError(f+".reason", "is longer than 2,000 characters")
		case it.Bucket != nil && it.Request != nil:
			return models.InputFieldError(f, "names both a bucket and a request: name one")
		}
		ti := in.tracker(it.Assignment)
		if ti == nil {
			return models.InputFieldError(f+".assignmentId", fmt.Sprintf("%q is not a tracker this agreement covers in the period", it.Assignment))
		}
		switch {
		case it.Bucket != nil:
			if ti.Mode == compliance.Occurrence {
				return models.InputFieldError(f+".bucket", "names a bucket, but this tracker counts requests: name a request")
			}
			if !ti.hasBucket(*it.Bucket) {
				return models.InputFieldError(f+".bucket", fmt.Sprintf("%s is not the start of one of the tracker's buckets in the period", it.Bucket.UTC().Format(time.RFC3339)))
			}
		case it.Request != nil:
			if ti.Mode != compliance.Occurrence {
				return models.InputFieldError(f+".request", "names a request, but this tracker counts buckets: name a bucket")
			}
			if !ti.hasRequest(*it.Request) {
				return models.InputFieldError(f+".request", fmt.Sprintf("no request of the tracker was opened at %s in the period", it.Request.UTC().Format(time.RFC3339Nano)))
			}
		case exclusion:
			return models.InputFieldError(f, "names no bucket or request: an agreed exclusion takes out a bucket or a request")
		}
	}
	return nil
}

// MaxItems bounds a dispute's items and a resolution's exclusions.
const MaxItems = 500

func (in *Inputs) tracker(assignment string) *TrackerInput {
	for i := range in.Trackers {
		if in.Trackers[i].Assignment == assignment {
			return &in.Trackers[i]
		}
	}
	return nil
}

func (ti *TrackerInput) hasBucket(start time.Time) bool {
	for _, b := range ti.Buckets {
		if b.Start == start.Unix() && start.Nanosecond() == 0 {
			return true
		}
	}
	return false
}

func (ti *TrackerInput) hasRequest(opened time.Time) bool {
	for _, r := range ti.Requests {
		if r.Time == opened.UnixNano() {
			return true
		}
	}
	return false
}

// PeriodState is one period's lifecycle, for the API and the report.
type PeriodState struct {
	AgreementID string    `json:"agreementId"`
	ContractID  string    `json:"contractId"`
	PeriodStart time.Time `json:"periodStart"`
	PeriodEnd   time.Time `json:"periodEnd"`
	Lifecycle
}

// States are the lifecycles of the periods of entries (any order), by
// agreement and period start. A period whose entries cannot be read is
// reported with the error's text as its state, never dropped.
func States(entries []store.LedgerEntry) []PeriodState {
	groups := map[string][]store.LedgerEntry{}
	var keys []string
	for _, e := range entries {
		k := periodKey(e)
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], e)
	}
	sort.Strings(keys)
	out := make([]PeriodState, 0, len(keys))
	for _, k := range keys {
		g := groups[k]
		lc, err := PeriodLifecycle(g)
		if err != nil {
			lc.State = "unreadable: " + err.Error()
		}
		out = append(out, PeriodState{AgreementID: g[0].AgreementID, ContractID: g[0].ContractID, PeriodStart: g[0].PeriodStart, PeriodEnd: g[0].PeriodEnd, Lifecycle: lc})
	}
	return out
}
