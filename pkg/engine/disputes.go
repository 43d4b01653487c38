package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/connector"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/ledger"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
	"github.com/covenant/contracts/pkg/store"
)

// ActRequest is a sign-off, dispute or resolution of a closed period, as the
// API receives it.
type ActRequest struct {
	Comment string `json:"comment"`
	// Items are a dispute's challenged trackers, buckets or requests.
	Items []ledger.Item `json:"items,omitempty"`
	// Dispute is the sequence number of the dispute a resolution resolves.
	Dispute int `json:"dispute,omitempty"`
	// Outcome is a resolution's: upheld or restated.
	Outcome string `json:"outcome,omitempty"`
	// Exclusions are a restated resolution's agreed exclusions.
	Exclusions []ledger.Item `json:"exclusions,omitempty"`
	// Attachments name files uploaded before (POST /ledger/attachments) by
	// their SHA-256: the act records each with its name, type and size.
	Attachments []struct {
		SHA256 string `json:"sha256"`
	} `json:"attachments,omitempty"`
}

// MaxAttachments bounds the files one act attaches.
const MaxAttachments = 20

// Refusal is an act the period's lifecycle does not allow now (a second
// sign-off, a resolution of no open dispute): the API answers 409.
type Refusal struct{ Err error }

func (r *Refusal) Error() string { return r.Err.Error() }
func (r *Refusal) Unwrap() error { return r.Err }

// maxComment bounds an act's comment.
const maxComment = 10000

// Act records a lifecycle act (kind store.LedgerSignOff, LedgerDispute or
// LedgerResolution) on the period of agreement g that starts on the date
// period (YYYY-MM-DD in the agreement's time zone), by user, at now. A
// restated resolution first appends the restatement that applies the agreed
// exclusions. It returns the entries appended.
func (e *Engine) Act(ctx context.Context, snap *registry.Snapshot, agreementID, period, kind string, req ActRequest, user ledger.User, now time.Time) ([]store.LedgerEntry, error) {
	ctx = connector.Strict(ctx) // a restatement is written to the ledger
	g, start, err := agreementPeriod(snap, agreementID, period)
	if err != nil {
		return nil, err
	}
	if err := checkAct(kind, &req); err != nil {
		return nil, err
	}
	attached, err := e.attachments(ctx, req)
	if err != nil {
		return nil, err
	}
	// The period is closed (if it ended) before anyone acts on it.
	if err := e.EnsureClosed(ctx, snap, []*models.Agreement{g}, now); err != nil {
		return nil, err
	}
	return e.Registry.Store.LedgerAct(ctx, g.ID, g.Version, start, func(entries []store.LedgerEntry) ([]store.LedgerEntry, error) {
		if len(entries) == 0 {
			return nil, fmt.Errorf("%w: agreement %q has no closed period starting %s: pick a period from its ledger", models.ErrNotFound, g.ID, period)
		}
		lc, err := ledger.PeriodLifecycle(entries)
		if err != nil {
			return nil, err
		}
		if err := lc.Allows(kind, req.Dispute); err != nil {
			field := "period"
			if kind == store.LedgerResolution && lc.State == ledger.StateDisputed {
				field = "dispute"
			}
			return nil, &Refusal{Err: models.InputFieldError(field, err.Error())}
		}
		var result store.LedgerEntry
		for _, en := range entries {
			if en.Seq == lc.Result {
				result = en
			}
		}
		var s ledger.Snapshot
		if err := json.Unmarshal(result.Snapshot, &s); err != nil {
			return nil, fmt.Errorf("the period's result (entry %d) cannot be read: %w", result.Seq, err)
		}
		act := ledger.Act{By: user, Comment: req.Comment, Result: lc.Result, Items: req.Items, Dispute: req.Dispute, Outcome: req.Outcome, Exclusions: req.Exclusions,
			Attachments: attached}
		if (kind == store.LedgerDispute || req.Outcome == ledger.Restated) && s.Inputs == nil {
			return nil, models.InputFieldError("period", "its result was written before Covenant kept the inputs, so its items cannot be named: sign it off, or dispute it as a whole in a later period")
		}
		switch {
		case kind == store.LedgerDispute:
			if err := s.Inputs.CheckItems(req.Items, "items", false); err != nil {
				return nil, err
			}
			if err := e.cite(ctx, snap, g, s.Inputs, act.Items); err != nil {
				return nil, err
			}
		case kind == store.LedgerResolution && req.Outcome == ledger.Restated:
			return restate(g, result, s, lc, act, entries[len(entries)-1].Seq+1, now)
		}
		raw, err := json.Marshal(act)
		if err != nil {
			return nil, err
		}
		return []store.LedgerEntry{{AgreementID: g.ID, ContractID: g.ContractID, PeriodStart: result.PeriodStart, PeriodEnd: result.PeriodEnd,
			Kind: kind, ComputedAt: now, Digest: result.Digest, Snapshot: raw, Actor: user.Login}}, nil
	})
}

