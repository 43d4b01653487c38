package plugin

import (
	"strings"
	"testing"
)

// A $tracker variable over several contracts lists the trackers of all of them:
// each contract keeps the chosen trackers assigned to it, a contract with none
// of them is left out, and an id that no chosen contract has is refused.
func TestTrackerIDsOverSeveralContracts(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	d := demoRegistryDatasource(t)
	from, to := demoEnd.AddDate(0, 0, -14), demoEnd
	labels := func(body string) []string {
		r := runQuery(t, d, "trackerSeries", body, from, to)
		if r.Error != nil {
			t.Fatalf("%s: %v", body, r.Error)
		}
		var out []string
		for _, f := range r.Frames {
			l := f.Fields[1].Labels
			out = append(out, l["contract"]+"/"+l["trackerId"])
		}
		return out
	}
	got := labels(`{"contract":"acme-it,globex-logistics,initech-cloud","trackerIds":["daily-availability","weekly-on-time"]}`)
	if strings.Join(got, " ") != "acme-it/daily-availability globex-logistics/weekly-on-time initech-cloud/daily-availability" {
		t.Fatalf("frames %v", got)
	}
	// globex has no daily availability: it is left out.
	if got := labels(`{"contract":"acme-it,globex-logistics","trackerIds":["daily-availability"]}`); strings.Join(got, " ") != "acme-it/daily-availability" {
		t.Fatalf("frames %v", got)
	}
	r := runQuery(t, d, "trackerSeries", `{"contract":"acme-it,globex-logistics","trackerIds":["daily-availability","p90-first-response"]}`, from, to)
	if r.Error == nil || !strings.Contains(r.Error.Error(), `trackerIds: "p90-first-response" is not assigned to any of the contracts`) {
		t.Fatalf("an id no contract has: %v", r.Error)
	}
	// One contract: an unassigned id is refused as before.
	r = runQuery(t, d, "trackerSeries", `{"contract":"globex-logistics","trackerIds":["daily-availability"]}`, from, to)
	if r.Error == nil || !strings.Contains(r.Error.Error(), `trackerIds: "daily-availability" is not assigned to contract "globex-logistics"`) {
		t.Fatalf("one contract: %v", r.Error)
	}
}
