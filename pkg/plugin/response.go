package plugin

import (
	"context"
	"errors"
	"net/http"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/covenant/contracts/pkg/models"
)

// classify decides whose fault an error is and the status it answers with:
//   - the work stopped by the query timeout, or by a caller that went away:
//     downstream, 504 (whatever was running when it stopped);
//   - the user's input (a query, the settings, a registry object, an unknown
//     connector) or a connector's failure (bad SQL, a source that refuses):
//     downstream, 400;
//   - the registry's store unavailable (its database down or broken):
//     downstream, 502;
//   - anything else is a Covenant bug: plugin, 500.
func classify(err error) (backend.ErrorSource, backend.Status) {
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return backend.ErrorSourceDownstream, backend.StatusTimeout
	case errors.Is(err, models.ErrInvalidQuery), errors.Is(err, models.ErrInvalidSettings), errors.Is(err, models.ErrInvalidInput),
		errors.Is(err, models.ErrUnknownConnector), errors.Is(err, models.ErrConnector):
		return backend.ErrorSourceDownstream, backend.StatusBadRequest
	case errors.Is(err, models.ErrStoreUnavailable):
		return backend.ErrorSourceDownstream, backend.StatusBadGateway
	}
	return backend.ErrorSourcePlugin, backend.StatusInternal
}

// errorResponse is the one place a query error gets its source and status (classify).
func errorResponse(err error) backend.DataResponse {
	source, status := classify(err)
	if source == backend.ErrorSourceDownstream {
		err = backend.DownstreamError(err)
	} else {
		err = backend.PluginError(err)
	}
	r := backend.ErrorResponseWithErrorSource(err)
	r.Status = status
	return r
}

// httpStatus is the resource API's status for an error that no handler mapped
// more precisely: 400 for the user's input, 503 while the store is
// unavailable, 504 for the timeout, else 500.
func httpStatus(err error) int {
	_, status := classify(err)
	switch status {
	case backend.StatusBadRequest:
		return http.StatusBadRequest
	case backend.StatusBadGateway:
		return http.StatusServiceUnavailable
	case backend.StatusTimeout:
		return http.StatusGatewayTimeout
	}
	return http.StatusInternalServerError
}
