package plugin

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/connector"
	"github.com/covenant/contracts/pkg/models"
)

// connectorPreview answers a connectorPreview query: the raw rows of a connector query.
func (d *Datasource) connectorPreview(ctx context.Context, _ backend.PluginContext, q backend.DataQuery) backend.DataResponse {
	pq, err := models.LoadConnectorPreviewQuery(q.JSON, d.settings)
	if err != nil {
		return errorResponse(err)
	}
	db, err := d.demoConnector(ctx, pq.Connector)
	if err != nil {
		return errorResponse(err)
	}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(d.settings.QueryTimeoutSeconds)*time.Second)
	defer cancel()
	frame, err := db.Query(ctx, pq.RawSQL, q.TimeRange.From, q.TimeRange.To, pq.Key, pq.Limit)
	if err != nil {
		return errorResponse(err)
	}
	frame.RefID = q.RefID
	frame.Name = pq.Connector
	return backend.DataResponse{Frames: append([]*data.Frame(nil), frame)}
}

// demoConnector resolves a connector name; only the embedded demo connector exists so far.
func (d *Datasource) demoConnector(ctx context.Context, name string) (*connector.DemoDB, error) {
	if name != models.DemoConnector {
		return nil, &models.FieldError{Field: "connector", Kind: models.ErrUnknownConnector,
			Msg: fmt.Sprintf("%q is not a connector of this datasource: use %q", name, models.DemoConnector)}
	}
	if d.settings.DemoDisabled {
		return nil, &models.FieldError{Field: "connector", Kind: models.ErrUnknownConnector,
			Msg: "the demo connector is disabled in this datasource's settings: enable it there, or pick another connector"}
	}
	db, err := connector.Demo(ctx)
	if err != nil {
		return nil, fmt.Errorf("demo connector: %w", err)
	}
	return db, nil
}
