package plugin

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// The ledger's acts through the resource API: a Viewer cannot act; an Editor
// signs a closed period off once (a second sign-off, a dispute after it and a
// resolution without a dispute are 409 with the reason); bad requests name
// the field; an Admin-only dispute role keeps Editors out.
func TestLedgerActsAPI(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	d := newTestDatasource(t, `{"storePath":"`+t.TempDir()+`"}`) // seeded with the demo contracts
	t.Cleanup(d.Dispose)
	const feb = "ledger/acme-it-service-levels/2026-02-01/"
	forbidden := callResourceBody(t, d, "Viewer", http.MethodPost, feb+"signoff", `{"comment":"ok"}`)
	if forbidden.status != http.StatusForbidden || !strings.Contains(string(forbidden.body), "needs the Editor role") {
		t.Fatalf("a Viewer's sign-off: %d %s", forbidden.status, forbidden.body)
	}
	got := mustCall(t, d, http.StatusCreated, "Editor", http.MethodPost, feb+"signoff", `{"comment":"Agreed at the review"}`)
	entries, _ := got["entries"].([]any)
	if len(entries) != 1 || entries[0].(map[string]any)["kind"] != "signoff" || entries[0].(map[string]any)["actor"] != "u-Editor" {
		t.Fatalf("sign-off: %v", got)
	}
	for _, tc := range []struct {
		path, body string
		status     int
		msg        string
	}{
		{feb + "signoff", `{}`, http.StatusConflict, "already signed off"},
		{feb + "dispute", `{"comment":"no","items":[{"assignmentId":"acme-it-daily-availability","reason":"late"}]}`, http.StatusConflict, "already signed off"},
		{"ledger/acme-it-service-levels/2026-01-01/resolve", `{"comment":"x","dispute":2,"outcome":"upheld"}`, http.StatusConflict, "no open dispute"},
		{"ledger/acme-it-service-levels/2026-01-01/dispute", `{"comment":"x","items":[{"assignmentId":"nope","reason":"r"}]}`, http.StatusBadRequest, "items[0].assignmentId"},
		{"ledger/acme-it-service-levels/2026-01-01/dispute", `{"comment":"x","colour":"red"}`, http.StatusBadRequest, "body"},
		{"ledger/acme-it-service-levels/2026-01-15/signoff", `{}`, http.StatusBadRequest, "starts on 2026-01-01"},
		{"ledger/acme-it-service-levels/2026-03-01/signoff", `{}`, http.StatusNotFound, "no closed period starting 2026-03-01"},
		{"ledger/nope/2026-01-01/signoff", `{}`, http.StatusNotFound, `no agreement \"nope\"`},
		{"ledger/acme-it-service-levels/2026-01-01/approve", `{}`, http.StatusNotFound, "not an act"},
	} {
		r := callResourceBody(t, d, "Editor", http.MethodPost, tc.path, tc.body)
		if r.status != tc.status || !strings.Contains(string(r.body), tc.msg) {
			t.Fatalf("%s %s: %d %s; want %d …%s…", tc.path, tc.body, r.status, r.body, tc.status, tc.msg)
		}
	}

	// January is disputed as a whole tracker: the portfolio counts the
	// contract as disputed, and the annotations mark the act.
	mustCall(t, d, http.StatusCreated, "Editor", http.MethodPost, "ledger/acme-it-service-levels/2026-01-01/dispute",
		`{"comment":"The outage of 8 January was the customer's","items":[{"assignmentId":"acme-it-daily-availability","reason":"customer caused"}]}`)
	resp := queryOne(t, d, backend.DataQuery{RefID: "P", QueryType: "portfolio", JSON: json.RawMessage(`{"contract":"*"}`),
		TimeRange: backend.TimeRange{From: demoEnd.AddDate(0, -1, 0), To: demoEnd}})
	if resp.Error != nil {
		t.Fatal(resp.Error)
	}
	frames := resp.Frames
	open := map[string]int64{}
	table := frames[0]
	for i := 0; i < table.Rows(); i++ {
		id, _ := table.Fields[0].ConcreteAt(i)
		n, _ := table.Fields[len(table.Fields)-1].ConcreteAt(i)
		open[id.(string)] = n.(int64)
	}
	if table.Fields[len(table.Fields)-1].Name != "open_disputes" || open["acme-it"] != 1 || open["globex-logistics"] != 0 {
		t.Fatalf("open disputes %v", open)
	}
	if f, _ := frames[1].FieldByName("disputed"); f == nil || f.At(0).(int64) != 1 {
		t.Fatalf("summary: %v", frames[1].Fields)
	}
	annoResp := queryOne(t, d, backend.DataQuery{RefID: "A", QueryType: "annotations", JSON: json.RawMessage(`{"contract":"acme-it","kinds":["disputes"]}`),
		TimeRange: backend.TimeRange{From: demoEnd.AddDate(0, -1, 0), To: demoEnd.Add(time.Hour)}})
	if annoResp.Error != nil {
		t.Fatal(annoResp.Error)
	}
	titles := column(t, annoResp.Frames[0], "title")
	// Both acts were made at the same (pinned) time: by period at that time.
	if len(titles) != 2 || titles[0] != "Disputed: Service levels, 2026-01-01 – 2026-01-31" || titles[1] != "Signed off: Service levels, 2026-02-01 – 2026-02-28" {
		t.Fatalf("annotations %v", titles)
	}

	// The report states each period and lists the open dispute under risk.
	rep := mustCall(t, d, http.StatusOK, "Viewer", http.MethodGet, "report?contractId=acme-it&from=2026-01-01&to=2026-03-01", "")
	periodStates := map[string]string{}
	for _, a := range rep["financial"].(map[string]any)["agreements"].([]any) {
		m := a.(map[string]any)
		periodStates[m["result"].(map[string]any)["period"].(map[string]any)["start"].(string)[:7]], _ = m["state"].(string)
	}
	disputes := rep["risk"].(map[string]any)["openDisputes"].([]any)
	if periodStates["2026-01"] != "disputed" || periodStates["2026-02"] != "signed_off" || len(disputes) != 1 ||
		disputes[0].(map[string]any)["by"].(map[string]any)["login"] != "u-Editor" || disputes[0].(map[string]any)["items"] != 1.0 {
		t.Fatalf("report: states %v, open disputes %v", periodStates, disputes)
	}

	// GET /ledger states each period's lifecycle.
	list := mustCall(t, d, http.StatusOK, "Viewer", http.MethodGet, "ledger?agreementId=acme-it-service-levels", "")
	states := map[string]string{}
	for _, p := range list["periods"].([]any) {
		m := p.(map[string]any)
		states[m["periodStart"].(string)[:7]] = m["state"].(string)
	}
	if states["2026-02"] != "signed_off" || states["2026-01"] != "disputed" {
		t.Fatalf("period states %v", states)
	}
	// The ledger query lists the acts too, without figures of their own: it still answers after them.
	q := backend.DataQuery{RefID: "A", QueryType: "ledger", JSON: json.RawMessage(`{"agreement":"acme-it-service-levels"}`)}
	lq, _ := d.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: pluginCtx("Viewer"), Queries: []backend.DataQuery{q}})
	if r := lq.Responses["A"]; r.Error != nil || r.Frames[0].Rows() == 0 {
		t.Fatalf("ledger query after a sign-off: %v", r.Error)
	} else {
		kinds, _ := r.Frames[0].FieldByName("kind")
		comp, _ := r.Frames[0].FieldByName("compliance")
		acts := 0
		for i := 0; i < kinds.Len(); i++ {
			switch kinds.At(i).(string) {
			case "close", "restatement":
				if comp.At(i).(*float64) == nil {
					t.Fatalf("ledger query row %d: a result without its compliance", i)
				}
			default:
				acts++
				if comp.At(i).(*float64) != nil {
					t.Fatalf("ledger query row %d: an act with figures", i)
				}
			}
		}
		if acts != 2 {
			t.Fatalf("%d acts in the ledger query, want the sign-off and the dispute", acts)
		}
	}

	admins := newTestDatasource(t, `{"storePath":"`+t.TempDir()+`","disputeRole":"Admin"}`)
	t.Cleanup(admins.Dispose)
	if r := callResourceBody(t, admins, "Editor", http.MethodPost, feb+"signoff", `{}`); r.status != http.StatusForbidden || !strings.Contains(string(r.body), "needs the Admin role") {
		t.Fatalf("an Editor under disputeRole Admin: %d %s", r.status, r.body)
	}
	mustCall(t, admins, http.StatusCreated, "Admin", http.MethodPost, feb+"signoff", `{}`)
}

