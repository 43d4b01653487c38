import type { ComplianceResult, PeriodState } from './compliance';
import type { Contract } from './registry';

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
      /** The closed period's state on the ledger (none while the period is open). */
      state?: PeriodState;
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
    /** Closed periods under an open dispute, oldest first. */
    openDisputes: Array<{
      agreement: string;
      periodStart: string;
      periodEnd: string;
      since: string;
      by: { login: string; name?: string };
      comment?: string;
      items: number;
    }>;
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
