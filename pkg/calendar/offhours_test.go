package calendar

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestOffHours(t *testing.T) {
	london := zone(t, "Europe/London")
	c := ukOffice()
	c.Exclusions = []Exclusion{{From: at(t, london, "2026-05-05 09:00"), To: at(t, london, "2026-05-05 10:00"), Reason: ReasonMaintenance}}
	cc := mustCompile(t, c)
	from, to := at(t, london, "2026-05-01 12:00"), at(t, london, "2026-05-05 12:00")
	got, complete := cc.OffHours(from, to, 0)
	want := []Interval{
		{at(t, london, "2026-05-01 18:00"), at(t, london, "2026-05-05 08:00")}, // the weekend and Monday's bank holiday, one interval
		{at(t, london, "2026-05-05 09:00"), at(t, london, "2026-05-05 10:00")}, // the maintenance
	}
	if !complete || !sameIntervals(got, want) {
		t.Errorf("got %v (complete %v)\nwant %v", got, complete, want)
	}
	if got[0].From.Location().String() != "Europe/London" {
		t.Errorf("intervals in %v, want the calendar's zone", got[0].From.Location())
	}
	// A range that starts and ends out of hours is clipped to it.
	got, _ = cc.OffHours(at(t, london, "2026-05-02 10:00"), at(t, london, "2026-05-05 08:30"), 0)
	want = []Interval{{at(t, london, "2026-05-02 10:00"), at(t, london, "2026-05-05 08:00")}}
	if !sameIntervals(got, want) {
		t.Errorf("clipped: got %v, want %v", got, want)
	}
	got, _ = cc.OffHours(at(t, london, "2026-05-09 10:00"), at(t, london, "2026-05-09 11:00"), 0)
	if want := []Interval{{at(t, london, "2026-05-09 10:00"), at(t, london, "2026-05-09 11:00")}}; !sameIntervals(got, want) {
		t.Errorf("all off: got %v", got)
	}
	if got, complete := cc.OffHours(at(t, london, "2026-05-05 10:00"), at(t, london, "2026-05-05 18:00"), 0); got != nil || !complete {
		t.Errorf("all working: got %v", got)
	}
	if got, complete := cc.OffHours(to, from, 0); got != nil || !complete {
		t.Errorf("reversed: got %v", got)
	}

	// Over the limit: nothing, and false. May 2026 has 19 working days (21 weekdays less 2 bank
	// holidays): 18 gaps between them, one before the first and one after the last, and the
	// maintenance on the 5th: 21 intervals.
	may, june := at(t, london, "2026-05-01 00:00"), at(t, london, "2026-06-01 00:00")
	all, complete := cc.OffHours(may, june, 0)
	if !complete || len(all) != 21 {
		t.Fatalf("May: %d intervals (%v)", len(all), complete)
	}
	if got, complete := cc.OffHours(may, june, 21); !complete || len(got) != 21 {
		t.Errorf("at the limit: %d, %v", len(got), complete)
	}
	if got, complete := cc.OffHours(may, june, 20); complete || got != nil {
		t.Errorf("over the limit: %d, %v", len(got), complete)
	}

	// Round the clock over 200 days (across blocks): only the exclusion.
	always := everyDay("UTC", "00:00", "24:00")
	ex := Exclusion{From: time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 1, 4, 0, 0, 0, time.UTC), Reason: ReasonForceMajeure}
	always.Exclusions = []Exclusion{ex}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	got, _ = mustCompile(t, always).OffHours(start, start.AddDate(0, 0, 200), 1)
	if !sameIntervals(got, []Interval{{ex.From, ex.To}}) {
		t.Errorf("24/7: %v", got)
	}
	var nilCal *Compiled
	if got, complete := nilCal.OffHours(from, to, 0); got != nil || !complete {
		t.Errorf("nil calendar: %v", got)
	}
}

// Off hours and windows share out every range exactly, and neither touches itself.
func TestOffHoursComplementsWindows(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	base := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	year := int64(400 * 24 * h)
	for name, cc := range propertyCalendars(t) {
		for range 300 {
			a := base.Add(time.Duration(rng.Int64N(year)))
			b := a.Add(time.Duration(rng.Int64N(int64(90 * 24 * h))))
			off, complete := cc.OffHours(a, b, 0)
			if !complete {
				t.Fatalf("%s: no limit, yet incomplete", name)
			}
			var sum time.Duration
			for k, iv := range off {
				if !iv.To.After(iv.From) || iv.From.Before(a) || iv.To.After(b) || (k > 0 && !iv.From.After(off[k-1].To)) {
					t.Fatalf("%s: interval %d %v of %v in [%s, %s)", name, k, iv, off, a, b)
				}
				sum += iv.To.Sub(iv.From)
				if w := cc.Working(iv.From, iv.To); w != 0 {
					t.Fatalf("%s: %v holds %v of working time", name, iv, w)
				}
			}
			if sum+cc.Working(a, b) != b.Sub(a) {
				t.Fatalf("%s: off %v + working %v != %v over [%s, %s)", name, sum, cc.Working(a, b), b.Sub(a), a, b)
			}
		}
	}
}
