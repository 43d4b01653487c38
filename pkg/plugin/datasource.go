// Package plugin is the SDK glue of the Covenant datasource: the instance,
// query dispatch by query type, health and the resource API.
package plugin

import (
	"context"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/covenant/contracts/pkg/connector"
	"github.com/covenant/contracts/pkg/engine"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
	"github.com/covenant/contracts/pkg/store"
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
	connectors  *connector.Set
	registry    *registry.Registry
	registryErr error // the store could not be opened: the registry API says why; queries still work
	// engine computes the figures; its background evaluator closes ended periods.
	engine *engine.Engine
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
		d.connectors, d.settingsErr = connector.OpenSet(d.settings)
	}
	if d.settingsErr == nil {
		scope := store.Scope{OrgID: backend.PluginConfigFromContext(ctx).OrgID, DatasourceUID: s.UID}
		d.registry, d.registryErr = registry.Open(ctx, d.settings, scope, s.ID, d.connectors.Type)
	} else {
		d.registryErr = d.settingsErr
	}
	if d.registryErr == nil && !d.settings.DemoDisabled {
		// A never-used registry gets the demo contracts; a failure is logged and the registry works, empty.
		if _, err := d.registry.SeedDemo(ctx, connector.Demo); err != nil {
			backend.Logger.Warn("Covenant: the demo contracts were not added to the registry", "error", err)
		}
	}
	interval := time.Second
	if d.settings != nil {
		interval = time.Duration(d.settings.LedgerIntervalSeconds) * time.Second
	}
	d.engine = engine.New(d.registry, d.connector, func() time.Time { return now() }, interval)
	if d.settingsErr == nil && !d.settings.CacheDisabled {
		d.engine.Cache = connector.NewCache(d.settings.CacheTTL())
	}
	if d.registryErr == nil {
		d.engine.Start(d.evaluatorPass)
	}
	d.queries = d.newQueryMux()
	d.resources = d.newResourceHandler()
	return d, nil
}

// Dispose releases the instance's resources when its settings change.
func (d *Datasource) Dispose() {
	d.end()
	d.engine.Stop()
	d.connectors.Close()
	if d.registry != nil {
		_ = d.registry.Store.Close()
	}
}

func (d *Datasource) newQueryMux() *datasource.QueryTypeMux {
	mux := datasource.NewQueryTypeMux()
	mux.HandleFunc(string(models.QueryTypeConnectorPreview), d.perQuery(modelQuery(d, d.loadPreview, false, d.connectorPreview)))
	mux.HandleFunc(string(models.QueryTypeTrackerSeries), d.perQuery(modelQuery(d, models.LoadTrackerSeriesQuery, false, d.trackerSeries)))
	mux.HandleFunc(string(models.QueryTypeVariables), d.perQuery(modelQuery(d, models.LoadVariablesQuery, true, d.variables)))
	mux.HandleFunc(string(models.QueryTypeAgreementCompliance), d.perQuery(modelQuery(d, models.LoadAgreementQuery, true, d.agreementCompliance)))
	mux.HandleFunc(string(models.QueryTypeLedger), d.perQuery(modelQuery(d, models.LoadAgreementQuery, true, d.ledger)))
	mux.HandleFunc(string(models.QueryTypeContractScorecard), d.perQuery(modelQuery(d, models.LoadTrackerSeriesQuery, true, d.contractScorecard)))
	mux.HandleFunc(string(models.QueryTypePortfolio), d.perQuery(modelQuery(d, models.LoadPortfolioQuery, true, d.portfolio)))
	mux.HandleFunc(string(models.QueryTypeAnnotations), d.perQuery(modelQuery(d, models.LoadAnnotationsQuery, true, d.annotations)))
	mux.HandleFunc("", d.perQuery(unknownQueryType))
	return mux
}

// connector resolves a connector name (empty means the demo connector).
func (d *Datasource) connector(ctx context.Context, name string) (connector.Connector, error) {
	return d.connectors.Get(ctx, name)
}

// QueryData answers the queries of a request, each by its query type.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	return d.queries.QueryData(ctx, req)
}

// now is the clock that decides which buckets and periods have closed; tests pin it.
var now = time.Now

// evaluatorPass runs one pass of the background evaluator (closing what has
// ended) bounded by the interval and by Dispose; a panic is logged and
// recovered so that the next pass tries again. It returns what went wrong, as logged.
func (d *Datasource) evaluatorPass(pass func(context.Context) error) (err error) {
	ctx, cancel := d.bounded(context.Background(), d.engine.LedgerInterval)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			err = recovered("closing review periods", r)
		}
	}()
	if err = pass(ctx); err != nil && ctx.Err() == nil {
		log.DefaultLogger.Warn("Covenant: closing review periods failed; the next run tries again", "error", err)
	}
	return err
}
