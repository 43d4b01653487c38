// Package registry is Covenant's registry of contracts, service calendars,
// KPIs, trackers, assignments and agreements: typed objects validated field by field, kept
// in a store with versions, references and an audit trail.
package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/store"
)

// Entity is a registry object.
type Entity interface {
	GetMeta() *models.Meta
	Validate() error
	Refs() []models.Ref
	Title() string
}

// Kind describes one kind of registry object.
type Kind struct {
	Name   string // singular, as stored: contract
	Plural string // as in URLs: contracts
	New    func() Entity
}

// Kinds lists the registry's kinds, each before the kinds that refer to it.
var Kinds = []Kind{
	{Name: "contract", Plural: "contracts", New: func() Entity { return &models.Contract{} }},
	{Name: "calendar", Plural: "calendars", New: func() Entity { return &calendar.Calendar{} }},
	{Name: "kpi", Plural: "kpis", New: func() Entity { return &models.KPI{} }},
	{Name: "tracker", Plural: "trackers", New: func() Entity { return &models.Tracker{} }},
	{Name: "assignment", Plural: "assignments", New: func() Entity { return &models.Assignment{} }},
	{Name: "agreement", Plural: "agreements", New: func() Entity { return &models.Agreement{} }},
}

// KindByPlural finds a kind by its URL name.
func KindByPlural(p string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Plural == p {
			return k, true
		}
	}
	return Kind{}, false
}

// Registry validates objects and keeps them in a store.
type Registry struct {
	Store *store.Store
	// ConnectorType says whether a connector name exists, and its type.
	ConnectorType func(name string) (models.ConnectorType, bool)

	cache snapshotCache
}

// Page is one page of a list.
type Page struct {
	Items  []Entity `json:"items"`
	Total  int      `json:"total"`
	Limit  int      `json:"limit"`
	Offset int      `json:"offset"`
}

