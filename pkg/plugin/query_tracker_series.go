package plugin

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/connector"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
)

// now is the clock that decides which buckets are closed; tests pin it.
var now = time.Now

// trackerSeries answers a trackerSeries query: one frame per tracker, computed in process.
func (d *Datasource) trackerSeries(ctx context.Context, _ backend.PluginContext, q backend.DataQuery) backend.DataResponse {
	tq, err := models.LoadTrackerSeriesQuery(q.JSON)
	if err != nil {
		return errorResponse(err)
	}
	ctx, cancel := d.queryTimeout(ctx)
	defer cancel()
	budget := &bucketBudget{left: models.MaxBucketsPerQuery}
	jobs := make([]trackerJob, 0, len(tq.Trackers))
	for i, def := range tq.Trackers {
		jobs = append(jobs, trackerJob{contract: tq.Contract, def: def, key: tq.Contract, field: fmt.Sprintf("trackers[%d]", i)})
	}
	if len(jobs) == 0 {
		if d.registryErr != nil {
			return errorResponse(models.QueryFieldError("trackers", fmt.Sprintf("is empty and the registry is not available (%v): give trackers inline", d.registryErr)))
		}
		snap, err := d.registry.Snapshot(ctx)
		if err != nil {
			return errorResponse(err)
		}
		// A multi-value $contract arrives as several ids: each contract's trackers
		// (contracts that have none yet are skipped, unless all are); "*" is every contract.
		ids := contractIDs(tq.Contract)
		if tq.Contract == "*" {
			ids = allContractIDs(snap)
		}
		for _, c := range ids {
			if _, known := snap.Contracts[c]; known && len(ids) > 1 && len(snap.Assignments[c]) == 0 {
				continue
			}
			one := *tq
			one.Contract = c
			more, err := d.registryTrackers(snap, &one)
			if err != nil {
				return errorResponse(err)
			}
			jobs = append(jobs, more...)
		}
		if len(jobs) == 0 {
			return errorResponse(models.QueryFieldError("contract", fmt.Sprintf("none of the contracts %s has trackers: assign one on a contract's page", tq.Contract)))
		}
		if len(jobs) > models.MaxTrackersPerQuery {
			return errorResponse(models.LimitError("contract", fmt.Sprintf("%s has %d trackers,", tq.Contract, len(jobs)), models.MaxTrackersPerQuery, "trackers", "pick fewer contracts or narrow them with trackerIds"))
		}
	}
	var resp backend.DataResponse
	for _, j := range jobs {
		j.budget = budget
		frame, err := d.trackerFrame(ctx, j, q.TimeRange)
		if err != nil {
			return errorResponse(err)
		}
		frame.RefID = q.RefID
		resp.Frames = append(resp.Frames, frame)
	}
	if resp.Frames, err = keepFields(resp.Frames, tq.Fields); err != nil {
		return errorResponse(err)
	}
	return resp
}

