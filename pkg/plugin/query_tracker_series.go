package plugin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

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
	db, err := d.demoConnector(ctx, def.KPI.Connector)
	if err != nil {
		var fe *models.FieldError
		if errors.As(err, &fe) {
			fe.Field = field + ".kpi.connector"
		}
		return nil, err
	}
	// The KPI query covers whole buckets, so the first and last buckets are complete.
	rows, err := db.KPIRows(ctx, def.KPI.RawSQL, starts[0], starts[len(starts)-1], contract)
	if err != nil {
		return nil, fmt.Errorf("%s.kpi.rawSql: %w", field, err)
	}
	s := t.Compute(rows, starts, now())
	labels := data.Labels{"contract": contract, "tracker": def.Name, "kpi": def.KPI.Name}
	if cp := db.Counterparty(contract); cp != "" {
		labels["counterparty"] = cp
	}
	return seriesFrame(def, s, labels), nil
}
