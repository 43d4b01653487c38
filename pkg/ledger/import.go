package ledger

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/store"
)

// CheckImport decides whether an import may restore the ledger entries of a
// document (in document order). agreements maps each agreement the registry
// holds after the import to its contract; stored is the store's chain of each
// agreement, in chain order. Every entry must belong to a registry agreement
// and its contract; each agreement's entries must come in chain order with
// hashes that hold; the stored chain and the imported one must agree wherever
// both have an entry (the stored chain is a prefix of the imported one, or the
// other way round: then nothing is added). Each entry to be added must follow
// its period's sequence (a close, then restatements and acts on them: sign-off,
// dispute, resolution, in an order the lifecycle allows), and a restatement
// must differ from the result it restates. When its snapshot carries the inputs
// (entries written since the ledger is chained), its digest must be theirs and
// its result what they give; without inputs an entry can only be restored into
// an agreement whose ledger is empty. The first fault is returned as a field
// error: ledger[i].field.
func CheckImport(imported []store.LedgerEntry, stored map[string][]store.LedgerEntry, agreements map[string]string) error {
	next := map[string]int{}                    // agreement → how many of its imported entries came so far
	prev := map[string]string{}                 // agreement → the hash of its previous imported entry
	periods := map[string][]store.LedgerEntry{} // agreement and period → the period's entries so far
	for i, e := range imported {
		k := next[e.AgreementID]
		have := stored[e.AgreementID]
		field, msg := chainCheck(e, k, prev[e.AgreementID], have, agreements)
		if field == "" && k >= len(have) {
			field, msg = entryCheck(e, periods[periodKey(e)], len(have) == 0)
		}
		if field != "" {
			return models.InputFieldError(fmt.Sprintf("ledger[%d].%s", i, field), msg)
		}
		next[e.AgreementID], prev[e.AgreementID] = k+1, e.Hash
		periods[periodKey(e)] = append(periods[periodKey(e)], e)
	}
	return nil
}

func periodKey(e store.LedgerEntry) string {
	return fmt.Sprintf("%s\x00%d", e.AgreementID, e.PeriodStart.UnixMilli())
}

// chainCheck checks that entry e, the k-th (from 0) of its agreement in the
// document, belongs to a registry agreement, holds in the chain after prevHash,
// and agrees with the stored chain have.
func chainCheck(e store.LedgerEntry, k int, prevHash string, have []store.LedgerEntry, agreements map[string]string) (string, string) {
	contract, ok := agreements[e.AgreementID]
	switch {
	case !ok:
		return "agreementId", fmt.Sprintf("agreement %q is not in the registry (after this import): import the agreement with its ledger, or leave its entries out", e.AgreementID)
	case e.ContractID != contract:
		return "contractId", fmt.Sprintf("is %q, but agreement %q is on contract %q: the entry belongs to another contract", e.ContractID, e.AgreementID, contract)
	case e.Position != k+1:
		return "position", fmt.Sprintf("is %d where %d comes next in agreement %q's chain: list each agreement's entries in chain order, as exported, none left out", e.Position, k+1, e.AgreementID)
	case e.Hash != store.ChainHash(prevHash, e):
		return "hash", "does not match the entry's content and the previous entry's hash: the entry was changed (or one before it); import the ledger as exported"
	case k < len(have) && have[k].Hash != e.Hash:
		return "hash", fmt.Sprintf("differs from the stored entry at position %d of agreement %q: the stored ledger is not a prefix of the imported one, and an import never changes a stored entry", k+1, e.AgreementID)
	}
	return "", ""
}

// entryCheck checks an entry the import would add: its place in its period's
// sequence (after before, the period's entries so far), and its snapshot.
func entryCheck(e store.LedgerEntry, before []store.LedgerEntry, emptyLedger bool) (string, string) {
	wantSeq := 1
	if len(before) > 0 {
		wantSeq = before[len(before)-1].Seq + 1
	}
	lc, err := PeriodLifecycle(before)
	switch {
	case err != nil:
		return "kind", err.Error()
	case e.Seq != wantSeq:
		return "seq", fmt.Sprintf("is %d where %d comes next for the period starting %s", e.Seq, wantSeq, e.PeriodStart.Format("2006-01-02"))
	case e.ComputedAt.Before(e.PeriodEnd):
		return "computedAt", "is before the period's end: a period is closed once it has ended"
	case !IsResult(e.Kind):
		return actCheck(e, before, lc)
	}
	wantKind := store.LedgerClose
	if lc.Result > 0 {
		wantKind = store.LedgerRestatement
	}
	switch {
	case e.Kind != wantKind:
		return "kind", fmt.Sprintf("is %q where the period's entry number %d is a %s", e.Kind, e.Seq, wantKind)
	case lc.Result > 0 && e.Digest == entryAt(before, lc.Result).Digest:
		return "digest", "is the digest of the entry it restates: a restatement records a result computed from other inputs, so its digest differs"
	}
	var s Snapshot
	if err := json.Unmarshal(e.Snapshot, &s); err != nil {
		return "snapshot", fmt.Sprintf("cannot be read (%v): import the snapshot as exported", err)
	}
	if s.Inputs == nil {
		if emptyLedger {
			return "", ""
		}
		return "snapshot.inputs", "is missing: an entry without its inputs (written before Covenant kept them) can only be restored into an agreement whose ledger is empty"
	}
	return inputsCheck(e, s)
}

