import type { ComplianceMode } from './registry';

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

/** A calendar exclusion applied in a closed period (mirrors ledger.AppliedExclusion). */
export interface AppliedExclusion {
  assignment: string;
  calendar: string;
  /** RFC 3339 in the calendar's zone, clipped to the period. */
  from: string;
  to: string;
  reason: string;
  note?: string;
  /** The working time inside the exclusion: what it removed from the period. */
  workingSeconds: number;
}

/** One covered tracker's part of a result's inputs (mirrors ledger.TrackerInput; only what the app reads). */
export interface TrackerInput {
  assignment: string;
  key: string;
  mode: ComplianceMode;
  weight: number;
  def?: { name?: string; interval?: string; kpi?: { unit?: string } };
  /** Timeslice: [bucket start in unix seconds, actual or null]. */
  buckets?: Array<[number, number | null]>;
  /**
   * Occurrence: [opening time in unix nanoseconds, value or null, open]. The time is read as a double:
   * below the microsecond it is not exact (see requestTime).
   */
  requests?: Array<[number, number | null, boolean]>;
}

/** What a result was computed from (mirrors ledger.Inputs; only what the app reads). */
export interface LedgerInputs {
  trackers: TrackerInput[];
  /** Exclusions agreed by the period's restated resolutions. */
  agreed?: ActItem[];
}

/** The snapshot of a close or a restatement: the result as frozen. */
export interface ResultSnapshot {
  result: ComplianceResult;
  versions: Record<string, number>;
  inputs?: LedgerInputs;
  exclusions?: AppliedExclusion[];
}

/** The reasons an agreed exclusion may give (a dispute's items may give any). */
export const AGREED_REASONS = ['maintenance', 'force_majeure', 'customer_caused'] as const;

/**
 * What a dispute challenges or a resolution excludes (mirrors ledger.Item): a covered tracker as a
 * whole, one of its buckets (start, RFC 3339) or one of its requests (opening time, RFC 3339).
 */
export interface ActItem {
  assignmentId: string;
  bucket?: string;
  request?: string;
  reason: string;
  note?: string;
  /** Cite the KPI rows behind the bucket: the dispute then records their evidence. */
  cite?: boolean;
  /** The cited rows, as Covenant fetched them when the dispute was made (mirrors ledger.RowsEvidence). */
  evidence?: { rows: number; digest: string; actual: number | null; atClose: number | null; changed: boolean };
}

/** A file attached to an act, stored by the SHA-256 of its content (mirrors ledger.Attachment). */
export interface ActAttachment {
  sha256: string;
  name: string;
  type: string;
  size: number;
}

/** A result's headline figures, before and after a restatement (mirrors ledger.Figures). */
export interface ActFigures {
  compliance: number | null;
  status: ComplianceStatus;
  penaltyReward: number | null;
  impactCost: number;
  missed: number;
}

/** Who acted on a period, as Grafana named them. */
export interface ActUser {
  login: string;
  name?: string;
}

/** The snapshot of a sign-off, a dispute or a resolution (mirrors ledger.Act). */
export interface ActSnapshot {
  by: ActUser;
  comment?: string;
  /** The seq of the close or restatement acted on. */
  result: number;
  /** A dispute's challenged items. */
  items?: ActItem[];
  /** The seq of the dispute a resolution resolves. */
  dispute?: number;
  outcome?: 'upheld' | 'restated';
  /** A restated resolution's agreed exclusions. */
  exclusions?: ActItem[];
  before?: ActFigures;
  after?: ActFigures;
  /** The act's evidence files. */
  attachments?: ActAttachment[];
}

interface LedgerEntryBase {
  agreementId: string;
  contractId: string;
  periodStart: string;
  periodEnd: string;
  seq: number;
  computedAt: string;
  digest: string;
  actor: string;
  position?: number;
  hash?: string;
}

/** A close or a restatement: a result of the period. */
export interface LedgerResultEntry extends LedgerEntryBase {
  kind: 'close' | 'restatement';
  snapshot: ResultSnapshot;
}

/** A sign-off, a dispute or a resolution: an act on the period's result. */
export interface LedgerActEntry extends LedgerEntryBase {
  kind: 'signoff' | 'dispute' | 'resolution';
  snapshot: ActSnapshot;
}

/** A period-close ledger entry (GET /ledger); mirrors store.LedgerEntry. */
export type LedgerEntry = LedgerResultEntry | LedgerActEntry;

export const isResultEntry = (e: LedgerEntry): e is LedgerResultEntry => e.kind === 'close' || e.kind === 'restatement';

/** A closed period's lifecycle state; mirrors pkg/ledger (an unreadable period says why instead). */
export type PeriodState = 'closed' | 'signed_off' | 'disputed' | 'resolved';

/** One period's lifecycle (GET /ledger's periods); mirrors ledger.PeriodState. */
export interface LedgerPeriod {
  agreementId: string;
  contractId: string;
  periodStart: string;
  periodEnd: string;
  /** A PeriodState, or "unreadable: …" when the period's entries cannot be read. */
  state: PeriodState | string;
  /** The seq of the latest close or restatement. */
  result: number;
  /** The seq of the open dispute, if any. */
  dispute?: number;
  agreed?: ActItem[];
}

/** A contract's ledger: its entries (by agreement, period and seq) and each period's lifecycle. */
export interface Ledger {
  entries: LedgerEntry[];
  periods: LedgerPeriod[];
}

/** The acts on a closed period (POST /ledger/{agreementId}/{period}/{act}). */
export type PeriodAct = 'signoff' | 'dispute' | 'resolve';

/** What an act sends. */
export interface ActBody {
  comment?: string;
  items?: ActItem[];
  dispute?: number;
  outcome?: 'upheld' | 'restated';
  exclusions?: ActItem[];
  /** Files uploaded first (uploadAttachment), by hash. */
  attachments?: Array<{ sha256: string }>;
}
