package kpi

import (
	"archive/zip"
	"crypto/sha256"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// zoneNames lists every zone of the Go time-zone database, read from
// $GOROOT/lib/time/zoneinfo.zip (the embedded time/tzdata cannot be listed),
// one name per distinct zone: a name whose data is byte for byte another's (a
// link such as US/Eastern for America/New_York) would give the same buckets.
func zoneNames(t *testing.T) []string {
	t.Helper()
	root := os.Getenv("GOROOT")
	if out, err := exec.Command("go", "env", "GOROOT").Output(); err == nil {
		root = strings.TrimSpace(string(out))
	}
	path := filepath.Join(root, "lib", "time", "zoneinfo.zip")
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("the zone list is read from the Go installation's %s: %v (is `go` on PATH, or GOROOT set?)", path, err)
	}
	defer z.Close()
	seen := map[[sha256.Size]byte]bool{}
	var names []string
	for _, f := range z.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(data); !seen[sum] {
			seen[sum] = true
			names = append(names, f.Name)
		}
	}
	if len(names) < 300 {
		t.Fatalf("%s holds only %d distinct zones", path, len(names))
	}
	sort.Strings(names)
	return names
}

// clock is a zone's local clock reading over time, as seconds of a wall time
// (Unix seconds shifted by the offset), and its "progress": the latest reading
// so far. A clock set back (a DST end, or a zone that moves west) reads a time
// it has already shown; the calendar does not go back with it, so a boundary
// is where the progress first reaches a date, hour block, month, …
type clock struct {
	loc *time.Location
	// at and before are the zone's offset changes in time order: the instant
	// and the reading one second before it.
	at, before []int64
	// most[i] is the latest reading up to and including change i.
	most []int64
}

// newClock records loc's offset changes between from and to.
func newClock(loc *time.Location, from, to time.Time) *clock {
	c := &clock{loc: loc}
	for t := from.In(loc); ; {
		_, end := t.ZoneBounds()
		if end.IsZero() || end.After(to) {
			return c
		}
		prev := c.reading(end.Unix() - 1)
		c.at, c.before = append(c.at, end.Unix()), append(c.before, prev)
		if n := len(c.most); n > 0 && c.most[n-1] > prev {
			prev = c.most[n-1]
		}
		c.most = append(c.most, prev)
		t = end.In(loc)
	}
}

// reading is the clock's reading at Unix second u.
func (c *clock) reading(u int64) int64 {
	_, off := time.Unix(u, 0).In(c.loc).Zone()
	return u + int64(off)
}

// progress is the latest reading at or before Unix second u.
func (c *clock) progress(u int64) int64 {
	r := c.reading(u)
	i := sort.Search(len(c.at), func(i int) bool { return c.at[i] > u }) // changes at or before u: [0, i)
	if i > 0 && c.most[i-1] > r {
		return c.most[i-1]
	}
	return r
}

// skippedDates counts, per year, the local dates the clock jumps over whole
// (Samoa's 30 Dec 2011): the change at instant i moves the reading from one
// date to a later one with dates between.
func (c *clock) skippedDates() map[int]int {
	out := map[int]int{}
	for _, at := range c.at {
		from, to := floorDiv(c.progress(at-1), 86400), floorDiv(c.reading(at), 86400)
		for d := from + 1; d < to; d++ {
			out[time.Unix(d*86400, 0).UTC().Year()]++
		}
	}
	return out
}

// unitOf numbers the calendar unit (4h block, day, ISO week, month, quarter,
// year) that holds the wall time of s seconds, independently of the engine: units
// are consecutive integers, a bucket starts where the progress enters a new one.
func unitOf(iv Interval, s int64) int64 {
	days := floorDiv(s, 86400)
	w := time.Unix(s, 0).UTC()
	switch iv {
	case FourHour:
		return days*6 + int64(w.Hour()/4)
	case Day:
		return days
	case Week:
		return floorDiv(days+3, 7) // 1970-01-01 was a Thursday; weeks start on Monday
	case Month:
		return int64(w.Year())*12 + int64(w.Month()) - 1
	case Quarter:
		return int64(w.Year())*4 + int64(w.Month()-1)/3
	case Year:
		return int64(w.Year())
	}
	panic("no unit for " + string(iv))
}

