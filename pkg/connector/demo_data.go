package connector

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"time"
)

// DemoContract is one of the demo connector's contracts.
type DemoContract struct {
	Key          string  `json:"key"`
	Name         string  `json:"name"`
	Counterparty string  `json:"counterparty"`
	Owner        string  `json:"owner"`
	Description  string  `json:"description"`
	StartDate    string  `json:"startDate"`
	EndDate      string  `json:"endDate"`
	RenewalDate  string  `json:"renewalDate"`
	NoticeDays   int     `json:"noticeDays"`
	Value        float64 `json:"value"`
	Currency     string  `json:"currency"`
	Status       string  `json:"status"`
}

// demoProfile is how one contract's demo rows behave.
type demoProfile struct {
	key, name, counterparty, owner, description, currency string
	value                                                 float64
	ticketsPerDay                                         float64 // 0: no tickets
	ticketMedianMinutes                                   float64
	uptimeHourly                                          bool
	deliveriesPerDay                                      float64 // 0: no deliveries
	invoicesPerWeek                                       float64
	termMonths, noticeDays                                int
}

var demoProfiles = []demoProfile{
	{
		key: "acme-it", name: "Acme IT managed services", counterparty: "Acme Corp", owner: "Dana Whitfield",
		description: "24x7 service desk and hosting for Acme's retail stores",
		currency:    "EUR", value: 1_800_000,
		ticketsPerDay: 24, ticketMedianMinutes: 38, uptimeHourly: true, invoicesPerWeek: 2,
		termMonths: 36, noticeDays: 90,
	},
	{
		key: "globex-logistics", name: "Globex freight and warehousing", counterparty: "Globex Logistics", owner: "Ravi Menon",
		description: "Inbound freight, warehousing and store deliveries",
		currency:    "USD", value: 2_400_000,
		deliveriesPerDay: 36, invoicesPerWeek: 9,
		termMonths: 30, noticeDays: 60,
	},
	{
		key: "initech-cloud", name: "Initech cloud platform", counterparty: "Initech", owner: "Mei Tanaka",
		description: "Managed Kubernetes platform with a 99.9 % availability commitment",
		currency:    "GBP", value: 950_000,
		ticketsPerDay: 11, ticketMedianMinutes: 55, uptimeHourly: true, invoicesPerWeek: 1,
		termMonths: 24, noticeDays: 45,
	},
}

// DemoHistoryDays is how far back the demo data reaches.
const DemoHistoryDays = 730

// demoRows holds generated rows, one slice per table.
type demoRows struct {
	contracts  []DemoContract
	tickets    []ticketRow
	uptime     []uptimeRow
	deliveries []deliveryRow
	invoices   []invoiceRow
}

type ticketRow struct {
	contract, priority, status string
	opened                     int64
	responseMinutes            *float64
	resolved                   *int64
}

type uptimeRow struct {
	contract string
	hour     int64
	pct      float64
}

type deliveryRow struct {
	contract       string
	due, delivered int64
	onTime         int
	lateMinutes    float64
	site           string
}

type invoiceRow struct {
	contract    string
	issued      int64
	amount      float64
	accurate    int
	errorAmount float64
}

// seeded returns a generator whose sequence depends only on the parts given,
// so a given day's rows are the same whenever they are generated.
func seeded(parts ...string) *rand.Rand {
	h := fnv.New64a()
	for _, p := range parts {
		_, _ = h.Write([]byte(p))
		_, _ = h.Write([]byte{0})
	}
	s := h.Sum64()
	return rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15)) // #nosec G404 -- reproducible demo data, not a secret
}

// badMonth reports whether a contract's metric has a bad month: about one in
// seven months, fixed by the calendar month so history never changes.
func badMonth(contract, metric string, t time.Time) bool {
	r := seeded("bad", contract, metric, t.Format("2006-01"))
	return r.IntN(7) == 0
}

// poisson draws a Poisson-distributed count (Knuth; fine for small means).
func poisson(r *rand.Rand, mean float64) int {
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// generateDemo builds the demo rows for the DemoHistoryDays days up to end.
// Rows after end are not produced; tickets still open at end are in progress.
func generateDemo(end time.Time) *demoRows {
	end = end.UTC()
	first := time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -DemoHistoryDays)
	termStart := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC)
	out := &demoRows{}
	for _, p := range demoProfiles {
		termEnd := termStart.AddDate(0, p.termMonths, 0)
		if termEnd.Before(end) {
			termEnd = time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 9, 0)
		}
		out.contracts = append(out.contracts, DemoContract{
			Key: p.key, Name: p.name, Counterparty: p.counterparty, Owner: p.owner, Description: p.description,
			StartDate: termStart.Format(time.DateOnly), EndDate: termEnd.Format(time.DateOnly),
			RenewalDate: termEnd.Format(time.DateOnly), NoticeDays: p.noticeDays,
			Value: p.value, Currency: p.currency, Status: "active",
		})
		for day := first; day.Before(end); day = day.AddDate(0, 0, 1) {
			out.genDay(p, day, end)
		}
	}
	return out
}

