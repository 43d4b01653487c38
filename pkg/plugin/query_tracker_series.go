package plugin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/connector"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// now is the clock that decides which buckets are closed; tests pin it.
var now = time.Now

// trackerSeries answers a trackerSeries query: one frame per tracker, computed in process.
func (d *Datasource) trackerSeries(ctx context.Context, _ backend.PluginContext, q backend.DataQuery) backend.DataResponse {
	tq, err := models.LoadTrackerSeriesQuery(q.JSON)
	if err != nil {
		return errorResponse(err)
	}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(d.settings.QueryTimeoutSeconds)*time.Second)
	defer cancel()
	var resp backend.DataResponse
	for i, def := range tq.Trackers {
		frame, err := d.trackerFrame(ctx, tq.Contract, def, fmt.Sprintf("trackers[%d]", i), q.TimeRange)
		if err != nil {
			return errorResponse(err)
		}
		frame.RefID = q.RefID
		resp.Frames = append(resp.Frames, frame)
	}
	return resp
}

func (d *Datasource) trackerFrame(ctx context.Context, contract string, def models.TrackerDef, field string, tr backend.TimeRange) (*data.Frame, error) {
	t, err := kpi.Compile(def, field)
	if err != nil {
		return nil, err
	}
	starts, err := kpi.Buckets(tr.From, tr.To, t.Interval, t.Location)
	if err != nil {
		return nil, err
	}
	c, err := d.connector(ctx, def.KPI.Connector)
	if err != nil {
		return nil, prefixField(err, field+".kpi.", "")
	}
	// The KPI query covers whole buckets, so the first and last buckets are complete.
	req := connector.Request{ConnectorQuery: def.KPI.ConnectorQuery, From: starts[0], To: starts[len(starts)-1], Key: contract}
	actual, pushed, err := connector.Figures(ctx, c, req, starts, t.Method, def.Condition)
	if err != nil {
		query := "rawSql"
		if !c.Type().IsSQL() {
			query = "path"
		}
		return nil, prefixField(err, field+".kpi.", query)
	}
	s := t.Evaluate(starts, actual, now())
	labels := data.Labels{"contract": contract, "tracker": def.Name, "kpi": def.KPI.Name}
	if db, ok := c.(*connector.DemoDB); ok {
		if cp := db.Counterparty(contract); cp != "" {
			labels["counterparty"] = cp
		}
	}
	frame := seriesFrame(def, s, labels)
	if custom, ok := frame.Meta.Custom.(map[string]any); ok {
		custom["connector"] = def.KPI.Connector
		custom["pushedDown"] = pushed
	}
	return frame, nil
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
