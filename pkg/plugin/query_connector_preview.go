package plugin

import (
	"context"

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
	c, err := d.connector(ctx, pq.Connector)
	if err != nil {
		return errorResponse(err)
	}
	ctx, cancel := d.queryTimeout(ctx)
	defer cancel()
	frame, err := c.Preview(ctx, connector.Request{ConnectorQuery: pq.ConnectorQuery, From: q.TimeRange.From, To: q.TimeRange.To, Key: pq.Key}, pq.Limit)
	if err != nil {
		return errorResponse(err)
	}
	frame.RefID = q.RefID
	frame.Name = pq.Connector
	return backend.DataResponse{Frames: append([]*data.Frame(nil), frame)}
}
