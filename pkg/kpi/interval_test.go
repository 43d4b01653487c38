package kpi

import (
	"testing"
	"time"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestFloorAndNext(t *testing.T) {
	ny := "America/New_York"
	tests := []struct {
		name      string
		iv        Interval
		zone      string
		at        string // RFC 3339 instant
		wantStart string // RFC 3339, in the zone
		wantNext  string
	}{
		{"hour UTC", Hour, "UTC", "2026-03-15T12:30:00Z", "2026-03-15T12:00:00Z", "2026-03-15T13:00:00Z"},
		{"hour in a half-hour zone", Hour, "Asia/Kolkata", "2026-03-15T12:10:00Z", "2026-03-15T17:00:00+05:30", "2026-03-15T18:00:00+05:30"},
		{"hour: the repeated 01:00 at NY fall-back, first", Hour, ny, "2026-11-01T05:20:00Z", "2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00"},
		{"hour: the repeated 01:00 at NY fall-back, second", Hour, ny, "2026-11-01T06:20:00Z", "2026-11-01T01:00:00-05:00", "2026-11-01T02:00:00-05:00"},
		// Lord Howe falls back 30 minutes at 02:00 local on 5 Apr 2026 (15:00Z): local 01:00–02:00 (+11),
		// then 01:30–02:00 again (+10:30), which is a half-hour bucket starting at the change.
		{"hour: Lord Howe before the change", Hour, "Australia/Lord_Howe", "2026-04-04T14:40:00Z", "2026-04-04T14:00:00Z", "2026-04-04T15:00:00Z"},
		{"hour: Lord Howe's half hour after the change", Hour, "Australia/Lord_Howe", "2026-04-04T15:10:00Z", "2026-04-04T15:00:00Z", "2026-04-04T15:30:00Z"},
		{"hour: Lord Howe next whole hour", Hour, "Australia/Lord_Howe", "2026-04-04T15:45:00Z", "2026-04-04T15:30:00Z", "2026-04-04T16:30:00Z"},
		{"4h local", FourHour, "Europe/Paris", "2026-07-01T05:00:00Z", "2026-07-01T04:00:00+02:00", "2026-07-01T08:00:00+02:00"},
		{"4h over spring-forward is 3 hours", FourHour, ny, "2026-03-08T06:30:00Z", "2026-03-08T00:00:00-05:00", "2026-03-08T04:00:00-04:00"},
		{"day across spring-forward is 23 hours", Day, ny, "2026-03-08T12:00:00Z", "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00"},
		{"day across fall-back is 25 hours", Day, ny, "2026-11-01T12:00:00Z", "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00"},
		{"day: late evening belongs to the local day", Day, ny, "2026-01-16T03:00:00Z", "2026-01-15T00:00:00-05:00", "2026-01-16T00:00:00-05:00"},
		{"ISO week starts Monday", Week, "UTC", "2026-03-15T12:00:00Z", "2026-03-09T00:00:00Z", "2026-03-16T00:00:00Z"},
		{"a Monday is its own week start", Week, "UTC", "2026-03-16T00:00:00Z", "2026-03-16T00:00:00Z", "2026-03-23T00:00:00Z"},
		{"week across a year end", Week, "UTC", "2027-01-01T10:00:00Z", "2026-12-28T00:00:00Z", "2027-01-04T00:00:00Z"},
		{"month: last second of March in London (BST)", Month, "Europe/London", "2026-03-31T22:59:59Z", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00+01:00"},
		{"month: first second of April in London", Month, "Europe/London", "2026-03-31T23:00:00Z", "2026-04-01T00:00:00+01:00", "2026-05-01T00:00:00+01:00"},
		{"quarter", Quarter, "UTC", "2026-08-20T00:00:00Z", "2026-07-01T00:00:00Z", "2026-10-01T00:00:00Z"},
		{"year in Tokyo", Year, "Asia/Tokyo", "2026-12-31T16:00:00Z", "2027-01-01T00:00:00+09:00", "2028-01-01T00:00:00+09:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustLoc(t, tt.zone)
			at, _ := time.Parse(time.RFC3339, tt.at)
			wantStart, _ := time.Parse(time.RFC3339, tt.wantStart)
			wantNext, _ := time.Parse(time.RFC3339, tt.wantNext)
			start := tt.iv.Floor(at, loc)
			if !start.Equal(wantStart) {
				t.Fatalf("Floor = %s, want %s", start.In(loc), wantStart)
			}
			if start.Location() != time.UTC {
				t.Fatalf("Floor returned %v, want a UTC instant", start.Location())
			}
			if next := tt.iv.Next(start, loc); !next.Equal(wantNext) {
				t.Fatalf("Next = %s, want %s", next.In(loc), wantNext)
			}
			if at.Before(start) || !at.Before(tt.iv.Next(start, loc)) {
				t.Fatalf("%s is not inside its bucket", at)
			}
		})
	}
}

// Every instant lies in exactly one bucket, and consecutive buckets tile time, in several zones.
func TestBucketsTileTime(t *testing.T) {
	for _, zone := range []string{"UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham"} {
		loc := mustLoc(t, zone)
		for _, iv := range Intervals {
			from := time.Date(2025, 12, 20, 7, 13, 0, 0, time.UTC)
			to := from.AddDate(0, 0, 500)
			if iv == Hour || iv == FourHour {
				from = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) // March–May: most zones' spring or autumn change
				to = from.AddDate(0, 0, 70)
			}
			starts, err := Buckets(from, to, iv, loc)
			if err != nil {
				t.Fatal(err)
			}
			if starts[0].After(from) || !starts[len(starts)-1].After(to.Add(-time.Nanosecond)) {
				t.Fatalf("%s %s: buckets %s..%s do not cover the range", zone, iv, starts[0], starts[len(starts)-1])
			}
			for i := 1; i < len(starts); i++ {
				if !starts[i].After(starts[i-1]) {
					t.Fatalf("%s %s: bucket %d does not advance: %s then %s", zone, iv, i, starts[i-1], starts[i])
				}
				if got := iv.Floor(starts[i], loc); !got.Equal(starts[i]) {
					t.Fatalf("%s %s: a bucket start %s floors to %s", zone, iv, starts[i], got)
				}
				mid := starts[i-1].Add(starts[i].Sub(starts[i-1]) / 2)
				if got := iv.Floor(mid, loc); !got.Equal(starts[i-1]) {
					t.Fatalf("%s %s: %s floors to %s, want %s", zone, iv, mid, got, starts[i-1])
				}
			}
		}
	}
}

