package models

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

// Meta is what every registry object carries: its id, its version (a stale
// write is refused) and who made and last changed it.
type Meta struct {
	ID        string    `json:"id"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"createdAt"`
	CreatedBy string    `json:"createdBy"`
	UpdatedAt time.Time `json:"updatedAt"`
	UpdatedBy string    `json:"updatedBy"`
}

// GetMeta returns the object's meta.
func (m *Meta) GetMeta() *Meta { return m }

// Ref is a reference from a registry object to another.
type Ref struct {
	Field string // JSON field, e.g. kpiId
	Kind  string // kind referred to, e.g. kpi
	ID    string
}

// Contract is an agreement with a counterparty.
type Contract struct {
	Meta
	Name         string   `json:"name"`
	Counterparty string   `json:"counterparty"`
	Owner        string   `json:"owner,omitempty"`
	Description  string   `json:"description,omitempty"`
	StartDate    string   `json:"startDate,omitempty"` // YYYY-MM-DD
	EndDate      string   `json:"endDate,omitempty"`
	RenewalDate  string   `json:"renewalDate,omitempty"`
	NoticeDays   int      `json:"noticeDays,omitempty"`
	Value        float64  `json:"value,omitempty"`
	Currency     string   `json:"currency,omitempty"` // ISO 4217
	Status       string   `json:"status"`             // draft, active, expired, terminated
	Tags         []string `json:"tags,omitempty"`
}

// ContractStatuses are the statuses a contract may have.
var ContractStatuses = []string{"draft", "active", "expired", "terminated"}

// KPI is a measure computed from a connector's rows.
type KPI struct {
	Meta
	Name        string `json:"name"`
	Unit        string `json:"unit,omitempty"`
	Description string `json:"description,omitempty"`
	Owner       string `json:"owner,omitempty"`
	ConnectorQuery
	Direction Direction `json:"direction"`
	// BusinessTime makes the KPI a duration in business time (nil: the query's values).
	BusinessTime *BusinessTime `json:"businessTime,omitempty"`
}

// Tracker computes a KPI per calendar bucket against a target (docs/figures.md).
type Tracker struct {
	Meta
	Name        string        `json:"name"`
	KPIID       string        `json:"kpiId"`
	Method      string        `json:"method"`
	Condition   *Condition    `json:"condition,omitempty"`
	Interval    string        `json:"interval"`
	Timezone    string        `json:"timezone,omitempty"`
	Target      Target        `json:"target"`
	Tolerance   Tolerance     `json:"tolerance"`
	Missing     MissingPolicy `json:"missing,omitempty"`
	TrendWindow int           `json:"trendWindow,omitempty"`
	Decimals    *int          `json:"decimals,omitempty"`
	// CalendarID names the service calendar the tracker follows: a bucket
	// without working time under it is not evaluated. Empty: every bucket is.
	CalendarID string `json:"calendarId,omitempty"`
	// WorkingTimeOnly: the tracker reads only rows whose time falls in the
	// calendar's working time (TrackerDef.WorkingTimeOnly).
	WorkingTimeOnly bool `json:"workingTimeOnly,omitempty"`
}

// Assignment maps a tracker to a contract.
type Assignment struct {
	Meta
	ContractID string `json:"contractId"`
	TrackerID  string `json:"trackerId"`
	// Key is the contract's key value, bound to $__key in the KPI's query.
	Key            string  `json:"key"`
	TargetOverride *Target `json:"targetOverride,omitempty"`
	Weight         float64 `json:"weight"`
	Clause         string  `json:"clause,omitempty"`
}

// AgreementTracker is an assignment an agreement covers, with its weight.
type AgreementTracker struct {
	AssignmentID string  `json:"assignmentId"`
	Weight       float64 `json:"weight"`
	// Mode is timeslice (met closed buckets; the default) or occurrence (met
	// resolved requests; the tracker must be a ratio on a KPI with a status column).
	Mode string `json:"mode,omitempty"`
}

// ReviewPeriod is an agreement's period: calendar month, quarter, year, or a custom range.
type ReviewPeriod struct {
	Kind     string `json:"kind"` // month, quarter, year, custom
	Timezone string `json:"timezone,omitempty"`
	From     string `json:"from,omitempty"` // custom: YYYY-MM-DD, inclusive
	To       string `json:"to,omitempty"`   // custom: YYYY-MM-DD, exclusive
}

// Band is a penalty (negative) or reward (positive) for compliance in [From, To)
// (the top band's To inclusive).
type Band struct {
	From   float64 `json:"from"`
	To     float64 `json:"to"`
	Amount float64 `json:"amount"`
	// Percent: Amount is a percentage of the contract's value (its fee), not an amount.
	Percent bool `json:"percent,omitempty"`
}

