package models

import (
	"errors"
	"fmt"
	"time"
)

// The sentinel errors of the whole backend, in one place; match them with
// errors.Is. pkg/plugin decides from them whose fault an error is (the user's,
// a dependency's, or Covenant's) and which status it answers with.
var (
	// ErrInvalidSettings marks a datasource configuration the user must fix.
	ErrInvalidSettings = errors.New("invalid datasource settings")
	// ErrInvalidQuery marks a query model the user must fix.
	ErrInvalidQuery = errors.New("invalid query")
	// ErrInvalidInput marks a registry object (a contract, KPI, tracker,
	// assignment or agreement, or a YAML document of them) the user must fix.
	ErrInvalidInput = errors.New("invalid registry object")
	// ErrConnector marks a failure of a connector (bad SQL, source down, malformed rows).
	ErrConnector = errors.New("connector error")
	// ErrUnknownConnector marks a query naming a connector that is not configured.
	ErrUnknownConnector = errors.New("unknown connector")

	// ErrNotFound: the registry object asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the object changed since the version the caller read.
	ErrConflict = errors.New("version conflict")
	// ErrExists: an object with that id exists already.
	ErrExists = errors.New("already exists")
	// ErrInUse: the object is referred to by others and cannot be deleted.
	ErrInUse = errors.New("in use")
	// ErrLedgerBusy: other writers kept appending to one agreement's ledger.
	ErrLedgerBusy = errors.New("store: the ledger entry could not be appended: other writers kept appending to this agreement")
	// ErrStoreUnavailable marks a failure of the registry's database itself
	// (unreachable, refused, broken), not a refusal of its rules.
	ErrStoreUnavailable = errors.New("the registry's store is unavailable")
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

// InputFieldError returns a FieldError of kind ErrInvalidInput: a field of a
// registry object.
func InputFieldError(field, msg string) error {
	return &FieldError{Field: field, Msg: msg, Kind: ErrInvalidInput}
}

// AsInput turns a query error met while checking a registry object (a
// tracker's definition is checked the same way inline in a query and in the
// registry) into an input error; other errors are returned as they are.
func AsInput(err error) error {
	var fe *FieldError
	if errors.As(err, &fe) && fe.Kind == ErrInvalidQuery {
		cp := *fe
		cp.Kind = ErrInvalidInput
		return &cp
	}
	return err
}

// SettingsFieldError returns a FieldError of kind ErrInvalidSettings.
func SettingsFieldError(field, msg string) error {
	return &FieldError{Field: field, Msg: msg, Kind: ErrInvalidSettings}
}

func asFieldError(err error, target **FieldError) bool { return errors.As(err, target) }

// The instants Covenant computes with: times are held as Unix nanoseconds,
// which reach from 1677 to 2262, and a bucket or review period may end a
// year after the range does; the bounds leave room for that.
var (
	EarliestTime = time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC)
	LatestTime   = time.Date(2260, 1, 1, 0, 0, 0, 0, time.UTC)
)

// CheckTimeRange refuses a range that reaches outside [EarliestTime,
// LatestTime), naming field; a zero range (none given) passes.
func CheckTimeRange(field string, from, to time.Time) error {
	if from.IsZero() && to.IsZero() {
		return nil
	}
	for _, t := range []time.Time{from, to} {
		if t.Before(EarliestTime) || !t.Before(LatestTime) {
			return QueryFieldError(field, fmt.Sprintf("%s to %s reaches outside the times Covenant can compute (%s to %s): pick a range inside them",
				from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339), EarliestTime.Format("2006-01-02"), LatestTime.Format("2006-01-02")))
		}
	}
	return nil
}

// PrefixField puts prefix before the field a FieldError names; other errors
// (a connector's) name prefix+query, the KPI's query, as the place to look.
func PrefixField(err error, prefix, query string) error {
	var fe *FieldError
	if errors.As(err, &fe) {
		cp := *fe
		cp.Field = prefix + fe.Field
		return &cp
	}
	return fmt.Errorf("%s%s: %w", prefix, query, err)
}