// Evidence files: an Editor uploads one (stored by its SHA-256), a Viewer
// downloads it as a download, and a dispute attaches it: the ledger records
// its hash, name and size. Too large, empty, badly named or unknown files
// are refused naming the field; a Viewer cannot upload.
func TestLedgerAttachmentsAPI(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	d := newTestDatasource(t, `{"storePath":"`+t.TempDir()+`"}`)
	t.Cleanup(d.Dispose)
	content := "Change CHG-1042 was the customer's: see the attached log."
	body := `{"name":"chg-1042.txt","type":"text/plain","content":"` + base64.StdEncoding.EncodeToString([]byte(content)) + `"}`
	if r := callResourceBody(t, d, "Viewer", http.MethodPost, "ledger/attachments", body); r.status != http.StatusForbidden {
		t.Fatalf("a Viewer's upload: %d %s", r.status, r.body)
	}
	up := mustCall(t, d, http.StatusCreated, "Editor", http.MethodPost, "ledger/attachments", body)
	sum := sha256.Sum256([]byte(content))
	if up["sha256"] != hex.EncodeToString(sum[:]) || up["size"] != float64(len(content)) || up["createdBy"] != "u-Editor" {
		t.Fatalf("upload: %v", up)
	}
	down := callResourceBody(t, d, "Viewer", http.MethodGet, "ledger/attachments/"+up["sha256"].(string), "")
	if down.status != http.StatusOK || string(down.body) != content {
		t.Fatalf("download: %d %q", down.status, down.body)
	}
	big := base64.StdEncoding.EncodeToString(make([]byte, MaxAttachmentBytes+1))
	for _, tc := range []struct{ body, field string }{
		{`{"name":"big.bin","content":"` + big + `"}`, "content"},
		{`{"name":"empty.txt","content":""}`, "content"},
		{`{"name":"../etc/passwd","content":"eA=="}`, "name"},
		{`{"name":"x.txt","content":"not base64!"}`, "content"},
	} {
		r := callResourceBody(t, d, "Editor", http.MethodPost, "ledger/attachments", tc.body)
		if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), tc.field) {
			t.Fatalf("%.60s: %d %s", tc.body, r.status, r.body)
		}
	}
	if r := callResourceBody(t, d, "Viewer", http.MethodGet, "ledger/attachments/"+strings.Repeat("0", 64), ""); r.status != http.StatusNotFound {
		t.Fatalf("an unknown file: %d %s", r.status, r.body)
	}

	const jan = "ledger/acme-it-service-levels/2026-01-01/dispute"
	r := callResourceBody(t, d, "Editor", http.MethodPost, jan, `{"comment":"x","items":[{"assignmentId":"acme-it-daily-availability","reason":"r"}],"attachments":[{"sha256":"`+strings.Repeat("0", 64)+`"}]}`)
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "attachments[0].sha256") {
		t.Fatalf("an unknown attachment: %d %s", r.status, r.body)
	}
	got := mustCall(t, d, http.StatusCreated, "Editor", http.MethodPost, jan,
		`{"comment":"Not ours","items":[{"assignmentId":"acme-it-daily-availability","reason":"customer caused"}],"attachments":[{"sha256":"`+up["sha256"].(string)+`"}]}`)
	snap := got["entries"].([]any)[0].(map[string]any)["snapshot"].(map[string]any)
	att := snap["attachments"].([]any)[0].(map[string]any)
	if att["sha256"] != up["sha256"] || att["name"] != "chg-1042.txt" || att["size"] != float64(len(content)) {
		t.Fatalf("the dispute's attachments: %v", snap["attachments"])
	}
}

