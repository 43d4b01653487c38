package plugin

import (
	"context"
	"fmt"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/covenant/contracts/pkg/connector"
	"github.com/covenant/contracts/pkg/models"
)

// openConnectors opens every configured connector (none connects yet).
func openConnectors(s *models.Settings) (map[string]connector.Connector, error) {
	out := make(map[string]connector.Connector, len(s.Connectors))
	for i, cs := range s.Connectors {
		c, err := connector.Open(cs)
		if err != nil {
			closeConnectors(out)
			return nil, fmt.Errorf("connectors[%d]: %w", i, err)
		}
		out[cs.Name] = c
	}
	return out, nil
}

func closeConnectors(cs map[string]connector.Connector) {
	for _, c := range cs {
		_ = c.Close()
	}
}

// connector resolves a connector name (empty means the demo connector).
func (d *Datasource) connector(ctx context.Context, name string) (connector.Connector, error) {
	if name == "" || name == models.DemoConnector {
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
	if c, ok := d.connectors[name]; ok {
		return c, nil
	}
	names := d.settings.ConnectorNames()
	hint := "configure connectors on the datasource's settings page"
	if len(names) > 0 {
		hint = "use one of " + strings.Join(names, ", ")
	}
	return nil, &models.FieldError{Field: "connector", Kind: models.ErrUnknownConnector,
		Msg: fmt.Sprintf("%q is not a connector of this datasource: %s", name, hint)}
}

// connectorExists reports whether a connector name can be used, and its type.
func (d *Datasource) connectorExists(name string) (models.ConnectorType, bool) {
	if name == "" || name == models.DemoConnector {
		return models.ConnectorDemo, !d.settings.DemoDisabled
	}
	cs, ok := d.settings.Connector(name)
	if !ok {
		return "", false
	}
	return cs.Type, true
}

// seedDemo fills a never-used registry with the demo contracts and their
// trackers. A failure is logged: the registry still works, empty.
func (d *Datasource) seedDemo(ctx context.Context) {
	if _, err := d.registry.SeedDemo(ctx, connector.Demo); err != nil {
		backend.Logger.Warn("Covenant: the demo contracts were not added to the registry", "error", err)
	}
}
