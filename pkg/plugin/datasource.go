// Package plugin is the SDK glue of the Covenant datasource: the instance,
// query dispatch by query type, health and the resource API.
package plugin

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/covenant/contracts/pkg/connector"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
)

var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ backend.CallResourceHandler   = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// Datasource is one configured Covenant datasource (one per Grafana datasource and org).
type Datasource struct {
	settings    *models.Settings
	settingsErr error // a configuration problem, reported on every call until fixed
	queries     *datasource.QueryTypeMux
	resources   backend.CallResourceHandler
	connectors  map[string]connector.Connector // configured connectors by name (the demo one is shared)
	registry    *registry.Registry
	registryErr error // the store could not be opened: the registry API says why; queries still work
	eval        *evaluator
	// life ends when Dispose is called: running queries, resource calls and
	// the evaluator's work stop with it.
	life context.Context
	end  context.CancelFunc
}

// NewDatasource creates an instance from the datasource settings. Invalid
// settings do not fail the instance: every query and health check reports them.
func NewDatasource(ctx context.Context, s backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	d := &Datasource{}
	d.life, d.end = context.WithCancel(context.Background())
	d.settings, d.settingsErr = models.LoadSettings(s)
	if d.settingsErr == nil {
		d.connectors, d.settingsErr = openConnectors(d.settings)
	}
	if d.settingsErr == nil {
		d.registry, d.registryErr = openRegistry(ctx, d.settings, s, d.connectorExists)
	} else {
		d.registryErr = d.settingsErr
	}
	if d.registryErr == nil && !d.settings.DemoDisabled {
		d.seedDemo(ctx)
	}
	if d.registryErr == nil {
		d.startEvaluator(time.Duration(d.settings.LedgerIntervalSeconds) * time.Second)
	}
	d.queries = d.newQueryMux()
	d.resources = d.newResourceHandler()
	return d, nil
}

// Dispose releases the instance's resources when its settings change.
func (d *Datasource) Dispose() {
	d.end()
	d.stopEvaluator()
	closeConnectors(d.connectors)
	if d.registry != nil {
		_ = d.registry.Store.Close()
	}
}

func (d *Datasource) newQueryMux() *datasource.QueryTypeMux {
	mux := datasource.NewQueryTypeMux()
	mux.HandleFunc(string(models.QueryTypeConnectorPreview), d.perQuery(d.connectorPreview))
	mux.HandleFunc(string(models.QueryTypeTrackerSeries), d.perQuery(d.trackerSeries))
	mux.HandleFunc(string(models.QueryTypeVariables), d.perQuery(d.variables))
	mux.HandleFunc(string(models.QueryTypeAgreementCompliance), d.perQuery(d.agreementCompliance))
	mux.HandleFunc(string(models.QueryTypeLedger), d.perQuery(d.ledger))
	mux.HandleFunc(string(models.QueryTypeContractScorecard), d.perQuery(d.contractScorecard))
	mux.HandleFunc(string(models.QueryTypePortfolio), d.perQuery(d.portfolio))
	mux.HandleFunc("", d.perQuery(unknownQueryType))
	return mux
}

// QueryData answers the queries of a request, each by its query type.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	return d.queries.QueryData(ctx, req)
}

// queryHandler answers one query.
type queryHandler func(ctx context.Context, pCtx backend.PluginContext, q backend.DataQuery) backend.DataResponse

// perQuery runs a one-query handler for every query of a request, after the
// settings check and the time range check; a panic in one query becomes that
// query's error.
func (d *Datasource) perQuery(h queryHandler) backend.QueryDataHandlerFunc {
	return func(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
		resp := backend.NewQueryDataResponse()
		for _, q := range req.Queries {
			if d.settingsErr != nil {
				resp.Responses[q.RefID] = errorResponse(d.settingsErr)
				continue
			}
			if err := models.CheckTimeRange("timeRange", q.TimeRange.From, q.TimeRange.To); err != nil {
				resp.Responses[q.RefID] = errorResponse(err)
				continue
			}
			resp.Responses[q.RefID] = safeQuery(ctx, h, req.PluginContext, q)
		}
		return resp, nil
	}
}

// safeQuery runs one query and turns a panic into its error.
func safeQuery(ctx context.Context, h queryHandler, pCtx backend.PluginContext, q backend.DataQuery) (resp backend.DataResponse) {
	defer func() {
		if r := recover(); r != nil {
			resp = errorResponse(recovered("query "+q.RefID, r))
		}
	}()
	return h(ctx, pCtx, q)
}

// recovered logs a panic with its stack and makes it an error.
func recovered(what string, r any) error {
	log.DefaultLogger.Error("Covenant: recovered from a panic", "in", what, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
	return fmt.Errorf("Covenant failed on %s (%v) and recovered: the request was not completed; report this as a Covenant bug with the server log", what, r)
}

func unknownQueryType(_ context.Context, _ backend.PluginContext, q backend.DataQuery) backend.DataResponse {
	names := make([]string, len(models.QueryTypes))
	for i, t := range models.QueryTypes {
		names[i] = string(t)
	}
	what := "no queryType"
	if q.QueryType != "" {
		what = fmt.Sprintf("unknown queryType %q", q.QueryType)
	}
	return errorResponse(models.QueryFieldError("queryType", fmt.Sprintf("%s: use one of %s", what, strings.Join(names, ", "))))
}
