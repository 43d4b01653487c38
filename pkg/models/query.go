package models

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// DemoConnector is the name of the embedded demo connector.
const DemoConnector = "demo"

// ConnectorQuery is what a KPI asks of its connector: SQL for SQL connectors,
// a path and field mapping for HTTP connectors.
type ConnectorQuery struct {
	// Connector names the connector to run the query on; empty means the demo connector.
	Connector string `json:"connector"`
	// RawSQL is the SQL to run; it may use the macros $__timeFrom, $__timeTo,
	// $__timeFilter(column) and $__key.
	RawSQL string `json:"rawSql,omitempty"`
	// Path is appended to an HTTP connector's URL; it may hold the same macros
	// (URL-escaped): $__timeFrom and $__timeTo as RFC 3339, $__key.
	Path string `json:"path,omitempty"`
	// RowsPath is the dot path of the array of rows in a JSON response ("" for a top-level array).
	RowsPath string `json:"rowsPath,omitempty"`
	// TimeField, ValueField and KeyField name a row's time, value and contract
	// key: dot paths in JSON rows, column headers in CSV. Defaults: time, value, none.
	TimeField  string `json:"timeField,omitempty"`
	ValueField string `json:"valueField,omitempty"`
	KeyField   string `json:"keyField,omitempty"`
	// EndField names a row's end for a business-time KPI (default end); such
	// a KPI reads no value field.
	EndField string `json:"endField,omitempty"`
	// WatermarkColumn names a column of a SQL KPI query's rows that changes
	// whenever a row is added or changed (an updated_at): the closed-bucket
	// cache checks the query's row count and this column's maximum to tell
	// whether cached buckets still hold (docs/cache.md).
	WatermarkColumn string `json:"watermarkColumn,omitempty"`
}

// ConnectorPreviewQuery asks for the raw rows of a connector query.
type ConnectorPreviewQuery struct {
	ConnectorQuery
	// Key is the contract key bound to $__key (never spliced into the SQL text).
	Key string `json:"key"`
	// Limit caps the rows returned; 0 means the datasource's maximum.
	Limit int `json:"limit"`
}

// LoadConnectorPreviewQuery parses and validates a connectorPreview query model.
func LoadConnectorPreviewQuery(raw json.RawMessage, s *Settings) (*ConnectorPreviewQuery, error) {
	q := &ConnectorPreviewQuery{}
	if err := json.Unmarshal(raw, q); err != nil {
		return nil, fmt.Errorf("%w: the query is not valid JSON for connectorPreview (%v): check the fields connector, rawSql (or path and the fields of an HTTP connector), key and limit", ErrInvalidQuery, err)
	}
	if q.Connector == "" {
		q.Connector = DemoConnector
	}
	if q.Limit < 0 {
		return nil, QueryFieldError("limit", fmt.Sprintf("%d is negative: use 0 for the default (%d) or a positive row count", q.Limit, s.MaxPreviewRows))
	}
	if q.Limit > s.MaxPreviewRows {
		return nil, QueryFieldError("limit", fmt.Sprintf("%d is above this datasource's maximum of %d rows: lower it, or raise maxPreviewRows in the datasource settings", q.Limit, s.MaxPreviewRows))
	}
	if q.Limit == 0 {
		q.Limit = s.MaxPreviewRows
	}
	return q, nil
}

// columnRe is a plain column name.
var columnRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Check validates the query for a connector type; field names are relative
// (rawSql, timeField, …) and the caller prefixes them. It fills the HTTP defaults.
func (q *ConnectorQuery) Check(t ConnectorType) error {
	if t.IsSQL() {
		if strings.TrimSpace(q.RawSQL) == "" {
			return QueryFieldError("rawSql", "is empty: write a SELECT that returns time and value columns, e.g. SELECT time, value FROM uptime WHERE $__timeFilter(time)")
		}
		if q.WatermarkColumn != "" && !columnRe.MatchString(q.WatermarkColumn) {
			return QueryFieldError("watermarkColumn", fmt.Sprintf("%q is not a column name: give the name of a column the query returns (letters, digits and _), e.g. updated_at, or leave it empty", q.WatermarkColumn))
		}
		return nil
	}
	if q.WatermarkColumn != "" {
		return QueryFieldError("watermarkColumn", fmt.Sprintf("connector %q is an HTTP connector: a watermark column is for SQL connectors; leave it empty (closed buckets are then reused for the datasource's cache TTL)", q.Connector))
	}
	if q.RawSQL != "" {
		return QueryFieldError("rawSql", fmt.Sprintf("connector %q is an HTTP connector and takes no SQL: give path and the time, value and key fields instead", q.Connector))
	}
	if q.TimeField == "" {
		q.TimeField = "time"
	}
	if q.ValueField == "" {
		q.ValueField = "value"
	}
	if strings.ContainsAny(q.Path, "\r\n") {
		return QueryFieldError("path", "must be one line: give the path and query string to append to the connector's URL")
	}
	// The path may come from a dashboard query: it must not leave the connector's base path.
	if err := CheckHTTPPath(q.Path, ""); err != nil {
		return err
	}
	return nil
}
