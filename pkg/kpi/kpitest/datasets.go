// Package kpitest generates the datasets the differential tests load into
// real databases and give to the engine: DST edges, nulls, NaN, duplicate
// times, rows out of order, empty stretches, negative values, single rows.
package kpitest

import (
	"math"
	"math/rand/v2"
	"time"
)

// Dataset is one generated set of rows, in the order they are given to the engine.
type Dataset struct {
	Name   string
	Times  []time.Time
	Values []float64 // NaN; nulls are marked in Null
	Null   []bool
}

func (d *Dataset) add(t time.Time, v float64, null bool) {
	d.Times = append(d.Times, t)
	d.Values = append(d.Values, v)
	d.Null = append(d.Null, null)
}

// Columns gives the engine's view (kpi.Rows): Unix ns times, and values with nulls and NaNs both as NaN.
func (d *Dataset) Columns() (times []int64, values []float64) {
	times, values = make([]int64, len(d.Times)), make([]float64, len(d.Times))
	for i, t := range d.Times {
		times[i] = t.UnixNano()
		values[i] = d.Values[i]
		if d.Null[i] {
			values[i] = math.NaN()
		}
	}
	return times, values
}

// Datasets covers DST edges in the zones tested, nulls, NaN, duplicate times,
// rows out of order, empty stretches, negative values and single-row buckets.
func Datasets() []*Dataset {
	r := rand.New(rand.NewPCG(7, 11)) // #nosec G404 -- test data
	var out []*Dataset

	dense := &Dataset{Name: "dense around DST changes"}
	for _, day := range []time.Time{
		time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC),  // US spring-forward Mar 8
		time.Date(2026, 3, 27, 0, 0, 0, 0, time.UTC), // EU spring-forward Mar 29
		time.Date(2026, 4, 3, 0, 0, 0, 0, time.UTC),  // Lord Howe fall-back Apr 5
		time.Date(2026, 10, 3, 0, 0, 0, 0, time.UTC), // Lord Howe spring-forward Oct 4
		time.Date(2026, 10, 24, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC), // US fall-back Nov 1
	} {
		for i := 0; i < 600; i++ {
			t := day.Add(time.Duration(r.Int64N(int64(72 * time.Hour))))
			v := math.Round((r.NormFloat64()*40+50)*1000) / 1000
			switch r.IntN(25) {
			case 0:
				dense.add(t, 0, true)
			case 1:
				dense.add(t, math.NaN(), false)
			case 2: // a duplicate time
				dense.add(t, v, false)
				dense.add(t, -v, false)
			default:
				dense.add(t, v, false)
			}
		}
	}
	out = append(out, dense)

	sparse := &Dataset{Name: "sparse year, negatives, single rows"}
	for t := time.Date(2026, 1, 1, 3, 0, 0, 0, time.UTC); t.Year() == 2026; t = t.Add(time.Duration(20+r.IntN(300)) * time.Hour) {
		sparse.add(t, -100+r.Float64()*150, false)
	}
	out = append(out, sparse)

	edges := &Dataset{Name: "rows on bucket edges"}
	for _, s := range []string{"2026-03-08T05:00:00Z", "2026-03-08T06:59:59Z", "2026-03-08T07:00:00Z", "2026-11-01T04:00:00Z",
		"2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z", "2026-11-01T06:00:00Z", "2026-03-29T00:59:59Z", "2026-03-29T01:00:00Z",
		"2026-12-31T23:59:59Z", "2027-01-01T00:00:00Z", "2026-06-30T18:30:00Z"} {
		t, _ := time.Parse(time.RFC3339, s)
		edges.add(t, float64(len(edges.Times)+1), false)
	}
	out = append(out, edges)

	// Out of order: shuffle the dense set's rows (the engine gets them unsorted; the SQL does not care).
	shuffled := &Dataset{Name: "dense, shuffled"}
	for _, i := range r.Perm(len(dense.Times)) {
		shuffled.add(dense.Times[i], dense.Values[i], dense.Null[i])
	}
	out = append(out, shuffled)
	return out
}
