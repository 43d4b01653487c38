package engine

import (
	"math"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/kpi"
)

// Regression: a bucket that ends exactly at the range's start could become the
// scorecard's current bucket. Daily buckets 1, 2 and 3 March 2026 (UTC), the
// first two evaluated (RAG green), the third not (no data). By hand, for the
// range [2 Mar 00:00, 3 Mar 12:00): 1 Mar ends at 2 Mar 00:00, the range's
// start, so it is before the range; 2 Mar meets the range and is the current
// one (index 1). For the range [3 Mar 00:00, 3 Mar 12:00), 2 Mar ends at its
// start and 3 Mar has no RAG: there is no current bucket (-1), where 2 Mar was
// taken before.
func TestScorecardBucketEndingAtRangeStartIsNotCurrent(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	f := kpi.Figures{
		Start: []time.Time{day(1), day(2), day(3)},
		End:   []time.Time{day(2), day(3), day(4)},
		RAG:   []float64{kpi.Green, kpi.Green, math.NaN()},
	}
	for _, tc := range []struct {
		from, to time.Time
		want     int
	}{
		{day(2), day(3).Add(12 * time.Hour), 1},
		{day(3), day(3).Add(12 * time.Hour), -1},
		{day(1).Add(time.Hour), day(2), 0}, // the range ends where 2 Mar starts: 1 Mar is current
	} {
		if got := CurrentBucket(f, tc.from, tc.to); got != tc.want {
			t.Errorf("range %s – %s: current bucket %d, want %d", tc.from, tc.to, got, tc.want)
		}
	}
}