// actCheck checks a lifecycle entry (sign-off, dispute, resolution) against
// the period's entries before it (before, whose lifecycle is lc): the act is
// allowed there, it acts on the latest result (its digest), and a restated
// resolution follows the restatement that applies its exclusions.
func actCheck(e store.LedgerEntry, before []store.LedgerEntry, lc Lifecycle) (string, string) {
	switch e.Kind {
	case store.LedgerSignOff, store.LedgerDispute, store.LedgerResolution:
	default:
		return "kind", fmt.Sprintf("is %q: an entry is a close, restatement, signoff, dispute or resolution", e.Kind)
	}
	var a Act
	if err := json.Unmarshal(e.Snapshot, &a); err != nil {
		return "snapshot", fmt.Sprintf("cannot be read (%v): import the snapshot as exported", err)
	}
	if err := lc.Allows(e.Kind, a.Dispute); err != nil {
		return "kind", fmt.Sprintf("a %s is not allowed here: %v", e.Kind, err)
	}
	result := entryAt(before, lc.Result)
	switch {
	case a.Result != lc.Result:
		return "snapshot.result", fmt.Sprintf("is %d, but the period's latest result is entry %d: an act names the result it acts on", a.Result, lc.Result)
	case e.Digest != result.Digest:
		return "digest", "is not the digest of the result the act is on"
	case e.Kind != store.LedgerResolution || a.Outcome == Upheld:
		return "", ""
	case a.Outcome != Restated:
		return "snapshot.outcome", fmt.Sprintf("is %q: a resolution is upheld or restated", a.Outcome)
	}
	// A restated resolution comes right after its restatement, whose inputs
	// agree the exclusions agreed so far and the resolution's own.
	var s Snapshot
	if last := before[len(before)-1]; last.Seq != lc.Result || last.Kind != store.LedgerRestatement || json.Unmarshal(result.Snapshot, &s) != nil || s.Inputs == nil {
		return "kind", "a restated resolution must follow the restatement it produced, with its inputs"
	}
	if !SameItems(s.Inputs.Agreed, append(append([]Item(nil), lc.Agreed...), a.Exclusions...)) {
		return "snapshot.exclusions", "differ from the exclusions the restatement before it applies: the entry was changed"
	}
	return "", ""
}

// entryAt is the entry of before with sequence number seq (zero when none).
func entryAt(before []store.LedgerEntry, seq int) store.LedgerEntry {
	for _, e := range before {
		if e.Seq == seq {
			return e
		}
	}
	return store.LedgerEntry{}
}

// SameItems reports whether two lists of items are the same, in order.
func SameItems(a, b []Item) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// inputsCheck checks an entry against the inputs its snapshot carries: the
// digest is theirs, they are the entry's agreement and period, and computing
// the result again from them gives the snapshot's figures.
func inputsCheck(e store.LedgerEntry, s Snapshot) (string, string) {
	in := s.Inputs
	switch {
	case e.Digest != in.Digest():
		return "digest", "is not the SHA-256 of the snapshot's inputs: the entry or its inputs were changed"
	case in.Agreement.ID != e.AgreementID || !in.Period.Start.Equal(e.PeriodStart) || !in.Period.End.Equal(e.PeriodEnd):
		return "snapshot.inputs", "are the inputs of another agreement or period than the entry's"
	}
	r, err := in.Result(e.ComputedAt)
	if err != nil {
		return "snapshot.inputs." + err.Error(), "cannot be evaluated: import the snapshot as exported"
	}
	for _, f := range []struct {
		name      string
		have, got float64
	}{
		{"compliance", float64(s.Result.Compliance), float64(r.Compliance)},
		{"impactCost", s.Result.ImpactCost, r.ImpactCost},
		{"penaltyReward", float64(s.Result.PenaltyReward), float64(r.PenaltyReward)},
		{"missed", float64(s.Result.Missed), float64(r.Missed)},
	} {
		if !sameFigure(f.have, f.got) {
			return "snapshot.result." + f.name, fmt.Sprintf("is %v, but the snapshot's inputs give %v: the result was changed", f.have, f.got)
		}
	}
	if s.Result.Status != r.Status {
		return "snapshot.result.status", fmt.Sprintf("is %q, but the snapshot's inputs give %q: the result was changed", s.Result.Status, r.Status)
	}
	if s.Exclusions != nil {
		x, err := in.Exclusions()
		if err != nil {
			return "snapshot.inputs", fmt.Sprintf("cannot give their exclusions (%v): import the snapshot as exported", err)
		}
		if !SameExclusions(s.Exclusions, x) {
			return "snapshot.exclusions", "differ from the exclusions of the calendars in the snapshot's inputs: the entry was changed"
		}
	}
	return "", ""
}

// sameFigure compares two figures, both missing (NaN) counting as equal.
func sameFigure(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return a == b || math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}