// attachments are the stored files an act names, as the ledger records them;
// a file that was not uploaded names the field.
func (e *Engine) attachments(ctx context.Context, req ActRequest) ([]ledger.Attachment, error) {
	if len(req.Attachments) > MaxAttachments {
		return nil, models.InputFieldError("attachments", fmt.Sprintf("has %d files; at most %d", len(req.Attachments), MaxAttachments))
	}
	var out []ledger.Attachment
	for i, a := range req.Attachments {
		info, err := e.Registry.Store.AttachmentInfo(ctx, strings.ToLower(strings.TrimSpace(a.SHA256)))
		if errors.Is(err, models.ErrNotFound) {
			return nil, models.InputFieldError(fmt.Sprintf("attachments[%d].sha256", i), fmt.Sprintf("%q is not an uploaded file: upload it first (POST /ledger/attachments)", a.SHA256))
		}
		if err != nil {
			return nil, err
		}
		out = append(out, ledger.Attachment{SHA256: info.SHA256, Name: info.Name, Type: info.Type, Size: info.Size})
	}
	return out, nil
}

// restate is a restated resolution's two entries: the restatement of the
// period's latest result with the agreed exclusions applied (it will be entry
// seq of the period), and the resolution with the figures before and after.
func restate(g *models.Agreement, result store.LedgerEntry, s ledger.Snapshot, lc ledger.Lifecycle, act ledger.Act, seq int, now time.Time) ([]store.LedgerEntry, error) {
	in := *s.Inputs
	if err := in.CheckItems(act.Exclusions, "exclusions", true); err != nil {
		return nil, err
	}
	in.Agreed = append(append([]ledger.Item(nil), lc.Agreed...), act.Exclusions...)
	r, err := in.Result(now)
	if err != nil {
		return nil, err
	}
	for i := range r.Trackers {
		if i < len(s.Result.Trackers) {
			r.Trackers[i].TrackerID, r.Trackers[i].Name = s.Result.Trackers[i].TrackerID, s.Result.Trackers[i].Name
		}
	}
	excluded, err := in.Exclusions()
	if err != nil {
		return nil, err
	}
	restated, err := json.Marshal(ledger.Snapshot{Result: r, Versions: s.Versions, Inputs: &in, Exclusions: excluded})
	if err != nil {
		return nil, err
	}
	before, after := ledger.FiguresOf(s.Result), ledger.FiguresOf(r)
	act.Before, act.After, act.Result = &before, &after, seq
	raw, err := json.Marshal(act)
	if err != nil {
		return nil, err
	}
	digest := in.Digest()
	if digest == result.Digest {
		return nil, models.InputFieldError("exclusions", "change nothing the inputs hold: resolve with outcome upheld")
	}
	base := store.LedgerEntry{AgreementID: g.ID, ContractID: g.ContractID, PeriodStart: result.PeriodStart, PeriodEnd: result.PeriodEnd, ComputedAt: now, Digest: digest, Actor: act.By.Login}
	restatement, resolution := base, base
	restatement.Kind, restatement.Snapshot = store.LedgerRestatement, restated
	resolution.Kind, resolution.Snapshot = store.LedgerResolution, raw
	return []store.LedgerEntry{restatement, resolution}, nil
}

