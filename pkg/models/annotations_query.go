package models

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// The kinds of event an annotations query can ask for.
const (
	AnnotationCloses       = "closes"       // a review period closed in the ledger
	AnnotationRestatements = "restatements" // a closed period restated in the ledger
	AnnotationMilestones   = "milestones"   // an agreement's milestone started to hold
	AnnotationRAG          = "rag"          // a tracker's RAG changed from one closed bucket to the next
	AnnotationRenewal      = "renewal"      // the contract's renewal date and notice date
	AnnotationDisputes     = "disputes"     // a closed period signed off, disputed or resolved
)

// AnnotationKinds are the kinds of event, in the order they are documented.
var AnnotationKinds = []string{AnnotationCloses, AnnotationRestatements, AnnotationMilestones, AnnotationRAG, AnnotationRenewal, AnnotationDisputes}

// AnnotationsQuery asks for the history of some contracts as annotations.
type AnnotationsQuery struct {
	// Contract is a registry contract's id, several separated by commas (a
	// multi-value $contract), or "*" for every contract.
	Contract string `json:"contract"`
	// Kinds are the kinds of event to return (AnnotationKinds); none means all.
	Kinds []string `json:"kinds,omitempty"`
}

// LoadAnnotationsQuery parses and checks an annotations query; an empty kinds becomes every kind.
func LoadAnnotationsQuery(raw json.RawMessage) (*AnnotationsQuery, error) {
	q := &AnnotationsQuery{}
	if err := json.Unmarshal(raw, q); err != nil {
		return nil, fmt.Errorf("%w: the query is not valid JSON for annotations (%v): check contract (a string) and kinds (a list of strings)", ErrInvalidQuery, err)
	}
	q.Contract = strings.TrimSpace(q.Contract)
	switch {
	case q.Contract == "":
		return nil, QueryFieldError("contract", `is empty: give a contract's id ($contract works, "*" means every contract)`)
	case strings.HasPrefix(q.Contract, "$"):
		return nil, QueryFieldError("contract", fmt.Sprintf("%s is a dashboard variable that was not replaced: use it on a dashboard that defines it, or give a contract's id", q.Contract))
	}
	if _, err := Distinct("contract", ContractIDs(q.Contract)); err != nil {
		return nil, err
	}
	for i, k := range q.Kinds {
		if !slices.Contains(AnnotationKinds, k) {
			return nil, QueryFieldError(fmt.Sprintf("kinds[%d]", i), fmt.Sprintf("%q is not a kind of annotation: use %s", k, strings.Join(AnnotationKinds, ", ")))
		}
	}
	if len(q.Kinds) == 0 {
		q.Kinds = append([]string(nil), AnnotationKinds...)
	}
	return q, nil
}

// Wants reports whether the query asks for events of a kind.
func (q *AnnotationsQuery) Wants(kind string) bool {
	return slices.Contains(q.Kinds, kind)
}
