package plugin

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/covenant/contracts/pkg/models"
)

// CheckHealth reports whether the settings are valid and the connectors answer.
func (d *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	if d.settingsErr != nil {
		return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: d.settingsErr.Error()}, nil
	}
	if d.settings.DemoDisabled {
		return &backend.CheckHealthResult{Status: backend.HealthStatusOk,
			Message: "Settings are valid. The demo connector is disabled and no other connector is configured yet."}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(d.settings.QueryTimeoutSeconds)*time.Second)
	defer cancel()
	db, err := d.demoConnector(ctx, models.DemoConnector)
	if err != nil {
		return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: err.Error()}, nil
	}
	frame, err := db.Query(ctx, "SELECT COUNT(*) AS contracts FROM contracts", time.Time{}, time.Time{}, "", 1)
	if err != nil || frame.Rows() != 1 {
		return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: fmt.Sprintf("demo connector does not answer: %v", err)}, nil
	}
	return &backend.CheckHealthResult{
		Status: backend.HealthStatusOk,
		Message: fmt.Sprintf("Covenant is ready. Demo connector: %d contracts, %d rows from %s to %s.",
			len(db.Contracts), db.Rows, db.From.Format(time.DateOnly), db.To.Format(time.DateOnly)),
	}, nil
}
