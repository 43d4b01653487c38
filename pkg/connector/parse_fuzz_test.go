package connector

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// The parsers never panic, never return an error that is not a connector
// error, and give only rows with a time. Corpus: testdata/fuzz/.
//
//	go test -run x -fuzz FuzzParseJSON -fuzztime 60s ./pkg/connector/

func FuzzParseJSON(f *testing.F) {
	f.Add(ticketsJSON, "data.items", "opened", "response.minutes", "contract")
	f.Add(`[{"time":1,"value":2}]`, "", "time", "value", "")
	f.Add(`{"a":[{"t":"2026-01-01","v":"1e3"}]}`, "a", "t", "v", "k")
	f.Add(`[1,2,3]`, "", "time", "value", "")
	f.Add(`{"a":{"b":[{"time":null,"value":true}]}}`, "a.b", "time", "value", "")
	f.Fuzz(func(t *testing.T, doc, rowsPath, tf, vf, kf string) {
		q := models.ConnectorQuery{RowsPath: rowsPath, TimeField: tf, ValueField: vf, KeyField: kf}
		err := ParseJSON(strings.NewReader(doc), q, func(tm time.Time, _ float64, _ string) bool {
			if tm.IsZero() {
				t.Fatalf("a row without a time")
			}
			return true
		})
		if err != nil && !errors.Is(err, models.ErrConnector) {
			t.Fatalf("%v is not a connector error", err)
		}
	})
}

func FuzzParseCSV(f *testing.F) {
	f.Add(ticketsCSV, ";", "opened", "minutes", "contract")
	f.Add("time,value\n1,2\n", ",", "time", "value", "")
	f.Add("time,value\n\"1\",\"\"\"\"\n", ",", "time", "value", "")
	f.Add("a\tb\n2026-01-01\t-0\n", "\t", "a", "b", "")
	f.Fuzz(func(t *testing.T, doc, delim, tf, vf, kf string) {
		d := []rune(delim)
		if len(d) != 1 || d[0] == '"' || d[0] == '\r' || d[0] == '\n' || d[0] == 0xFFFD {
			return // the settings refuse these delimiters
		}
		q := models.ConnectorQuery{TimeField: tf, ValueField: vf, KeyField: kf}
		err := ParseCSV(strings.NewReader(doc), d[0], q, func(time.Time, float64, string) bool { return true })
		if err != nil && !errors.Is(err, models.ErrConnector) {
			t.Fatalf("%v is not a connector error", err)
		}
	})
}

func FuzzTrackerSeriesQuery(f *testing.F) {
	f.Add(`{"contract":"acme","trackers":[{"name":"a","method":"avg","interval":"1d","kpi":{"name":"k","direction":"higher_is_better","rawSql":"SELECT 1"},"target":{"constant":1}}]}`)
	f.Add(`{"contract":"acme","trackers":[{"name":"a","kpi":{"name":"k","connector":"api","path":"/x","direction":"lower_is_better"},"target":{"schedule":[{"from":"2026-01-01T00:00:00Z","value":2}]},"condition":{"op":"<=","threshold":1}}]}`)
	f.Add(`{"trackers":null}`)
	f.Fuzz(func(t *testing.T, raw string) {
		_, err := models.LoadTrackerSeriesQuery([]byte(raw))
		if err != nil && !errors.Is(err, models.ErrInvalidQuery) {
			t.Fatalf("%v is not a query error", err)
		}
	})
}
