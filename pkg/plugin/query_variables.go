package plugin

import (
	"context"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
	"github.com/covenant/contracts/pkg/store"
)

// variables answers a variables query: a frame with text (name) and value (id) fields.
func (d *Datasource) variables(ctx context.Context, _ *registry.Snapshot, vq *models.VariablesQuery, _ backend.TimeRange) (data.Frames, error) {
	k, _ := registry.KindByPlural(vq.Kind)
	page, err := d.registry.List(ctx, k, store.ListOptions{})
	if err != nil {
		return nil, err
	}
	keep := func(string) bool { return true }
	if vq.Kind == "trackers" && strings.TrimSpace(vq.Contract) != "" {
		assigned := map[string]bool{}
		assignments, _ := registry.KindByPlural("assignments")
		for _, c := range models.ContractIDs(vq.Contract) {
			ap, err := d.registry.List(ctx, assignments, store.ListOptions{Refs: map[string]string{"contractId": c}})
			if err != nil {
				return nil, err
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
	return data.Frames{frame}, nil
}
