// Package enginetest holds test fixtures shared by the engine's tests and the
// datasource's: a small registry that exercises both compliance modes.
package enginetest

// Object is a registry object to create: its kind's plural (as in the
// resource API's /registry/{kind}) and its JSON body.
type Object struct{ Kind, Body string }

// AgreementRegistry is contract acme with two trackers on the demo data, a
// daily availability (timeslice) and responses within 60 minutes (occurrence),
// and the monthly agreement "sla" that covers both (weights 3 and 1) with
// bands, a cap and a milestone.
var AgreementRegistry = []Object{
	{"contracts", `{"id":"acme","name":"Acme IT","counterparty":"Acme Corp","value":1800000,"currency":"EUR","status":"active"}`},
	{"kpis", `{"id":"uptime","name":"Uptime","unit":"percent","direction":"higher_is_better","rawSql":"SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key"}`},
	{"kpis", `{"id":"response","name":"First response","unit":"m","direction":"lower_is_better","rawSql":"SELECT time, response_minutes AS value, status FROM tickets WHERE $__timeFilter(time) AND contract = $__key"}`},
	{"trackers", `{"id":"availability","name":"Availability","kpiId":"uptime","method":"avg","interval":"1d","timezone":"UTC","target":{"constant":99.5},"tolerance":{"value":0.2}}`},
	{"trackers", `{"id":"within-60","name":"Responses within 60 min","kpiId":"response","method":"ratio","condition":{"op":"<=","threshold":60},"interval":"1d","timezone":"UTC","target":{"constant":80}}`},
	{"assignments", `{"id":"a-avail","contractId":"acme","trackerId":"availability","key":"acme-it"}`},
	{"assignments", `{"id":"a-resp","contractId":"acme","trackerId":"within-60","key":"acme-it"}`},
	{"agreements", `{"id":"sla","name":"Service levels","contractId":"acme","period":{"kind":"month","timezone":"UTC"},"complianceTarget":90,
		"trackers":[{"assignmentId":"a-avail","weight":3},{"assignmentId":"a-resp","weight":1,"mode":"occurrence"}],
		"impactCostPerMiss":200,"bands":[{"from":0,"to":90,"amount":-5,"percent":true},{"from":90,"to":100,"amount":0}],"penaltyCap":50000,
		"milestones":[{"name":"Late requests","condition":"at_risk_requests > 0"}]}`},
}
