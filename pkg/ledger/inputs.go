// Package ledger is the period-close ledger's domain: what an entry freezes
// (its snapshot and the inputs its digest covers), recomputing a result from
// those inputs, and the checks an imported ledger must pass. The store keeps
// the entries and their hash chain (pkg/store).
package ledger

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/models"
)

// Snapshot is what an entry freezes: the result, the registry versions it was
// computed with, and (entries written since the ledger is chained) the inputs
// its digest covers, from which the result can be computed again.
type Snapshot struct {
	Result   compliance.Result `json:"result"`
	Versions map[string]int64  `json:"versions"`
	Inputs   *Inputs           `json:"inputs,omitempty"`
	// Exclusions are the calendar exclusions applied in the period (see
	// Inputs.Exclusions); absent when there were none, and in entries written
	// before Covenant recorded them.
	Exclusions []AppliedExclusion `json:"exclusions,omitempty"`
}

// Inputs are everything a period's result is computed from: the agreement,
// the contract's value, the period, and each covered tracker's definition, key,
// target, weight and mode with its buckets' actuals (timeslice) or its requests
// (occurrence) inside the period. The digest is the SHA-256 of their JSON; the
// JSON keeps the shape the digest has always had, so entries written before
// the inputs were kept still compare equal.
type Inputs struct {
	Agreement     models.Agreement  `json:"agreement"`
	ContractValue float64           `json:"contractValue"`
	Period        compliance.Period // no tag: the digest's JSON has always called it "Period"
	Trackers      []TrackerInput    `json:"trackers"`
	// ByStart: a bucket that starts in the period and ends after it is among
	// the inputs and counts in the period (each bucket counts in the period
	// that holds its start). It is set only when there is such a bucket, so
	// inputs without one keep the JSON, and the digest, they always had;
	// entries written before, without it, counted only the buckets wholly
	// inside the period, and are recomputed that way.
	ByStart bool `json:"bucketsByStart,omitempty"`
	// Agreed are the exclusions agreed by the period's restated resolutions
	// (see Lifecycle): the buckets and requests they name count neither way.
	// Absent until a dispute is resolved by a restatement, so other inputs
	// keep their digest.
	Agreed []Item `json:"agreed,omitempty"`
}

// TrackerInput is one covered tracker's part of the inputs.
type TrackerInput struct {
	Assignment string            `json:"assignment"`
	Key        string            `json:"key"`
	Def        models.TrackerDef `json:"def"`
	Mode       string            `json:"mode"`
	Weight     float64           `json:"weight"`
	Buckets    BucketList        `json:"buckets,omitempty"`
	Requests   RequestList       `json:"requests,omitempty"`
	// Calendar is the service calendar the tracker followed (Def.CalendarID)
	// as it stood: its buckets without working time were not evaluated.
	Calendar *calendar.Calendar `json:"calendar,omitempty"`
	// GoalCalendar is, for an occurrence tracker on a business-time KPI, the
	// KPI's calendar as it stood: open requests were timed against their goal
	// in business time under it.
	GoalCalendar *calendar.Calendar `json:"goalCalendar,omitempty"`
}

// Bucket is a bucket's start and actual, as [unix seconds, actual or null].
type Bucket struct {
	Start  int64
	Actual float64 // NaN: no value
}

// Request is a request's time, value and whether it is open, as [unix ns, value or null, open].
type Request struct {
	Time  int64
	Value float64
	Open  bool
}

// MarshalJSON writes [start, actual].
func (b Bucket) MarshalJSON() ([]byte, error) {
	return json.Marshal([2]any{b.Start, jsonFloat(b.Actual)})
}

// UnmarshalJSON reads [start, actual].
func (b *Bucket) UnmarshalJSON(raw []byte) error {
	var v [2]*json.Number
	if err := json.Unmarshal(raw, &v); err != nil || v[0] == nil {
		return fmt.Errorf("a bucket is [start, actual]: %s", raw)
	}
	start, err := v[0].Int64()
	b.Start, b.Actual = start, numOrNaN(v[1])
	return err
}

// MarshalJSON writes [time, value, open].
func (r Request) MarshalJSON() ([]byte, error) {
	return json.Marshal([3]any{r.Time, jsonFloat(r.Value), r.Open})
}

