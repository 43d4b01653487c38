import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

/** Plugin ids, as in the plugin.json files. */
export const APP_ID = 'covenant-contracts-app';
export const DATASOURCE_TYPE = 'covenant-kpi-datasource';
export const PANEL_ID = 'covenant-kpitrend-panel';

/** Query types served by the backend; mirrors pkg/models/querytype.go. */
export const QUERY_TYPES = [
  'trackerSeries',
  'contractScorecard',
  'agreementCompliance',
  'portfolio',
  'ledger',
  'connectorPreview',
] as const;
export type QueryType = (typeof QUERY_TYPES)[number];

/** The embedded demo connector's name; mirrors models.DemoConnector. */
export const DEMO_CONNECTOR = 'demo';

/** A query of the Covenant datasource; fields beyond queryType depend on the type. */
/** What a template variable lists (the variables query type). */
export type VariableKind = 'contracts' | 'trackers' | 'kpis';

export interface CovenantQuery extends DataQuery {
  queryType?: QueryType | 'variables';
  /** variables: what to list. */
  kind?: VariableKind;
  /** trackerSeries (registry): only these trackers of the contract. */
  trackerIds?: string[];
  /** connectorPreview: connector to query (default: demo). */
  connector?: string;
  /** connectorPreview: SQL with the macros $__timeFrom, $__timeTo, $__timeFilter(column), $__key. */
  rawSql?: string;
  /** connectorPreview: contract key bound to $__key. */
  key?: string;
  /** connectorPreview: row cap; 0 means the datasource maximum. */
  limit?: number;
  /** trackerSeries: contract key, bound to $__key in each KPI's SQL. */
  contract?: string;
  /** trackerSeries: trackers given inline (until the registry holds them). */
  trackers?: TrackerDef[];
  /** agreementCompliance, ledger: one agreement's id (else the contract's agreements). */
  agreement?: string;
  /** trackerSeries, agreementCompliance: keep only these figures (one series per frame, for alert rules). */
  fields?: string[];
  /** connectorPreview on HTTP connectors: the path and field mapping. */
  path?: string;
  rowsPath?: string;
  timeField?: string;
  valueField?: string;
  keyField?: string;
  /** portfolio: the compliance (%) from which performance is substantial (default 95). */
  substantialThreshold?: number;
}

/** A KPI given inline; mirrors models.KPIDef. */
export interface KPIDef {
  name: string;
  unit?: string;
  connector?: string;
  rawSql: string;
  direction: 'higher_is_better' | 'lower_is_better';
}

/** A tracker given inline; mirrors models.TrackerDef. */
export interface TrackerDef {
  name: string;
  kpi: KPIDef;
  method: string;
  condition?: { op: string; threshold: number };
  interval: string;
  timezone?: string;
  target: { constant?: number; schedule?: Array<{ from: string; value: number }> };
  tolerance?: { value: number; percent?: boolean };
  missing?: 'exclude' | 'missed' | 'zero';
  trendWindow?: number;
}

/** A starting tracker for the editor: daily average uptime on the demo connector. */
export const EXAMPLE_TRACKER: TrackerDef = {
  name: 'Availability',
  method: 'avg',
  interval: '1d',
  timezone: 'UTC',
  kpi: {
    name: 'Uptime',
    unit: 'percent',
    direction: 'higher_is_better',
    rawSql: 'SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key',
  },
  target: { constant: 99.9 },
  tolerance: { value: 0.5 },
};

export const DEFAULT_PREVIEW_SQL =
  'SELECT time, uptime_pct AS value, contract AS key FROM uptime WHERE $__timeFilter(time) AND contract = $__key ORDER BY time';

export const DEFAULT_QUERY: Partial<CovenantQuery> = {
  queryType: 'connectorPreview',
  connector: DEMO_CONNECTOR,
  rawSql: DEFAULT_PREVIEW_SQL,
  key: 'acme-it',
};

