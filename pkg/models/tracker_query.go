package models

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// KPIDef is a KPI given inline in a query (until the registry holds KPIs).
type KPIDef struct {
	Name string `json:"name"`
	// Unit is a Grafana unit id, e.g. "percent", "m" (minutes), "none".
	Unit string `json:"unit"`
	// The connector query returns rows (time, value[, key][, status]); $__key is the contract key.
	ConnectorQuery
	Direction Direction `json:"direction"`
	// BusinessTime makes the KPI a duration in business time (nil: the query's values).
	BusinessTime *BusinessTime `json:"businessTime,omitempty"`
}

// BusinessTime makes a KPI a duration in business time: its query returns each
// row's time (the start) and end, null while the row is still open, and the
// row's value is the business time from start to end under the service
// calendar, in the unit; an open row has no value.
type BusinessTime struct {
	CalendarID string `json:"calendarId"`
	Unit       string `json:"unit"` // s, m or h
}

// Per is the length of the unit.
func (b *BusinessTime) Per() time.Duration {
	switch b.Unit {
	case "s":
		return time.Second
	case "h":
		return time.Hour
	}
	return time.Minute
}

// check names the field at fault and the fix, or returns "".
func (b *BusinessTime) check() (field, msg string) {
	b.CalendarID = strings.TrimSpace(b.CalendarID)
	if b.CalendarID == "" {
		return "calendarId", "is empty: choose the service calendar the durations are measured on"
	}
	switch b.Unit {
	case "s", "m", "h":
	default:
		return "unit", fmt.Sprintf("%q is not a unit: use s (seconds), m (minutes) or h (hours)", b.Unit)
	}
	return "", ""
}

// TrackerDef is a tracker given inline in a query (until the registry holds trackers).
type TrackerDef struct {
	Name      string        `json:"name"`
	KPI       KPIDef        `json:"kpi"`
	Method    string        `json:"method"`
	Condition *Condition    `json:"condition,omitempty"`
	Interval  string        `json:"interval"`
	Timezone  string        `json:"timezone"`
	Target    Target        `json:"target"`
	Tolerance Tolerance     `json:"tolerance"`
	Missing   MissingPolicy `json:"missing"`
	// TrendWindow is how many closed buckets the trend uses (default 6).
	TrendWindow int `json:"trendWindow"`
	// CalendarID names a registry service calendar: a bucket without working
	// time under it is not evaluated (docs/figures.md). Empty: every bucket is.
	CalendarID string `json:"calendarId,omitempty"`
	// WorkingTimeOnly makes the tracker read only the rows whose time falls in
	// the calendar's working time (not on a holiday, not in an exclusion):
	// e.g. availability during business hours. It needs CalendarID.
	WorkingTimeOnly bool `json:"workingTimeOnly,omitempty"`
}

// TrackerSeriesQuery asks for the series of one or more trackers of a contract.
type TrackerSeriesQuery struct {
	// Contract is, with inline trackers, the contract key bound to $__key in
	// each KPI's SQL; without them, the id of a registry contract, whose
	// assigned trackers are computed (each with its assignment's key).
	Contract string `json:"contract"`
	// Trackers are given inline (no registry needed).
	Trackers []TrackerDef `json:"trackers,omitempty"`
	// TrackerIDs narrows a registry contract to some of its trackers.
	TrackerIDs []string `json:"trackerIds,omitempty"`
	// Fields keeps only these figures (e.g. ["rag"]) besides time: an alert rule
	// then gets one series per tracker, labelled by contract and tracker.
	Fields []string `json:"fields,omitempty"`
}

// Direction is which way the tracker's figures are better: the KPI's, except for a
// ratio, whose condition says what a good row is, so a higher share is always better
// (e.g. "% of tickets answered within 60 minutes" on a response-time KPI).
func (t *TrackerDef) Direction() Direction {
	if t.Method == "ratio" {
		return HigherIsBetter
	}
	return t.KPI.Direction
}

// LoadTrackerSeriesQuery parses a trackerSeries query and checks what does not
// need the engine (the engine checks method, interval and time zone).
func LoadTrackerSeriesQuery(raw json.RawMessage) (*TrackerSeriesQuery, error) {
	q := &TrackerSeriesQuery{}
	if err := json.Unmarshal(raw, q); err != nil {
		return nil, fmt.Errorf("%w: the query is not valid JSON for trackerSeries (%v): check contract and trackers", ErrInvalidQuery, err)
	}
	if strings.TrimSpace(q.Contract) == "" {
		return nil, QueryFieldError("contract", "is empty: choose a contract of the registry, or give trackers inline with the contract key, e.g. acme-it")
	}
	if len(q.Trackers) > 0 && len(q.TrackerIDs) > 0 {
		return nil, QueryFieldError("trackerIds", "cannot be used with inline trackers: give one or the other")
	}
	if len(q.Trackers) > MaxTrackersPerQuery {
		return nil, LimitError("trackers", fmt.Sprintf("has %d trackers,", len(q.Trackers)), MaxTrackersPerQuery, "trackers", "split them over several queries")
	}
	var err error
	if q.TrackerIDs, err = Distinct("trackerIds", q.TrackerIDs); err != nil {
		return nil, err
	}
	for i := range q.Trackers {
		if err := q.Trackers[i].validate(fmt.Sprintf("trackers[%d]", i)); err != nil {
			return nil, err
		}
	}
	return q, nil
}

func (t *TrackerDef) validate(field string) error {
	if strings.TrimSpace(t.Name) == "" {
		return QueryFieldError(field+".name", "is empty: name the tracker")
	}
	if strings.TrimSpace(t.KPI.Name) == "" {
		return QueryFieldError(field+".kpi.name", "is empty: name the KPI")
	}
	if t.KPI.Connector == "" {
		t.KPI.Connector = DemoConnector
	}
	switch t.KPI.Direction {
	case HigherIsBetter, LowerIsBetter:
	default:
		return QueryFieldError(field+".kpi.direction", fmt.Sprintf("%q is not a direction: use %s or %s", t.KPI.Direction, HigherIsBetter, LowerIsBetter))
	}
	switch t.Missing {
	case "":
		t.Missing = MissingExclude
	case MissingExclude, MissingMissed, MissingZero:
	default:
		return QueryFieldError(field+".missing", fmt.Sprintf("%q is not a missing-data policy: use exclude, missed or zero", t.Missing))
	}
	if t.Tolerance.Value < 0 || !finite(t.Tolerance.Value) {
		return QueryFieldError(field+".tolerance.value", "must be a finite number of 0 or more")
	}
	if t.Condition != nil {
		if err := t.Condition.Validate(field + ".condition"); err != nil {
			return err
		}
	}
	if t.TrendWindow < 0 {
		return QueryFieldError(field+".trendWindow", "must be 0 (the default, 6) or more")
	}
	t.CalendarID = strings.TrimSpace(t.CalendarID)
	if t.WorkingTimeOnly && t.CalendarID == "" {
		return QueryFieldError(field+".workingTimeOnly", "counts only working time, but the tracker follows no calendar: choose calendarId, or clear workingTimeOnly")
	}
	if b := t.KPI.BusinessTime; b != nil {
		if f, msg := b.check(); f != "" {
			return QueryFieldError(field+".kpi.businessTime."+f, msg)
		}
	} else if t.KPI.EndField != "" {
		return QueryFieldError(field+".kpi.endField", "is only read for a business-time KPI: clear it, or give businessTime")
	}
	return t.Target.Validate(field + ".target")
}
