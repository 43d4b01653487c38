package plugin

import (
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
)

// Golden frames of the query types that read the registry, on the demo
// registry (demoRegistryDatasource: the three demo contracts, their KPIs,
// trackers, assignments and agreements) over the demo data pinned at demoEnd,
// evaluated at demoEnd. The trackerSeries and connectorPreview goldens are in
// their own tests. Set updateGolden to rewrite the files; keep it false in commits.

// goldenDemo is the demo registry evaluated at the demo's end.
func goldenDemo(t *testing.T) *Datasource {
	t.Helper()
	setupDemo(t)
	pinNow(t, demoEnd)
	return demoRegistryDatasource(t)
}

// goldenQuery runs one query and fails on an error or an answer without frames.
func goldenQuery(t *testing.T, d *Datasource, queryType, body string, from, to time.Time) backend.DataResponse {
	t.Helper()
	r := runQuery(t, d, queryType, body, from, to)
	if r.Error != nil {
		t.Fatalf("%s %s: %v", queryType, body, r.Error)
	}
	if len(r.Frames) == 0 {
		t.Fatalf("%s %s: no frames", queryType, body)
	}
	return r
}

// column is the values of a frame's field by name (nil for a null).
func column(t *testing.T, f *data.Frame, name string) []any {
	t.Helper()
	fl, _ := f.FieldByName(name)
	if fl == nil {
		t.Fatalf("frame %q has no field %q", f.Name, name)
	}
	out := make([]any, fl.Len())
	for i := range out {
		out[i], _ = fl.ConcreteAt(i)
	}
	return out
}

func TestVariablesGolden(t *testing.T) {
	d := goldenDemo(t)
	for _, tc := range []struct {
		golden, body string
		want         []any // the values, in the registry's order (by name)
	}{
		{"variables_contracts", `{"kind":"contracts"}`, []any{"acme-it", "globex-logistics", "initech-cloud"}},
		{"variables_kpis", `{"kind":"kpis"}`, []any{"uptime", "on-time-deliveries", "first-response-business", "first-response", "invoice-accuracy"}},
		// Acme's three trackers only, not the other contracts' weekly-on-time or p90-first-response.
		{"variables_trackers_acme", `{"kind":"trackers","contract":"acme-it"}`, []any{"daily-availability", "monthly-invoice-accuracy", "responses-within-60"}},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			r := goldenQuery(t, d, "variables", tc.body, demoEnd.AddDate(0, 0, -1), demoEnd)
			if got := column(t, r.Frames[0], "value"); !equalAny(got, tc.want) {
				t.Fatalf("values %v, want %v", got, tc.want)
			}
			experimental.CheckGoldenJSONResponse(t, "testdata", tc.golden+".golden", &r, updateGolden)
		})
	}
}

func equalAny(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Every demo agreement from 1 February to the demo's end: a compliance frame
// per agreement and a frame per milestone.
func TestAgreementComplianceGolden(t *testing.T) {
	d := goldenDemo(t)
	r := goldenQuery(t, d, "agreementCompliance", `{"contract":"*"}`, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), demoEnd)
	// acme-it: compliance + 2 milestones; globex: compliance + 1; initech: compliance.
	names := []string{}
	for _, f := range r.Frames {
		names = append(names, f.Name)
	}
	want := []string{"Service levels", "Service levels: Below target", "Service levels: Requests past their goal",
		"Delivery performance", "Delivery performance: Three late weeks in a row", "Platform availability"}
	if len(names) != len(want) {
		t.Fatalf("frames %q, want %q", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("frames %q, want %q", names, want)
		}
		if r.Frames[i].Rows() == 0 {
			t.Fatalf("frame %q is empty", names[i])
		}
	}
	experimental.CheckGoldenJSONResponse(t, "testdata", "agreement_compliance.golden", &r, updateGolden)
}

// The ledger of every demo agreement as closed on read at the demo's end, and
// its hash chains.
func TestLedgerGolden(t *testing.T) {
	d := goldenDemo(t)
	r := goldenQuery(t, d, "ledger", `{"contract":"*"}`, demoEnd.AddDate(0, -1, 0), demoEnd)
	if len(r.Frames) != 2 {
		t.Fatalf("want the ledger and its chains, got %d frames", len(r.Frames))
	}
	entries, chains := r.Frames[0], r.Frames[1]
	if entries.Rows() == 0 {
		t.Fatal("no ledger entries")
	}
	perAgreement := map[any]int{}
	for _, a := range column(t, entries, "agreement") {
		perAgreement[a]++
	}
	if len(perAgreement) != 3 {
		t.Fatalf("entries by agreement %v, want the 3 demo agreements", perAgreement)
	}
	for _, k := range column(t, entries, "kind") {
		if k != "close" {
			t.Fatalf("a fresh ledger holds closes only, found %v", k)
		}
	}
	ok, counts := column(t, chains, "ok"), column(t, chains, "entries")
	for i, a := range column(t, chains, "agreement") {
		if ok[i] != true || counts[i] != int64(perAgreement[a]) {
			t.Fatalf("chain of %v: ok %v, %v entries, want ok and %d", a, ok[i], counts[i], perAgreement[a])
		}
	}
	experimental.CheckGoldenJSONResponse(t, "testdata", "ledger.golden", &r, updateGolden)
}