/** Grafana org roles, least to most privileged. */
export const ROLES = ['Viewer', 'Editor', 'Admin'] as const;
export type Role = (typeof ROLES)[number];

/** Datasource jsonData; mirrors pkg/models/settings.go. */
export interface CovenantOptions extends DataSourceJsonData {
  writeRole?: Role;
  demoDisabled?: boolean;
  queryTimeoutSeconds?: number;
  maxPreviewRows?: number;
  connectors?: ConnectorSettings[];
  /** Hosts HTTP connectors may call: "api.example.com" or "*.example.com". */
  httpAllowedHosts?: string[];
  /** Where the registry lives; mirrors models.Settings. */
  storeType?: 'sqlite' | 'postgres';
  storePath?: string;
  storePostgres?: { host?: string; port?: number; database?: string; user?: string; tlsMode?: string };
}

/** Connector types a datasource may configure; mirrors models.ConnectorTypes. */
export const CONNECTOR_TYPES = ['postgres', 'mysql', 'sqlite', 'http-json', 'http-csv'] as const;
export type ConnectorType = (typeof CONNECTOR_TYPES)[number];

/** One configured connector (jsonData); mirrors models.ConnectorSettings. Its secrets live in
 * secureJsonData under connectors.<uid>.<secret> (see CONNECTOR_SECRETS). */
export interface ConnectorSettings {
  uid: string;
  name: string;
  type: ConnectorType;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  tlsMode?: string;
  maxOpenConns?: number;
  path?: string;
  timeFormat?: 'unix' | 'unixms' | 'iso';
  url?: string;
  headerName?: string;
  timeoutSeconds?: number;
  maxResponseMB?: number;
  delimiter?: string;
  /** HTTP: none (default), basic (user + the secret password) or bearer (the secret bearerToken). */
  authType?: HTTPAuthType;
  /** HTTP: do not verify the server's certificate (off by default). */
  tlsSkipVerify?: boolean;
  /** HTTP: an explicit proxy, http(s):// or socks5://host:port. */
  proxyURL?: string;
  proxyUser?: string;
}

export const HTTP_AUTH_TYPES = ['none', 'basic', 'bearer'] as const;
export type HTTPAuthType = (typeof HTTP_AUTH_TYPES)[number];

/** Every secret a connector may have; mirrors models.ConnectorSecrets. */
export const CONNECTOR_SECRETS = [
  'password',
  'headerValue',
  'bearerToken',
  'tlsCACert',
  'tlsClientCert',
  'tlsClientKey',
  'proxyPassword',
] as const;
export type ConnectorSecret = (typeof CONNECTOR_SECRETS)[number];

/** The secureJsonData key of a connector's secret; mirrors models.SecretKey. */
export function secretKey(uid: string, secret: ConnectorSecret): string {
  return `connectors.${uid}.${secret}`;
}

/** A table of the demo connector (GET /connectors). */
export interface ConnectorTable {
  name: string;
  description: string;
  columns: string[];
  example: string;
}

export interface ConnectorInfo {
  name: string;
  type: string;
  /** Queries are SQL (else an HTTP path and field mapping). */
  sql: boolean;
  tables?: ConnectorTable[];
  rows?: number;
  from?: string;
  to?: string;
}

/** App plugin jsonData. */
export interface AppSettings {
  /** uid of the Covenant datasource the app's pages use; empty: the first one found. */
  datasourceUid?: string;
}

/** A registry contract (GET /registry/contracts); mirrors models.Contract. */
export interface Contract extends RegistryMeta {
  name: string;
  counterparty: string;
  owner?: string;
  description?: string;
  startDate?: string;
  endDate?: string;
  renewalDate?: string;
  noticeDays?: number;
  value?: number;
  currency?: string;
  status: 'draft' | 'active' | 'expired' | 'terminated';
  tags?: string[];
}

