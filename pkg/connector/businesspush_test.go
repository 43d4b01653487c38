package connector

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// upTo is C(x) as the push-down's SQL computes it: the working time from the
// horizon's start to x in microseconds, from the last window that starts at
// or before x.
func (w *businessWindows) upTo(x time.Time) int64 {
	k := 0 // width_bucket: how many windows start at or before x
	for k < len(w.starts) && !w.starts[k].After(x) {
		k++
	}
	if k == 0 {
		return 0
	}
	end := w.ends[k-1]
	if x.Before(end) {
		end = x
	}
	return w.before[k-1] + end.Sub(w.starts[k-1]).Microseconds()
}

func mustCompile(t *testing.T, c *calendar.Calendar) *calendar.Compiled {
	t.Helper()
	cc, err := calendar.Compile(c)
	if err != nil {
		t.Fatal(err)
	}
	return cc
}

func weekdays(from, to string, days ...string) []calendar.Hours {
	var out []calendar.Hours
	for _, d := range days {
		out = append(out, calendar.Hours{Day: d, From: from, To: to})
	}
	return out
}

// The windows a push-down binds give every row, in the SQL's arithmetic,
// the business time the calendar gives in process, to the nanosecond.
func TestPlanBusinessMatchesWorking(t *testing.T) {
	london := "Europe/London"
	cals := map[string]*calendar.Compiled{
		"office": mustCompile(t, &calendar.Calendar{Name: "o", Timezone: london, Hours: weekdays("08:00", "18:00", "mon", "tue", "wed", "thu", "fri"),
			Holidays:   []calendar.Holiday{{Date: "2026-05-04", Name: "May"}},
			Exclusions: []calendar.Exclusion{{From: time.Date(2026, 5, 6, 9, 0, 0, 500_000_000, time.UTC), To: time.Date(2026, 5, 6, 11, 0, 0, 0, time.UTC), Reason: calendar.ReasonMaintenance}}}),
		"night": mustCompile(t, &calendar.Calendar{Name: "n", Timezone: london, Hours: weekdays("22:00", "06:00", calendar.Days...)}),
		"24/7":  mustCompile(t, &calendar.Calendar{Name: "a", Timezone: "America/New_York", Hours: weekdays("00:00", "24:00", calendar.Days...)}),
	}
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	rnd := rand.New(rand.NewPCG(1, 2))
	for name, cc := range cals {
		w, ok := planBusiness(&Business{Working: cc.Working, Windows: cc.Windows, Per: time.Minute}, from, to, now, maxBusinessWindows)
		if !ok {
			t.Fatalf("%s: no plan", name)
		}
		if want := to.Add(businessMargin); !w.horizon.Equal(want) {
			t.Fatalf("%s: horizon %s, want %s", name, w.horizon, want)
		}
		if name == "24/7" && len(w.starts) != 1 {
			t.Fatalf("24/7: %d windows, want one (windows cut at the chunks' edges are joined)", len(w.starts))
		}
		for i := 1; i < len(w.starts); i++ {
			if !w.ends[i-1].Before(w.starts[i]) {
				t.Fatalf("%s: windows %d and %d touch or overlap", name, i-1, i)
			}
		}
		span := int64(w.horizon.Sub(from) / time.Microsecond)
		for range 20000 {
			a := from.Add(time.Duration(rnd.Int64N(span)) * time.Microsecond)
			b := a.Add(time.Duration(rnd.Int64N(int64(20*24*time.Hour/time.Microsecond))) * time.Microsecond)
			if b.After(w.horizon) {
				b = w.horizon
			}
			if got, want := (w.upTo(b)-w.upTo(a))*1000, int64(cc.Working(a, b)); got != want {
				t.Fatalf("%s: [%s, %s): %d ns by the windows, %d by the calendar", name, a, b, got, want)
			}
		}
	}
	// Now later than the range: the horizon reaches past now.
	cc := cals["office"]
	w, _ := planBusiness(&Business{Working: cc.Working, Windows: cc.Windows, Per: time.Minute}, from, now, to, maxBusinessWindows)
	if want := to.Add(businessMargin); !w.horizon.Equal(want) {
		t.Fatalf("horizon %s, want %s", w.horizon, want)
	}
}

