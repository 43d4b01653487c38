package plugin

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/engine"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
)

// trackerSeries answers a trackerSeries query: one frame per tracker, inline or
// the registry's trackers of its contracts.
func (d *Datasource) trackerSeries(ctx context.Context, _ *registry.Snapshot, q *models.TrackerSeriesQuery, tr backend.TimeRange) (data.Frames, error) {
	jobs := make([]engine.Job, 0, len(q.Trackers))
	for i, def := range q.Trackers {
		jobs = append(jobs, engine.Job{Contract: q.Contract, Def: def, Key: q.Contract, Field: fmt.Sprintf("trackers[%d]", i)})
	}
	if len(jobs) == 0 {
		if d.registryErr != nil {
			return nil, models.QueryFieldError("trackers", fmt.Sprintf("is empty and the registry is not available (%v): give trackers inline", d.registryErr))
		}
		snap, err := d.registry.Snapshot(ctx)
		if err != nil {
			return nil, err
		}
		if jobs, err = engine.QueryJobs(snap, q); err != nil {
			return nil, err
		}
	}
	budget := engine.NewBudget(models.MaxBucketsPerQuery)
	at := now()
	frames := make(data.Frames, 0, len(jobs))
	for _, j := range jobs {
		s, err := d.engine.TrackerSeries(ctx, j, tr.From, tr.To, at, budget)
		if err != nil {
			return nil, err
		}
		if len(q.Fields) > 0 {
			s.Shading = nil // an alert rule's figures: nothing is drawn
		}
		frames = append(frames, trackerFrame(j, s))
	}
	return keepFields(frames, q.Fields)
}

// trackerFrame is a tracker's series as a frame, labelled with its contract,
// tracker and KPI (and its registry ids), with links to its contract in the app.
func trackerFrame(j engine.Job, s engine.Series) *data.Frame {
	def := j.Def
	labels := data.Labels{"contract": j.Contract, "tracker": def.Name, "kpi": def.KPI.Name}
	if j.Registered() {
		labels["trackerId"], labels["kpiId"], labels["assignmentId"], labels["counterparty"] = j.TrackerID, j.KPIID, j.AssignmentID, j.Counterparty
	} else if s.Counterparty != "" {
		labels["counterparty"] = s.Counterparty
	}
	frame := seriesFrame(def, s.Series, labels)
	if j.Registered() {
		// Data links: from a registry tracker's series to its contract in the app.
		link := data.DataLink{Title: "Open contract ${__field.labels.contract}", URL: "/a/covenant-contracts-app/contracts/${__field.labels.contract}?tab=tracking"}
		for _, f := range frame.Fields[1:] {
			f.Config.Links = append(f.Config.Links, link)
		}
	}
	if custom, ok := frame.Meta.Custom.(map[string]any); ok {
		custom["connector"] = def.KPI.Connector
		custom["pushedDown"] = s.Pushed
		custom["lookBack"] = lookBackMeta(s.LookBack)
		if s.Shading != nil {
			custom["calendar"] = shadingMeta(s.Shading)
		}
	}
	return frame
}

// shadingMeta is a tracker's shading in its frame's meta (docs/api.md,
// "Frames of a tracker on a calendar"): times in epoch milliseconds, the
// non-working intervals as [from, to) pairs, present only when complete.
func shadingMeta(sh *engine.Shading) map[string]any {
	ms := func(t time.Time) int64 { return t.UnixMilli() }
	exclusions := make([]map[string]any, len(sh.Excluded))
	for i, e := range sh.Excluded {
		exclusions[i] = map[string]any{"from": ms(e.From), "to": ms(e.To), "reason": e.Reason, "note": e.Note}
	}
	m := map[string]any{"id": sh.CalendarID, "name": sh.CalendarName, "from": ms(sh.From), "to": ms(sh.To),
		"offHoursComplete": sh.Complete, "exclusions": exclusions}
	if sh.Complete {
		off := make([][2]int64, len(sh.OffHours))
		for i, iv := range sh.OffHours {
			off[i] = [2]int64{ms(iv.From), ms(iv.To)}
		}
		m["offHours"] = off
	}
	return m
}

// lookBackMeta shows in a frame's meta how far before the range its figures looked.
func lookBackMeta(lb kpi.LookBack) map[string]any {
	return map[string]any{"buckets": lb.Buckets, "from": lb.From, "bound": lb.Bound, "complete": lb.Complete}
}
