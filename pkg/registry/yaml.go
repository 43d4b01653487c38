package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"sigs.k8s.io/yaml"

	"github.com/covenant/contracts/pkg/ledger"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/store"
)

// The registry as code: a YAML document with one list per kind, each object
// with its id and fields (no versions or audit fields).
//
//	apiVersion: covenant/v1
//	kind: Registry
//	contracts: [...]
//	kpis: [...]
//	trackers: [...]
//	assignments: [...]
//	agreements: [...]
//	ledger: [...]   the period-close ledger, each agreement's entries in chain order; an import
//	                adds the entries it lacks after checking them (ledger.CheckImport), never changes one

// APIVersion is the export format's version.
const APIVersion = "covenant/v1"

var metaFields = []string{"version", "createdAt", "createdBy", "updatedAt", "updatedBy"}

// plain is an object's JSON without its meta fields but its id.
func plain(e Entity) (map[string]any, error) {
	raw, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	for _, f := range metaFields {
		delete(m, f)
	}
	return m, nil
}

// Export writes the whole registry as YAML.
func (r *Registry) Export(ctx context.Context) ([]byte, error) {
	doc := map[string]any{"apiVersion": APIVersion, "kind": "Registry"}
	for _, k := range Kinds {
		page, err := r.List(ctx, k, store.ListOptions{})
		if err != nil {
			return nil, err
		}
		items := make([]map[string]any, 0, len(page.Items))
		for _, e := range page.Items {
			m, err := plain(e)
			if err != nil {
				return nil, err
			}
			items = append(items, m)
		}
		doc[k.Plural] = items
	}
	ledger, err := r.Store.Ledger(ctx, store.LedgerFilter{ChainOrder: true})
	if err != nil {
		return nil, err
	}
	if ledger == nil {
		ledger = []store.LedgerEntry{}
	}
	doc["ledger"] = ledger
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return yaml.JSONToYAML(raw)
}

// Change is one object an import creates or updates.
type Change struct {
	Kind    string `json:"kind"`
	ID      string `json:"id"`
	Action  string `json:"action"`            // create or update
	Changes string `json:"changes,omitempty"` // update: {"field": {"old", "new"}}
}

// ImportReport says what an import did, or would do on a dry run.
type ImportReport struct {
	DryRun    bool     `json:"dryRun"`
	Changes   []Change `json:"changes"`
	Unchanged int      `json:"unchanged"`
	// LedgerAdded counts the ledger entries the store did not hold.
	LedgerAdded int `json:"ledgerAdded"`
}

var errDryRun = errors.New("dry run")

