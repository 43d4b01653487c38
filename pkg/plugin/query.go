package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
)

// loader parses and checks one query type's model (models.Load…).
type loader[Q any] func(json.RawMessage) (*Q, error)

// framesFunc answers one query from its model: the frames, or why not. snap is
// the registry's snapshot, nil for a query that does not read the registry.
type framesFunc[Q any] func(ctx context.Context, snap *registry.Snapshot, q *Q, tr backend.TimeRange) (data.Frames, error)

// modelQuery is the one wrapper of query handlers: it loads the query's model,
// bounds the work by the query timeout, takes the registry's snapshot when
// withRegistry is set, stamps the frames with the query's RefID, and turns an
// error into the query's error response (errorResponse gives it its source).
func modelQuery[Q any](d *Datasource, load loader[Q], withRegistry bool, h framesFunc[Q]) queryHandler {
	return func(ctx context.Context, _ backend.PluginContext, dq backend.DataQuery) backend.DataResponse {
		q, err := load(dq.JSON)
		if err != nil {
			return errorResponse(err)
		}
		ctx, cancel := d.queryTimeout(ctx)
		defer cancel()
		var snap *registry.Snapshot
		if withRegistry {
			if snap, err = d.querySnapshot(ctx); err != nil {
				return errorResponse(err)
			}
		}
		frames, err := h(ctx, snap, q, dq.TimeRange)
		if err != nil {
			return errorResponse(err)
		}
		for _, f := range frames {
			f.RefID = dq.RefID
		}
		return backend.DataResponse{Frames: frames}
	}
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

// queryTimeout bounds work by the datasource's queryTimeoutSeconds; it also
// ends when the instance is disposed.
func (d *Datasource) queryTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return d.bounded(ctx, time.Duration(d.settings.QueryTimeoutSeconds)*time.Second)
}

// bounded is ctx with a timeout, cancelled too when the instance is disposed.
func (d *Datasource) bounded(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	if d.life == nil {
		return ctx, cancel
	}
	stop := context.AfterFunc(d.life, cancel)
	return ctx, func() { stop(); cancel() }
}

// querySnapshot is the registry as a query reads it; while the store is not open, the error says
// so as a settings error (the datasource's store settings need fixing, not the query).
func (d *Datasource) querySnapshot(ctx context.Context) (*registry.Snapshot, error) {
	if err := d.registryUnavailable(); err != nil {
		return nil, fmt.Errorf("%w: %v", models.ErrInvalidSettings, err)
	}
	return d.registry.Snapshot(ctx)
}
