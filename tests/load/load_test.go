//go:build load

// Package load is the load test of issue 19: many Grafana Viewers watching the
// bundled contract dashboard at once, through a real Grafana with the built
// plugin, with one contract on a PostgreSQL connector over 10M rows. Run it
// with scripts/load.sh, which starts PostgreSQL and Grafana on 127.0.0.1 and
// stops them; the results go to .run/load-results.md (docs/benchmarks.md,
// "Load test"). It is not part of scripts/test.sh.
//
// Environment (defaults in brackets): GRAFANA_URL, COVENANT_PG_URL,
// GRAFANA_PID (the Grafana whose plugin process is measured),
// LOAD_VIEWERS [50], LOAD_PG_VIEWERS [10], LOAD_DURATION [60s],
// LOAD_REFRESH [10s], LOAD_DRAIN [120s], LOAD_ROWS [10000000],
// COVENANT_LOAD_WATERMARK [updated_at; empty: the KPI declares none],
// LOAD_RESULTS [<repo>/.run/load-results.md].
package load

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// sample is one /api/ds/query request's outcome.
type sample struct {
	queryType string
	group     string // demo or postgres: the viewer's contract
	took      time.Duration
	err       string // "" when the answer had no error at all
	frames    int
	rows      int
}

// viewer is one browser showing the dashboard for one contract.
type viewer struct {
	n        int
	contract string
	group    string
	base     string
	dsID     int64
	dash     *dashboard
	client   *http.Client
	trackers []string
}

// browserConns is how many connections a browser opens to one host over HTTP/1.1.
const browserConns = 6

func newViewerClient(ctx context.Context, base, login, password string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 5 * time.Minute,
		Transport: &http.Transport{MaxConnsPerHost: browserConns, MaxIdleConnsPerHost: browserConns, IdleConnTimeout: time.Minute}}
	// A browser logs in once and sends the session cookie (basic auth would hash the password on every request).
	b, _ := json.Marshal(map[string]string{"user": login, "password": password})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("login as %s: status %d: %s", login, res.StatusCode, body)
	}
	return c, nil
}

// send posts one dashboard query as Grafana's front end does, and reads the answer.
func (v *viewer) send(ctx context.Context, q dashboardQuery, from, to time.Time) sample {
	s, _ := v.sendRaw(ctx, q, from, to)
	return s
}

