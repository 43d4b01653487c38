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

/** A period-close ledger entry (GET /ledger); mirrors store.LedgerEntry. */
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

export interface LedgerEntry {
  agreementId: string;
  contractId: string;
  periodStart: string;
  periodEnd: string;
  seq: number;
  kind: 'close' | 'restatement';
  computedAt: string;
  digest: string;
  snapshot: { result: ComplianceResult; versions: Record<string, number>; exclusions?: AppliedExclusion[] };
  actor: string;
}