func TestPlanBusinessRefuses(t *testing.T) {
	office := mustCompile(t, &calendar.Calendar{Name: "o", Timezone: "Europe/London", Hours: weekdays("08:00", "18:00", "mon", "tue", "wed", "thu", "fri")})
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	b := &Business{Working: office.Working, Windows: office.Windows, Per: time.Second}
	if _, ok := planBusiness(&Business{Working: office.Working, Per: time.Second}, from, to, to, maxBusinessWindows); ok {
		t.Fatal("planned without a windows function")
	}
	// January 2026 and the margin: 22 + 5 working days.
	if w, ok := planBusiness(b, from, to, to, 27); !ok || len(w.starts) != 27 {
		t.Fatalf("27 windows within a limit of 27: %v", ok)
	}
	if _, ok := planBusiness(b, from, to, to, 26); ok {
		t.Fatal("planned 27 windows within a limit of 26")
	}
	// A horizon of centuries: a row's nanoseconds could overflow bigint.
	if _, ok := planBusiness(b, time.Date(1750, 1, 1, 0, 0, 0, 0, time.UTC), to, to, maxBusinessWindows); ok {
		t.Fatal("planned a horizon from 1750")
	}
	// An exclusion that ends within a microsecond: PostgreSQL cannot hold the bound.
	fine := mustCompile(t, &calendar.Calendar{Name: "f", Timezone: "Europe/London", Hours: weekdays("08:00", "18:00", "mon", "tue", "wed", "thu", "fri"),
		Exclusions: []calendar.Exclusion{{From: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 5, 10, 0, 0, 1, time.UTC), Reason: calendar.ReasonMaintenance}}})
	if _, ok := planBusiness(&Business{Working: fine.Working, Windows: fine.Windows, Per: time.Second}, from, to, to, maxBusinessWindows); ok {
		t.Fatal("planned with a bound inside a microsecond")
	}
}

func TestPostgresBusinessSQL(t *testing.T) {
	office := mustCompile(t, &calendar.Calendar{Name: "o", Timezone: "Europe/London", Hours: weekdays("08:00", "18:00", "mon", "tue", "wed", "thu", "fri")})
	starts, _ := kpi.Buckets(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), kpi.Day, time.UTC)
	w, ok := planBusiness(&Business{Working: office.Working, Windows: office.Windows, Per: time.Hour}, starts[0], starts[len(starts)-1], starts[0], maxBusinessWindows)
	if !ok {
		t.Fatal("no plan")
	}
	s := shape{time: column{name: "time", dbType: "TIMESTAMPTZ", time: timeTimestamp}, end: column{name: "End", dbType: "INT8", time: timeNumber}}
	inner, innerArgs := "SELECT opened AS time, closed_ms AS \"End\" FROM t WHERE k = $1", []any{"acme"}
	q, args, ok := postgresDialect{}.businessSQL(inner, innerArgs, s, starts, kpi.Last, nil, w)
	if !ok {
		t.Fatal("not built")
	}
	for _, want := range []string{
		"width_bucket(t, $5::timestamptz[]) AS kt, width_bucket(e, $5::timestamptz[]) AS ke", // one search each, on the windows' starts
		"OFFSET 0", // …kept from being inlined into each use
		`to_timestamp("End" / 1000) + ("End" % 1000) * interval '1 millisecond'`, // milliseconds, exactly
		"e > $8::timestamptz", "count(*) FILTER (WHERE bad) AS bad", // past the horizon: counted
		"row_number() OVER () AS rn", "/ $9::float8", // last's row order; the unit
	} {
		if !strings.Contains(q, want) {
			t.Fatalf("the query lacks %q:\n%s", want, q)
		}
	}
	if err := checkStatement(q, syntaxPostgres); err != nil {
		t.Fatalf("the statement check refuses the query: %v\n%s", err, q)
	}
	if len(args) != 9 || args[0] != "acme" || args[8] != float64(time.Hour) {
		t.Fatalf("args %v", args)
	}
	if _, ok := args[6].([]int64); !ok {
		t.Fatalf("the working time before each window is %T, want []int64", args[6])
	}
	// Times that may hold fractions of a microsecond stay in process.
	for _, typ := range []string{"FLOAT8", "NUMERIC", "TEXT"} {
		s.end.dbType = typ
		if _, _, ok := (postgresDialect{}).businessSQL(inner, innerArgs, s, starts, kpi.Sum, nil, w); ok {
			t.Fatalf("pushed down an end of type %s", typ)
		}
	}
	// A ratio needs its condition.
	s.end.dbType = "TIMESTAMP"
	if _, _, ok := (postgresDialect{}).businessSQL(inner, innerArgs, s, starts, kpi.Ratio, nil, w); ok {
		t.Fatal("pushed down a ratio without a condition")
	}
	if _, _, ok := (postgresDialect{}).businessSQL(inner, innerArgs, s, starts, kpi.Ratio, &models.Condition{Op: "<", Threshold: 4}, w); !ok {
		t.Fatal("a ratio with a condition")
	}
}
