import { dateTimeFormat } from '@grafana/data';
import {
  isResultEntry,
  type ActItem,
  type LedgerActEntry,
  type LedgerEntry,
  type LedgerPeriod,
  type LedgerResultEntry,
  type TrackerInput,
} from '../../shared/types';

// A closed period's ledger as the Agreements tab reads it: its entries in order, its lifecycle state,
// and the items a dispute or a resolution names (docs/disputes.md).

/** One closed period of an agreement: its entries in sequence order and its lifecycle (GET /ledger's periods). */
export interface PeriodLedger {
  start: string;
  end: string;
  entries: LedgerEntry[];
  /** The period's lifecycle; undefined when the backend stated none (an older backend). */
  lifecycle?: LedgerPeriod;
  /** The latest close or restatement: the result acts are on. */
  result?: LedgerResultEntry;
  /** The open dispute (when the period is disputed). */
  dispute?: LedgerActEntry;
}

/** An agreement's entries grouped by period, the newest period first, each with its lifecycle. */
export function groupPeriods(entries: LedgerEntry[], periods: LedgerPeriod[]): PeriodLedger[] {
  const byStart = new Map<number, PeriodLedger>();
  for (const e of entries) {
    const key = Date.parse(e.periodStart);
    let p = byStart.get(key);
    if (!p) {
      p = { start: e.periodStart, end: e.periodEnd, entries: [] };
      byStart.set(key, p);
    }
    p.entries.push(e);
  }
  const out = [...byStart.entries()].sort((a, b) => b[0] - a[0]).map(([, p]) => p);
  for (const p of out) {
    p.entries.sort((a, b) => a.seq - b.seq);
    const agreement = p.entries[0].agreementId;
    p.lifecycle = periods.find((x) => x.agreementId === agreement && Date.parse(x.periodStart) === Date.parse(p.start));
    const results = p.entries.filter(isResultEntry);
    const latest = p.lifecycle?.result;
    p.result = results.find((e) => e.seq === latest) ?? results[results.length - 1];
    if (p.lifecycle?.dispute) {
      p.dispute = p.entries.find((e): e is LedgerActEntry => e.kind === 'dispute' && e.seq === p.lifecycle?.dispute);
    }
  }
  return out;
}

/** How many restatements came before a result entry in its period (0 for the close). */
export function restatementNumber(p: PeriodLedger, e: LedgerResultEntry): number {
  return p.entries.filter((x) => x.kind === 'restatement' && x.seq <= e.seq).length;
}

/** A period's first day, YYYY-MM-DD in the agreement's time zone: how the API names the period. */
export function periodDay(start: string, timeZone = 'UTC'): string {
  return dateTimeFormat(Date.parse(start), { timeZone, format: 'YYYY-MM-DD' });
}

/** A time in a zone, "2026-03-02 10:15". */
export function localTime(ms: number, timeZone = 'UTC'): string {
  return dateTimeFormat(ms, { timeZone, format: 'YYYY-MM-DD HH:mm' });
}

/** A bucket start (unix seconds) as the API takes it: RFC 3339 in UTC, whole seconds. */
export function bucketTime(start: number): string {
  return new Date(start * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * A request's opening time (unix nanoseconds, read as a double) as the API takes it: RFC 3339 in UTC.
 * A double holds today's nanosecond times to about 128 ns, so the time is rounded to the microsecond:
 * exact for times stored to the microsecond or coarser (as SQL databases store them), not below.
 */
export function requestTime(nanos: number): string {
  const micros = Math.round(nanos / 1000);
  const seconds = Math.floor(micros / 1e6);
  const frac = micros - seconds * 1e6;
  const whole = new Date(seconds * 1000).toISOString().slice(0, 19);
  return frac === 0 ? `${whole}Z` : `${whole}.${String(frac).padStart(6, '0').replace(/0+$/, '')}Z`;
}

/** An item's bucket or request as milliseconds, for showing it (undefined: the whole tracker). */
export function itemTime(item: ActItem): number | undefined {
  const at = item.bucket ?? item.request;
  return at ? Date.parse(at) : undefined;
}

/** "2026-02-03" for a bucket starting at midnight in the zone, else "2026-02-03 14:00". */
export function bucketLabel(ms: number, timeZone = 'UTC'): string {
  const t = localTime(ms, timeZone);
  return t.endsWith(' 00:00') ? t.slice(0, 10) : t;
}

/** The tracker an item names, among a result's inputs. */
export function inputOf(trackers: TrackerInput[] | undefined, assignmentId: string): TrackerInput | undefined {
  return trackers?.find((t) => t.assignment === assignmentId);
}

/** Whether an item can be an agreed exclusion: it names a bucket or a request, not a whole tracker. */
export const excludable = (item: ActItem) => Boolean(item.bucket || item.request);