// allContractIDs lists the registry's contracts that have trackers, in id order.
func allContractIDs(snap *registry.Snapshot) []string {
	var ids []string
	for id := range snap.Assignments {
		if len(snap.Assignments[id]) > 0 {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// trackerJob is one tracker to compute: its definition, the key bound to
// $__key, the field path that names it in errors, and registry labels.
type trackerJob struct {
	contract string // the contract label
	def      models.TrackerDef
	key      string
	field    string
	labels   data.Labels
	// budget, when set, is shared by the query's trackers (models.MaxBucketsPerQuery).
	budget *bucketBudget
}

// bucketBudget counts down the buckets a query may still compute.
type bucketBudget struct{ left int }

// take spends n buckets, or says which tracker went over the query's limit.
func (b *bucketBudget) take(n int, field string) error {
	if b == nil {
		return nil
	}
	if b.left -= n; b.left < 0 {
		return models.LimitError(field+".interval", "brings the query's buckets (all its trackers together) to", models.MaxBucketsPerQuery, "buckets", "pick a longer interval, a shorter range or fewer trackers")
	}
	return nil
}

// registryTrackers resolves a registry contract's assigned trackers (or the
// ones asked for) from the registry's snapshot.
func (d *Datasource) registryTrackers(snap *registry.Snapshot, q *models.TrackerSeriesQuery) ([]trackerJob, error) {
	contract, ok := snap.Contracts[q.Contract]
	if !ok {
		return nil, models.QueryFieldError("contract", fmt.Sprintf("there is no contract %q in the registry: choose one on the Contracts page, or give trackers inline", q.Contract))
	}
	want := map[string]bool{}
	for _, id := range q.TrackerIDs {
		want[id] = true
	}
	found := map[string]bool{}
	var jobs []trackerJob
	for _, a := range snap.Assignments[q.Contract] {
		if len(want) > 0 && !want[a.TrackerID] {
			continue
		}
		found[a.TrackerID] = true
		t, ok := snap.Trackers[a.TrackerID]
		if !ok {
			return nil, fmt.Errorf("assignment %q refers to tracker %q, which is missing: report this as a Covenant bug", a.ID, a.TrackerID)
		}
		k, ok := snap.KPIs[t.KPIID]
		if !ok {
			return nil, fmt.Errorf("tracker %q refers to KPI %q, which is missing: report this as a Covenant bug", t.ID, t.KPIID)
		}
		def := t.Def(models.KPIDef{Name: k.Name, Unit: k.Unit, ConnectorQuery: k.ConnectorQuery, Direction: k.Direction})
		if a.TargetOverride != nil {
			def.Target = *a.TargetOverride
		}
		jobs = append(jobs, trackerJob{contract: q.Contract, def: def, key: a.Key, field: fmt.Sprintf("tracker %q", t.ID),
			labels: data.Labels{"trackerId": t.ID, "kpiId": k.ID, "assignmentId": a.ID, "counterparty": contract.Counterparty}})
	}
	for _, id := range q.TrackerIDs {
		if !found[id] {
			return nil, models.QueryFieldError("trackerIds", fmt.Sprintf("%q is not assigned to contract %q: assign it on the contract's page", id, q.Contract))
		}
	}
	if len(jobs) == 0 {
		return nil, models.QueryFieldError("contract", fmt.Sprintf("contract %q has no trackers: assign one on the contract's page", q.Contract))
	}
	return jobs, nil
}

func (d *Datasource) trackerFrame(ctx context.Context, j trackerJob, tr backend.TimeRange) (*data.Frame, error) {
	def, field, contract := j.def, j.field, j.contract
	t, err := kpi.Compile(def, field)
	if err != nil {
		return nil, err
	}
	starts, err := kpi.Buckets(tr.From, tr.To, t.Interval, t.Location)
	if err != nil {
		return nil, err
	}
	if err := j.budget.take(len(starts)-1, field); err != nil {
		return nil, err
	}
	c, err := d.connector(ctx, def.KPI.Connector)
	if err != nil {
		return nil, prefixField(err, field+".kpi.", "")
	}
	s, lb, pushed, err := rangeSeries(ctx, c, t, j.key, field, starts, now())
	if err != nil {
		return nil, err
	}
	labels := data.Labels{"contract": contract, "tracker": def.Name, "kpi": def.KPI.Name}
	for k, v := range j.labels {
		labels[k] = v
	}
	if db, ok := c.(*connector.DemoDB); ok && j.labels == nil {
		if cp := db.Counterparty(j.key); cp != "" {
			labels["counterparty"] = cp
		}
	}
	frame := seriesFrame(def, s, labels)
	if _, registered := j.labels["trackerId"]; registered {
		// Data links: from a registry tracker's series to its contract in the app.
		link := data.DataLink{Title: "Open contract ${__field.labels.contract}", URL: "/a/covenant-contracts-app/contracts/${__field.labels.contract}?tab=tracking"}
		for _, f := range frame.Fields[1:] {
			f.Config.Links = append(f.Config.Links, link)
		}
	}
	if custom, ok := frame.Meta.Custom.(map[string]any); ok {
		custom["connector"] = def.KPI.Connector
		custom["pushedDown"] = pushed
		custom["lookBack"] = lookBackMeta(lb)
	}
	return frame, nil
}

// rangeSeries computes a tracker's series over the buckets starts (from its
// connector, with the key bound to $__key) as of at, looking back before them as
// far as its runs of misses and its trend need (kpi.EvaluateBack), so that no
// figure depends on where the range begins. pushed says whether the database
// computed the range's actuals.
func rangeSeries(ctx context.Context, c connector.Connector, t *kpi.Tracker, key, field string, starts []time.Time, at time.Time) (kpi.Series, kpi.LookBack, bool, error) {
	def := t.Def
	query := "rawSql"
	if !c.Type().IsSQL() {
		query = "path"
	}
	var pushed bool
	fetch := func(st []time.Time) ([]float64, error) {
		// The KPI query covers whole buckets, so the first and last buckets are complete.
		req := connector.Request{ConnectorQuery: def.KPI.ConnectorQuery, From: st[0], To: st[len(st)-1], Key: key}
		actual, p, err := connector.Figures(ctx, c, req, st, t.Method, def.Condition)
		if err != nil {
			return nil, prefixField(err, field+".kpi.", query)
		}
		pushed = p
		return actual, nil
	}
	actual, err := fetch(starts)
	if err != nil {
		return kpi.Series{}, kpi.LookBack{}, false, err
	}
	rangePushed := pushed
	s, lb, err := t.EvaluateBack(starts, actual, at, fetch)
	return s, lb, rangePushed, err
}

// lookBackMeta shows in a frame's meta how far before the range its figures looked.
func lookBackMeta(lb kpi.LookBack) map[string]any {
	return map[string]any{"buckets": lb.Buckets, "from": lb.From, "bound": lb.Bound, "complete": lb.Complete}
}

// prefixField puts prefix before the field a FieldError names; other errors
// (the connector's) name prefix+query, the KPI's query, as the place to look.
func prefixField(err error, prefix, query string) error {
	var fe *models.FieldError
	if errors.As(err, &fe) {
		cp := *fe
		cp.Field = prefix + fe.Field
		return &cp
	}
	return fmt.Errorf("%s%s: %w", prefix, query, err)
}
