package plugin

import (
	"context"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
)

// annotations answers an annotations query: the contracts' events (engine.Annotations)
// as one frame in the shape Grafana reads annotations from: time, timeEnd (null for a
// point in time), title, text and tags (comma-separated), with the kind and contract.
func (d *Datasource) annotations(ctx context.Context, snap *registry.Snapshot, q *models.AnnotationsQuery, tr backend.TimeRange) (data.Frames, error) {
	events, err := d.engine.Annotations(ctx, snap, q, tr.From, tr.To, now())
	if err != nil {
		return nil, err
	}
	n := len(events)
	var (
		start                             = make([]time.Time, n)
		end                               = make([]*time.Time, n)
		title, text, tags, kind, contract = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	)
	for i, e := range events {
		start[i], title[i], text[i], tags[i], kind[i], contract[i] = e.Time, e.Title, e.Text, strings.Join(e.Tags, ","), e.Kind, e.Contract
		if !e.End.IsZero() {
			end[i] = &events[i].End
		}
	}
	frame := data.NewFrame("annotations",
		data.NewField("time", nil, start), data.NewField("timeEnd", nil, end),
		data.NewField("title", nil, title), data.NewField("text", nil, text), data.NewField("tags", nil, tags),
		data.NewField("kind", nil, kind), data.NewField("contract", nil, contract),
	)
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTable}
	return data.Frames{frame}, nil
}