func TestBucketsErrors(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := Buckets(now, now, Day, time.UTC); err == nil {
		t.Fatal("an empty range must be refused")
	}
	if _, err := Buckets(now, now.AddDate(200, 0, 0), Hour, time.UTC); err == nil {
		t.Fatal("200 years of hours must be refused")
	}
	if _, err := ParseInterval("interval", "2d"); err == nil || err.Error() != `interval: "2d" is not an interval: use one of 1h, 4h, 1d, 1w, 1M, 1Q, 1Y` {
		t.Fatalf("got %v", err)
	}
	if _, err := LoadLocation("timezone", "Mars/Olympus"); err == nil {
		t.Fatal("an unknown zone must be refused")
	}
	if loc, err := LoadLocation("timezone", ""); err != nil || loc != time.UTC {
		t.Fatalf("empty zone: %v %v", loc, err)
	}
}

// rfc parses an RFC 3339 instant or fails the test.
func rfc(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// wantBuckets checks Buckets over [from, to) against the expected bounds (RFC 3339 instants).
func wantBuckets(t *testing.T, from, to string, iv Interval, zone string, want ...string) {
	t.Helper()
	loc := mustLoc(t, zone)
	got, err := Buckets(rfc(t, from), rfc(t, to), iv, loc)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d bounds %v, want %d %v", len(got), got, len(want), want)
	}
	for i := range want {
		if w := rfc(t, want[i]); !got[i].Equal(w) || got[i].Location() != time.UTC {
			t.Fatalf("bound %d = %s (%s local), want %s", i, got[i], got[i].In(loc), w)
		}
	}
}

// Regression: Santiago moves its clocks from 00:00 -04 to 01:00 -03 on 6 Sep 2026,
// so that local midnight does not exist and the day starts at 01:00 -03.
// By hand: 5 Sep 00:00 -04 = 04:00Z; 6 Sep 01:00 -03 = 04:00Z (a 24 h day 5
// becomes 5 Sep 04:00Z..6 Sep 04:00Z, and day 6 is 23 h); 7 Sep 00:00 -03 =
// 03:00Z; 8 Sep 00:00 -03 = 03:00Z. time.Date answered 5 Sep 23:00 -04 for the
// missing midnight, the day before, and the series never advanced.
func TestDaysWhereMidnightIsSkippedSantiago(t *testing.T) {
	wantBuckets(t, "2026-09-05T04:00:00Z", "2026-09-08T03:00:00Z", Day, "America/Santiago",
		"2026-09-05T04:00:00Z", "2026-09-06T04:00:00Z", "2026-09-07T03:00:00Z", "2026-09-08T03:00:00Z")
}