// sendRaw is send, which also returns the answer's body.
func (v *viewer) sendRaw(ctx context.Context, q dashboardQuery, from, to time.Time) (sample, []byte) {
	s := sample{queryType: q.queryType, group: v.group}
	vars := map[string][]string{"datasource": {datasourceUID}, "contract": {v.contract}, "tracker": v.trackers}
	maxDP, intervalMs := panelInterval(q.width, from, to)
	vars["__interval"], vars["__interval_ms"] = []string{msToText(intervalMs)}, []string{strconv.FormatInt(intervalMs, 10)}
	rangeMs := to.Sub(from).Milliseconds()
	vars["__range"], vars["__range_ms"], vars["__range_s"] = []string{msToText(rangeMs)}, []string{strconv.FormatInt(rangeMs, 10)}, []string{strconv.FormatInt(rangeMs/1000, 10)}
	var queries []any
	for _, t := range q.targets {
		r, err := interpolate(t, vars)
		if err != nil {
			s.err = err.Error()
			return s, nil
		}
		m := r.(map[string]any)
		m["datasource"] = map[string]any{"type": "covenant-kpi-datasource", "uid": datasourceUID}
		m["datasourceId"], m["intervalMs"], m["maxDataPoints"] = v.dsID, intervalMs, maxDP
		queries = append(queries, m)
	}
	body, _ := json.Marshal(map[string]any{"queries": queries,
		"from": strconv.FormatInt(from.UnixMilli(), 10), "to": strconv.FormatInt(to.UnixMilli(), 10)})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, v.base+"/api/ds/query?ds_type=covenant-kpi-datasource", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Datasource-Uid", datasourceUID)
	req.Header.Set("X-Plugin-Id", "covenant-kpi-datasource")
	req.Header.Set("X-Dashboard-Uid", v.dash.uid)
	if q.panelID != 0 {
		req.Header.Set("X-Panel-Id", strconv.Itoa(q.panelID))
	}
	start := time.Now()
	res, err := v.client.Do(req)
	if err != nil {
		s.took, s.err = time.Since(start), err.Error()
		return s, nil
	}
	raw, err := io.ReadAll(res.Body)
	res.Body.Close()
	s.took = time.Since(start)
	if err != nil {
		s.err = err.Error()
		return s, raw
	}
	if res.StatusCode != http.StatusOK {
		s.err = fmt.Sprintf("HTTP %d: %s", res.StatusCode, clip(raw))
	}
	var out struct {
		Results map[string]struct {
			Status int    `json:"status"`
			Error  string `json:"error"`
			Frames []struct {
				Schema struct {
					Meta struct {
						Notices []struct {
							Severity string `json:"severity"`
							Text     string `json:"text"`
						} `json:"notices"`
					} `json:"meta"`
				} `json:"schema"`
				Data struct {
					Values [][]any `json:"values"`
				} `json:"data"`
			} `json:"frames"`
		} `json:"results"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		if s.err == "" {
			s.err = fmt.Sprintf("the answer is not JSON (%v): %s", err, clip(raw))
		}
		return s, raw
	}
	for refID, r := range out.Results {
		if r.Error != "" || r.Status >= 400 {
			s.err = fmt.Sprintf("%s: status %d: %s", refID, r.Status, r.Error)
		}
		for _, f := range r.Frames {
			s.frames++
			if len(f.Data.Values) > 0 {
				s.rows += len(f.Data.Values[0])
			}
			for _, n := range f.Schema.Meta.Notices {
				if n.Severity == "error" {
					s.err = fmt.Sprintf("%s: a frame's error notice: %s", refID, n.Text)
				}
			}
		}
	}
	if len(out.Results) == 0 && s.err == "" {
		s.err = "no results in the answer: " + clip(raw)
	}
	return s, raw
}

func clip(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

// open loads the dashboard as a browser does: its variables first (the
// contracts, then the trackers of $contract, which $tracker = All then holds).
func (v *viewer) open(ctx context.Context, now time.Time) ([]sample, error) {
	from, to, err := v.dash.timeRange(now)
	if err != nil {
		return nil, err
	}
	var out []sample
	for _, def := range v.dash.variables {
		if def.Type != "query" || def.Query == nil {
			continue
		}
		q := dashboardQuery{name: "variable " + def.Name, queryType: "variables", width: 24, targets: []map[string]any{def.Query}}
		// Variables are resolved in order: a later one may use an earlier one ($contract), never itself.
		saved := v.trackers
		if def.Name == "tracker" {
			v.trackers = []string{"$tracker-unresolved"}
		}
		s, values := v.sendVariable(ctx, q, from, to)
		v.trackers = saved
		out = append(out, s)
		if s.err != "" {
			return out, fmt.Errorf("variable %s: %s", def.Name, s.err)
		}
		if def.Name == "tracker" {
			v.trackers = values
		}
	}
	if len(v.trackers) == 0 {
		return out, fmt.Errorf("contract %s has no trackers for $tracker", v.contract)
	}
	return out, nil
}

// sendVariable sends a variable's query and returns the values it lists.
func (v *viewer) sendVariable(ctx context.Context, q dashboardQuery, from, to time.Time) (sample, []string) {
	s, raw := v.sendRaw(ctx, q, from, to)
	var out struct {
		Results map[string]struct {
			Frames []struct {
				Schema struct {
					Fields []struct {
						Name string `json:"name"`
					} `json:"fields"`
				} `json:"schema"`
				Data struct {
					Values [][]any `json:"values"`
				} `json:"data"`
			} `json:"frames"`
		} `json:"results"`
	}
	var values []string
	if s.err != "" || json.Unmarshal(raw, &out) != nil {
		return s, nil
	}
	for _, r := range out.Results {
		for _, f := range r.Frames {
			for i, fd := range f.Schema.Fields {
				if fd.Name == "value" && i < len(f.Data.Values) {
					for _, x := range f.Data.Values[i] {
						values = append(values, fmt.Sprint(x))
					}
				}
			}
		}
	}
	return s, values
}

func (d *dashboard) timeRange(now time.Time) (time.Time, time.Time, error) {
	from, err := relativeTime(d.from, now)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	to, err := relativeTime(d.to, now)
	return from, to, err
}

// refresh sends every panel's and annotation's query at once, as the
// dashboard's refresh does; the client's connection limit queues them as a
// browser would.
func (v *viewer) refresh(ctx context.Context, now time.Time) []sample {
	from, to, err := v.dash.timeRange(now)
	if err != nil {
		return []sample{{queryType: "setup", group: v.group, err: err.Error()}}
	}
	out := make([]sample, len(v.dash.queries))
	var wg sync.WaitGroup
	for i, q := range v.dash.queries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = v.send(ctx, q, from, to)
		}()
	}
	wg.Wait()
	return out
}

// procStatus reads VmRSS and VmHWM (kB) of a process.
func procStatus(pid int) (rss, hwm int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && (f[0] == "VmRSS:" || f[0] == "VmHWM:") {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			if f[0] == "VmRSS:" {
				rss = n
			} else {
				hwm = n
			}
		}
	}
	return rss, hwm, nil
}

// pluginPID finds the Covenant backend process (gpx_covenant_kpi*) of this
// Grafana: a child of GRAFANA_PID, or else the one running this checkout's dist/.
func pluginPID(repo string) (int, error) {
	parent, _ := strconv.Atoi(os.Getenv("GRAFANA_PID"))
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	dist, _ := filepath.EvalSymlinks(filepath.Join(repo, "dist"))
	var found []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
		if err != nil || !strings.HasPrefix(filepath.Base(exe), "gpx_covenant_kpi") {
			continue
		}
		if parent != 0 {
			st, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
			if err != nil {
				continue
			}
			// pid (comm) state ppid …: the comm may hold spaces, so read after its closing parenthesis.
			f := strings.Fields(string(st[bytes.LastIndexByte(st, ')')+1:]))
			if len(f) > 1 && f[1] == strconv.Itoa(parent) {
				found = append(found, pid)
			}
			continue
		}
		if dist != "" && strings.HasPrefix(exe, dist+string(filepath.Separator)) {
			found = append(found, pid)
		}
	}
	if len(found) != 1 {
		return 0, fmt.Errorf("found %d Covenant plugin processes (%v) of this Grafana (GRAFANA_PID=%q)", len(found), found, os.Getenv("GRAFANA_PID"))
	}
	return found[0], nil
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 0, 64)
}

func mb(kb int64) string { return strconv.FormatFloat(float64(kb)/1024, 'f', 0, 64) }

// latencyTable is a Markdown table of requests, errors and latencies per query type (and group).
func latencyTable(samples []sample, byGroup bool) string {
	type key struct{ group, qt string }
	per := map[key][]time.Duration{}
	errs := map[key]int{}
	for _, s := range samples {
		k := key{qt: s.queryType}
		if byGroup {
			k.group = s.group
		}
		per[k] = append(per[k], s.took)
		if s.err != "" {
			errs[k]++
		}
	}
	keys := make([]key, 0, len(per))
	for k := range per {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].group != keys[j].group {
			return keys[i].group < keys[j].group
		}
		return keys[i].qt < keys[j].qt
	})
	var b strings.Builder
	if byGroup {
		b.WriteString("| contracts | queryType | requests | errors | p50 (ms) | p99 (ms) | max (ms) |\n|---|---|---|---|---|---|---|\n")
	} else {
		b.WriteString("| queryType | requests | errors | p50 (ms) | p99 (ms) | max (ms) |\n|---|---|---|---|---|---|\n")
	}
	for _, k := range keys {
		d := per[k]
		slices.Sort(d)
		if byGroup {
			fmt.Fprintf(&b, "| %s ", k.group)
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %s | %s | %s |\n", k.qt, len(d), errs[k], ms(percentile(d, 0.5)), ms(percentile(d, 0.99)), ms(d[len(d)-1]))
	}
	return b.String()
}

func TestLoad(t *testing.T) {
	base := os.Getenv("GRAFANA_URL")
	pgURL, err := url.Parse(os.Getenv("COVENANT_PG_URL"))
	if base == "" || err != nil || pgURL.Host == "" {
		t.Fatal("GRAFANA_URL and COVENANT_PG_URL must be set: run scripts/load.sh")
	}
	if u, err := url.Parse(base); err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost" && u.Hostname() != "::1") ||
		(pgURL.Hostname() != "127.0.0.1" && pgURL.Hostname() != "localhost") {
		t.Fatalf("the load test targets loopback only: GRAFANA_URL=%s, PostgreSQL at %s", base, pgURL.Host)
	}
	nViewers, err1 := envInt("LOAD_VIEWERS", 50)
	nPG, err2 := envInt("LOAD_PG_VIEWERS", 10)
	nRows, err3 := envInt("LOAD_ROWS", 10_000_000)
	duration, err4 := envDuration("LOAD_DURATION", 60*time.Second)
	refreshEvery, err5 := envDuration("LOAD_REFRESH", 10*time.Second)
	drain, err6 := envDuration("LOAD_DRAIN", 120*time.Second)
	for _, e := range []error{err1, err2, err3, err4, err5, err6} {
		if e != nil {
			t.Fatal(e)
		}
	}
	if nPG > nViewers || nViewers == 0 || duration > 10*time.Minute {
		t.Fatalf("LOAD_VIEWERS=%d, LOAD_PG_VIEWERS=%d, LOAD_DURATION=%s: need 0 < PG viewers ≤ viewers and a run of at most 10 minutes", nViewers, nPG, duration)
	}
	watermark, ok := os.LookupEnv("COVENANT_LOAD_WATERMARK")
	if !ok {
		watermark = "updated_at"
	}
	repo, _ := filepath.Abs("../..")
	results := os.Getenv("LOAD_RESULTS")
	if results == "" {
		results = filepath.Join(repo, ".run", "load-results.md")
	}
	ctx := context.Background()

	// PostgreSQL: the 10M rows.
	db, err := sql.Open("pgx", pgURL.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	table, loaded, took, err := loadRows(ctx, db, nRows)
	if err != nil {
		t.Fatal(err)
	}
	loadNote := "already there"
	if loaded {
		loadNote = "loaded in " + took.Round(100*time.Millisecond).String()
	}
	t.Logf("%s: %d rows from %s to %s, %s", table.Name, table.Rows, table.From.Format(time.DateOnly), table.To.Format(time.DateOnly), loadNote)

	// Grafana: the connector, the registry, a Viewer.
	if err := addConnector(ctx, base, pgURL); err != nil {
		t.Fatal(err)
	}
	var ds struct {
		ID int64 `json:"id"`
	}
	if err := api(ctx, base, http.MethodGet, "/api/datasources/uid/"+datasourceUID, nil, &ds); err != nil {
		t.Fatal(err)
	}
	wmNote, err := setupRegistry(ctx, base, watermark)
	if err != nil {
		t.Fatal(err)
	}
	demo, err := demoContracts(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	login, password, removeUser, err := newViewer(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer removeUser()
	dash, err := readDashboard(filepath.Join(repo, "src", "dashboards", "contract-performance.json"))
	if err != nil {
		t.Fatal(err)
	}
	pid, pidErr := pluginPID(repo)
	if pidErr != nil {
		t.Logf("plugin RSS unavailable: %v", pidErr)
	}
	rssRest, _, _ := procStatus(pid)
	cacheStart, err := readCacheStats(ctx, base)
	if err != nil {
		t.Fatal(err)
	}

	// The viewers: 40 over the demo contracts in turn, 10 on the PostgreSQL one.
	viewers := make([]*viewer, nViewers)
	for i := range viewers {
		v := &viewer{n: i, base: base, dsID: ds.ID, dash: dash, group: "demo", contract: demo[i%len(demo)]}
		if i >= int(nViewers-nPG) {
			v.group, v.contract = "postgres", pgContract
		}
		if v.client, err = newViewerClient(ctx, base, login, password); err != nil {
			t.Fatal(err)
		}
		viewers[i] = v
	}

	// First loads, one contract at a time, one query at a time: each contract's dashboard must answer
	// without error and with figures, or the load would measure nothing.
	var firstLoads []string
	for _, contract := range append(slices.Clone(demo), pgContract) {
		var v *viewer
		for _, w := range viewers {
			if w.contract == contract {
				v = w
				break
			}
		}
		if v == nil {
			continue
		}
		start := time.Now()
		vs, err := v.open(ctx, start)
		if err != nil {
			t.Fatalf("first load of %s: %v", contract, err)
		}
		// One query at a time: a first load must show that every panel has figures, and
		// should not fail on a timeout that only the concurrency of a browser's load brings.
		all := vs
		from, to, err := dash.timeRange(time.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range dash.queries {
			all = append(all, v.send(ctx, q, from, to))
		}
		var worst time.Duration
		for i, s := range all {
			worst = max(worst, s.took)
			if s.err != "" {
				t.Fatalf("first load of %s, query %d (%s): %s", contract, i, s.queryType, s.err)
			}
			if s.queryType == "trackerSeries" && s.rows == 0 {
				t.Fatalf("first load of %s: a trackerSeries panel has no rows: the dashboard would be empty", contract)
			}
		}
		firstLoads = append(firstLoads, fmt.Sprintf("%s %s ms in all (%d trackers; slowest query %s ms)", contract, ms(time.Since(start)), len(v.trackers), ms(worst)))
	}
	for _, v := range viewers { // in the run, every viewer opens the dashboard anew, variables first
		v.trackers = nil
	}
	cacheBefore, err := readCacheStats(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	// Peak RSS of the run alone: reset the process's high-water mark (Linux clear_refs 5).
	hwmReset := pidErr == nil && os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0) == nil
	rssBefore, _, _ := procStatus(pid)

	// The run.
	var (
		mu       sync.Mutex
		samples  []sample
		cycles   int
		skipped  int
		late     []string
		rssPeak  int64
		sampling = make(chan struct{})
	)
	go func() { // sample the resident set every 250 ms as a cross-check of VmHWM
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-sampling:
				return
			case <-tick.C:
				if rss, _, err := procStatus(pid); err == nil {
					mu.Lock()
					rssPeak = max(rssPeak, rss)
					mu.Unlock()
				}
			}
		}
	}()
	start := time.Now()
	end := start.Add(duration)
	runCtx, cancel := context.WithDeadline(ctx, end.Add(drain))
	defer cancel()
	var wg sync.WaitGroup
	for _, v := range viewers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			next := start.Add(time.Duration(v.n) * refreshEvery / time.Duration(nViewers)) // viewers arrive over one refresh period
			first := true
			for next.Before(end) && runCtx.Err() == nil {
				time.Sleep(time.Until(next))
				var got []sample
				if first && v.trackers == nil { // this viewer's dashboard load: its variables first
					vs, err := v.open(runCtx, time.Now())
					got = append(got, vs...)
					if err != nil {
						mu.Lock()
						samples = append(samples, got...)
						late = append(late, fmt.Sprintf("viewer %d could not open the dashboard: %v", v.n, err))
						mu.Unlock()
						return
					}
				}
				first = false
				got = append(got, v.refresh(runCtx, time.Now())...)
				mu.Lock()
				samples = append(samples, got...)
				cycles++
				mu.Unlock()
				next = next.Add(refreshEvery)
				for next.Before(time.Now()) && next.Before(end) { // a refresh still running when the next was due
					next = next.Add(refreshEvery)
					mu.Lock()
					skipped++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(sampling)
	rssAfter, hwm, _ := procStatus(pid)
	cacheAfter, err := readCacheStats(ctx, base)
	if err != nil {
		t.Fatal(err)
	}

	// The report.
	var errCount int
	firstErrs := map[string]int{}
	for _, s := range samples {
		if s.err != "" {
			errCount++
			firstErrs[s.queryType+": "+s.err]++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Load test results\n\n")
	fmt.Fprintf(&b, "Run %s UTC, %s (commit %s). `scripts/load.sh` (tests/load).\n\n", start.UTC().Format("2006-01-02 15:04"), runtimeNote(), gitHead(repo))
	fmt.Fprintf(&b, "- %d Viewers (one Grafana Viewer user, a session each) for %s, refresh every %s: %d on the demo contracts (%s, in turn), %d on the PostgreSQL contract `%s` (%d rows in `%s`, %s to %s; %s).\n",
		nViewers, duration, refreshEvery, nViewers-nPG, strings.Join(demo, ", "), nPG, pgContract, table.Rows, table.Name,
		table.From.Format(time.DateOnly), table.To.Format(time.DateOnly), loadNote)
	fmt.Fprintf(&b, "- Each refresh: the %d queries of `%s` (%s) at once, %d connections per viewer as a browser; time range %s to %s; each viewer's first refresh also resolves the variables. KPI watermark: %s.\n",
		len(dash.queries), dash.uid, queryNames(dash), browserConns, dash.from, dash.to, wmNote)
	fmt.Fprintf(&b, "- First loads before the run (one viewer per contract, one after the other, one query at a time): %s.\n", strings.Join(firstLoads, "; "))
	fmt.Fprintf(&b, "- %d requests in %s (%d refreshes; %d refreshes skipped because the previous one was still running). **Errors: %d.**\n\n",
		len(samples), elapsed.Round(100*time.Millisecond), cycles, skipped, errCount)
	b.WriteString(latencyTable(samples, false))
	b.WriteString("\n")
	b.WriteString(latencyTable(samples, true))
	b.WriteString("\n| plugin process (gpx_covenant_kpi) | MB |\n|---|---|\n")
	if pidErr != nil {
		fmt.Fprintf(&b, "| RSS | unavailable: %v |\n", pidErr)
	} else {
		fmt.Fprintf(&b, "| RSS at rest, before the first loads | %s |\n| RSS before the run | %s |\n| RSS after the run | %s |\n", mb(rssRest), mb(rssBefore), mb(rssAfter))
		if hwmReset {
			fmt.Fprintf(&b, "| peak RSS during the run (VmHWM, reset before it) | %s |\n", mb(hwm))
		} else {
			fmt.Fprintf(&b, "| peak RSS since the process started (VmHWM; could not reset it) | %s |\n", mb(hwm))
		}
		fmt.Fprintf(&b, "| highest RSS sampled every 250 ms | %s |\n", mb(rssPeak))
	}
	b.WriteString("\n")
	b.WriteString(cacheReport(cacheStart, cacheBefore, cacheAfter))
	if errCount > 0 {
		b.WriteString("\nErrors (count, query type: first message):\n\n")
		for _, e := range sortedKeys(firstErrs) {
			fmt.Fprintf(&b, "- %d × %s\n", firstErrs[e], e)
		}
	}
	for _, l := range late {
		fmt.Fprintf(&b, "- %s\n", l)
	}
	fmt.Println("\n" + b.String())
	if err := os.MkdirAll(filepath.Dir(results), 0o755); err == nil {
		if err := os.WriteFile(results, []byte(b.String()), 0o644); err != nil {
			t.Errorf("writing %s: %v", results, err)
		} else {
			t.Logf("results written to %s", results)
		}
	}
	if errCount > 0 || len(late) > 0 {
		t.Fatalf("%d of %d requests failed (errors must be 0)", errCount, len(samples))
	}
	if cycles == 0 {
		t.Fatal("no refresh completed")
	}
}

func cacheReport(start, before, after *cacheStats) string {
	if before == nil || after == nil {
		return "Bucket cache: cache stats unavailable (this build has no GET /resources/cache).\n"
	}
	rate := func(a, b *cacheStats) string {
		h, m := b.Hits-a.Hits, b.Misses-a.Misses
		if h+m == 0 {
			return "no bucket lookups"
		}
		return fmt.Sprintf("%.1f %% (%d hits, %d misses)", 100*float64(h)/float64(h+m), h, m)
	}
	var s strings.Builder
	fmt.Fprintf(&s, "| bucket cache | value |\n|---|---|\n")
	fmt.Fprintf(&s, "| hit rate during the run | %s |\n", rate(before, after))
	if start != nil {
		fmt.Fprintf(&s, "| hit rate including the first loads | %s |\n", rate(start, after))
	}
	fmt.Fprintf(&s, "| watermark checks during the run | %d |\n| invalidations during the run | %d |\n| entries after the run | %d |\n",
		after.WatermarkChecks-before.WatermarkChecks, after.Invalidations-before.Invalidations, after.Entries)
	return s.String()
}

func queryNames(d *dashboard) string {
	var n []string
	for _, q := range d.queries {
		n = append(n, q.name+": "+q.queryType)
	}
	return strings.Join(n, ", ")
}

func sortedKeys(m map[string]int) []string {
	k := make([]string, 0, len(m))
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}

func gitHead(repo string) string {
	out, err := exec.Command("git", "-C", repo, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

func runtimeNote() string {
	n, _ := os.ReadFile("/proc/cpuinfo")
	return fmt.Sprintf("%d CPUs", strings.Count(string(n), "processor\t:"))
}
