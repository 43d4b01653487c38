package plugin

import (
	"context"
	"encoding/json"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/connector"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
)

// loadPreview loads a connectorPreview query against this datasource's connectors.
func (d *Datasource) loadPreview(raw json.RawMessage) (*models.ConnectorPreviewQuery, error) {
	return models.LoadConnectorPreviewQuery(raw, d.settings)
}

// connectorPreview answers a connectorPreview query: the raw rows of a connector query.
func (d *Datasource) connectorPreview(ctx context.Context, _ *registry.Snapshot, q *models.ConnectorPreviewQuery, tr backend.TimeRange) (data.Frames, error) {
	c, err := d.connector(ctx, q.Connector)
	if err != nil {
		return nil, err
	}
	frame, err := c.Preview(ctx, connector.Request{ConnectorQuery: q.ConnectorQuery, From: tr.From, To: tr.To, Key: q.Key}, q.Limit)
	if err != nil {
		return nil, err
	}
	frame.Name = q.Connector
	return data.Frames{frame}, nil
}