func (o *demoRows) genDay(p demoProfile, day, end time.Time) {
	ds := day.Format(time.DateOnly)
	if p.ticketsPerDay > 0 {
		o.genTickets(p, day, end, seeded("tickets", p.key, ds))
	}
	if p.uptimeHourly {
		o.genUptime(p, day, end, seeded("uptime", p.key, ds))
	}
	if p.deliveriesPerDay > 0 {
		o.genDeliveries(p, day, end, seeded("deliveries", p.key, ds))
	}
	if p.invoicesPerWeek > 0 {
		o.genInvoices(p, day, end, seeded("invoices", p.key, ds))
	}
}

func (o *demoRows) genTickets(p demoProfile, day, end time.Time, r *rand.Rand) {
	median := p.ticketMedianMinutes
	if badMonth(p.key, "tickets", day) {
		median *= 2.6 // a staffing shortfall: response times blow out
	}
	if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
		median *= 1.3
	}
	n := poisson(r, p.ticketsPerDay)
	for i := 0; i < n; i++ {
		opened := day.Add(time.Duration(r.Int64N(int64(24 * time.Hour))))
		prio := []string{"P1", "P2", "P2", "P3", "P3", "P3", "P4"}[r.IntN(7)]
		resp := median * math.Exp(r.NormFloat64()*0.55)
		if prio == "P1" {
			resp *= 0.4
		}
		resp = round2(resp)
		responded := opened.Add(time.Duration(resp * float64(time.Minute)))
		resolveMinutes := resp + 30 + r.ExpFloat64()*240
		resolvedAt := opened.Add(time.Duration(resolveMinutes * float64(time.Minute)))
		if !opened.Before(end) {
			continue
		}
		t := ticketRow{contract: p.key, priority: prio, opened: opened.Unix(), status: "resolved"}
		if responded.Before(end) {
			t.responseMinutes = &resp
		}
		if resolvedAt.Before(end) {
			ru := resolvedAt.Unix()
			t.resolved = &ru
		} else {
			t.status = "in_progress"
		}
		o.tickets = append(o.tickets, t)
	}
}

func (o *demoRows) genUptime(p demoProfile, day, end time.Time, r *rand.Rand) {
	bad := badMonth(p.key, "uptime", day)
	outageHour := -1
	// An outage of a few hours on about one day in ten of a bad month, one in 120 otherwise.
	if (bad && r.IntN(10) == 0) || r.IntN(120) == 0 {
		outageHour = r.IntN(24)
	}
	outageLen := 1 + r.IntN(4)
	for h := 0; h < 24; h++ {
		t := day.Add(time.Duration(h) * time.Hour)
		pct := 100.0
		if r.IntN(40) == 0 {
			pct = 100 - r.Float64()*1.5 // a brief blip
		}
		if outageHour >= 0 && h >= outageHour && h < outageHour+outageLen {
			pct = r.Float64() * 60
		}
		if !t.Before(end) {
			return
		}
		o.uptime = append(o.uptime, uptimeRow{contract: p.key, hour: t.Unix(), pct: round2(pct)})
	}
}

var demoSites = []string{"Leeds DC", "Rotterdam hub", "Lyon store cluster", "Dublin store cluster"}

func (o *demoRows) genDeliveries(p demoProfile, day, end time.Time, r *rand.Rand) {
	lateShare := 0.04
	if badMonth(p.key, "deliveries", day) {
		lateShare = 0.17 // a carrier strike or a peak the supplier did not staff for
	}
	if day.Month() == time.December {
		lateShare += 0.04
	}
	n := poisson(r, p.deliveriesPerDay)
	for i := 0; i < n; i++ {
		due := day.Add(6*time.Hour + time.Duration(r.Int64N(int64(14*time.Hour))))
		late := 0.0
		if r.Float64() < lateShare {
			late = round2(15 + r.ExpFloat64()*180)
		}
		delivered := due.Add(time.Duration((late - r.Float64()*40) * float64(time.Minute)))
		if !delivered.Before(end) {
			continue
		}
		onTime := 1
		if late > 0 {
			onTime = 0
		}
		o.deliveries = append(o.deliveries, deliveryRow{
			contract: p.key, due: due.Unix(), delivered: delivered.Unix(), onTime: onTime,
			lateMinutes: late, site: demoSites[r.IntN(len(demoSites))],
		})
	}
}

func (o *demoRows) genInvoices(p demoProfile, day, end time.Time, r *rand.Rand) {
	if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return
	}
	errShare := 0.02
	if badMonth(p.key, "invoices", day) {
		errShare = 0.15
	}
	n := poisson(r, p.invoicesPerWeek/5)
	for i := 0; i < n; i++ {
		issued := day.Add(9*time.Hour + time.Duration(r.Int64N(int64(8*time.Hour))))
		if !issued.Before(end) {
			continue
		}
		amount := round2(p.value / 250 * (0.5 + r.Float64()))
		acc, errAmt := 1, 0.0
		if r.Float64() < errShare {
			acc, errAmt = 0, round2(amount*(0.01+r.Float64()*0.2))
		}
		o.invoices = append(o.invoices, invoiceRow{contract: p.key, issued: issued.Unix(), amount: amount, accurate: acc, errorAmount: errAmt})
	}
}
