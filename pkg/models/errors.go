package models

import "errors"

// Sentinel errors shared by the backend; match them with errors.Is.
var (
	// ErrInvalidSettings marks a datasource configuration the user must fix.
	ErrInvalidSettings = errors.New("invalid datasource settings")
	// ErrInvalidQuery marks a query model the user must fix.
	ErrInvalidQuery = errors.New("invalid query")
	// ErrConnector marks a failure of a connector (bad SQL, source down, malformed rows).
	ErrConnector = errors.New("connector error")
	// ErrUnknownConnector marks a query naming a connector that is not configured.
	ErrUnknownConnector = errors.New("unknown connector")
)

// FieldError is a validation error that names the offending field and how to fix it.
type FieldError struct {
	Field string // JSON path of the field, e.g. "rawSql"
	Msg   string // what is wrong and how to fix it
	Kind  error  // sentinel the error matches with errors.Is
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// Unwrap lets errors.Is match the sentinel kind.
func (e *FieldError) Unwrap() error { return e.Kind }

// QueryFieldError returns a FieldError of kind ErrInvalidQuery.
func QueryFieldError(field, msg string) error {
	return &FieldError{Field: field, Msg: msg, Kind: ErrInvalidQuery}
}

// SettingsFieldError returns a FieldError of kind ErrInvalidSettings.
func SettingsFieldError(field, msg string) error {
	return &FieldError{Field: field, Msg: msg, Kind: ErrInvalidSettings}
}

func asFieldError(err error, target **FieldError) bool { return errors.As(err, target) }