/** One page of a registry list. */
export interface RegistryPage<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** How many of a contract's trackers are green, amber, red in their latest evaluated bucket. */
export interface RagSummary {
  green: number;
  amber: number;
  red: number;
}

/** Registry object kinds, as in the resource API's /registry/{kind}. */
export type RegistryKind = 'contracts' | 'kpis' | 'trackers' | 'assignments' | 'agreements';

/** What every registry object carries (set by the backend). */
export interface RegistryMeta {
  id: string;
  version: number;
  createdAt?: string;
  createdBy?: string;
  updatedAt?: string;
  updatedBy?: string;
}

/** The statuses a contract may have; mirrors models.ContractStatuses. */
export const CONTRACT_STATUSES = ['draft', 'active', 'expired', 'terminated'] as const;

/** KPI directions; mirrors models.Direction. */
export const DIRECTIONS = ['higher_is_better', 'lower_is_better'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** A registry KPI (GET /registry/kpis); mirrors models.KPI. */
export interface KPI extends RegistryMeta {
  name: string;
  unit?: string;
  description?: string;
  owner?: string;
  connector: string;
  rawSql?: string;
  path?: string;
  rowsPath?: string;
  timeField?: string;
  valueField?: string;
  keyField?: string;
  direction: Direction;
}

/** Tracker compute methods; mirrors pkg/kpi's methods. */
export const METHODS = ['sum', 'avg', 'count', 'min', 'max', 'p50', 'p90', 'p95', 'p99', 'ratio', 'last'] as const;
/** Bucket intervals; mirrors pkg/kpi's intervals. */
export const INTERVALS = ['1h', '4h', '1d', '1w', '1M', '1Q', '1Y'] as const;
/** Ratio condition operators; mirrors models.Condition. */
export const CONDITION_OPS = ['<', '<=', '>', '>=', '=', '!='] as const;
/** Missing-data policies; mirrors models.MissingPolicy. */
export const MISSING_POLICIES = ['exclude', 'missed', 'zero'] as const;

/** A target: a constant, or effective-dated steps (the latest whose from <= bucket start applies). */
export interface Target {
  constant?: number;
  schedule?: Array<{ from: string; value: number }>;
}

/** A registry tracker (GET /registry/trackers); mirrors models.Tracker. */
export interface Tracker extends RegistryMeta {
  name: string;
  kpiId: string;
  method: string;
  condition?: { op: string; threshold: number };
  interval: string;
  timezone?: string;
  target: Target;
  tolerance: { value: number; percent?: boolean };
  missing?: (typeof MISSING_POLICIES)[number];
  trendWindow?: number;
  decimals?: number;
}

/** A tracker assigned to a contract (GET /registry/assignments); mirrors models.Assignment. */
export interface Assignment extends RegistryMeta {
  contractId: string;
  trackerId: string;
  /** The contract's key in the KPI's rows, bound to $__key. */
  key: string;
  targetOverride?: Target;
  weight: number;
  clause?: string;
}

/** Review period kinds; mirrors models.ReviewPeriod. */
export const PERIOD_KINDS = ['month', 'quarter', 'year', 'custom'] as const;

/** A compliance target over review periods (GET /registry/agreements); mirrors models.Agreement. */
/** How a covered tracker counts: met closed buckets, or met resolved requests. */
export const COMPLIANCE_MODES = ['timeslice', 'occurrence'] as const;
export type ComplianceMode = (typeof COMPLIANCE_MODES)[number];

/** A penalty (negative amount) or reward for compliance in [from, to); percent: of the contract's value. */
export interface Band {
  from: number;
  to: number;
  amount: number;
  percent?: boolean;
}

export interface Agreement extends RegistryMeta {
  name: string;
  contractId: string;
  period: { kind: (typeof PERIOD_KINDS)[number]; timezone?: string; from?: string; to?: string };
  complianceTarget: number;
  trackers: Array<{ assignmentId: string; weight: number; mode?: ComplianceMode }>;
  impactCostPerMiss?: number;
  penaltyCap?: number;
  /** Decimals compliance is stated at (rounded half up) before status and bands; 2 when left out. */
  precision?: number;
  bands?: Band[];
  milestones?: Array<{ name: string; condition: string }>;
}

/** Agreement statuses; mirrors pkg/compliance. */
export type ComplianceStatus = 'compliant' | 'at_risk' | 'breached' | 'no_data';

/** One covered tracker's figures in a period; mirrors compliance.Covered. */
export interface CoveredResult {
  assignmentId: string;
  trackerId: string;
  name: string;
  weight: number;
  mode: ComplianceMode;
  met: number;
  missed: number;
  remaining: number;
  inProgress?: number;
  atRisk?: number;
  consecutiveMisses: number;
  compliance: number | null;
  projected: number | null;
  best: number | null;
}

/** An agreement's evaluation in one period; mirrors compliance.Result. */
export interface ComplianceResult {
  agreementId: string;
  contractId: string;
  period: { start: string; end: string };
  asOf: string;
  closed: boolean;
  target: number;
  trackers: CoveredResult[];
  compliance: number | null;
  projected: number | null;
  best: number | null;
  status: ComplianceStatus;
  requiredRunRate: number | null;
  atRiskRequests: number;
  missed: number;
  impactCost: number;
  penaltyReward: number | null;
  band?: number;
  milestones?: Array<{ name: string; condition: string }>;
}

/** A period-close ledger entry (GET /ledger); mirrors store.LedgerEntry. */
export interface LedgerEntry {
  agreementId: string;
  contractId: string;
  periodStart: string;
  periodEnd: string;
  seq: number;
  kind: 'close' | 'restatement';
  computedAt: string;
  digest: string;
  snapshot: { result: ComplianceResult; versions: Record<string, number> };
  actor: string;
}

/** One entry of an object's audit trail (GET /registry/{kind}/{id}/audit). */
export interface AuditEntry {
  version: number;
  action: 'create' | 'update' | 'delete';
  actor: string;
  at: string;
  /** JSON text of {"field": {"old", "new"}}. */
  changes?: string | Record<string, { old?: unknown; new?: unknown }>;
}

/** One obligation (tracker) of a report; mirrors plugin.Obligation. */
export interface ReportObligation {
  trackerId: string;
  tracker: string;
  kpi: string;
  unit?: string;
  clause?: string;
  status: 'on_track' | 'at_risk' | 'missed' | 'no_data';
  at?: string;
  actual: number | null;
  target: number | null;
  variance: number | null;
  variancePct: number | null;
  met: number;
  missed: number;
  compliance: number | null;
  trend: string;
  consecutiveMisses: number;
}

/** The contract performance report (GET /report); mirrors plugin.Report. */
export interface ContractReport {
  contract: Contract;
  from: string;
  to: string;
  generatedAt: string;
  obligations: ReportObligation[];
  financial: {
    currency: string;
    value: number;
    impactCost: number;
    penalties: number;
    credits: number;
    valueAtStake: number;
    agreements: Array<{
      agreementId: string;
      name: string;
      final: boolean;
      /** The zone of the agreement's review periods. */
      timezone: string;
      result: ComplianceResult;
      valueAtStake: number;
    }>;
  };
  risk: {
    maxConsecutiveMisses: number;
    trackersMissing: string[];
    atRiskRequests: number;
    agreementsAtRisk: string[];
    agreementsBreached: string[];
  };
  issues: Array<{
    agreement: string;
    milestone: string;
    condition: string;
    first: string;
    last: string;
    active: boolean;
  }>;
  renewal: {
    signal: string;
    evidence: ComplianceResult[];
    compliant: number;
    renewalDate?: string;
    noticeBy?: string;
    window: string;
  };
}
