package connector

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/kpi/kpitest"
	"github.com/covenant/contracts/pkg/models"
)

// counted wraps a connector, hides its push-down (so every method is
// aggregated in process) and counts how often its rows are read.
type counted struct {
	Connector
	each, rows int
}

func (c *counted) EachRow(ctx context.Context, r Request, fn func(ns int64, v float64) bool) error {
	c.each++
	return c.Connector.(RowStreamer).EachRow(ctx, r, fn)
}

func (c *counted) Rows(ctx context.Context, r Request) (kpi.Rows, error) {
	c.rows++
	return c.Connector.Rows(ctx, r)
}

// before is Figures in process as it was before streaming: every row read, then KeepRows and Aggregate.
func before(ctx context.Context, c Connector, r Request, starts []time.Time, m kpi.Method, cond *models.Condition) ([]float64, error) {
	rows, err := c.Rows(ctx, r)
	if err != nil {
		return nil, err
	}
	return kpi.Aggregate(kpi.KeepRows(rows, r.Keep), starts, m, cond), nil
}

func sameFloatBits(t *testing.T, name string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d buckets, want %d", name, len(got), len(want))
	}
	for i := range want {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			t.Fatalf("%s: bucket %d: streamed %v, Rows + Aggregate %v", name, i, got[i], want[i])
		}
	}
}

// streamDiff compares Figures through the counting wrapper with the rows read
// whole and aggregated, bit for bit, for every method × interval × zone, with
// and without a working-time filter. Rows are read again (fallback) only for
// sum and avg over rows out of time order.
func streamDiff(t *testing.T, c Connector, q models.ConnectorQuery, ds *kpitest.Dataset, sorted bool) (series, fallbacks int) {
	t.Helper()
	ctx := context.Background()
	from, to := ds.Times[0], ds.Times[0]
	for _, tm := range ds.Times {
		if tm.Before(from) {
			from = tm
		}
		if tm.After(to) {
			to = tm
		}
	}
	weekdays := func(tm time.Time) bool { wd := tm.UTC().Weekday(); return wd != time.Saturday && wd != time.Sunday }
	cond := &models.Condition{Op: "<=", Threshold: 50}
	for _, zone := range diffZones {
		loc, _ := time.LoadLocation(zone)
		for _, iv := range []kpi.Interval{kpi.Hour, kpi.Day, kpi.Month} {
			starts, err := kpi.Buckets(from, to.Add(time.Second), iv, loc)
			if err != nil {
				t.Fatal(err)
			}
			if len(starts) > 2 { // the range starts a bucket late: rows before it are read and must be left out
				starts = starts[1:]
			}
			for ki, keep := range []func(time.Time) bool{nil, weekdays} {
				r := Request{ConnectorQuery: q, From: starts[0], To: starts[len(starts)-1], Keep: keep}
				for _, m := range kpi.Methods {
					var mc *models.Condition
					if m == kpi.Ratio {
						mc = cond
					}
					name := fmt.Sprintf("%s / %s / %s / keep %d / %s", ds.Name, zone, iv, ki, m)
					cc := &counted{Connector: c}
					got, pushed, err := Figures(ctx, cc, r, starts, m, mc)
					if err != nil || pushed {
						t.Fatalf("%s: pushed %v, %v", name, pushed, err)
					}
					want, err := before(ctx, c, r, starts, m, mc)
					if err != nil {
						t.Fatal(err)
					}
					sameFloatBits(t, name, got, want)
					if cc.each != 1 || cc.rows > 1 {
						t.Fatalf("%s: rows streamed %d times and read whole %d times", name, cc.each, cc.rows)
					}
					if cc.rows == 1 {
						fallbacks++
						if sorted || (m != kpi.Sum && m != kpi.Avg) {
							t.Fatalf("%s: read twice, on rows in time order or for a method that does not depend on it", name)
						}
					}
					series++
				}
			}
		}
	}
	return series, fallbacks
}

