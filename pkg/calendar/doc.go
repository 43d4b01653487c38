// Package calendar holds service calendars and the business-time maths of
// contracts such as "respond within 4 business hours, Mon–Fri 08:00–18:00
// Europe/London, excluding UK bank holidays and announced maintenance".
//
// A Calendar is a registry object: a time zone, weekly working windows,
// holidays and exclusions. Compile checks it and returns a Compiled, whose
// Working gives the business time between two instants, Windows the working
// intervals of a range, OffHours the rest of it (what charts shade) and
// Excluded the exclusions met in it.
// HolidaysFromICS reads holidays from an iCalendar file.
//
// # Rules
//
// Working time is a set of instants, W; Working(from, to) is the measure
// of W ∩ [from, to), in whole nanoseconds (time.Duration; no floating point
// anywhere). W is built as follows.
//
//  1. Windows are wall-clock times in the calendar's zone. Each Hours entry
//     makes one window on every local date whose weekday is its Day. A
//     window whose To is at or before its From runs past midnight: it ends
//     at To on the next local date. "24:00" is the next date's midnight.
//  2. A window belongs to the local date it starts on. When that date is a
//     holiday the whole window is dropped, including its part after
//     midnight; a holiday does not cut a window of the day before that runs
//     into it.
//  3. Each end of a window becomes an instant with time.Date(year, month,
//     day, 0, minutes, 0, 0, zone), and the window lasts the real time
//     elapsed between those instants. 08:00–18:00 is 10 h on any day in
//     Europe/London; 00:00–06:00 there is 5 h on 2026-03-29 (the clocks go
//     forward at 01:00) and 7 h on 2026-10-25 (back at 02:00); a window of
//     00:00–24:00 is 23 h or 25 h on those days.
//  4. A wall-clock time that does not exist (in the gap when the clocks go
//     forward) or occurs twice (when they go back) resolves as time.Date
//     resolves it: Go reads it with the offset of one side of the change
//     and does not promise which. In practice, with Go 1.26, Europe/London's
//     01:30 on 2026-03-29 becomes 02:30 BST (after the gap) and
//     America/New_York's 02:30 on 2026-03-08 becomes 01:30 EST (before
//     it); the repeated 01:30 is the second one (GMT) in London and the
//     first (EDT) in New York. A window whose end so resolves at or before
//     its start is empty.
//  5. W is the union of the windows' intervals: an instant that two windows
//     cover (possible only when rule 4 folds one over another) counts once.
//  6. Exclusions are absolute instants [From, To), and W loses their union;
//     an exclusion removes only its overlap with working time, so its part
//     outside working hours removes nothing, and exclusions that overlap
//     each other remove their common time once.
//  7. Working(from, to) with to before from is -Working(to, from). Instants
//     are clamped to [models.EarliestTime, models.LatestTime], and a total
//     beyond time.Duration's range saturates, as time.Time.Sub does.
//
// Since W is one set of instants, Working is additive:
// Working(a, c) == Working(a, b) + Working(b, c) for a ≤ b ≤ c, and
// Working(a, b) never exceeds b − a (short of saturation).
//
// # Cost
//
// A Compiled keeps W lazily, in blocks of 2^52 ns (about 52 days) of
// absolute time, each a sorted slice of disjoint intervals with running
// totals and an index of its 128 slices (about 9.8 h each), built on first
// use and stored in a slot of its own with an atomic pointer: lookups take
// no lock, and concurrent use is safe. Working over a span within one block
// costs two lookups in the index and a binary search among the intervals
// of one slice each (O(log n) at worst, usually a step or two, with no
// time-zone arithmetic and no allocation); a longer span adds the stored
// total of each block it crosses, so it costs O(N) in its length at worst.
// Building a block costs some 60 local days of windows. Every block of
// 1700–2260 may end up built (about 3,900 of them), each holding that
// block's working intervals and a 516-byte index.
package calendar