// UnmarshalJSON reads [time, value, open].
func (r *Request) UnmarshalJSON(raw []byte) error {
	var v [3]json.RawMessage
	if err := json.Unmarshal(raw, &v); err != nil {
		return fmt.Errorf("a request is [time, value, open]: %s", raw)
	}
	var t json.Number
	var val *json.Number
	if err := json.Unmarshal(v[0], &t); err != nil {
		return err
	}
	if err := json.Unmarshal(v[1], &val); err != nil {
		return err
	}
	var err error
	r.Time, err = t.Int64()
	r.Value = numOrNaN(val)
	if err == nil {
		err = json.Unmarshal(v[2], &r.Open)
	}
	return err
}

func numOrNaN(n *json.Number) float64 {
	if n == nil {
		return math.NaN()
	}
	f, err := n.Float64()
	if err != nil {
		return math.NaN()
	}
	return f
}

func jsonFloat(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

// Digest is the SHA-256 (hex) of the inputs' JSON.
func (in *Inputs) Digest() string {
	b, _ := in.JSON()
	return DigestOf(b)
}

// JSON is the inputs' JSON, whose SHA-256 is their digest.
func (in *Inputs) JSON() (json.RawMessage, error) {
	return json.Marshal(in)
}

// DigestOf is the digest of inputs written as JSON (Inputs.JSON).
func DigestOf(inputs json.RawMessage) string {
	sum := sha256.Sum256(inputs)
	return hex.EncodeToString(sum[:])
}

// MarshalSnapshot is json.Marshal(s) with s.Inputs given as their JSON
// (Inputs.JSON), so that they are not written twice.
func MarshalSnapshot(s Snapshot, inputs json.RawMessage) ([]byte, error) {
	return json.Marshal(struct {
		Result     compliance.Result  `json:"result"`
		Versions   map[string]int64   `json:"versions"`
		Inputs     json.RawMessage    `json:"inputs,omitempty"`
		Exclusions []AppliedExclusion `json:"exclusions,omitempty"`
	}{s.Result, s.Versions, inputs, s.Exclusions})
}

// BucketList is a tracker's buckets: written as one JSON array, the same
// bytes as each Bucket's MarshalJSON in turn, without encoding/json going over
// each of them.
type BucketList []Bucket

// MarshalJSON writes [[start, actual], …].
func (l BucketList) MarshalJSON() ([]byte, error) {
	return appendList(l, 24, func(b []byte, x Bucket) []byte {
		b = strconv.AppendInt(append(b, '['), x.Start, 10)
		return append(appendFloat(append(b, ','), x.Actual), ']')
	}), nil
}

// RequestList is a tracker's requests, written as one JSON array (see BucketList).
type RequestList []Request

// MarshalJSON writes [[time, value, open], …].
func (l RequestList) MarshalJSON() ([]byte, error) {
	return appendList(l, 36, func(b []byte, x Request) []byte {
		b = strconv.AppendInt(append(b, '['), x.Time, 10)
		b = appendFloat(append(b, ','), x.Value)
		return append(strconv.AppendBool(append(b, ','), x.Open), ']')
	}), nil
}

// appendList writes l as a JSON array (null when nil), each element by one;
// per is about the bytes an element takes.
func appendList[T any](l []T, per int, one func([]byte, T) []byte) []byte {
	if l == nil {
		return []byte("null")
	}
	b := append(make([]byte, 0, 2+len(l)*per), '[')
	for i, x := range l {
		if i > 0 {
			b = append(b, ',')
		}
		b = one(b, x)
	}
	return append(b, ']')
}

// appendFloat writes v as encoding/json writes a float64 (null for NaN and ±Inf, as jsonFloat).
func appendFloat(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	format := byte('f')
	if abs := math.Abs(v); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, v, format, -1, 64)
	if format == 'e' { // e-09 → e-9, as encoding/json
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// BucketsIn are a tracker's buckets that count in p: those that start inside
// it. late reports whether one of them ends after p.
func BucketsIn(starts, ends []time.Time, actual []float64, p compliance.Period) (out BucketList, late bool) {
	for i, s := range starts {
		if compliance.CountsIn(s, p) {
			out = append(out, Bucket{Start: s.Unix(), Actual: actual[i]})
			late = late || ends[i].After(p.End)
		}
	}
	return out, late
}

// RequestsIn are the requests opened inside p.
func RequestsIn(reqs []compliance.Request, p compliance.Period) RequestList {
	var out RequestList
	for _, r := range reqs {
		if !r.Time.Before(p.Start) && r.Time.Before(p.End) {
			out = append(out, Request{Time: r.Time.UnixNano(), Value: r.Value, Open: r.Open})
		}
	}
	return out
}
