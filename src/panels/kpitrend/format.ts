import { formattedValueToString, getValueFormat } from '@grafana/data';
import { isNum } from './transforms';

/** A value in the series' unit and decimals, e.g. "99.95%"; a dash when there is none. */
export function formatValue(v: unknown, unit?: string, decimals?: number): string {
  return isNum(v) ? formattedValueToString(getValueFormat(unit ?? 'none')(v, decimals)) : '–';
}

/** A variance with its sign, e.g. "+0.05%". */
export function signedValue(v: unknown, unit?: string, decimals?: number): string {
  return isNum(v) ? `${v > 0 ? '+' : ''}${formatValue(v, unit, decimals)}` : '–';
}

/** A percentage with its sign, e.g. "+0.05%". */
export function signedPct(v: unknown): string {
  return isNum(v) ? `${v > 0 ? '+' : ''}${v.toFixed(Math.abs(v) < 10 ? 2 : 1)}%` : '–';
}
