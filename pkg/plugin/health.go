package plugin

import (
	"context"
	"fmt"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/covenant/contracts/pkg/models"
)

// CheckHealth reports whether the settings are valid and every connector answers.
func (d *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	if d.settingsErr != nil {
		return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: d.settingsErr.Error()}, nil
	}
	names := d.settings.ConnectorNames()
	if len(names) == 0 {
		return &backend.CheckHealthResult{Status: backend.HealthStatusOk,
			Message: "Settings are valid. The demo connector is disabled and no other connector is configured yet: add one below."}, nil
	}
	ctx, cancel := d.queryTimeout(ctx)
	defer cancel()
	var ok, failed []string
	for _, name := range names {
		msg, err := d.checkConnector(ctx, name)
		if err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", label(name), err))
			continue
		}
		ok = append(ok, fmt.Sprintf("%s: %s", label(name), msg))
	}
	if len(failed) > 0 {
		return &backend.CheckHealthResult{Status: backend.HealthStatusError,
			Message: fmt.Sprintf("%d of %d connectors failed. %s", len(failed), len(names), strings.Join(append(failed, ok...), ". "))}, nil
	}
	return &backend.CheckHealthResult{Status: backend.HealthStatusOk,
		Message: "Covenant is ready. " + strings.Join(ok, ". ") + "."}, nil
}

// checkConnector tests one connector's connection.
func (d *Datasource) checkConnector(ctx context.Context, name string) (string, error) {
	c, err := d.connector(ctx, name)
	if err != nil {
		return "", err
	}
	return c.Check(ctx)
}

func label(name string) string {
	if name == models.DemoConnector {
		return "Demo connector"
	}
	return "Connector " + name
}
