package models

// QueryType names a kind of query the datasource answers. It is sent by the
// front end in each query's `queryType` and mirrored in src/shared/types/query.ts.
type QueryType string

const (
	// QueryTypeConnectorPreview returns the raw rows a connector query yields (editor preview).
	QueryTypeConnectorPreview QueryType = "connectorPreview"
	// QueryTypeTrackerSeries returns each tracker's buckets: actual, target, variance, RAG, misses.
	QueryTypeTrackerSeries QueryType = "trackerSeries"
	// QueryTypeVariables lists registry contracts, trackers or KPIs for template variables.
	QueryTypeVariables QueryType = "variables"
	// QueryTypeAgreementCompliance returns each agreement's compliance through its review
	// periods: current, projected, required run-rate, status, impact cost, penalty/reward.
	QueryTypeAgreementCompliance QueryType = "agreementCompliance"
	// QueryTypeLedger returns the period-close ledger: closed periods and restatements.
	QueryTypeLedger QueryType = "ledger"
	// QueryTypeContractScorecard returns a table with a row per tracker of a contract:
	// current value, target, variance, RAG, trend and compliance this period.
	QueryTypeContractScorecard QueryType = "contractScorecard"
	// QueryTypePortfolio returns a row per contract (classification, compliance, status,
	// renewal signal) and the contract compliance rate.
	QueryTypePortfolio QueryType = "portfolio"
	// QueryTypeAnnotations returns a contract's history as Grafana annotations: period
	// closes and restatements, milestones fired, RAG changes, renewal and notice dates.
	QueryTypeAnnotations QueryType = "annotations"
)

// QueryTypes lists every query type the backend serves, in display order.
var QueryTypes = []QueryType{QueryTypeTrackerSeries, QueryTypeContractScorecard, QueryTypeAgreementCompliance, QueryTypePortfolio, QueryTypeLedger, QueryTypeAnnotations, QueryTypeConnectorPreview, QueryTypeVariables}
