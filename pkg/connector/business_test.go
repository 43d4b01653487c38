package connector

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// officeMinutes measures rows in minutes of Mon–Fri 08:00–18:00 Europe/London.
func officeMinutes(t *testing.T) *Business {
	t.Helper()
	var hours []calendar.Hours
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri"} {
		hours = append(hours, calendar.Hours{Day: d, From: "08:00", To: "18:00"})
	}
	cc, err := calendar.Compile(&calendar.Calendar{Name: "UK office", Timezone: "Europe/London", Hours: hours})
	if err != nil {
		t.Fatal(err)
	}
	return &Business{Working: cc.Working, Windows: cc.Windows, Per: time.Minute}
}

var bstZone = func() *time.Location { l, _ := time.LoadLocation("Europe/London"); return l }()

func bst(d, h, m int) time.Time { return time.Date(2026, 5, d, h, m, 0, 0, bstZone) }

// businessTickets are tickets (opened, answered) in May 2026, London time, on
// Mon–Fri 08:00–18:00, with their business minutes by hand:
//
//	Fri 15 17:30 → Mon 18 08:30: 30 (Fri 17:30–18:00) + 30 (Mon 08:00–08:30) = 60
//	Sat 16 10:00 → Sat 16 11:00: 0 (no working time on Saturdays)
//	Tue 19 07:00 → Tue 19 19:00: 600 (08:00–18:00)
//	Wed 20 09:00 → still open: null
//	Thu 21 17:00 → Fri 22 09:15: 60 (Thu 17:00–18:00) + 75 (Fri 08:00–09:15) = 135
var businessTickets = [][2]time.Time{
	{bst(15, 17, 30), bst(18, 8, 30)},
	{bst(16, 10, 0), bst(16, 11, 0)},
	{bst(19, 7, 0), bst(19, 19, 0)},
	{bst(20, 9, 0), {}},
	{bst(21, 17, 0), bst(22, 9, 15)},
}

var businessMinutes = []float64{60, 0, 600, math.NaN(), 135}

func assertValues(t *testing.T, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if !(got[i] == want[i] || math.IsNaN(got[i]) && math.IsNaN(want[i])) {
			t.Fatalf("row %d: got %v, want %v (all %v)", i, got[i], want[i], got)
		}
	}
}