// A scorecard per demo contract over the 30 days before the demo's end.
func TestContractScorecardGolden(t *testing.T) {
	d := goldenDemo(t)
	r := goldenQuery(t, d, "contractScorecard", `{"contract":"acme-it,globex-logistics,initech-cloud"}`, demoEnd.AddDate(0, 0, -30), demoEnd)
	want := map[string]int{"scorecard acme-it": 3, "scorecard globex-logistics": 2, "scorecard initech-cloud": 5}
	if len(r.Frames) != len(want) {
		t.Fatalf("%d frames, want %d", len(r.Frames), len(want))
	}
	for _, f := range r.Frames {
		if f.Rows() != want[f.Name] {
			t.Fatalf("%s: %d rows, want %d", f.Name, f.Rows(), want[f.Name])
		}
		for i, a := range column(t, f, "actual") {
			if a == nil {
				t.Fatalf("%s: row %d has no actual", f.Name, i)
			}
		}
	}
	experimental.CheckGoldenJSONResponse(t, "testdata", "contract_scorecard.golden", &r, updateGolden)
}

// The portfolio of the demo contracts at the demo's end, and its summary.
func TestPortfolioGolden(t *testing.T) {
	d := goldenDemo(t)
	r := goldenQuery(t, d, "portfolio", `{}`, demoEnd.AddDate(0, -1, 0), demoEnd)
	if len(r.Frames) != 2 {
		t.Fatalf("want the table and its summary, got %d frames", len(r.Frames))
	}
	table, summary := r.Frames[0], r.Frames[1]
	if got := column(t, table, "contract"); !equalAny(got, []any{"acme-it", "globex-logistics", "initech-cloud"}) {
		t.Fatalf("contracts %v", got)
	}
	for i, c := range column(t, table, "compliance") {
		if c == nil {
			t.Fatalf("row %d has no compliance: every demo contract has an agreement with data", i)
		}
	}
	if rate := column(t, summary, "contract_compliance_rate")[0]; rate == nil {
		t.Fatal("no contract compliance rate")
	}
	experimental.CheckGoldenJSONResponse(t, "testdata", "portfolio.golden", &r, updateGolden)
}

// The annotations of every demo contract from 1 January 2026 to 1 January 2027
// (the demo ends on 15 March 2026, so later there are only renewal and notice
// dates): one frame in Grafana's annotation shape, oldest first. By hand: the
// ledger closes December, January and February of the two monthly agreements
// and the fourth quarter of 2025 of Globex's quarterly one (7 closes, none
// restated on a fresh ledger); Globex renews on 2026-09-01 with notice by
// 2026-07-03 (60 days), Initech on 2026-12-01 by 2026-10-17 (45 days), and
// Acme's notice date is 2026-12-01 (90 days before its renewal on 2027-03-01,
// after the range).
func TestAnnotationsGolden(t *testing.T) {
	d := goldenDemo(t)
	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	r := goldenQuery(t, d, "annotations", `{"contract":"*"}`, from, to)
	if len(r.Frames) != 1 {
		t.Fatalf("%d frames, want 1", len(r.Frames))
	}
	f := r.Frames[0]
	for _, name := range []string{"time", "timeEnd", "title", "text", "tags"} {
		column(t, f, name) // Grafana's annotation fields are all there
	}
	kinds := map[any]int{}
	tags, times, contracts := column(t, f, "tags"), column(t, f, "time"), column(t, f, "contract")
	var renewals []string
	for i, k := range column(t, f, "kind") {
		kinds[k]++
		if want := "covenant," + k.(string) + "," + contracts[i].(string) + ","; !strings.HasPrefix(tags[i].(string)+",", want) {
			t.Errorf("row %d: tags %q, want them to start with %q", i, tags[i], want)
		}
		if i > 0 && times[i].(time.Time).Before(times[i-1].(time.Time)) {
			t.Errorf("row %d is before row %d", i, i-1)
		}
		if k == "renewal" {
			renewals = append(renewals, contracts[i].(string)+" "+times[i].(time.Time).Format(time.DateOnly))
		}
	}
	if kinds["closes"] != 7 || kinds["restatements"] != 0 || kinds["milestones"] == 0 || kinds["rag"] == 0 {
		t.Fatalf("events by kind %v, want 7 closes, no restatement, milestones and RAG changes", kinds)
	}
	wantRenewals := []string{"globex-logistics 2026-07-03", "globex-logistics 2026-09-01", "initech-cloud 2026-10-17", "acme-it 2026-12-01", "initech-cloud 2026-12-01"}
	if strings.Join(renewals, "; ") != strings.Join(wantRenewals, "; ") {
		t.Fatalf("renewal and notice dates %q, want %q", renewals, wantRenewals)
	}
	experimental.CheckGoldenJSONResponse(t, "testdata", "annotations.golden", &r, updateGolden)

	// kinds narrows them: the renewal dates only.
	r = goldenQuery(t, d, "annotations", `{"contract":"acme-it,globex-logistics","kinds":["renewal"]}`, from, to)
	if got := column(t, r.Frames[0], "title"); len(got) != 3 {
		t.Fatalf("renewal only: %v", got)
	}
}

// An annotations query names what is wrong: an unknown contract, a kind that does not exist.
func TestAnnotationsQueryErrors(t *testing.T) {
	d := goldenDemo(t)
	for body, want := range map[string]string{
		`{"contract":"acme-it,nope"}`:                `contract: there is no contract "nope" in the registry`,
		`{"contract":"acme-it","kinds":["deploys"]}`: `kinds[0]: "deploys" is not a kind of annotation`,
	} {
		r := runQuery(t, d, "annotations", body, demoEnd.AddDate(0, -1, 0), demoEnd)
		if r.Error == nil || !strings.Contains(r.Error.Error(), want) || r.ErrorSource != backend.ErrorSourceDownstream {
			t.Errorf("%s: %v (%s), want a downstream error containing %q", body, r.Error, r.ErrorSource, want)
		}
	}
}
