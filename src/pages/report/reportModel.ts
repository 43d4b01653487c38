import { t } from '@grafana/i18n';
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
    const values = { year: y, quarter: q + 1 };
    const label =
      i === 0
        ? t('pages.quarters.label-current', '{{year}} Q{{quarter}} (current)', values)
        : t('pages.quarters.label', '{{year}} Q{{quarter}}', values);
    out.push({ label, from: iso(y, q * 3), to: iso(y, q * 3 + 3) });
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
export function obligationStatus(status: ReportObligation['status']): {
  text: string;
  color: 'green' | 'orange' | 'red' | 'blue';
} {
  switch (status) {
    case 'on_track':
      return { text: t('pages.obligation-status.on-track', 'On track'), color: 'green' };
    case 'at_risk':
      return { text: t('pages.obligation-status.at-risk', 'At risk'), color: 'orange' };
    case 'missed':
      return { text: t('pages.obligation-status.missed', 'Missed'), color: 'red' };
    case 'no_data':
      return { text: t('pages.obligation-status.no-data', 'No data'), color: 'blue' };
  }
}

/** The renewal recommendation in words, with its evidence. */
export function renewalRationale(r: ContractReport['renewal']): string {
  const n = r.evidence.length;
  if (n === 0) {
    return t(
      'pages.renewal-rationale.no-history',
      'No review period has closed yet: there is no performance history to judge by.'
    );
  }
  const values = { compliant: r.compliant, count: n };
  switch (r.signal) {
    case 'renew':
      return t(
        'pages.renewal-rationale.renew',
        '{{compliant}} of the last {{count}} closed review periods were compliant: every one met its compliance target.',
        {
          ...values,
          defaultValue_one:
            '{{compliant}} of the last {{count}} closed review period were compliant: every one met its compliance target.',
        }
      );
    case 'renegotiate':
      return t(
        'pages.renewal-rationale.renegotiate',
        '{{compliant}} of the last {{count}} closed review periods were compliant: some missed their compliance target.',
        {
          ...values,
          defaultValue_one:
            '{{compliant}} of the last {{count}} closed review period were compliant: some missed their compliance target.',
        }
      );
    case 'exit':
      return t(
        'pages.renewal-rationale.exit',
        '{{compliant}} of the last {{count}} closed review periods were compliant: fewer than half met their compliance target.',
        {
          ...values,
          defaultValue_one:
            '{{compliant}} of the last {{count}} closed review period were compliant: fewer than half met their compliance target.',
        }
      );
    default:
      return t(
        'pages.renewal-rationale.other',
        '{{compliant}} of the last {{count}} closed review periods were compliant: {{- signal}}.',
        {
          ...values,
          signal: r.signal,
          defaultValue_one: '{{compliant}} of the last {{count}} closed review period were compliant: {{- signal}}.',
        }
      );
  }
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
