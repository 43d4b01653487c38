package plugin

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// byTracker indexes a trackerSeries answer's frames by their trackerId label.
func byTracker(t *testing.T, r backend.DataResponse) map[string]*data.Frame {
	t.Helper()
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	out := map[string]*data.Frame{}
	for _, f := range r.Frames {
		out[f.Fields[1].Labels["trackerId"]] = f
	}
	return out
}

// fieldOf returns a frame's field by name.
func fieldOf(t *testing.T, f *data.Frame, name string) *data.Field {
	t.Helper()
	fl, i := f.FieldByName(name)
	if i < 0 {
		t.Fatalf("frame %s has no field %s", f.Name, name)
	}
	return fl
}

// TestRegistrySeriesDoNotDependOnTheRange (defect A, through the datasource): the demo
// contract acme-it's trackers (daily availability, weekly responses, monthly invoice
// accuracy) over the 7 days and the 400 days before Feb 10, 2026 12:00 give, on every
// bucket both hold, the same consecutive misses, and the same trend. Main counted runs
// from the range's first bucket, so the 7-day range's runs were capped at the buckets it
// held: the weekly responses had missed 10 weeks in a row by the week of Feb 9 (9 by the
// week of Feb 2), which main showed as 1 and 2.
// The scorecard over the 7 days shows, per tracker, the run and trend of the series'
// last judged (closed) bucket.
func TestRegistrySeriesDoNotDependOnTheRange(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	d := newTestDatasource(t, `{}`)
	end := time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC)
	series := func(days int) map[string]*data.Frame {
		return byTracker(t, queryOne(t, d, backend.DataQuery{RefID: "A", QueryType: "trackerSeries", JSON: json.RawMessage(`{"contract":"acme-it"}`),
			TimeRange: backend.TimeRange{From: end.AddDate(0, 0, -days), To: end}}))
	}
	short, long := series(7), series(400)
	if len(short) != 3 || len(long) != 3 {
		t.Fatalf("want acme-it's 3 trackers, got %d and %d", len(short), len(long))
	}
	sawRun := false
	for id, s := range short {
		l := long[id]
		times, lt := fieldOf(t, s, "time"), fieldOf(t, l, "time")
		misses, lm := fieldOf(t, s, "consecutive_misses"), fieldOf(t, l, "consecutive_misses")
		off := lt.Len() - times.Len() // both ranges end at the same time: the short one's buckets are the long one's last
		for i := 0; i < times.Len(); i++ {
			if !times.At(i).(time.Time).Equal(lt.At(off + i).(time.Time)) {
				t.Fatalf("%s: bucket %d is %v and %v", id, i, times.At(i), lt.At(off+i))
			}
			a, b := misses.At(i).(*float64), lm.At(off+i).(*float64)
			if *a != *b {
				t.Fatalf("%s at %v: %v misses in a row over 7 days, %v over 400 days", id, times.At(i), *a, *b)
			}
			sawRun = sawRun || *a > float64(i+1)
		}
		st, lt2 := s.Meta.Custom.(map[string]any)["trend"], l.Meta.Custom.(map[string]any)["trend"]
		if !reflect.DeepEqual(st, lt2) {
			t.Fatalf("%s: trend %v over 7 days, %v over 400 days", id, st, lt2)
		}
	}
	if !sawRun {
		t.Fatal("no run in the 7-day range started before it: this test would not tell main's bug")
	}

	body := json.RawMessage(`{"contract":"acme-it"}`)
	r := queryOne(t, d, backend.DataQuery{RefID: "B", QueryType: "contractScorecard", JSON: body, TimeRange: backend.TimeRange{From: end.AddDate(0, 0, -7), To: end}})
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	sc := r.Frames[0]
	names, misses, trends := fieldOf(t, sc, "tracker"), fieldOf(t, sc, "consecutive_misses"), fieldOf(t, sc, "trend")
	checked := 0
	for _, s := range short {
		rag, run := fieldOf(t, s, "rag"), fieldOf(t, s, "consecutive_misses")
		last := -1
		for i := 0; i < rag.Len(); i++ {
			if rag.At(i).(*float64) != nil {
				last = i
			}
		}
		for row := 0; row < sc.Rows() && last >= 0; row++ {
			if names.At(row).(string) != s.Name {
				continue
			}
			checked++
			want := s.Meta.Custom.(map[string]any)["trend"].(map[string]any)["direction"]
			if got := misses.At(row).(int64); float64(got) != *run.At(last).(*float64) || trends.At(row).(string) != want {
				t.Fatalf("scorecard %s: %d misses, trend %q; series: %v, %q", s.Name, got, trends.At(row), *run.At(last).(*float64), want)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no scorecard row was compared")
	}
}

// TestTrackerIDsKeepOnlyThoseTrackers: trackerIds ["monthly-invoice-accuracy"] on acme-it
// (assignments in id order: daily-availability, monthly-invoice-accuracy,
// responses-within-60) gives that one tracker. Main deleted each id from the wanted set
// once found, so with the set empty every later assignment passed the filter: it also
// returned responses-within-60, and the "3 months in a row" rule alerted on a weekly tracker.
func TestTrackerIDsKeepOnlyThoseTrackers(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	d := newTestDatasource(t, `{}`)
	for _, contracts := range []string{"acme-it", "acme-it,globex-logistics,initech-cloud"} {
		got := byTracker(t, queryOne(t, d, backend.DataQuery{RefID: "A", QueryType: "trackerSeries",
			JSON:      json.RawMessage(`{"contract":"` + contracts + `","trackerIds":["monthly-invoice-accuracy"]}`),
			TimeRange: backend.TimeRange{From: demoEnd.AddDate(0, 0, -1), To: demoEnd}}))
		if len(got) != 1 || got["monthly-invoice-accuracy"] == nil {
			t.Fatalf("%s: trackers %v, want monthly-invoice-accuracy only", contracts, keys(got))
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
