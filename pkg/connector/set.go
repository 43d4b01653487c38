package connector

import (
	"context"
	"fmt"
	"strings"

	"github.com/covenant/contracts/pkg/models"
)

// Set is a datasource's connectors: the ones its settings configure, by name,
// and the shared demo connector unless the settings disable it.
type Set struct {
	settings *models.Settings
	byName   map[string]Connector
}

// OpenSet opens every connector the settings configure (none connects yet).
func OpenSet(s *models.Settings) (*Set, error) {
	set := &Set{settings: s, byName: make(map[string]Connector, len(s.Connectors))}
	for i, cs := range s.Connectors {
		c, err := Open(cs)
		if err != nil {
			set.Close()
			return nil, fmt.Errorf("connectors[%d]: %w", i, err)
		}
		set.byName[cs.Name] = c
	}
	return set, nil
}

// Close closes the configured connectors (not the shared demo one).
func (s *Set) Close() {
	if s == nil {
		return
	}
	for _, c := range s.byName {
		_ = c.Close()
	}
}

// Get resolves a connector name (empty means the demo connector), or says
// which names there are.
func (s *Set) Get(ctx context.Context, name string) (Connector, error) {
	if name == "" || name == models.DemoConnector {
		if s.settings.DemoDisabled {
			return nil, &models.FieldError{Field: "connector", Kind: models.ErrUnknownConnector,
				Msg: "the demo connector is disabled in this datasource's settings: enable it there, or pick another connector"}
		}
		db, err := Demo(ctx)
		if err != nil {
			return nil, fmt.Errorf("demo connector: %w", err)
		}
		return db, nil
	}
	if c, ok := s.byName[name]; ok {
		return c, nil
	}
	names := s.settings.ConnectorNames()
	hint := "configure connectors on the datasource's settings page"
	if len(names) > 0 {
		hint = "use one of " + strings.Join(names, ", ")
	}
	return nil, &models.FieldError{Field: "connector", Kind: models.ErrUnknownConnector,
		Msg: fmt.Sprintf("%q is not a connector of this datasource: %s", name, hint)}
}

// Type reports whether a connector name can be used, and its type.
func (s *Set) Type(name string) (models.ConnectorType, bool) {
	if name == "" || name == models.DemoConnector {
		return models.ConnectorDemo, !s.settings.DemoDisabled
	}
	cs, ok := s.settings.Connector(name)
	if !ok {
		return "", false
	}
	return cs.Type, true
}
