package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"path/filepath"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/connector"
	"github.com/covenant/contracts/pkg/engine/enginetest"
	"github.com/covenant/contracts/pkg/ledger"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
	"github.com/covenant/contracts/pkg/store"
)

// demoEnd is where the pinned demo dataset ends.
var demoEnd = time.Date(2026, 3, 15, 12, 30, 0, 0, time.UTC)

// agreementEngine is an engine over a fresh SQLite registry holding one
// contract with two trackers (a timeslice and an occurrence one) and an
// agreement covering both, on the demo dataset pinned to end at demoEnd.
func agreementEngine(t *testing.T) *Engine {
	t.Helper()
	ctx := context.Background()
	db, err := connector.OpenDemo(ctx, demoEnd)
	if err != nil {
		t.Fatal(err)
	}
	restore := connector.UseDemo(db)
	st, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "registry.db"), store.Scope{OrgID: 1, DatasourceUID: "engine-test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = st.Close()
		restore()
		_ = db.Close()
	})
	reg := &registry.Registry{Store: st, ConnectorType: func(string) (models.ConnectorType, bool) { return models.ConnectorDemo, true }}
	for _, c := range enginetest.AgreementRegistry {
		k, _ := registry.KindByPlural(c.Kind)
		e, err := registry.Decode(k, []byte(c.Body))
		if err != nil {
			t.Fatalf("%s: %v", c.Kind, err)
		}
		if _, err := reg.Create(ctx, k, e, "test"); err != nil {
			t.Fatalf("%s: %v", c.Kind, err)
		}
	}
	demo := func(ctx context.Context, _ string) (connector.Connector, error) { return connector.Demo(ctx) }
	return New(reg, demo, func() time.Time { return demoEnd }, time.Hour)
}

// legacyDigest is the digest as Covenant computed it before the inputs were
// kept in the snapshot; the inputs' digest must equal it, or every period in
// the restatement window would be restated after an upgrade.
func legacyDigest(a *Agreement, p compliance.Period) string {
	type trackerInput struct {
		Assignment string            `json:"assignment"`
		Key        string            `json:"key"`
		Def        models.TrackerDef `json:"def"`
		Mode       string            `json:"mode"`
		Weight     float64           `json:"weight"`
		Buckets    [][2]any          `json:"buckets,omitempty"`
		Requests   [][3]any          `json:"requests,omitempty"`
	}
	g := *a.agreement
	g.Meta = models.Meta{ID: g.ID}
	in := struct {
		Agreement     models.Agreement `json:"agreement"`
		ContractValue float64          `json:"contractValue"`
		Period        compliance.Period
		Trackers      []trackerInput `json:"trackers"`
	}{Agreement: g, ContractValue: a.contract.Value, Period: p}
	jsonFloat := func(v float64) any {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return v
	}
	for _, ct := range a.covered {
		ti := trackerInput{Assignment: ct.assignment.ID, Key: ct.assignment.Key, Def: ct.def, Mode: ct.mode, Weight: ct.weight}
		for i, s := range ct.figures.Start {
			if !s.Before(p.Start) && !ct.figures.End[i].After(p.End) {
				ti.Buckets = append(ti.Buckets, [2]any{s.Unix(), jsonFloat(ct.figures.Actual[i])})
			}
		}
		for _, r := range ct.requests {
			if !r.Time.Before(p.Start) && r.Time.Before(p.End) {
				ti.Requests = append(ti.Requests, [3]any{r.Time.UnixNano(), jsonFloat(r.Value), r.Open})
			}
		}
		in.Trackers = append(in.Trackers, ti)
	}
	b, _ := json.Marshal(in)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// The digest of the inputs is the digest entries always had, and the inputs
// give the result again, through a YAML round trip.
func TestLedgerInputsDigestAndResult(t *testing.T) {
	e := agreementEngine(t)
	ctx := context.Background()
	snap, err := e.Registry.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	g := snap.Agreements["acme"][0]
	periods, _ := compliance.Periods(g.Period, demoEnd.AddDate(0, -6, 0), demoEnd, 10)
	a, err := e.LoadAgreement(ctx, snap, g, periods[0].Start, periods[len(periods)-1].End, demoEnd)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range periods {
		in := a.Inputs(p)
		if in.Digest() != legacyDigest(a, p) {
			t.Fatalf("%s: the inputs' digest differs from the digest entries had", p.Start)
		}
		y, _ := yaml.Marshal(in)
		raw, _ := yaml.YAMLToJSON(y)
		var back ledger.Inputs
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		want := a.Evaluate(p, demoEnd)
		got, err := back.Result(demoEnd)
		if err != nil || back.Digest() != in.Digest() {
			t.Fatalf("%s: after YAML: digest %v, %v", p.Start, back.Digest() == in.Digest(), err)
		}
		if got.Status != want.Status || !sameNum(got.Compliance, want.Compliance) || got.ImpactCost != want.ImpactCost || !sameNum(got.PenaltyReward, want.PenaltyReward) {
			t.Fatalf("%s: recomputed %+v, evaluated %+v", p.Start, got, want)
		}
	}
}

func sameNum(a, b compliance.Num) bool {
	return a.IsNaN() && b.IsNaN() || math.Abs(float64(a-b)) < 1e-9
}
