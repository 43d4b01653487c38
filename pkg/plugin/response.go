package plugin

import (
	"errors"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/covenant/contracts/pkg/models"
)

// isUserFault reports whether an error is the user's or a connector's fault
// (bad settings, a bad query, a failing source) rather than a plugin bug.
func isUserFault(err error) bool {
	return errors.Is(err, models.ErrInvalidQuery) || errors.Is(err, models.ErrInvalidSettings) ||
		errors.Is(err, models.ErrConnector) || errors.Is(err, models.ErrUnknownConnector)
}

// errorResponse is the one place a query error gets its source: downstream
// for the user's or a connector's fault, plugin otherwise.
func errorResponse(err error) backend.DataResponse {
	status := backend.StatusInternal
	if isUserFault(err) {
		err = backend.DownstreamError(err)
		status = backend.StatusBadRequest
	} else {
		err = backend.PluginError(err)
	}
	r := backend.ErrorResponseWithErrorSource(err)
	r.Status = status
	return r
}
