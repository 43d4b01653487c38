package registry

import (
	"context"
	"strings"
	"testing"

	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/store"
)

func snapshot(t *testing.T, r *Registry) *Snapshot {
	t.Helper()
	s, err := r.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The snapshot holds the whole registry, indexed as its users read it.
func TestSnapshotContents(t *testing.T) {
	r, _ := newRegistry(t)
	if s := snapshot(t, r); s.Generation != 0 || len(s.Contracts)+len(s.KPIs)+len(s.Trackers)+len(s.Assignments)+len(s.Agreements) != 0 {
		t.Fatalf("the snapshot of an empty store: %+v", s)
	}
	smallRegistry(t, r)
	// Created in the reverse of id order: the snapshot sorts each contract's agreements by id.
	mustCreate(t, r, "agreements", agreementBody("sla-b", "acme", nil, "acme-avail"))
	mustCreate(t, r, "agreements", agreementBody("sla-a", "acme", nil, "acme-resp"))
	mustCreate(t, r, "agreements", agreementBody("globex-sla", "globex", nil, "globex-avail"))
	s := snapshot(t, r)
	if s.Generation != generation(t, r) {
		t.Fatalf("snapshot generation %d, store %d", s.Generation, generation(t, r))
	}
	if len(s.Contracts) != 2 || len(s.KPIs) != 2 || len(s.Trackers) != 2 || s.Contracts["acme"].Counterparty != "Acme Corp" || s.KPIs["uptime"].Direction != models.HigherIsBetter || s.Trackers["within-60"].Method != "ratio" {
		t.Fatalf("snapshot objects: %d contracts, %d KPIs, %d trackers", len(s.Contracts), len(s.KPIs), len(s.Trackers))
	}
	ids := func(as []*models.Assignment) string {
		var out []string
		for _, a := range as {
			out = append(out, a.ID)
		}
		return strings.Join(out, ",")
	}
	if got := ids(s.Assignments["acme"]); got != "acme-avail,acme-resp" {
		t.Fatalf("acme's assignments %s", got)
	}
	if got := ids(s.Assignments["globex"]); got != "globex-avail" {
		t.Fatalf("globex's assignments %s", got)
	}
	if a := s.Assignment("acme", "acme-resp"); a == nil || a.TrackerID != "within-60" {
		t.Fatalf("Assignment(acme, acme-resp) = %+v", a)
	}
	if a := s.Assignment("acme", "globex-avail"); a != nil {
		t.Fatalf("Assignment(acme, globex-avail) = %+v: it is globex's", a)
	}
	var all []string
	for _, g := range s.AllAgreements() {
		all = append(all, g.ContractID+"/"+g.ID)
	}
	if strings.Join(all, ",") != "acme/sla-a,acme/sla-b,globex/globex-sla" {
		t.Fatalf("AllAgreements: %v, want by contract id then id", all)
	}
}

// The snapshot is reused while the store does not change: the same pointer
// comes back. A write (create, update, delete, import) makes the next call
// load a fresh one at the new generation, with the objects' new versions;
// what changes nothing (a refused write, a dry run) keeps it.
func TestSnapshotCache(t *testing.T) {
	r, _ := newRegistry(t)
	ctx := context.Background()
	smallRegistry(t, r)
	first := snapshot(t, r)
	if again := snapshot(t, r); again != first {
		t.Fatal("a second snapshot with no write in between was loaded again")
	}

	// Neither a refused create nor a dry-run import writes anything.
	if _, err := create(t, r, "trackers", `{"id":"t","name":"T","kpiId":"ghost","method":"avg","interval":"1d","target":{"constant":1}}`); err == nil {
		t.Fatal("a tracker of a missing KPI was created")
	}
	if _, err := r.Import(ctx, []byte(registryYAML), "admin", true); err != nil {
		t.Fatal(err)
	}
	if again := snapshot(t, r); again != first {
		t.Fatal("the snapshot was reloaded after writes that changed nothing")
	}

	// An update: a new snapshot, the tracker at version 2 with its new target.
	k := kind(t, "trackers")
	e, _ := Decode(k, []byte(strings.Replace(availTracker, `"constant":99.5`, `"constant":99.9`, 1)))
	e.GetMeta().Version = 1
	if _, err := r.Update(ctx, k, "availability", e, "editor"); err != nil {
		t.Fatal(err)
	}
	second := snapshot(t, r)
	if second == first || second.Generation <= first.Generation {
		t.Fatalf("after an update: same snapshot %v, generation %d then %d", second == first, first.Generation, second.Generation)
	}
	if tr := second.Trackers["availability"]; tr.Version != 2 || *tr.Target.Constant != 99.9 {
		t.Fatalf("the fresh snapshot's tracker: version %d target %v", tr.Version, *tr.Target.Constant)
	}
	// The old snapshot is not changed under its readers.
	if tr := first.Trackers["availability"]; tr.Version != 1 || *tr.Target.Constant != 99.5 {
		t.Fatalf("the old snapshot changed: version %d target %v", tr.Version, *tr.Target.Constant)
	}
	if again := snapshot(t, r); again != second {
		t.Fatal("the fresh snapshot was not reused")
	}

	// A delete: gone from the next snapshot.
	if err := r.Delete(ctx, kind(t, "assignments"), "globex-avail", 1, "editor"); err != nil {
		t.Fatal(err)
	}
	third := snapshot(t, r)
	if third == second || third.Generation <= second.Generation || len(third.Assignments["globex"]) != 0 || len(second.Assignments["globex"]) != 1 {
		t.Fatalf("after a delete: globex's assignments %d (before %d)", len(third.Assignments["globex"]), len(second.Assignments["globex"]))
	}

	// A real import of new objects.
	if _, err := r.Import(ctx, []byte("apiVersion: covenant/v1\nkind: Registry\ncontracts:\n  - {id: initech, name: Initech, counterparty: Initech}\n"), "admin", false); err != nil {
		t.Fatal(err)
	}
	fourth := snapshot(t, r)
	if fourth == third || fourth.Contracts["initech"] == nil || third.Contracts["initech"] != nil {
		t.Fatal("the import's contract is not in the next snapshot")
	}
}

// Another plugin process writing to the same store (Grafana in HA on a shared
// store; here a second SQLite connection to the file) invalidates the snapshot too.
func TestSnapshotSeesOtherWriters(t *testing.T) {
	r, path := newRegistry(t)
	smallRegistry(t, r)
	other := openRegistry(t, path)
	before := snapshot(t, r)
	mustCreate(t, other, "contracts", `{"id":"initech","name":"Initech","counterparty":"Initech"}`)
	after := snapshot(t, r)
	if after == before || after.Contracts["initech"] == nil {
		t.Fatal("a write by another store on the same file did not refresh the snapshot")
	}
	if s := snapshot(t, other); s.Generation != after.Generation {
		t.Fatalf("the two processes disagree on the generation: %d and %d", s.Generation, after.Generation)
	}
}

// Another datasource's registry in the same file (another scope) is not this
// one: its writes neither show in nor invalidate this registry's snapshot.
func TestSnapshotIgnoresOtherScopes(t *testing.T) {
	r, path := newRegistry(t)
	smallRegistry(t, r)
	st, err := store.OpenSQLite(context.Background(), path, store.Scope{OrgID: 2, DatasourceUID: "elsewhere"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	other := &Registry{Store: st, ConnectorType: testConnectors}
	before := snapshot(t, r)
	mustCreate(t, other, "contracts", `{"id":"initech","name":"Initech","counterparty":"Initech"}`)
	if after := snapshot(t, r); after != before || after.Contracts["initech"] != nil {
		t.Fatal("a write in another scope reloaded or changed this registry's snapshot")
	}
	if s := snapshot(t, other); len(s.Contracts) != 1 || s.Contracts["initech"] == nil {
		t.Fatalf("the other scope's snapshot: %v", s.Contracts)
	}
}