// Milestone is an event an agreement watches for, e.g. three misses in a row.
type Milestone struct {
	Name      string `json:"name"`
	Condition string `json:"condition"`
}

// Agreement is a compliance target over review periods (docs/figures.md). Its
// figures are the Agreements issue's; the registry stores and checks its shape.
type Agreement struct {
	Meta
	Name              string             `json:"name"`
	ContractID        string             `json:"contractId"`
	Period            ReviewPeriod       `json:"period"`
	ComplianceTarget  float64            `json:"complianceTarget"` // percent
	Trackers          []AgreementTracker `json:"trackers"`
	ImpactCostPerMiss float64            `json:"impactCostPerMiss,omitempty"`
	PenaltyCap        float64            `json:"penaltyCap,omitempty"`
	Bands             []Band             `json:"bands,omitempty"`
	Milestones        []Milestone        `json:"milestones,omitempty"`
	// Precision is how many decimals compliance is stated at (rounded half
	// up) before its status and band are decided; nil means 2.
	Precision *int `json:"precision,omitempty"`
}

// DefaultPrecision is the decimals of compliance when an agreement states none.
const DefaultPrecision = 2

// maxPrecision bounds an agreement's precision.
const maxPrecision = 6

// Decimals is the agreement's precision.
func (g *Agreement) Decimals() int {
	if g.Precision == nil {
		return DefaultPrecision
	}
	return *g.Precision
}

var (
	idRe   = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
	dateRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// CheckID validates an object id.
func CheckID(id string) error {
	if !idRe.MatchString(id) {
		return InputFieldError("id", fmt.Sprintf("%q is not an id: use 1 to 64 lower-case letters, digits, - or _, starting with a letter or digit", id))
	}
	return nil
}

// Slug makes an id from a name: lower case, runs of other characters as -.
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimRight(b.String(), "-")
	if len(s) > 48 {
		s = strings.TrimRight(s[:48], "-")
	}
	return s
}

func needText(field, v, hint string) error {
	if strings.TrimSpace(v) == "" {
		return InputFieldError(field, "is empty: "+hint)
	}
	return nil
}

func checkDate(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if !dateRe.MatchString(v) || err != nil {
		return time.Time{}, InputFieldError(field, fmt.Sprintf("%q is not a date: use YYYY-MM-DD", v))
	}
	return t, nil
}

// Validate checks a contract and fills defaults.
func (c *Contract) Validate() error {
	if err := needText("name", c.Name, "name the contract"); err != nil {
		return err
	}
	if err := needText("counterparty", c.Counterparty, "name the other party"); err != nil {
		return err
	}
	if c.Status == "" {
		c.Status = "draft"
	}
	if !slices.Contains(ContractStatuses, c.Status) {
		return InputFieldError("status", fmt.Sprintf("%q is not a status: use one of %s", c.Status, strings.Join(ContractStatuses, ", ")))
	}
	start, err := checkDate("startDate", c.StartDate)
	if err != nil {
		return err
	}
	end, err := checkDate("endDate", c.EndDate)
	if err != nil {
		return err
	}
	if !start.IsZero() && !end.IsZero() && !end.After(start) {
		return InputFieldError("endDate", fmt.Sprintf("%s is not after startDate %s: fix one of them", c.EndDate, c.StartDate))
	}
	if _, err := checkDate("renewalDate", c.RenewalDate); err != nil {
		return err
	}
	if c.NoticeDays < 0 || c.NoticeDays > 3650 {
		return InputFieldError("noticeDays", fmt.Sprintf("%d is out of range: use 0 to 3650 days", c.NoticeDays))
	}
	if c.Value < 0 || !finite(c.Value) {
		return InputFieldError("value", "must be a finite amount of 0 or more")
	}
	if c.Currency != "" && !regexp.MustCompile(`^[A-Z]{3}$`).MatchString(c.Currency) {
		return InputFieldError("currency", fmt.Sprintf("%q is not an ISO 4217 code: use three capitals, e.g. EUR", c.Currency))
	}
	return nil
}

// Refs implements the registry's references: a contract refers to nothing.
func (c *Contract) Refs() []Ref { return nil }

// Title is the contract's name.
func (c *Contract) Title() string { return c.Name }

