import { dateTimeFormat } from '@grafana/data';

/** The figures the app's pages show, formatted one way everywhere. */

/** An amount in a currency with no decimals, e.g. "€1,800,000"; an unknown currency code follows the number. */
export function currency(value: number, code: string): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: code, maximumFractionDigits: 0 }).format(value);
  } catch {
    return `${Math.round(value).toLocaleString('en')} ${code}`;
  }
}

/** A percentage with one decimal, or a dash. */
export const pct = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${v.toFixed(1)} %`);

/** An amount in the contract's currency, e.g. "-€1,000"; a dash when there is none. */
export function money(v: number | null | undefined, code = 'EUR'): string {
  return v === null || v === undefined ? '–' : currency(v, code);
}

/**
 * "2026-03-01 – 2026-03-31": a period's first and last days in its time zone (the end is exclusive,
 * so the day before it is the last).
 */
export function periodRange(p: { start: string; end: string }, timeZone = 'UTC'): string {
  const day = (ms: number) => dateTimeFormat(ms, { timeZone, format: 'YYYY-MM-DD' });
  return `${day(Date.parse(p.start))} – ${day(Date.parse(p.end) - 1)}`;
}