// Decode reads an object of a kind from JSON, naming the problem when it cannot.
func Decode(k Kind, body []byte) (Entity, error) {
	e := k.New()
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(e); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) && ute.Field != "" {
			return nil, models.InputFieldError(ute.Field, fmt.Sprintf("is %s, not %s", ute.Value, ute.Type))
		}
		if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field ") {
			f := strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`)
			return nil, models.InputFieldError(f, "is not a field of a "+k.Name+": remove it")
		}
		return nil, fmt.Errorf("%w: the body is not a JSON %s (%v)", models.ErrInvalidInput, k.Name, err)
	}
	return e, nil
}

// getter reads a stored object (from the store, or inside a batch).
type getter func(kind, id string) (store.Object, error)

func (r *Registry) storeGetter(ctx context.Context) getter {
	return func(kind, id string) (store.Object, error) { return r.Store.Get(ctx, kind, id) }
}

// check validates an object, including what only the registry knows. A
// tracker's definition is checked as an inline one in a query is; its errors
// are the registry object's here (models.AsInput).
func (r *Registry) check(e Entity, get getter) error {
	return models.AsInput(r.checkObject(e, get))
}

func (r *Registry) checkObject(e Entity, get getter) error {
	if err := e.Validate(); err != nil {
		return err
	}
	switch x := e.(type) {
	case *models.KPI:
		t, ok := r.ConnectorType(x.Connector)
		if !ok {
			return models.InputFieldError("connector", fmt.Sprintf("%q is not a connector of this datasource: add it on the datasource's settings page, or use demo", x.Connector))
		}
		return x.ConnectorQuery.Check(t)
	case *models.Tracker:
		_, err := kpi.Compile(x.Def(models.KPIDef{Name: "kpi", Direction: models.HigherIsBetter}), "")
		var fe *models.FieldError
		if errors.As(err, &fe) {
			fe.Field = strings.TrimPrefix(fe.Field, ".")
		}
		return err
	case *models.Agreement:
		assignments, _ := kindByName("assignment")
		for i, t := range x.Trackers {
			o, err := get("assignment", t.AssignmentID)
			var a *models.Assignment
			if err == nil {
				var e Entity
				if e, err = fromObject(assignments, o); err == nil {
					a = e.(*models.Assignment)
				}
			}
			if err != nil {
				if errors.Is(err, models.ErrNotFound) {
					return models.InputFieldError(fmt.Sprintf("trackers[%d].assignmentId", i), fmt.Sprintf("there is no assignment %q", t.AssignmentID))
				}
				return err
			}
			if a.ContractID != x.ContractID {
				return models.InputFieldError(fmt.Sprintf("trackers[%d].assignmentId", i), fmt.Sprintf("assignment %q belongs to contract %q, not %q", t.AssignmentID, a.ContractID, x.ContractID))
			}
			if t.Mode == "occurrence" {
				o, err := get("tracker", a.TrackerID)
				if err != nil {
					return err
				}
				trackers, _ := kindByName("tracker")
				e, err := fromObject(trackers, o)
				if err != nil {
					return err
				}
				if tr := e.(*models.Tracker); tr.Method != "ratio" {
					return models.InputFieldError(fmt.Sprintf("trackers[%d].mode", i), fmt.Sprintf("occurrence compliance counts requests that meet a condition: tracker %q uses %s; use a ratio tracker (its condition is the goal), or the timeslice mode", tr.ID, tr.Method))
				}
			}
		}
	}
	return nil
}

func toObject(k Kind, e Entity) (store.Object, error) {
	m := *e.GetMeta()
	*e.GetMeta() = models.Meta{}
	body, err := json.Marshal(e)
	*e.GetMeta() = m
	if err != nil {
		return store.Object{}, err
	}
	o := store.Object{Kind: k.Name, ID: m.ID, Version: m.Version, Name: e.Title(), Body: body}
	for _, r := range e.Refs() {
		o.Refs = append(o.Refs, store.Ref{Field: r.Field, Kind: r.Kind, ID: r.ID})
	}
	return o, nil
}

func fromObject(k Kind, o store.Object) (Entity, error) {
	e := k.New()
	if err := json.Unmarshal(o.Body, e); err != nil {
		return nil, fmt.Errorf("stored %s %q is not valid JSON: %w", k.Name, o.ID, err)
	}
	*e.GetMeta() = models.Meta{ID: o.ID, Version: o.Version, CreatedAt: o.CreatedAt, CreatedBy: o.CreatedBy, UpdatedAt: o.UpdatedAt, UpdatedBy: o.UpdatedBy}
	return e, nil
}

func kindByName(name string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Name == name {
			return k, true
		}
	}
	return Kind{}, false
}

// Find returns one object.
func (r *Registry) Find(ctx context.Context, k Kind, id string) (Entity, error) {
	o, err := r.Store.Get(ctx, k.Name, id)
	if err != nil {
		return nil, err
	}
	return fromObject(k, o)
}

// List returns a page of objects.
func (r *Registry) List(ctx context.Context, k Kind, opt store.ListOptions) (Page, error) {
	objs, total, err := r.Store.List(ctx, k.Name, opt)
	if err != nil {
		return Page{}, err
	}
	p := Page{Items: make([]Entity, 0, len(objs)), Total: total, Limit: opt.Limit, Offset: opt.Offset}
	for _, o := range objs {
		e, err := fromObject(k, o)
		if err != nil {
			return Page{}, err
		}
		p.Items = append(p.Items, e)
	}
	return p, nil
}

// Create validates and stores a new object; without an id it gets one from its name.
func (r *Registry) Create(ctx context.Context, k Kind, e Entity, actor string) (Entity, error) {
	if err := r.check(e, r.storeGetter(ctx)); err != nil {
		return nil, err
	}
	m := e.GetMeta()
	if m.ID == "" {
		base := models.Slug(e.Title())
		if base == "" {
			base = k.Name
		}
		m.ID = base
		for n := 2; ; n++ {
			if _, err := r.Store.Get(ctx, k.Name, m.ID); errors.Is(err, models.ErrNotFound) {
				break
			}
			m.ID = fmt.Sprintf("%s-%d", base, n)
		}
	}
	if err := models.CheckID(m.ID); err != nil {
		return nil, err
	}
	o, err := toObject(k, e)
	if err != nil {
		return nil, err
	}
	saved, err := r.Store.Create(ctx, o, actor)
	if err != nil {
		return nil, refError(err)
	}
	return fromObject(k, saved)
}

// Update validates and stores a new version of an object; e's version must be the stored one.
func (r *Registry) Update(ctx context.Context, k Kind, id string, e Entity, actor string) (Entity, error) {
	m := e.GetMeta()
	if m.ID != "" && m.ID != id {
		return nil, models.InputFieldError("id", fmt.Sprintf("%q differs from the %s in the URL, %q: ids cannot change", m.ID, k.Name, id))
	}
	m.ID = id
	if m.Version < 1 {
		return nil, models.InputFieldError("version", "is missing: send the version you read, so that a change made since is not overwritten")
	}
	if err := r.check(e, r.storeGetter(ctx)); err != nil {
		return nil, err
	}
	o, err := toObject(k, e)
	if err != nil {
		return nil, err
	}
	saved, err := r.Store.Update(ctx, o, actor)
	if err != nil {
		return nil, refError(err)
	}
	return fromObject(k, saved)
}

// Delete removes an object at a version, unless something uses it.
func (r *Registry) Delete(ctx context.Context, k Kind, id string, version int64, actor string) error {
	return r.Store.Delete(ctx, k.Name, id, version, actor)
}

// refError turns a reference to a missing object into a field error.
func refError(err error) error {
	var mr *store.MissingRefError
	if errors.As(err, &mr) {
		return models.InputFieldError(mr.Ref.Field, fmt.Sprintf("there is no %s %q: create it first, or choose another", mr.Ref.Kind, mr.Ref.ID))
	}
	return err
}

// Open opens a datasource's registry on its store: in the PostgreSQL database
// of the settings, else in the datasource's SQLite file (from its numeric id
// and the scope's uid) in storePath or the default folder. Either way its rows
// are keyed by scope, the datasource's org id and uid. connectorType says
// which connector names objects may use.
func Open(ctx context.Context, s *models.Settings, scope store.Scope, datasourceID int64, connectorType func(string) (models.ConnectorType, bool)) (*Registry, error) {
	var st *store.Store
	var err error
	if p := s.StorePostgres; s.StoreType == "postgres" && p != nil {
		st, err = store.OpenPostgres(ctx, models.PostgresURL(p.Host, p.Port, p.Database, p.User, p.Password, p.TLSMode, "covenant-store"), scope)
	} else {
		dir := s.StorePath
		if dir == "" {
			if dir, err = store.DefaultDir(); err != nil {
				return nil, err
			}
		}
		st, err = store.OpenSQLite(ctx, filepath.Join(dir, store.FileName(datasourceID, scope.DatasourceUID)), scope)
	}
	if err != nil {
		return nil, err
	}
	return &Registry{Store: st, ConnectorType: connectorType}, nil
}