// Validate checks a KPI's own fields (its connector and query are checked by the registry).
func (k *KPI) Validate() error {
	if err := needText("name", k.Name, "name the KPI"); err != nil {
		return err
	}
	switch k.Direction {
	case HigherIsBetter, LowerIsBetter:
	default:
		return InputFieldError("direction", fmt.Sprintf("%q is not a direction: use %s or %s", k.Direction, HigherIsBetter, LowerIsBetter))
	}
	if k.Connector == "" {
		k.Connector = DemoConnector
	}
	if b := k.BusinessTime; b != nil {
		if f, msg := b.check(); f != "" {
			return InputFieldError("businessTime."+f, msg)
		}
	} else if k.EndField != "" {
		return InputFieldError("endField", "is only read for a business-time KPI: clear it, or give businessTime")
	}
	return nil
}

// Refs of a KPI: the service calendar of a business-time KPI (connectors live
// in the datasource settings).
func (k *KPI) Refs() []Ref {
	if k.BusinessTime == nil {
		return nil
	}
	return []Ref{{Field: "businessTime.calendarId", Kind: "calendar", ID: k.BusinessTime.CalendarID}}
}

// Title is the KPI's name.
func (k *KPI) Title() string { return k.Name }

// Validate checks a tracker's own fields; method, interval and zone are checked by the engine.
func (t *Tracker) Validate() error {
	if err := needText("name", t.Name, "name the tracker"); err != nil {
		return err
	}
	if err := needText("kpiId", t.KPIID, "choose the KPI the tracker computes"); err != nil {
		return err
	}
	def := t.Def(KPIDef{Name: "kpi", Direction: HigherIsBetter, ConnectorQuery: ConnectorQuery{RawSQL: "-"}})
	if err := def.validate(""); err != nil {
		var fe *FieldError
		if asFieldError(err, &fe) {
			fe.Field = strings.TrimPrefix(fe.Field, ".")
		}
		return err
	}
	t.Missing, t.Target, t.CalendarID = def.Missing, def.Target, def.CalendarID
	if t.Decimals != nil && (*t.Decimals < 0 || *t.Decimals > 10) {
		return InputFieldError("decimals", "must be 0 to 10")
	}
	return nil
}

// Def is the tracker as the engine takes it, with its KPI.
func (t *Tracker) Def(kpi KPIDef) TrackerDef {
	return TrackerDef{Name: t.Name, KPI: kpi, Method: t.Method, Condition: t.Condition, Interval: t.Interval, Timezone: t.Timezone,
		Target: t.Target, Tolerance: t.Tolerance, Missing: t.Missing, TrendWindow: t.TrendWindow, CalendarID: t.CalendarID,
		WorkingTimeOnly: t.WorkingTimeOnly}
}

// Refs of a tracker: its KPI, and its service calendar when it follows one.
func (t *Tracker) Refs() []Ref {
	refs := []Ref{{Field: "kpiId", Kind: "kpi", ID: t.KPIID}}
	if t.CalendarID != "" {
		refs = append(refs, Ref{Field: "calendarId", Kind: "calendar", ID: t.CalendarID})
	}
	return refs
}

// Title is the tracker's name.
func (t *Tracker) Title() string { return t.Name }

// Validate checks an assignment.
func (a *Assignment) Validate() error {
	if err := needText("contractId", a.ContractID, "choose the contract"); err != nil {
		return err
	}
	if err := needText("trackerId", a.TrackerID, "choose the tracker"); err != nil {
		return err
	}
	if err := needText("key", a.Key, "give the contract's key value in the KPI's rows (bound to $__key)"); err != nil {
		return err
	}
	if a.Weight == 0 {
		a.Weight = 1
	}
	if a.Weight < 0 || !finite(a.Weight) {
		return InputFieldError("weight", "must be a finite number above 0")
	}
	if a.TargetOverride != nil {
		return a.TargetOverride.Validate("targetOverride")
	}
	return nil
}

// Refs of an assignment: its contract and tracker.
func (a *Assignment) Refs() []Ref {
	return []Ref{{Field: "contractId", Kind: "contract", ID: a.ContractID}, {Field: "trackerId", Kind: "tracker", ID: a.TrackerID}}
}

// Title names an assignment by its ids.
func (a *Assignment) Title() string { return a.ContractID + " / " + a.TrackerID }

