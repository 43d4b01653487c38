package models

import "fmt"

// Limits that protect the plugin's process (one process serves every org)
// from a query that would exhaust its memory. Each is documented in
// docs/security.md; hitting one is an error that names the field and the limit.
const (
	// MaxTrackersPerQuery bounds the trackers one query computes (inline, or
	// resolved from the registry's contracts).
	MaxTrackersPerQuery = 200
	// MaxBucketsPerQuery bounds the buckets of all of a query's trackers together.
	MaxBucketsPerQuery = 500_000
	// MaxPreviewBytes bounds the cells a connectorPreview reads (strings and blobs by length, other values 8 bytes).
	MaxPreviewBytes = 32 << 20
	// MaxKPIRows bounds the rows one KPI query may return to be aggregated in the plugin.
	MaxKPIRows = 20_000_000
	// MaxRequestBytes bounds a resource API request's body (the YAML import has its own, smaller limit).
	MaxRequestBytes = 32 << 20
	// MaxIDsPerQuery bounds the ids in a list (contracts of a multi-value variable, trackerIds).
	MaxIDsPerQuery = 1000
)

// LimitError is the error of a limit: what went over it, and how to stay within.
// The message reads "<what> more than the limit of <limit> <unit>: <fix>".
func LimitError(field, what string, limit int, unit, fix string) error {
	return QueryFieldError(field, fmt.Sprintf("%s more than the limit of %d %s: %s", what, limit, unit, fix))
}

// Distinct returns ids without repeats, in their first order, and refuses
// more than MaxIDsPerQuery of them, naming field.
func Distinct(field string, ids []string) ([]string, error) {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	if len(out) > MaxIDsPerQuery {
		return nil, LimitError(field, fmt.Sprintf("lists %d ids,", len(out)), MaxIDsPerQuery, "ids", "narrow the list")
	}
	return out, nil
}