func TestBusinessTimeFromSQL(t *testing.T) {
	_, writer, c := sqliteFile(t)
	if _, err := writer.Exec("CREATE TABLE tickets (opened INTEGER, answered INTEGER)"); err != nil {
		t.Fatal(err)
	}
	for _, tk := range businessTickets {
		var end any
		if !tk[1].IsZero() {
			end = tk[1].Unix()
		}
		if _, err := writer.Exec("INSERT INTO tickets VALUES (?, ?)", tk[0].Unix(), end); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	q := models.ConnectorQuery{RawSQL: `SELECT opened AS time, answered AS "end" FROM tickets WHERE $__timeFilter(opened) ORDER BY opened`}
	r := Request{ConnectorQuery: q, From: bst(11, 0, 0), To: bst(25, 0, 0), Business: officeMinutes(t)}
	rows, err := c.Rows(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	assertValues(t, rows.Values, businessMinutes)

	// Per London day, averaged in process (SQLite does not push business time down): Fri 15 60, Sat 16 0,
	// Tue 19 600, Wed 20 none yet (open), Thu 21 135.
	loc, _ := kpi.LoadLocation("tz", "Europe/London")
	starts, _ := kpi.Buckets(bst(15, 0, 0), bst(22, 0, 0), kpi.Day, loc)
	actual, pushed, err := Figures(ctx, c, r, starts, kpi.Avg, nil)
	if err != nil || pushed {
		t.Fatalf("figures %v, pushed %v: %v", actual, pushed, err)
	}
	assertValues(t, actual, []float64{60, 0, math.NaN(), math.NaN(), 600, math.NaN(), 135})

	// Without an end column the error says what a business-time KPI returns.
	r.RawSQL = "SELECT opened AS time, answered AS value FROM tickets"
	if _, err := c.Rows(ctx, r); !errors.Is(err, models.ErrConnector) || !strings.Contains(err.Error(), "no end column") {
		t.Fatalf("no end column: %v", err)
	}
	// An end before its time is refused, naming the row.
	if _, err := writer.Exec("INSERT INTO tickets VALUES (?, ?)", bst(23, 12, 0).Unix(), bst(23, 11, 0).Unix()); err != nil {
		t.Fatal(err)
	}
	r.RawSQL = q.RawSQL
	if _, err := c.Rows(ctx, r); err == nil || !strings.Contains(err.Error(), "row 6, column end") || !strings.Contains(err.Error(), "before the time") {
		t.Fatalf("an end before the time: %v", err)
	}
}

func TestBusinessTimeFromHTTP(t *testing.T) {
	var js, csv strings.Builder
	js.WriteString(`{"tickets":[`)
	csv.WriteString("opened,answered\n")
	for i, tk := range businessTickets {
		end, endCSV := "null", ""
		if !tk[1].IsZero() {
			end = `"` + tk[1].Format(time.RFC3339) + `"`
			endCSV = fmt.Sprint(tk[1].Unix())
		}
		if i > 0 {
			js.WriteString(",")
		}
		fmt.Fprintf(&js, `{"opened":%q,"answered":%s}`, tk[0].Format(time.RFC3339), end)
		fmt.Fprintf(&csv, "%s,%s\n", tk[0].Format(time.RFC3339), endCSV)
	}
	js.WriteString("]}")
	mux := http.NewServeMux()
	mux.HandleFunc("/kpi/t.json", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, js.String()) })
	mux.HandleFunc("/kpi/t.csv", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, csv.String()) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	for _, tc := range []struct {
		typ models.ConnectorType
		q   models.ConnectorQuery
	}{
		{models.ConnectorHTTPJSON, models.ConnectorQuery{Path: "/t.json", RowsPath: "tickets", TimeField: "opened", EndField: "answered"}},
		{models.ConnectorHTTPCSV, models.ConnectorQuery{Path: "/t.csv", TimeField: "opened", EndField: "answered"}},
	} {
		c, err := Open(models.ConnectorSettings{UID: "h", Name: "api", Type: tc.typ, URL: srv.URL + "/kpi", TimeoutSeconds: 1, MaxResponseMB: 1,
			Delimiter: ",", AllowedHosts: []string{u.Hostname()}})
		if err != nil {
			t.Fatal(err)
		}
		r := Request{ConnectorQuery: tc.q, From: bst(11, 0, 0), To: bst(25, 0, 0), Business: officeMinutes(t)}
		rows, err := c.Rows(context.Background(), r)
		if err != nil {
			t.Fatalf("%s: %v", tc.typ, err)
		}
		assertValues(t, rows.Values, businessMinutes)
		// The preview shows each row's end as read (it knows no calendar); the open one is null.
		f, err := c.Preview(context.Background(), Request{ConnectorQuery: tc.q, From: r.From, To: r.To}, 10)
		if err != nil || f.Rows() != 5 || f.Fields[1].Name != "end" {
			t.Fatalf("%s: preview %v, %v", tc.typ, f, err)
		}
		if e, _ := f.Fields[1].ConcreteAt(0); !e.(time.Time).Equal(businessTickets[0][1]) {
			t.Fatalf("%s: preview end %v", tc.typ, e)
		}
		if _, ok := f.Fields[1].ConcreteAt(3); ok {
			t.Fatalf("%s: the open ticket's end is null", tc.typ)
		}
		// The end field defaults to end, and its absence names endField.
		r.EndField = ""
		if _, err := c.Rows(context.Background(), r); err == nil || !strings.Contains(err.Error(), "endField") {
			t.Fatalf("%s: no end field: %v", tc.typ, err)
		}
		_ = c.Close()
	}
}
