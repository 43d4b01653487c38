package plugin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/covenant/contracts/pkg/models"
)

// The classifier decides whose fault each kind of error is, wrapped or not.
func TestClassify(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("tracker %q: %w", "availability", err) }
	for _, tc := range []struct {
		name   string
		err    error
		source backend.ErrorSource
		status backend.Status
		http   int
	}{
		{"query field", models.QueryFieldError("contract", "is empty"), backend.ErrorSourceDownstream, backend.StatusBadRequest, 400},
		{"settings", models.SettingsFieldError("connectors[0].host", "is empty"), backend.ErrorSourceDownstream, backend.StatusBadRequest, 400},
		{"registry object", models.InputFieldError("currency", "is not an ISO 4217 code"), backend.ErrorSourceDownstream, backend.StatusBadRequest, 400},
		{"registry object, wrapped", wrap(models.AsInput(models.QueryFieldError("target.constant", "must be a finite number"))), backend.ErrorSourceDownstream, backend.StatusBadRequest, 400},
		{"unknown connector", &models.FieldError{Field: "connector", Kind: models.ErrUnknownConnector, Msg: "x"}, backend.ErrorSourceDownstream, backend.StatusBadRequest, 400},
		{"connector failure", wrap(fmt.Errorf("%w: relation \"uptme\" does not exist", models.ErrConnector)), backend.ErrorSourceDownstream, backend.StatusBadRequest, 400},
		{"store outage", wrap(fmt.Errorf("%w: dial tcp 127.0.0.1:5432: connection refused", models.ErrStoreUnavailable)), backend.ErrorSourceDownstream, backend.StatusBadGateway, 503},
		{"deadline", wrap(context.DeadlineExceeded), backend.ErrorSourceDownstream, backend.StatusTimeout, 504},
		{"deadline in a connector", fmt.Errorf("%w: %w", models.ErrConnector, context.DeadlineExceeded), backend.ErrorSourceDownstream, backend.StatusTimeout, 504},
		{"cancelled", context.Canceled, backend.ErrorSourceDownstream, backend.StatusTimeout, 504},
		{"a bug", errors.New("assignment \"a\" refers to tracker \"t\", which is missing: report this as a Covenant bug"), backend.ErrorSourcePlugin, backend.StatusInternal, 500},
		{"a recovered panic", recovered("query A", "boom"), backend.ErrorSourcePlugin, backend.StatusInternal, 500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			source, status := classify(tc.err)
			if source != tc.source || status != tc.status {
				t.Fatalf("classify: %s %d, want %s %d", source, status, tc.source, tc.status)
			}
			r := errorResponse(tc.err)
			if r.ErrorSource != tc.source || r.Status != tc.status || r.Error == nil {
				t.Fatalf("errorResponse: %s %d %v", r.ErrorSource, r.Status, r.Error)
			}
			if got := httpStatus(tc.err); got != tc.http {
				t.Fatalf("httpStatus %d, want %d", got, tc.http)
			}
		})
	}
}

// With its store gone (closed here, as when its database goes down), a
// registry query says so as a downstream 502, the registry API as a 503, and
// an inline tracker, which needs no registry, still answers.
func TestStoreOutage(t *testing.T) {
	setupDemo(t)
	pinNow(t, demoEnd)
	d := demoRegistryDatasource(t)
	if err := d.registry.Store.Close(); err != nil {
		t.Fatal(err)
	}
	// A new generation cannot be read: the snapshot fails rather than serving the cached one.
	r := runQuery(t, d, "portfolio", `{"contract":"*"}`, demoEnd.AddDate(0, -1, 0), demoEnd)
	if r.Error == nil || !errors.Is(r.Error, models.ErrStoreUnavailable) || r.ErrorSource != backend.ErrorSourceDownstream || r.Status != backend.StatusBadGateway {
		t.Fatalf("portfolio: %v (%s, %d)", r.Error, r.ErrorSource, r.Status)
	}
	got := callResourceBody(t, d, "Viewer", http.MethodGet, "registry/contracts", "")
	if got.status != http.StatusServiceUnavailable {
		t.Fatalf("GET registry/contracts: %d %s", got.status, got.body)
	}
	inline := runQuery(t, d, "trackerSeries", `{"contract":"acme-it","trackers":[{"name":"Uptime","kpi":{"name":"Uptime","direction":"higher_is_better","rawSql":"SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key"},"method":"avg","interval":"1d","target":{"constant":99}}]}`,
		demoEnd.Add(-72*time.Hour), demoEnd)
	if inline.Error != nil || len(inline.Frames) != 1 {
		t.Fatalf("inline tracker: %v, %d frames", inline.Error, len(inline.Frames))
	}
}