// checkAct checks what an act's request must hold whatever the period.
func checkAct(kind string, req *ActRequest) error {
	req.Comment = strings.TrimSpace(req.Comment)
	if len(req.Comment) > maxComment {
		return models.InputFieldError("comment", fmt.Sprintf("is %d characters long; at most %d", len(req.Comment), maxComment))
	}
	switch kind {
	case store.LedgerSignOff:
		if len(req.Items) > 0 || req.Dispute != 0 || req.Outcome != "" || len(req.Exclusions) > 0 {
			return models.InputFieldError("items", "a sign-off takes only a comment: dispute the period to challenge items")
		}
	case store.LedgerDispute:
		if req.Comment == "" {
			return models.InputFieldError("comment", "is empty: say what is disputed and why")
		}
		if req.Dispute != 0 || req.Outcome != "" || len(req.Exclusions) > 0 {
			return models.InputFieldError("outcome", "a dispute names its items; the outcome comes with its resolution")
		}
	case store.LedgerResolution:
		if req.Dispute <= 0 {
			return models.InputFieldError("dispute", "is missing: give the sequence number of the open dispute this resolves")
		}
		if req.Comment == "" {
			return models.InputFieldError("comment", "is empty: say how the dispute was settled")
		}
		switch req.Outcome {
		case ledger.Upheld:
			if len(req.Exclusions) > 0 {
				return models.InputFieldError("exclusions", "an upheld result applies no exclusions: use outcome restated")
			}
		case ledger.Restated:
		default:
			return models.InputFieldError("outcome", fmt.Sprintf("%q is not an outcome: use upheld (the result stands) or restated (the agreed exclusions apply)", req.Outcome))
		}
		if len(req.Items) > 0 {
			return models.InputFieldError("items", "a resolution names exclusions, not items")
		}
		for i := range req.Exclusions {
			req.Exclusions[i].Cite, req.Exclusions[i].Evidence = false, nil // evidence is the dispute's, fetched by Covenant
		}
	default:
		return fmt.Errorf("%w: %q is not an act on a period: use signoff, dispute or resolve", models.ErrNotFound, kind)
	}
	return nil
}

// agreementPeriod finds an agreement by id and the start of its review period
// that begins on the date period.
func agreementPeriod(snap *registry.Snapshot, agreementID, period string) (*models.Agreement, time.Time, error) {
	for _, g := range snap.AllAgreements() {
		if g.ID == agreementID {
			start, err := periodStart(g, period)
			return g, start, err
		}
	}
	return nil, time.Time{}, fmt.Errorf("%w: there is no agreement %q in the registry", models.ErrNotFound, agreementID)
}

// Evidence fetches the KPI rows behind one bucket of a closed period (the
// period starting on the date period of agreement agreementID), through the
// connector, now; atClose is the bucket's actual in the period's latest
// result (NaN when it had none).
func (e *Engine) Evidence(ctx context.Context, snap *registry.Snapshot, agreementID, period, assignment string, bucket time.Time) (BucketRows, float64, error) {
	g, start, err := agreementPeriod(snap, agreementID, period)
	if err != nil {
		return BucketRows{}, math.NaN(), err
	}
	if err := e.EnsureClosed(ctx, snap, []*models.Agreement{g}, e.Now()); err != nil {
		return BucketRows{}, math.NaN(), err
	}
	entries, err := e.Registry.Store.Ledger(ctx, store.LedgerFilter{AgreementID: g.ID})
	if err != nil {
		return BucketRows{}, math.NaN(), err
	}
	var latest store.LedgerEntry
	for _, en := range entries {
		if en.PeriodStart.Equal(start) && ledger.IsResult(en.Kind) && en.Seq > latest.Seq {
			latest = en
		}
	}
	if latest.Seq == 0 {
		return BucketRows{}, math.NaN(), fmt.Errorf("%w: agreement %q has no closed period starting %s", models.ErrNotFound, g.ID, period)
	}
	var s ledger.Snapshot
	if err := json.Unmarshal(latest.Snapshot, &s); err != nil || s.Inputs == nil {
		return BucketRows{}, math.NaN(), models.InputFieldError("period", "its result was written before Covenant kept the inputs: its buckets cannot be cited")
	}
	atClose, ok := s.Inputs.BucketActual(assignment, bucket)
	if !ok {
		return BucketRows{}, math.NaN(), models.InputFieldError("bucket", fmt.Sprintf("%s is not the start of a bucket of %q in the period", bucket.UTC().Format(time.RFC3339), assignment))
	}
	rows, err := e.bucketRows(ctx, snap, g, assignment, bucket, "evidence")
	return rows, atClose, err
}

// periodStart is the start of agreement g's review period that begins on the
// date day (YYYY-MM-DD) in the agreement's time zone.
func periodStart(g *models.Agreement, day string) (time.Time, error) {
	loc, err := kpi.LoadLocation("period.timezone", g.Period.Timezone)
	if err != nil {
		return time.Time{}, err
	}
	d, err := time.ParseInLocation(time.DateOnly, day, loc)
	if err != nil {
		return time.Time{}, models.InputFieldError("period", fmt.Sprintf("%q is not a date: name the period by its first day, YYYY-MM-DD in the agreement's time zone", day))
	}
	p, err := compliance.PeriodAt(g.Period, d)
	if err != nil {
		return time.Time{}, err
	}
	if p.Start.In(loc).Format(time.DateOnly) != day {
		return time.Time{}, models.InputFieldError("period", fmt.Sprintf("%s is not the first day of a review period of agreement %q: that period starts on %s", day, g.ID, p.Start.In(loc).Format(time.DateOnly)))
	}
	return p.Start, nil
}
