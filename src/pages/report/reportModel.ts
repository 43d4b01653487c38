import type { ContractReport, ReportObligation } from '../../shared/types';
import { userLocale } from '../../shared/format';

/** A calendar quarter [from, to) as UTC dates, and its label. */
export interface Quarter {
  label: string;
  from: string;
  to: string;
}

const iso = (y: number, m: number) => new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);

/** The quarter holding a time, then the n − 1 before it, newest first. */
export function quarters(now: number, n: number): Quarter[] {
  const d = new Date(now);
  let y = d.getUTCFullYear();
  let q = Math.floor(d.getUTCMonth() / 3);
  const out: Quarter[] = [];
  for (let i = 0; i < n; i++) {
    out.push({ label: `${y} Q${q + 1}${i === 0 ? ' (current)' : ''}`, from: iso(y, q * 3), to: iso(y, q * 3 + 3) });
    q--;
    if (q < 0) {
      q = 3;
      y--;
    }
  }
  return out;
}

/** "1 Jan – 31 Mar 2026" (en-GB; "Jan 1 – Mar 31, 2026" en-US): a period [from, to) as its first and last days, in the user's format. */
export function periodLabel(from: string, to: string, locale = userLocale()): string {
  const f = new Date(from);
  const l = new Date(Date.parse(to) - 86400000);
  const day = (x: Date, year: boolean) =>
    x.toLocaleDateString(locale, {
      day: 'numeric',
      month: 'short',
      ...(year ? { year: 'numeric' } : {}),
      timeZone: 'UTC',
    });
  return `${day(f, f.getUTCFullYear() !== l.getUTCFullYear())} – ${day(l, true)}`;
}

/** An obligation's status as the report words it (On Track, At Risk, Missed). */
export const OBLIGATION_STATUS: Record<
  ReportObligation['status'],
  { text: string; color: 'green' | 'orange' | 'red' | 'blue' }
> = {
  on_track: { text: 'On track', color: 'green' },
  at_risk: { text: 'At risk', color: 'orange' },
  missed: { text: 'Missed', color: 'red' },
  no_data: { text: 'No data', color: 'blue' },
};

/** The renewal recommendation in words, with its evidence. */
export function renewalRationale(r: ContractReport['renewal']): string {
  const n = r.evidence.length;
  if (n === 0) {
    return 'No review period has closed yet: there is no performance history to judge by.';
  }
  const verdict: Record<string, string> = {
    renew: 'every one met its compliance target',
    renegotiate: 'some missed their compliance target',
    exit: 'fewer than half met their compliance target',
  };
  return `${r.compliant} of the last ${n} closed review period${n > 1 ? 's' : ''} were compliant: ${verdict[r.signal] ?? r.signal}.`;
}

/** The net financial effect of the period: credits and penalties (negative) less the impact costs. */
export function netFinancial(f: ContractReport['financial']): number {
  return f.credits + f.penalties - f.impactCost;
}

/** Counts of obligations by status, for the section's summary line. */
export function obligationCounts(obligations: ReportObligation[]): Record<ReportObligation['status'], number> {
  const out = { on_track: 0, at_risk: 0, missed: 0, no_data: 0 };
  for (const o of obligations) {
    out[o.status]++;
  }
  return out;
}
