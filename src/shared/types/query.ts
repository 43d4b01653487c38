import type { DataQuery } from '@grafana/schema';
import { DEMO_CONNECTOR } from './settings';

/**
 * The query types the backend serves, as sent in each query's `queryType`; mirrors
 * pkg/models/querytype.go (query.test.ts checks both agree).
 */
export const QueryType = {
  TrackerSeries: 'trackerSeries',
  ContractScorecard: 'contractScorecard',
  AgreementCompliance: 'agreementCompliance',
  Portfolio: 'portfolio',
  Ledger: 'ledger',
  Annotations: 'annotations',
  ConnectorPreview: 'connectorPreview',
  Variables: 'variables',
} as const;
// A value and a type of one name, as an enum's: QueryType.Ledger, and the type of any of them.
// eslint-disable-next-line no-redeclare
export type QueryType = (typeof QueryType)[keyof typeof QueryType];

/** The query types a panel's query editor offers, in display order (variables have their own editor). */
export const QUERY_TYPES = [
  QueryType.TrackerSeries,
  QueryType.ContractScorecard,
  QueryType.AgreementCompliance,
  QueryType.Portfolio,
  QueryType.Ledger,
  QueryType.Annotations,
  QueryType.ConnectorPreview,
] as const;
export type PanelQueryType = (typeof QUERY_TYPES)[number];

/**
 * The kinds of event an annotations query returns, in their documented order; mirrors
 * models.AnnotationKinds (pkg/models/annotations_query.go; query.test.ts checks both agree).
 */
export const ANNOTATION_KINDS = ['closes', 'restatements', 'milestones', 'rag', 'renewal', 'disputes'] as const;
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];

/** What a template variable lists (the variables query type). */
export type VariableKind = 'contracts' | 'trackers' | 'kpis';

/** A query of the Covenant datasource; fields beyond queryType depend on the type. */
export interface CovenantQuery extends DataQuery {
  queryType?: QueryType;
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
  /** trackerSeries: contract key, bound to $__key in each KPI's SQL; the registry query types and annotations: contract ids. */
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
  /** A business-time KPI's row end field: the preview shows it instead of a value. */
  endField?: string;
  /** annotations: the kinds of event to return (none: every kind). */
  kinds?: AnnotationKind[];
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
  /** A duration in business time on a service calendar (see KPI.businessTime). */
  businessTime?: { calendarId: string; unit: 's' | 'm' | 'h' };
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
  /** A registry service calendar: buckets without working time on it are not evaluated. */
  calendarId?: string;
  /** Only rows whose time falls in the calendar's working time count (needs calendarId). */
  workingTimeOnly?: boolean;
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

/** A new query: a registry contract's trackers (datasource.getDefaultQuery adds $contract when the dashboard has it). */
export const DEFAULT_QUERY: Partial<CovenantQuery> = {
  queryType: QueryType.TrackerSeries,
};

/** What a query switched to connectorPreview starts with: an example on the demo connector. */
export const DEFAULT_PREVIEW: Partial<CovenantQuery> = {
  connector: DEMO_CONNECTOR,
  rawSql: DEFAULT_PREVIEW_SQL,
  key: 'acme-it',
};

/**
 * The query type of a query: a query saved before it had one (an early connector
 * preview has SQL) is a connectorPreview, any other a trackerSeries.
 */
export function queryTypeOf(q: Partial<CovenantQuery>): QueryType {
  return q.queryType ?? (q.rawSql ? QueryType.ConnectorPreview : QueryType.TrackerSeries);
}