// The rows behind a bucket of a closed period, through the connector: the
// demo's hourly uptime of 3 January gives 24 rows whose mean is the actual
// the close holds (unchanged); a dispute that cites the bucket records the
// same count and digest. A time that is not a bucket's start names the field.
func TestLedgerEvidenceRows(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	d := newTestDatasource(t, `{"storePath":"`+t.TempDir()+`"}`)
	t.Cleanup(d.Dispose)
	const base = "ledger/acme-it-service-levels/2026-01-01/"
	got := mustCall(t, d, http.StatusOK, "Viewer", http.MethodGet, base+"evidence?assignmentId=acme-it-daily-availability&bucket=2026-01-03T00:00:00Z", "")
	ev := got["evidence"].(map[string]any)
	rows := got["rows"].([]any)
	if len(rows) != 24 || ev["rows"] != 24.0 || ev["changed"] != false || ev["actual"] != ev["atClose"] || ev["actual"] == nil || got["end"] != "2026-01-04T00:00:00Z" {
		t.Fatalf("evidence: %d rows, %v, end %v", len(rows), ev, got["end"])
	}
	sum := 0.0
	for _, r := range rows {
		sum += r.(map[string]any)["value"].(float64)
	}
	if math.Abs(sum/24-ev["actual"].(float64)) > 1e-9 {
		t.Fatalf("the mean of the rows %v is not the actual %v", sum/24, ev["actual"])
	}
	if r := callResourceBody(t, d, "Viewer", http.MethodGet, base+"evidence?assignmentId=acme-it-daily-availability&bucket=2026-01-03T05:00:00Z", ""); r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "bucket") {
		t.Fatalf("not a bucket start: %d %s", r.status, r.body)
	}
	disputed := mustCall(t, d, http.StatusCreated, "Editor", http.MethodPost, base+"dispute",
		`{"comment":"Monitoring gap","items":[{"assignmentId":"acme-it-daily-availability","bucket":"2026-01-03T00:00:00Z","reason":"monitoring gap","cite":true}]}`)
	item := disputed["entries"].([]any)[0].(map[string]any)["snapshot"].(map[string]any)["items"].([]any)[0].(map[string]any)
	cited := item["evidence"].(map[string]any)
	if cited["digest"] != ev["digest"] || cited["rows"] != 24.0 || cited["changed"] != false {
		t.Fatalf("cited evidence %v, fetched %v", cited, ev)
	}
}