// Validate checks an agreement's shape.
func (g *Agreement) Validate() error {
	if err := needText("name", g.Name, "name the agreement"); err != nil {
		return err
	}
	if err := needText("contractId", g.ContractID, "choose the contract"); err != nil {
		return err
	}
	switch g.Period.Kind {
	case "month", "quarter", "year":
	case "custom":
		from, err := checkDate("period.from", g.Period.From)
		if err != nil {
			return err
		}
		to, err := checkDate("period.to", g.Period.To)
		if err != nil {
			return err
		}
		if from.IsZero() || to.IsZero() || !to.After(from) {
			return InputFieldError("period.to", "a custom period needs from and to dates, with to after from")
		}
	default:
		return InputFieldError("period.kind", fmt.Sprintf("%q is not a review period: use month, quarter, year or custom", g.Period.Kind))
	}
	if g.ComplianceTarget <= 0 || g.ComplianceTarget > 100 {
		return InputFieldError("complianceTarget", "must be a percentage above 0 and at most 100")
	}
	if len(g.Trackers) == 0 {
		return InputFieldError("trackers", "is empty: choose at least one of the contract's trackers")
	}
	seen := map[string]bool{}
	for i, t := range g.Trackers {
		if seen[t.AssignmentID] {
			return InputFieldError(fmt.Sprintf("trackers[%d].assignmentId", i), fmt.Sprintf("%q is listed twice: list each assignment once", t.AssignmentID))
		}
		seen[t.AssignmentID] = true
		if err := needText(fmt.Sprintf("trackers[%d].assignmentId", i), t.AssignmentID, "choose an assignment of the contract"); err != nil {
			return err
		}
		if t.Weight <= 0 || !finite(t.Weight) {
			return InputFieldError(fmt.Sprintf("trackers[%d].weight", i), "must be a finite number above 0")
		}
	}
	for i, t := range g.Trackers {
		switch t.Mode {
		case "", "timeslice", "occurrence":
		default:
			return InputFieldError(fmt.Sprintf("trackers[%d].mode", i), fmt.Sprintf("%q is not a mode: use timeslice (met closed buckets) or occurrence (met resolved requests)", t.Mode))
		}
	}
	if g.ImpactCostPerMiss < 0 || !finite(g.ImpactCostPerMiss) {
		return InputFieldError("impactCostPerMiss", "must be a finite amount of 0 or more")
	}
	if g.PenaltyCap < 0 || !finite(g.PenaltyCap) {
		return InputFieldError("penaltyCap", "must be a finite amount of 0 or more (0: no cap)")
	}
	if g.Precision != nil && (*g.Precision < 0 || *g.Precision > maxPrecision) {
		return InputFieldError("precision", fmt.Sprintf("%d is out of range: state compliance with 0 to %d decimals (2 when left out)", *g.Precision, maxPrecision))
	}
	for i, b := range g.Bands {
		if b.From < 0 || b.To > 100 {
			return InputFieldError(fmt.Sprintf("bands[%d]", i), fmt.Sprintf("%v–%v %% is outside 0–100 %%: bands are ranges of compliance", b.From, b.To))
		}
		if !finite(b.Amount) {
			return InputFieldError(fmt.Sprintf("bands[%d].amount", i), "must be a finite number (negative for a penalty, positive for a reward)")
		}
		if b.To <= b.From {
			return InputFieldError(fmt.Sprintf("bands[%d].to", i), "must be above from")
		}
	}
	if err := g.checkBandsContiguous(); err != nil {
		return err
	}
	return ValidateMilestones(g.Milestones)
}

// checkBandsContiguous refuses bands that leave a gap or overlap, in any
// order. Two bands meet when the next starts where the one before ends
// (95–99 then 99–100) or one step of the precision after it, as contracts
// write them (92–94.99 then 95–98.99 at 2 decimals); compared as decimals.
func (g *Agreement) checkBandsContiguous() error {
	order := make([]int, len(g.Bands))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return g.Bands[order[a]].From < g.Bands[order[b]].From })
	step := new(big.Rat).SetFrac64(1, int64(math.Pow10(g.Decimals())))
	for k := 1; k < len(order); k++ {
		prev, b := g.Bands[order[k-1]], g.Bands[order[k]]
		gap := new(big.Rat).Sub(Dec(b.From), Dec(prev.To))
		if gap.Sign() == 0 || gap.Cmp(step) == 0 {
			continue
		}
		what := "a gap"
		if gap.Sign() < 0 {
			what = "an overlap"
		}
		return InputFieldError(fmt.Sprintf("bands[%d].from", order[k]), fmt.Sprintf("%v leaves %s after the band that ends at %v: start it at %v, or at %v + %s as contracts write bands at %d decimals",
			b.From, what, prev.To, prev.To, prev.To, step.FloatString(g.Decimals()), g.Decimals()))
	}
	return nil
}

// Refs of an agreement: its contract and assignments.
func (g *Agreement) Refs() []Ref {
	out := []Ref{{Field: "contractId", Kind: "contract", ID: g.ContractID}}
	for _, t := range g.Trackers {
		out = append(out, Ref{Field: "assignmentId", Kind: "assignment", ID: t.AssignmentID})
	}
	return out
}

// Title is the agreement's name.
func (g *Agreement) Title() string { return g.Name }
