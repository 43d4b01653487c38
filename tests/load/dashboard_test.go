//go:build load

package load

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"
)

// dashboardQuery is one request a browser sends for the dashboard: a panel's
// targets or an annotation's target, each a POST /api/ds/query of its own.
type dashboardQuery struct {
	name      string // "panel 5 (table)" or "annotation Ledger"
	panelID   int
	queryType string           // of the first target: the figure the latency is filed under
	width     int              // the panel's grid width (of 24), which sets maxDataPoints
	targets   []map[string]any // as in the dashboard, variables not yet replaced
}

// dashboard is the bundled contract dashboard, read from its JSON.
type dashboard struct {
	uid       string
	from      string // the default time range, e.g. now-90d
	to        string
	variables []variableDef
	queries   []dashboardQuery
}

type variableDef struct {
	Name       string         `json:"name"`
	Type       string         `json:"type"`
	Query      map[string]any `json:"-"`
	IncludeAll bool           `json:"includeAll"`
	Multi      bool           `json:"multi"`
}

func readDashboard(path string) (*dashboard, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var d struct {
		UID  string `json:"uid"`
		Time struct {
			From string `json:"from"`
			To   string `json:"to"`
		} `json:"time"`
		Templating struct {
			List []json.RawMessage `json:"list"`
		} `json:"templating"`
		Annotations struct {
			List []struct {
				Name   string         `json:"name"`
				Enable bool           `json:"enable"`
				Target map[string]any `json:"target"`
			} `json:"list"`
		} `json:"annotations"`
		Panels []struct {
			ID      int              `json:"id"`
			Type    string           `json:"type"`
			GridPos struct{ W int }  `json:"gridPos"`
			Targets []map[string]any `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := &dashboard{uid: d.UID, from: d.Time.From, to: d.Time.To}
	for _, r := range d.Templating.List {
		var v variableDef
		var q struct {
			Query any `json:"query"`
		}
		if err := json.Unmarshal(r, &v); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(r, &q); err != nil {
			return nil, err
		}
		v.Query, _ = q.Query.(map[string]any)
		out.variables = append(out.variables, v)
	}
	for _, p := range d.Panels {
		if len(p.Targets) == 0 {
			continue // a row or a text panel sends nothing
		}
		qt, _ := p.Targets[0]["queryType"].(string)
		out.queries = append(out.queries, dashboardQuery{name: fmt.Sprintf("panel %d (%s)", p.ID, p.Type), panelID: p.ID,
			queryType: qt, width: p.GridPos.W, targets: p.Targets})
	}
	for _, a := range d.Annotations.List {
		if !a.Enable || a.Target == nil {
			continue
		}
		t := map[string]any{"refId": "Anno", "contract": "$contract"} // annotationQuery() in the datasource's front end
		for k, v := range a.Target {
			t[k] = v
		}
		t["queryType"] = "annotations"
		out.queries = append(out.queries, dashboardQuery{name: "annotation " + a.Name, queryType: "annotations", width: 24,
			targets: []map[string]any{t}})
	}
	if len(out.queries) == 0 {
		return nil, fmt.Errorf("%s: no panel or annotation with a query", path)
	}
	return out, nil
}

// relativeTime reads Grafana's "now", "now-90d", "now-6h"… (no rounding).
func relativeTime(s string, now time.Time) (time.Time, error) {
	if s == "now" {
		return now, nil
	}
	m := regexp.MustCompile(`^now-(\d+)([smhdwMy])$`).FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, fmt.Errorf("time %q: the load test reads now and now-<n><unit> only", s)
	}
	var n int
	fmt.Sscan(m[1], &n)
	switch m[2] {
	case "s":
		return now.Add(-time.Duration(n) * time.Second), nil
	case "m":
		return now.Add(-time.Duration(n) * time.Minute), nil
	case "h":
		return now.Add(-time.Duration(n) * time.Hour), nil
	case "d":
		return now.AddDate(0, 0, -n), nil
	case "w":
		return now.AddDate(0, 0, -7*n), nil
	case "M":
		return now.AddDate(0, -n, 0), nil
	}
	return now.AddDate(-n, 0, 0), nil
}

// roundInterval is Grafana's rangeutil.roundInterval: the interval (ms) a
// panel's $__interval takes for a raw one.
func roundInterval(ms int64) int64 {
	steps := []struct{ below, to int64 }{
		{15, 10}, {35, 20}, {75, 50}, {150, 100}, {350, 200}, {750, 500}, {1500, 1000}, {3500, 2000}, {7500, 5000},
		{12500, 10000}, {17500, 15000}, {25000, 20000}, {45000, 30000}, {90000, 60000}, {210000, 120000},
		{450000, 300000}, {750000, 600000}, {1050000, 900000}, {1500000, 1200000}, {2700000, 1800000},
		{5400000, 3600000}, {9000000, 7200000}, {16200000, 10800000}, {32400000, 21600000}, {86400000, 43200000},
		{604800000, 86400000}, {1814400000, 604800000}, {3628800000, 2592000000},
	}
	for _, s := range steps {
		if ms < s.below {
			return s.to
		}
	}
	return 31536000000
}

// msToText is Grafana's rangeutil.secondsToHms for a whole interval: 1h, 30m, 1d…
func msToText(ms int64) string {
	for _, u := range []struct {
		n    int64
		unit string
	}{{31536000000, "y"}, {604800000, "w"}, {86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}} {
		if ms >= u.n && ms%u.n == 0 {
			return fmt.Sprintf("%d%s", ms/u.n, u.unit)
		}
	}
	return fmt.Sprintf("%dms", ms)
}

// screenWidth is the browser's width in pixels: a panel gets its share of it
// as maxDataPoints, as Grafana gives a panel its width.
const screenWidth = 1920

// maxDataPoints and the interval of a panel gridWidth/24 wide over [from, to).
func panelInterval(gridWidth int, from, to time.Time) (maxDataPoints, intervalMs int64) {
	maxDataPoints = int64(gridWidth*screenWidth/24 - 16)
	return maxDataPoints, roundInterval(to.Sub(from).Milliseconds() / maxDataPoints)
}

var variableRef = regexp.MustCompile(`\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]`)

// interpolate replaces the variables in a target as the datasource's
// applyTemplateVariables does: strings get a multi-value variable as
// comma-separated values, and each entry of a list of strings (trackerIds)
// becomes the values it holds. A variable the map lacks is an error, so that
// a dashboard that gains one cannot be sent half filled in.
func interpolate(v any, vars map[string][]string) (any, error) {
	replace := func(s string) (string, error) {
		var missing string
		out := variableRef.ReplaceAllStringFunc(s, func(ref string) string {
			m := variableRef.FindStringSubmatch(ref)
			name := m[1] + m[2] + m[3]
			vals, ok := vars[name]
			if !ok {
				missing = name
				return ref
			}
			return strings.Join(vals, ",")
		})
		if missing != "" {
			return "", fmt.Errorf("%q uses the variable $%s, which the load test does not fill in", s, missing)
		}
		return out, nil
	}
	switch x := v.(type) {
	case string:
		return replace(x)
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			r, err := interpolate(e, vars)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	case []any:
		out := []any{}
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				r, err := interpolate(e, vars)
				if err != nil {
					return nil, err
				}
				out = append(out, r)
				continue
			}
			r, err := replace(s)
			if err != nil {
				return nil, err
			}
			for _, part := range strings.Split(r, ",") { // interpolateList: split, trim, drop empties and repeats
				part = strings.TrimSpace(part)
				dup := false
				for _, o := range out {
					dup = dup || o == part
				}
				if part != "" && !dup {
					out = append(out, part)
				}
			}
		}
		return out, nil
	}
	return v, nil
}
