import { dateTimeFormat } from '@grafana/data';
import { config } from '@grafana/runtime';

/** The figures the app's pages show, formatted one way everywhere, in the user's regional format. */

/**
 * The user's regional format: Grafana's (its regional format preference where it has one, else the
 * locale it read from the browser), else the browser's.
 */
export function userLocale(): string | undefined {
  const user = config.bootData?.user as { regionalFormat?: string; locale?: string } | undefined;
  const fromGrafana = user?.regionalFormat || user?.locale;
  return fromGrafana || (typeof navigator === 'undefined' ? undefined : navigator.language) || undefined;
}

/** A whole number with the user's digit grouping, e.g. "150,000" (or "150.000", "150 000"). */
export const count = (n: number, locale = userLocale()) => Math.round(n).toLocaleString(locale);

/**
 * An amount in a currency with no decimals, in the user's format ("€1,800,000", "1.800.000 €"); an
 * unknown currency code follows the number.
 */
export function currency(value: number, code: string, locale = userLocale()): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: code, maximumFractionDigits: 0 }).format(value);
  } catch {
    return `${count(value, locale)} ${code}`;
  }
}

/**
 * A number with exactly `digits` decimals in the user's format ("98.5", "98,5"), rounded as toFixed
 * rounds (half away from zero, on the value held); `sign` puts a "+" before a positive number.
 */
export function fixed(v: number, digits: number, opts: { sign?: boolean; locale?: string } = {}): string {
  return new Intl.NumberFormat(opts.locale ?? userLocale(), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    // 'negative' (ES2023, not in TypeScript's lib yet): no sign on a value that rounds to zero.
    signDisplay: (opts.sign ? 'exceptZero' : 'negative') as Intl.NumberFormatOptions['signDisplay'],
  }).format(v);
}

/** A percentage with one decimal in the user's format ("98.5 %", "98,5 %"), or a dash. */
export const pct = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${fixed(v, 1)} %`);

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