// Every zone of the time-zone database, 1970–2037, for every calendar interval
// (1h is left out: its buckets follow offsets, not dates, and 68 years of hours
// in ~600 zones is too slow). For each bucket: it is not empty; it starts where
// the zone's calendar enters a unit (the progress of its clock — its latest
// reading, which a clock set back does not undo — enters a new day, block,
// week, … at its start, and was in an earlier unit one second before); its
// start's own reading is in that unit (its local date is the boundary date, or
// a later one where the whole date is skipped); no unit begins inside it (one
// second before its end the progress is still in its unit); Floor finds its
// start from its last second. And a year holds 365 or 366
// local days less the dates a zone skipped whole, 12 months, 4 quarters and
// its 52 or 53 ISO weeks.
func TestCalendarBoundariesInEveryZone(t *testing.T) {
	if testing.Short() {
		t.Skip("every zone × 68 years: skipped in -short")
	}
	from := time.Date(1969, 6, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2038, 6, 1, 0, 0, 0, 0, time.UTC)
	names := zoneNames(t)
	faults := make([][]string, len(names))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				faults[i] = checkZone(names[i], from, to)
			}
		})
	}
	for i := range names {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, f := range faults {
		for _, msg := range f {
			t.Errorf("%s %s", names[i], msg)
		}
	}
	t.Logf("%d distinct zones checked", len(names))
}

// checkZone checks every calendar interval in one zone; it returns the faults.
func checkZone(name string, from, to time.Time) []string {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return []string{err.Error()}
	}
	c := newClock(loc, from.AddDate(-1, 0, 0), to.AddDate(1, 0, 0))
	var faults []string
	for _, iv := range []Interval{FourHour, Day, Week, Month, Quarter, Year} {
		if err := checkZoneCalendar(c, iv, from, to); err != "" {
			faults = append(faults, string(iv)+": "+err)
		}
	}
	return faults
}

// checkZoneCalendar checks one zone's buckets of one interval over [from, to)
// as TestCalendarBoundariesInEveryZone describes; it returns the first fault.
func checkZoneCalendar(c *clock, iv Interval, from, to time.Time) string {
	starts, err := Buckets(from, to, iv, c.loc)
	if err != nil {
		return err.Error()
	}
	perYear := map[int]int{}
	for i := 0; i+1 < len(starts); i++ {
		s, e := starts[i], starts[i+1]
		if !e.After(s) {
			return "empty bucket at " + s.String()
		}
		su, eu := s.Unix(), e.Unix()
		if s.Nanosecond() != 0 || e.Nanosecond() != 0 {
			return "a bound is not a whole second: " + s.String()
		}
		unit := unitOf(iv, c.progress(su))
		if unitOf(iv, c.reading(su)) != unit {
			return "the start's own reading is not in its unit: " + s.In(c.loc).String()
		}
		if unitOf(iv, c.progress(su-1)) >= unit {
			return "not the first instant of its unit: " + s.In(c.loc).String()
		}
		if unitOf(iv, c.progress(eu-1)) != unit {
			return "a unit begins inside the bucket starting " + s.In(c.loc).String()
		}
		if f := iv.Floor(e.Add(-time.Second), c.loc); !f.Equal(s) {
			return "Floor of the last second before " + e.String() + " is " + f.String()
		}
		perYear[yearOf(iv, c.progress(su))]++
	}
	skipped := c.skippedDates()
	for y := 1970; y <= 2037; y++ {
		want := 1
		switch iv {
		case Day:
			want = time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC).YearDay() - skipped[y]
		case Week:
			if _, want = time.Date(y, 12, 28, 0, 0, 0, 0, time.UTC).ISOWeek(); want != 52 && want != 53 {
				return "the calendar has an ISO year of a strange length"
			}
		case Month:
			want = 12
		case Quarter:
			want = 4
		case FourHour:
			continue // blocks are covered by the boundary checks; days by the 1d count
		}
		if perYear[y] != want {
			return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006") + ": " + strconv.Itoa(perYear[y]) + " buckets, want " + strconv.Itoa(want)
		}
	}
	return ""
}

// yearOf is the year a unit is counted in: its ISO year for weeks, else the
// calendar year of the wall time.
func yearOf(iv Interval, wall int64) int {
	w := time.Unix(wall, 0).UTC()
	if iv == Week {
		y, _ := w.ISOWeek()
		return y
	}
	return w.Year()
}

// floorDiv is a/b rounded down (b > 0).
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
