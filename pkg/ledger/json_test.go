package ledger

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/models"
)

// TestListsWriteWhatEachElementWrites: BucketList and RequestList write the
// bytes encoding/json writes for the same elements one by one (the digest's
// JSON must not change), and MarshalSnapshot those of json.Marshal(Snapshot).
func TestListsWriteWhatEachElementWrites(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 13))
	special := []float64{0, math.Copysign(0, -1), 1, -1, 99.5, 1e-6, 9.99e-7, 1e-7, -3.2e-9, 1e20, 1e21, 1.5e300, -1e21, math.MaxFloat64,
		math.SmallestNonzeroFloat64, math.NaN(), math.Inf(1), math.Inf(-1), 0.1 + 0.2, 123456789.125}
	value := func() float64 {
		if r.IntN(3) == 0 {
			return special[r.IntN(len(special))]
		}
		return (r.Float64() - 0.5) * math.Pow(10, float64(r.IntN(40)-20))
	}
	for n := 0; n < 2000; n++ {
		var bs []Bucket
		var rs []Request
		for i := r.IntN(50); i > 0; i-- {
			bs = append(bs, Bucket{Start: r.Int64N(1<<40) - 1<<39, Actual: value()})
			rs = append(rs, Request{Time: r.Int64()>>r.IntN(40) - r.Int64N(1<<30), Value: value(), Open: r.IntN(2) == 0})
		}
		if n%10 == 0 {
			bs, rs = []Bucket{}, []Request{}
		}
		for _, c := range []struct{ fast, each any }{{BucketList(bs), bs}, {RequestList(rs), rs}} {
			fast, err1 := json.Marshal(c.fast)
			each, err2 := json.Marshal(c.each)
			if err1 != nil || err2 != nil || !bytes.Equal(fast, each) {
				t.Fatalf("%s\nwant %s (%v %v)", fast, each, err1, err2)
			}
		}
		finite := func() float64 { // plain float64 fields cannot hold NaN or ±Inf in JSON
			if v := value(); !math.IsNaN(v) && !math.IsInf(v, 0) {
				return v
			}
			return 42
		}
		in := &Inputs{Agreement: models.Agreement{Meta: models.Meta{ID: "g<&>"}, Name: "SLA \u2028 é"}, ContractValue: finite(),
			Period:   compliance.Period{Start: time.Unix(1e9, 0).UTC(), End: time.Unix(1e9+86400, 5).UTC()},
			Trackers: []TrackerInput{{Assignment: "a", Key: "k\"", Mode: "timeslice", Weight: finite(), Buckets: bs, Requests: rs}}}
		s := Snapshot{Result: compliance.Result{AgreementID: "g", Compliance: compliance.Num(value())}, Versions: map[string]int64{"b": 2, "a": 1}, Inputs: in}
		want, _ := json.Marshal(s)
		raw, err := in.JSON()
		if err != nil {
			t.Fatal(err)
		}
		got, err := MarshalSnapshot(s, raw)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s\nwant %s (%v)", got, want, err)
		}
		if in.Digest() != DigestOf(raw) {
			t.Fatal("the digest is not that of the inputs' JSON")
		}
	}
}