// Import creates the document's objects that are not stored and updates the
// ones that differ, by id, in one transaction: all of it lands or none. A dry
// run does the same and rolls back, reporting what would change. Objects not
// in the document are left alone.
func (r *Registry) Import(ctx context.Context, doc []byte, actor string, dryRun bool) (ImportReport, error) {
	raw, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return ImportReport{}, fmt.Errorf("%w: the document is not valid YAML: %v", models.ErrInvalidInput, err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil || top == nil {
		return ImportReport{}, fmt.Errorf("%w: the document is not a YAML mapping with apiVersion, kind and a list per kind", models.ErrInvalidInput)
	}
	var version, kind string
	_ = json.Unmarshal(top["apiVersion"], &version)
	_ = json.Unmarshal(top["kind"], &kind)
	if version != APIVersion || kind != "Registry" {
		return ImportReport{}, models.InputFieldError("apiVersion", fmt.Sprintf("the document must start with apiVersion: %s and kind: Registry (it has %q and %q)", APIVersion, version, kind))
	}
	known := map[string]bool{"apiVersion": true, "kind": true, "ledger": true}
	for _, k := range Kinds {
		known[k.Plural] = true
	}
	for f := range top {
		if !known[f] {
			return ImportReport{}, models.InputFieldError(f, "is not a list of the registry: use contracts, kpis, trackers, assignments, agreements or ledger")
		}
	}
	var ledger []store.LedgerEntry
	if len(top["ledger"]) > 0 && string(top["ledger"]) != "null" {
		if err := json.Unmarshal(top["ledger"], &ledger); err != nil {
			return ImportReport{}, models.InputFieldError("ledger", fmt.Sprintf("must be a list of ledger entries as exported (%v)", err))
		}
		for i, e := range ledger {
			if e.AgreementID == "" || e.PeriodStart.IsZero() || e.Seq < 1 || e.Digest == "" || len(e.Snapshot) == 0 || e.Position < 1 || e.Hash == "" {
				return ImportReport{}, models.InputFieldError(fmt.Sprintf("ledger[%d]", i), "is incomplete: an entry needs agreementId, periodStart, seq, digest, snapshot, position and hash, as exported (export again from this version)")
			}
		}
	}
	report := ImportReport{DryRun: dryRun, Changes: []Change{}}
	err = r.Store.Batch(ctx, actor, func(b *store.Batch) error {
		get := func(kind, id string) (store.Object, error) { return b.Get(kind, id) }
		for _, k := range Kinds {
			var items []json.RawMessage
			if len(top[k.Plural]) > 0 && string(top[k.Plural]) != "null" {
				if err := json.Unmarshal(top[k.Plural], &items); err != nil {
					return models.InputFieldError(k.Plural, "must be a list")
				}
			}
			for i, item := range items {
				field := fmt.Sprintf("%s[%d]", k.Plural, i)
				c, err := r.importOne(b, get, k, item)
				if err != nil {
					return prefix(err, field)
				}
				if c == nil {
					report.Unchanged++
					continue
				}
				report.Changes = append(report.Changes, *c)
			}
		}
		if err := r.checkLedger(b, ledger); err != nil {
			return err
		}
		added, err := b.RestoreLedger(ledger)
		if err != nil {
			return err
		}
		report.LedgerAdded = added
		if err := auditImport(b, report); err != nil {
			return err
		}
		if dryRun {
			return errDryRun
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDryRun) {
		return ImportReport{}, err
	}
	return report, nil
}

// checkLedger refuses the import unless its ledger entries may be restored
// (ledger.CheckImport): it reads the agreements as the import leaves them and
// the stored chains inside the import's transaction.
func (r *Registry) checkLedger(b *store.Batch, entries []store.LedgerEntry) error {
	if len(entries) == 0 {
		return nil
	}
	agreements := map[string]string{}
	for _, e := range entries {
		if _, seen := agreements[e.AgreementID]; seen {
			continue
		}
		o, err := b.Get("agreement", e.AgreementID)
		if errors.Is(err, models.ErrNotFound) {
			continue // not in the registry: CheckImport names the entry
		}
		if err != nil {
			return err
		}
		var g models.Agreement
		if err := json.Unmarshal(o.Body, &g); err != nil {
			return err
		}
		agreements[e.AgreementID] = g.ContractID
	}
	stored, err := b.Ledger(store.LedgerFilter{ChainOrder: true})
	if err != nil {
		return err
	}
	_, chains := store.Chains(stored)
	return ledger.CheckImport(entries, chains, agreements)
}

// auditImport records the import in the audit trail as the importing user's
// act (kind "registry", id "import"), with what it changed.
func auditImport(b *store.Batch, report ImportReport) error {
	counts := map[string]int{"created": 0, "updated": 0, "unchanged": report.Unchanged, "ledgerAdded": report.LedgerAdded}
	for _, c := range report.Changes {
		counts[c.Action+"d"]++
	}
	raw, _ := json.Marshal(counts)
	return b.Audit("import", "import", string(raw))
}

// importOne creates or updates one object in the batch; nil when it is unchanged.
func (r *Registry) importOne(b *store.Batch, get getter, k Kind, item json.RawMessage) (*Change, error) {
	var meta map[string]json.RawMessage
	_ = json.Unmarshal(item, &meta)
	for _, f := range metaFields {
		delete(meta, f)
	}
	clean, _ := json.Marshal(meta)
	e, err := Decode(k, clean)
	if err != nil {
		return nil, err
	}
	id := e.GetMeta().ID
	if id == "" {
		return nil, models.InputFieldError("id", "is empty: every object in an import needs its id")
	}
	if err := models.CheckID(id); err != nil {
		return nil, err
	}
	if err := r.check(e, get); err != nil {
		return nil, err
	}
	o, err := toObject(k, e)
	if err != nil {
		return nil, err
	}
	stored, err := b.Get(k.Name, id)
	switch {
	case errors.Is(err, models.ErrNotFound):
		if _, err := b.Create(o); err != nil {
			return nil, refError(err)
		}
		return &Change{Kind: k.Name, ID: id, Action: "create"}, nil
	case err != nil:
		return nil, err
	}
	if bytes.Equal(normal(stored.Body), normal(o.Body)) {
		return nil, nil
	}
	o.Version = stored.Version
	if _, err := b.Update(o); err != nil {
		return nil, refError(err)
	}
	return &Change{Kind: k.Name, ID: id, Action: "update", Changes: store.Diff(stored.Body, o.Body)}, nil
}

// normal re-encodes JSON with sorted keys, for comparison.
func normal(raw []byte) []byte {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return raw
	}
	out, _ := json.Marshal(v)
	return out
}

// prefix puts a path before a field error's field.
func prefix(err error, path string) error {
	var fe *models.FieldError
	if errors.As(err, &fe) {
		cp := *fe
		cp.Field = path + "." + fe.Field
		return &cp
	}
	return fmt.Errorf("%s: %w", path, err)
}
