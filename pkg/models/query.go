package models

import (
	"encoding/json"
	"fmt"
	"strings"
)

// DemoConnector is the name of the embedded demo connector.
const DemoConnector = "demo"

// ConnectorPreviewQuery asks for the raw rows of a connector query.
type ConnectorPreviewQuery struct {
	// Connector names the connector to run the query on; empty means the demo connector.
	Connector string `json:"connector"`
	// RawSQL is the SQL to run; it may use the macros $__timeFrom, $__timeTo,
	// $__timeFilter(column) and $__key.
	RawSQL string `json:"rawSql"`
	// Key is the contract key bound to $__key (never spliced into the SQL text).
	Key string `json:"key"`
	// Limit caps the rows returned; 0 means the datasource's maximum.
	Limit int `json:"limit"`
}

// LoadConnectorPreviewQuery parses and validates a connectorPreview query model.
func LoadConnectorPreviewQuery(raw json.RawMessage, s *Settings) (*ConnectorPreviewQuery, error) {
	q := &ConnectorPreviewQuery{}
	if err := json.Unmarshal(raw, q); err != nil {
		return nil, fmt.Errorf("%w: the query is not valid JSON for connectorPreview (%v): check the fields connector, rawSql, key and limit", ErrInvalidQuery, err)
	}
	if q.Connector == "" {
		q.Connector = DemoConnector
	}
	if strings.TrimSpace(q.RawSQL) == "" {
		return nil, QueryFieldError("rawSql", "is empty: write a SELECT, e.g. SELECT time, value FROM uptime WHERE $__timeFilter(time)")
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