// Figures in process streams SQLite rows: the figures are those of the rows
// read whole, bit for bit, over the generated datasets (DST edges, nulls, NaN,
// duplicate times, shuffled rows, rows before the range), given in the
// order of a sequence column and in time order; the ISO text times are
// read as the engine reads them.
func TestSQLiteStreamMatchesRows(t *testing.T) {
	_, writer, c := sqliteFile(t)
	var series, fallbacks int
	for _, l := range []layout{
		{name: "unix seconds", create: "CREATE TABLE conn_rows (seq INTEGER, t INTEGER, v REAL)",
			timeArg: func(t time.Time) any { return t.Unix() }, query: "SELECT t AS time, v AS value FROM conn_rows ORDER BY seq"},
		{name: "ISO text, with a status", create: "CREATE TABLE conn_rows (seq INTEGER, t TEXT, v REAL)",
			timeArg: func(t time.Time) any { return t.UTC().Format(time.RFC3339Nano) },
			query:   "SELECT t AS time, v AS value, CASE WHEN seq % 3 = 0 THEN 'open' ELSE 'done' END AS status FROM conn_rows ORDER BY seq"},
	} {
		for _, ds := range kpitest.Datasets() {
			loadRows(t, writer, l, ds, "INSERT INTO conn_rows VALUES (?, ?, ?)")
			for _, order := range []string{"seq", "t, seq"} {
				q := models.ConnectorQuery{RawSQL: strings.Replace(l.query, "ORDER BY seq", "ORDER BY "+order, 1)}
				sorted := order != "seq" || slices.IsSortedFunc(ds.Times, time.Time.Compare)
				if strings.HasPrefix(l.name, "ISO") && order != "seq" {
					continue // text times sort as text, not as instants
				}
				n, f := streamDiff(t, c, q, ds, sorted)
				series, fallbacks = series+n, fallbacks+f
			}
		}
	}
	if fallbacks == 0 {
		t.Fatal("no fallback: the shuffled decimal sums should have been read again")
	}
	t.Logf("%d series compared bit for bit; %d of them (sums and averages over shuffled rows) read the rows a second time", series, fallbacks)
}

// The same over HTTP CSV and JSON: rows outside the range and of other
// contracts are left out as Rows leaves them out.
func TestHTTPStreamMatchesRows(t *testing.T) {
	var ds *kpitest.Dataset
	for _, d := range kpitest.Datasets() {
		if strings.Contains(d.Name, "shuffled") {
			ds = d
		}
	}
	var csvDoc, jsonDoc strings.Builder
	csvDoc.WriteString("time,value,contract\n")
	jsonDoc.WriteString("[")
	for i, tm := range ds.Times {
		v := fmt.Sprint(ds.Values[i])
		if ds.Null[i] || math.IsNaN(ds.Values[i]) {
			v = "null"
		}
		contract := "acme"
		if i%7 == 0 {
			contract = "other"
		}
		fmt.Fprintf(&csvDoc, "%s,%s,%s\n", tm.UTC().Format(time.RFC3339Nano), strings.Replace(v, "null", "", 1), contract)
		if i > 0 {
			jsonDoc.WriteByte(',')
		}
		fmt.Fprintf(&jsonDoc, `{"time":%q,"value":%s,"contract":%q}`, tm.UTC().Format(time.RFC3339Nano), v, contract)
	}
	jsonDoc.WriteString("]")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".csv") {
			fmt.Fprint(w, csvDoc.String())
			return
		}
		fmt.Fprint(w, jsonDoc.String())
	}))
	defer srv.Close()
	q := models.ConnectorQuery{TimeField: "time", ValueField: "value", KeyField: "contract"}
	for _, typ := range []models.ConnectorType{models.ConnectorHTTPCSV, models.ConnectorHTTPJSON} {
		c := httpConn(t, srv, typ, func(s *models.ConnectorSettings) { s.Delimiter = ","; s.TimeoutSeconds = 10 })
		q.Path = "rows.json"
		if typ == models.ConnectorHTTPCSV {
			q.Path = "rows.csv"
		}
		series, fallbacks := streamDiff(t, c, q, ds, false)
		if fallbacks == 0 {
			t.Fatalf("%s: no fallback over shuffled decimals", typ)
		}
		t.Logf("%s: %d series compared bit for bit, %d read twice", typ, series, fallbacks)
	}
}

// A bad row fails Figures in process with the error Rows gives, naming the row and column.
func TestStreamErrorsAsRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.db")
	writer, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	if _, err := writer.Exec("CREATE TABLE r (t INTEGER, v TEXT); INSERT INTO r VALUES (1767225600, '1'), (1767229200, 'x'), (NULL, '2')"); err != nil {
		t.Fatal(err)
	}
	c, err := Open(models.ConnectorSettings{UID: "f", Name: "file", Type: models.ConnectorSQLite, Path: path, TimeFormat: "unix", MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	starts := []time.Time{jan1, jan1.Add(24 * time.Hour)}
	for _, q := range []string{"SELECT t AS time, v AS value FROM r", "SELECT t AS time, 1 AS value FROM r", "SELECT t AS tm, v AS value FROM r"} {
		r := Request{ConnectorQuery: models.ConnectorQuery{RawSQL: q}, From: starts[0], To: starts[1], Keep: func(time.Time) bool { return true }}
		_, rowsErr := c.Rows(context.Background(), r)
		_, _, err := Figures(context.Background(), c, r, starts, kpi.Avg, nil)
		if rowsErr == nil || err == nil || err.Error() != rowsErr.Error() {
			t.Fatalf("%s: Figures %v, Rows %v", q, err, rowsErr)
		}
	}
}
