package ledger

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/covenant/contracts/pkg/calendar"
)

// AppliedExclusion is an exclusion window of a covered tracker's calendar that
// overlaps the period: what was left out of the period's figures, and why.
// From and To are the window clipped to the period; Working is the working
// time inside it (what it removed; 0 when it fell outside working hours).
type AppliedExclusion struct {
	Assignment string  `json:"assignment"`
	Calendar   string  `json:"calendar"`
	From       string  `json:"from"` // RFC 3339, in the calendar's zone
	To         string  `json:"to"`
	Reason     string  `json:"reason"`
	Note       string  `json:"note,omitempty"`
	Working    float64 `json:"workingSeconds"`
}

// Exclusions are the exclusions applied in the period, from the calendars
// the inputs hold, tracker by tracker, in the calendars' order. The working
// time of each is counted on its calendar without exclusions, so two windows
// that overlap each show the working time inside them.
func (in *Inputs) Exclusions() ([]AppliedExclusion, error) {
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
