package models

import (
	"encoding/json"
	"fmt"
	"strings"
)

// AgreementQuery selects agreements: one by id, or every agreement of some
// contracts (comma-separated ids, e.g. a multi-value $contract; "*" for all).
type AgreementQuery struct {
	Agreement string `json:"agreement"`
	Contract  string `json:"contract"`
	// Fields keeps only these figures (e.g. ["status"]) besides time, for alert rules.
	Fields []string `json:"fields,omitempty"`
}

// LoadAgreementQuery parses and checks an agreementCompliance or ledger query.
func LoadAgreementQuery(raw json.RawMessage) (*AgreementQuery, error) {
	q := &AgreementQuery{}
	if err := json.Unmarshal(raw, q); err != nil {
		return nil, fmt.Errorf("%w: the query is not valid JSON (%v): check agreement and contract", ErrInvalidQuery, err)
	}
	q.Agreement, q.Contract = strings.TrimSpace(q.Agreement), strings.TrimSpace(q.Contract)
	if q.Agreement == "" && q.Contract == "" {
		return nil, QueryFieldError("contract", `is empty: give a contract's id ($contract works, "*" means every contract), or an agreement's id`)
	}
	return q, nil
}
