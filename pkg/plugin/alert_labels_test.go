package plugin

import (
	"testing"
)

// Without `fields`, an alert rule sees every figure of every tracker (or
// agreement) as a series: no two may carry the same labels.
func TestEverySeriesHasItsOwnLabels(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	d := demoRegistryDatasource(t)
	for _, q := range []struct{ queryType, body string }{
		{"trackerSeries", `{"contract":"*"}`},
		{"agreementCompliance", `{"contract":"*"}`},
	} {
		r := runQuery(t, d, q.queryType, q.body, demoEnd.AddDate(0, 0, -20), demoEnd)
		if r.Error != nil {
			t.Fatalf("%s: %v", q.queryType, r.Error)
		}
		seen := map[string]string{}
		series := 0
		for _, f := range r.Frames {
			for _, fl := range f.Fields {
				if fl.Name == "time" {
					continue
				}
				series++
				key := fl.Labels.String()
				if other, dup := seen[key]; dup {
					t.Fatalf("%s: %s and %s.%s carry the same labels {%s}", q.queryType, other, f.Name, fl.Name, key)
				}
				if fl.Labels["figure"] != fl.Name {
					t.Fatalf("%s: %s.%s is labelled figure=%q", q.queryType, f.Name, fl.Name, fl.Labels["figure"])
				}
				seen[key] = f.Name + "." + fl.Name
			}
		}
		if series < 20 {
			t.Fatalf("%s: only %d series", q.queryType, series)
		}
	}
}