// Regression: Beirut moves from 00:00 +02 to 01:00 +03 on 29 Mar 2026. The day's
// 4h blocks start at the first instant of 00:00 (01:00 +03 = 28 Mar 22:00Z), then
// at local 04:00 +03 = 01:00Z, 08:00 = 05:00Z, 12:00 = 09:00Z, 16:00 = 13:00Z,
// 20:00 = 17:00Z, and 30 Mar 00:00 +03 = 29 Mar 21:00Z: re-aligned to 04, 08, …
// at once, where adding 4 hours to 01:00 drifted to local 05:00, 09:00, … for good.
// The block before is 28 Mar 20:00 +02 = 18:00Z.
func TestFourHoursRealignAfterSkippedMidnightBeirut(t *testing.T) {
	wantBuckets(t, "2026-03-28T18:00:00Z", "2026-03-29T21:00:00Z", FourHour, "Asia/Beirut",
		"2026-03-28T18:00:00Z", "2026-03-28T22:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T05:00:00Z",
		"2026-03-29T09:00:00Z", "2026-03-29T13:00:00Z", "2026-03-29T17:00:00Z", "2026-03-29T21:00:00Z")
}

// Regression: Asuncion moved from 00:00 -04 to 01:00 -03 on 1 Oct 2023, so
// October starts at 01:00 -03 = 04:00Z (September: 1 Sep 00:00 -04 = 04:00Z,
// 30 days minus the skipped hour; November: 1 Nov 00:00 -03 = 03:00Z).
func TestMonthWhereMidnightIsSkippedAsuncion(t *testing.T) {
	wantBuckets(t, "2023-08-15T00:00:00Z", "2023-11-15T00:00:00Z", Month, "America/Asuncion",
		"2023-08-01T04:00:00Z", "2023-09-01T04:00:00Z", "2023-10-01T04:00:00Z", "2023-11-01T03:00:00Z", "2023-12-01T03:00:00Z")
}

// A whole local date may be skipped: Samoa went from 29 Dec 2011 23:59:59 -10
// to 31 Dec 00:00 +14 (30 Dec 10:00Z). 30 Dec has no bucket, 29 Dec ends where
// 31 Dec starts, and no bucket is empty: 29 Dec 00:00 -10 = 10:00Z, 31 Dec
// 00:00 +14 = 30 Dec 10:00Z, 1 Jan 00:00 +14 = 31 Dec 10:00Z.
func TestSkippedDateApia(t *testing.T) {
	wantBuckets(t, "2011-12-29T12:00:00Z", "2011-12-31T00:00:00Z", Day, "Pacific/Apia",
		"2011-12-29T10:00:00Z", "2011-12-30T10:00:00Z", "2011-12-31T10:00:00Z")
}

// StartOfLocalDate is local midnight where it exists and the end of the gap where it does not.
func TestStartOfLocalDate(t *testing.T) {
	for _, tc := range []struct {
		zone string
		date string
		want string
	}{
		{"UTC", "2026-01-01", "2026-01-01T00:00:00Z"},
		{"America/New_York", "2026-03-08", "2026-03-08T05:00:00Z"}, // the change is at 02:00, midnight is -05
		{"America/Santiago", "2026-09-06", "2026-09-06T04:00:00Z"}, // 01:00 -03
		{"America/Havana", "2026-03-08", "2026-03-08T05:00:00Z"},   // 01:00 -04 (Cuba skips midnight)
		{"Africa/Cairo", "2026-04-24", "2026-04-23T22:00:00Z"},     // 01:00 +03
		{"Pacific/Apia", "2011-12-30", "2011-12-30T10:00:00Z"},     // skipped: the start of 31 Dec
	} {
		d, err := time.Parse(time.DateOnly, tc.date)
		if err != nil {
			t.Fatal(err)
		}
		if got := StartOfLocalDate(d.Year(), d.Month(), d.Day(), mustLoc(t, tc.zone)); !got.Equal(rfc(t, tc.want)) {
			t.Errorf("%s %s: %s, want %s", tc.zone, tc.date, got, tc.want)
		}
	}
}
