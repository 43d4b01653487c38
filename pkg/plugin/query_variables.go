package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
	"github.com/covenant/contracts/pkg/store"
)

// variablesQuery lists registry objects for a template variable.
type variablesQuery struct {
	// Kind is contracts, trackers or kpis.
	Kind string `json:"kind"`
	// Contract, for trackers, keeps the trackers assigned to these contracts (comma-separated ids).
	Contract string `json:"contract"`
}

// variables answers a variables query: a frame with text (name) and value (id) fields.
func (d *Datasource) variables(ctx context.Context, _ backend.PluginContext, q backend.DataQuery) backend.DataResponse {
	var vq variablesQuery
	if err := json.Unmarshal(q.JSON, &vq); err != nil {
		return errorResponse(fmt.Errorf("%w: the query is not valid JSON for variables (%v)", models.ErrInvalidQuery, err))
	}
	if vq.Kind != "contracts" && vq.Kind != "trackers" && vq.Kind != "kpis" {
		return errorResponse(models.QueryFieldError("kind", fmt.Sprintf("%q is not a variable kind: use contracts, trackers or kpis", vq.Kind)))
	}
	if err := d.registryUnavailable(); err != nil {
		return errorResponse(err)
	}
	k, _ := registry.KindByPlural(vq.Kind)
	page, err := d.registry.List(ctx, k, store.ListOptions{})
	if err != nil {
		return errorResponse(err)
	}
	keep := func(string) bool { return true }
	if vq.Kind == "trackers" && strings.TrimSpace(vq.Contract) != "" {
		assigned := map[string]bool{}
		assignments, _ := registry.KindByPlural("assignments")
		for _, c := range contractIDs(vq.Contract) {
			ap, err := d.registry.List(ctx, assignments, store.ListOptions{Refs: map[string]string{"contractId": c}})
			if err != nil {
				return errorResponse(err)
			}
			for _, e := range ap.Items {
				assigned[e.(*models.Assignment).TrackerID] = true
			}
		}
		keep = func(id string) bool { return assigned[id] }
	}
	var texts, values []string
	for _, e := range page.Items {
		if id := e.GetMeta().ID; keep(id) {
			texts, values = append(texts, e.Title()), append(values, id)
		}
	}
	frame := data.NewFrame(vq.Kind, data.NewField("text", nil, texts), data.NewField("value", nil, values))
	frame.RefID = q.RefID
	return backend.DataResponse{Frames: data.Frames{frame}}
}

// contractIDs splits a contract field that may hold several ids (a multi-value
// variable, formatted as csv); ids cannot hold commas.
func contractIDs(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range strings.Split(strings.Trim(s, "{}"), ",") {
		if p = strings.TrimSpace(p); p != "" && !seen[p] { // each contract once, however often it is named
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}
