package ledger

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/kpi"
)

// AppliedExclusion is an exclusion window of a covered tracker's calendar that
// overlaps the period: what was left out of the period's figures, and why.
// From and To are the window clipped to the period; Working is the working
// time inside it (what it removed; 0 when it fell outside working hours).
type AppliedExclusion struct {
	Assignment string `json:"assignment"`
	// Calendar names the calendar whose exclusion window it is; empty for an
	// exclusion agreed by a dispute's resolution (Agreed: a bucket or a request).
	Calendar string `json:"calendar"`
	// Agreed marks an exclusion agreed by a resolution: its bucket (From–To)
	// or its request (From = To = the request's opening) counts neither way.
	Agreed  bool    `json:"agreed,omitempty"`
	From    string  `json:"from"` // RFC 3339, in the calendar's zone
	To      string  `json:"to"`
	Reason  string  `json:"reason"`
	Note    string  `json:"note,omitempty"`
	Working float64 `json:"workingSeconds"`
}

// Exclusions are the exclusions applied in the period, from the calendars
// the inputs hold, tracker by tracker, in the calendars' order, then those
// agreed by resolutions (Agreed) in the order agreed. The working time of a
// calendar's window is counted on its calendar without exclusions, so two
// windows that overlap each show the working time inside them; an agreed
// bucket's is its working time (its length without a calendar), an agreed
// request's 0.
func (in *Inputs) Exclusions() ([]AppliedExclusion, error) {
	out, err := in.calendarExclusions()
	if err != nil {
		return nil, err
	}
	for _, it := range in.Agreed {
		x, err := in.agreedExclusion(it)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

// agreedExclusion is an agreed bucket or request as an applied exclusion.
func (in *Inputs) agreedExclusion(it Item) (AppliedExclusion, error) {
	x := AppliedExclusion{Assignment: it.Assignment, Agreed: true, Reason: it.Reason, Note: it.Note}
	ti := in.tracker(it.Assignment)
	if ti == nil {
		return x, fmt.Errorf("agreed exclusion: %q is not a covered tracker", it.Assignment)
	}
	t, err := kpi.Compile(ti.Def, "def")
	if err != nil {
		return x, err
	}
	switch {
	case it.Request != nil:
		x.From = it.Request.In(t.Location).Format(time.RFC3339Nano)
		x.To = x.From
	case it.Bucket != nil:
		starts, err := kpi.Buckets(*it.Bucket, it.Bucket.Add(time.Nanosecond), t.Interval, t.Location)
		if err != nil || len(starts) < 2 {
			return x, fmt.Errorf("agreed exclusion: the bucket of %s: %v", it.Bucket.Format(time.RFC3339), err)
		}
		x.From, x.To = starts[0].In(t.Location).Format(time.RFC3339), starts[1].In(t.Location).Format(time.RFC3339)
		working := starts[1].Sub(starts[0])
		if ti.Calendar != nil {
			cc, err := calendar.Compile(ti.Calendar)
			if err != nil {
				return x, fmt.Errorf("calendar %q: %w", ti.Calendar.ID, err)
			}
			working = cc.Working(starts[0], starts[1])
		}
		x.Working = working.Seconds()
	}
	return x, nil
}

func (in *Inputs) calendarExclusions() ([]AppliedExclusion, error) {
	var out []AppliedExclusion
	for _, ti := range in.Trackers {
		c := ti.Calendar
		if c == nil || len(c.Exclusions) == 0 {
			continue
		}
		bare := *c
		bare.Exclusions = nil
		cc, err := calendar.Compile(&bare)
		if err != nil {
			return nil, fmt.Errorf("calendar %q: %w", c.ID, err)
		}
		for _, x := range c.Exclusions {
			from, to := x.From, x.To
			if from.Before(in.Period.Start) {
				from = in.Period.Start
			}
			if to.After(in.Period.End) {
				to = in.Period.End
			}
			if !from.Before(to) {
				continue
			}
			out = append(out, AppliedExclusion{Assignment: ti.Assignment, Calendar: c.ID, From: from.In(cc.Location()).Format(time.RFC3339),
				To: to.In(cc.Location()).Format(time.RFC3339), Reason: x.Reason, Note: x.Note, Working: cc.Working(from, to).Seconds()})
		}
	}
	return out, nil
}

// SameExclusions reports whether two lists of applied exclusions are the same.
func SameExclusions(a, b []AppliedExclusion) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
