/** Registry object kinds, as in the resource API's /registry/{kind}. */
export type RegistryKind = 'contracts' | 'kpis' | 'trackers' | 'assignments' | 'agreements' | 'calendars';

/** What every registry object carries (set by the backend). */
export interface RegistryMeta {
  id: string;
  version: number;
  createdAt?: string;
  createdBy?: string;
  updatedAt?: string;
  updatedBy?: string;
}

/** One page of a registry list. */
export interface RegistryPage<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
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

/** How many of a contract's trackers are green, amber, red in their latest evaluated bucket. */
export interface RagSummary {
  green: number;
  amber: number;
  red: number;
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
  /** A business-time KPI's row end field (HTTP connectors; default end). */
  endField?: string;
  /** A SQL KPI's column that changes whenever a row is added or changed: the closed-bucket cache's watermark. */
  watermarkColumn?: string;
  direction: Direction;
  /** A duration in business time: the business time from each row's time to its end, on a service calendar. */
  businessTime?: { calendarId: string; unit: 's' | 'm' | 'h' };
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
  /** The service calendar the tracker follows: its buckets without working time are not evaluated. */
  calendarId?: string;
  /** Only rows whose time falls in the calendar's working time count (needs calendarId). */
  workingTimeOnly?: boolean;
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

/** A compliance target over review periods (GET /registry/agreements); mirrors models.Agreement. */
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

/** Weekday names of a calendar's hours, Monday first; mirrors calendar.Days. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Why an exclusion does not count as working time; mirrors calendar.Reasons. */
export const EXCLUSION_REASONS = ['maintenance', 'force_majeure', 'customer_caused'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/**
 * A weekly working window: on day, from to to on the local wall clock ("HH:MM"); to may be "24:00",
 * and a to at or before from runs past midnight into the next day. Mirrors calendar.Hours.
 */
export interface CalendarHours {
  day: Weekday;
  from: string;
  to: string;
}

/** A local date (YYYY-MM-DD) on which no window starts; mirrors calendar.Holiday. */
export interface CalendarHoliday {
  date: string;
  name: string;
}

/** A span of instants [from, to) (RFC 3339) that is not working time, and why; mirrors calendar.Exclusion. */
export interface CalendarExclusion {
  from: string;
  to: string;
  reason: ExclusionReason;
  note?: string;
}

/**
 * A service calendar (GET /registry/calendars): the weekly working hours of an IANA time zone, less
 * holidays and exclusions. Mirrors calendar.Calendar.
 */
export interface Calendar extends RegistryMeta {
  name: string;
  description?: string;
  timezone: string;
  hours: CalendarHours[];
  /** Changes of the weekly hours, each in force from a local date (YYYY-MM-DD) on, by date. */
  hoursFrom?: Array<{ from: string; hours: CalendarHours[] }>;
  holidays?: CalendarHoliday[];
  exclusions?: CalendarExclusion[];
}

/** A span of working time in a calendar preview (calendar.Interval has no JSON tags: From, To). */
export interface CalendarInterval {
  From: string;
  To: string;
}

/** One local day of a calendar preview; mirrors plugin.PreviewDay. */
export interface CalendarPreviewDay {
  date: string;
  weekday: Weekday;
  /** Working seconds in the day. */
  working: number;
  windows: CalendarInterval[];
  holiday?: string;
  /** Exclusions overlapping the day, clipped to it. */
  excluded?: CalendarExclusion[];
}

/** A calendar's working time day by day (POST /calendars/preview); mirrors plugin.Preview. */
export interface CalendarPreview {
  timezone: string;
  days: CalendarPreviewDay[];
  /** Working seconds over all the days. */
  total: number;
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
