import { t } from '@grafana/i18n';
import { FieldType, getFieldDisplayName, type DataFrame, type Field } from '@grafana/data';
import type { Direction, KpiTrendOptions } from './types';
import { cmpDecimal, withinDecimal } from './decimal';
import { unescaped } from '../../shared/i18n';

/** RAG codes, as the backend encodes them (docs/figures.md). */
export const GREEN = 0;
export const AMBER = 1;
export const RED = 2;

/** A column of figures: a number, or null (also undefined or NaN) where there is none. */
export type Column = ArrayLike<number | null | undefined>;

/** Whether a figure is there. */
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A column's figure at i, or null. */
export const at = (col: Column, i: number): number | null => {
  const v = col[i];
  return isNum(v) ? v : null;
};

/**
 * One tracker's series, in time order, ready to draw: columns of equal length. Columns are the
 * frame's own arrays when its times are in order (no copy, which matters at 100k points).
 */
export interface TrackerSeries {
  /** A stable key: the tracker id label, else the frame's name and index. */
  key: string;
  name: string;
  labels: Record<string, string>;
  /** Bucket starts, epoch ms. */
  times: ArrayLike<number>;
  actual: Column;
  target: Column;
  variance: Column;
  variancePct: Column;
  /**
   * RAG per bucket: the closed buckets' judgement (field `rag`), and for the open bucket its
   * provisional one (field `rag_provisional`), drawn and labelled as provisional.
   */
  rag: Column;
  misses: Column;
  unit?: string;
  /** The field's decimals, else enough to tell actual from target (autoDecimals). */
  decimals: number;
  direction: Direction;
  /** Start of the open (provisional) bucket, when the series holds one. */
  openBucket?: number;
  trend?: { direction?: string; slope?: number; projectedCrossing?: string };
  /** The tracker's bucket interval (1h … 1Y) and IANA time zone, when the frame says. */
  interval?: string;
  timezone?: string;
  /** The frame had no target: the options' fixed target is drawn, RAG computed here. */
  computed: boolean;
  /** The data links of its actual field (e.g. to its contract), with the labels filled in. */
  links: SeriesLink[];
  /** Each bucket's business time in seconds, for a tracker on a service calendar (field `working`). */
  working?: Column;
  /** What the chart shades for a tracker on a service calendar (meta.custom.calendar). */
  shading?: Shading;
}

/** Why an exclusion does not count: one of the calendar's reasons. */
export type ExclusionReason = 'maintenance' | 'force_majeure' | 'customer_caused' | string;

/** An exclusion of a tracker's calendar met by its buckets: [from, to) epoch ms, with why. */
export interface ExclusionSpan {
  from: number;
  to: number;
  reason: ExclusionReason;
  note?: string;
}

/**
 * What a chart shades for a tracker on a service calendar (docs/api.md, "Frames of a tracker on a
 * calendar"): the time that is not working time, and the calendar's exclusions.
 */
export interface Shading {
  calendarId?: string;
  calendarName?: string;
  /** The end of the last bucket, epoch ms. */
  end?: number;
  /**
   * Time outside working hours as [from, to) epoch ms pairs, sorted: the calendar's, or — when
   * the backend had too many to send (`complete` false) — the buckets without working time.
   */
  off: Array<[number, number]>;
  /** Whether `off` is the calendar's own non-working time (else it is only the idle buckets). */
  complete: boolean;
  exclusions: ExclusionSpan[];
}

/** A [from, to) pair of numbers, or undefined. */
function pair(v: unknown): [number, number] | undefined {
  if (Array.isArray(v) && isNum(v[0]) && isNum(v[1]) && v[1] > v[0]) {
    return [v[0], v[1]];
  }
  return undefined;
}

/**
 * The buckets without working time as [from, to) runs: a bucket runs to the next one's start (the
 * last to `end`); neighbouring idle buckets make one run.
 */
export function idleRuns(times: ArrayLike<number>, working: Column, end: number | undefined): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (let i = 0; i < times.length; i++) {
    const w = working[i];
    if (!isNum(w) || w > 0) {
      continue;
    }
    const to = i + 1 < times.length ? times[i + 1] : end;
    if (to === undefined || !(to > times[i])) {
      continue;
    }
    const last = runs[runs.length - 1];
    if (last && last[1] === times[i]) {
      last[1] = to;
    } else {
      runs.push([times[i], to]);
    }
  }
  return runs;
}

/**
 * A frame's shading from its meta.custom.calendar and its `working` column; undefined for a
 * tracker without a calendar. Without the calendar's own intervals (over the backend's limit),
 * the idle buckets are shaded instead.
 */
export function shadingOf(
  calendar: unknown,
  times: ArrayLike<number>,
  working: Column | undefined
): Shading | undefined {
  if (!calendar || typeof calendar !== 'object') {
    return undefined;
  }
  const c = calendar as Record<string, unknown>;
  const end = isNum(c.to) ? c.to : undefined;
  const given = Array.isArray(c.offHours) ? c.offHours.map(pair).filter((p): p is [number, number] => p !== undefined) : undefined;
  const complete = c.offHoursComplete !== false && given !== undefined;
  const off = complete ? given : working ? idleRuns(times, working, end) : [];
  const exclusions: ExclusionSpan[] = [];
  for (const e of Array.isArray(c.exclusions) ? (c.exclusions as Array<Record<string, unknown>>) : []) {
    if (e && isNum(e.from) && isNum(e.to) && e.to > e.from) {
      exclusions.push({
        from: e.from,
        to: e.to,
        reason: String(e.reason ?? ''),
        note: typeof e.note === 'string' && e.note ? e.note : undefined,
      });
    }
  }
  return {
    calendarId: typeof c.id === 'string' ? c.id : undefined,
    calendarName: typeof c.name === 'string' && c.name ? c.name : undefined,
    end,
    off,
    complete,
    exclusions,
  };
}

/** The reasons an exclusion may give, in the order a legend names them. */
const REASON_ORDER = ['maintenance', 'force_majeure', 'customer_caused'];

/** What a chart's shading stands for within [from, to), for its caption. */
export interface ShadingLegend {
  /** Some time outside working hours is shaded: on these calendars (by name, else id). */
  calendars: string[];
  offHours: boolean;
  /** Exclusions are hatched, giving these reasons (each once, in the calendar's order). */
  reasons: ExclusionReason[];
}

/** What the series' shading shows within [from, to); undefined when nothing is shaded there. */
export function shadingLegend(series: TrackerSeries[], from: number, to: number): ShadingLegend | undefined {
  const calendars = new Set<string>();
  const reasons = new Set<string>();
  let offHours = false;
  for (const s of series) {
    const sh = s.shading;
    if (!sh) {
      continue;
    }
    const off = sh.off.some(([a, b]) => a < to && b > from);
    const met = sh.exclusions.filter((e) => e.from < to && e.to > from);
    met.forEach((e) => reasons.add(e.reason));
    offHours ||= off;
    if (off || met.length > 0) {
      calendars.add(sh.calendarName ?? sh.calendarId ?? '');
    }
  }
  if (!offHours && reasons.size === 0) {
    return undefined;
  }
  const rank = (r: string) => (REASON_ORDER.includes(r) ? REASON_ORDER.indexOf(r) : REASON_ORDER.length);
  return {
    calendars: Array.from(calendars).filter(Boolean),
    offHours,
    reasons: Array.from(reasons).sort((a, b) => rank(a) - rank(b)),
  };
}

/** Whether t falls in one of the sorted, disjoint [from, to) pairs. */
export function inSpans(pairs: Array<[number, number]>, t: number): boolean {
  let lo = 0;
  let hi = pairs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (pairs[mid][1] <= t) {
      lo = mid + 1;
    } else if (pairs[mid][0] > t) {
      hi = mid - 1;
    } else {
      return true;
    }
  }
  return false;
}

/** A data link of a series, ready to follow. */
export interface SeriesLink {
  title: string;
  url: string;
}

/**
 * A field's data links with ${__field.labels.x} (and ${__field.name}) filled in from the series,
 * as Grafana fills them: what a tooltip can offer whether the chart is in a panel or on a page.
 */
export function seriesLinks(field: Field, labels: Record<string, string>): SeriesLink[] {
  const fill = (text: string, encode: (v: string) => string) =>
    text
      .replace(/\$\{__field\.labels\.([\w-]+)\}/g, (_, name: string) => encode(labels[name] ?? ''))
      .replace(/\$\{__field\.name\}/g, encode(field.name));
  const same = (v: string) => v;
  return (field.config.links ?? []).map((l) => ({ title: fill(l.title, same), url: fill(l.url, encodeURIComponent) }));
}

/** What the panel can draw, or why it cannot. */
export type Prepared = { series: TrackerSeries[] } | { message: string };

const num = (v: unknown): number | null => (isNum(v) ? v : null);

/** Whether a time field's values are all there and in order. */
function inOrder(values: ArrayLike<unknown>): boolean {
  let prev = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const t = values[i];
    if (!isNum(t) || t < prev) {
      return false;
    }
    prev = t;
  }
  return true;
}

/** A field's values as a column: as they are when the frame is in order, else picked in `order`. */
function column(f: Field | undefined, order: number[] | undefined, n: number): Column {
  if (!f) {
    return new Array<null>(n).fill(null);
  }
  return order ? order.map((i) => num(f.values[i])) : (f.values as Column);
}

/**
 * RAG as the panel draws it: the closed buckets' `rag`, with the open bucket's `rag_provisional`
 * where `rag` is null (the backend judges an open bucket only provisionally, so that alert rules
 * reading `rag` see the last closed bucket). Without provisional figures, `rag` as it is.
 */
export function withProvisional(rag: Column, provisional: Column | undefined): Column {
  if (!provisional) {
    return rag;
  }
  return Array.from({ length: rag.length }, (_, i) => at(rag, i) ?? at(provisional, i));
}

/** Digits after the decimal point of a number as written, e.g. 2 for 99.95. */
function decimalsOf(v: number): number {
  const text = String(v);
  const dot = text.indexOf('.');
  return dot < 0 || text.includes('e') ? 0 : text.length - dot - 1;
}

/**
 * Decimals that tell actual from target: one more than the target is written with (99.9 → 2, so
 * 99.95% does not show as 100.0%), at most 4; the field's own decimals when it has them.
 */
export function autoDecimals(target: Column, fieldDecimals?: number | null): number {
  if (fieldDecimals !== undefined && fieldDecimals !== null) {
    return fieldDecimals;
  }
  for (let i = 0; i < target.length; i++) {
    const t = target[i];
    if (isNum(t)) {
      return Math.min(4, decimalsOf(t) + 1);
    }
  }
  return 2;
}

/**
 * RAG of one value against a target (docs/figures.md): green when met, amber when the miss is within the
 * tolerance, red beyond it.
 */
export function ragOf(actual: number, target: number, direction: Direction, tolerance: number): number {
  // Decided on decimals as people read them, as the backend decides (docs/figures.md).
  const fav = direction === 'lower_is_better' ? cmpDecimal(target, actual) : cmpDecimal(actual, target);
  return fav >= 0 ? GREEN : withinDecimal(actual, target, tolerance) ? AMBER : RED;
}

/**
 * The trackers in a query's frames. A Covenant trackerSeries frame (fields actual and target) is
 * taken as it is; any other time series (a time field and a number field) is drawn against the
 * options' fixed target, with variance and RAG computed here; without one, the panel says so.
 */
export function prepare(
  frames: DataFrame[],
  options: Pick<KpiTrendOptions, 'fixedTarget' | 'direction' | 'tolerance'>
): Prepared {
  const series: TrackerSeries[] = [];
  let plainWithoutTarget = false;
  frames.forEach((frame, fi) => {
    const time = frame.fields.find((f) => f.type === FieldType.time);
    if (!time) {
      return;
    }
    const byName = (n: string) => frame.fields.find((f) => f.name === n && f.type === FieldType.number);
    let actualField = byName('actual');
    let targetField = byName('target');
    const covenant = Boolean(actualField && targetField);
    if (!covenant) {
      actualField = frame.fields.find((f) => f.type === FieldType.number);
      targetField = undefined;
      if (!actualField) {
        return;
      }
      if (options.fixedTarget === undefined || !Number.isFinite(options.fixedTarget)) {
        plainWithoutTarget = true;
        return;
      }
    }
    // Backend frames come in time order: their arrays are used as they are. Others are sorted.
    let order: number[] | undefined;
    if (!inOrder(time.values)) {
      order = Array.from({ length: frame.length }, (_, i) => i).filter((i) => isNum(time.values[i]));
      order.sort((a, b) => (time.values[a] as number) - (time.values[b] as number));
    }
    const n = order ? order.length : frame.length;
    const custom = (frame.meta?.custom ?? {}) as Record<string, unknown>;
    const direction = (custom.direction as Direction) ?? options.direction;
    const actual = column(actualField, order, n);
    let target: Column;
    let variance: Column;
    let variancePct: Column;
    let rag: Column;
    if (covenant) {
      target = column(targetField, order, n);
      variance = column(byName('variance'), order, n);
      variancePct = column(byName('variance_pct'), order, n);
      const provisional = byName('rag_provisional');
      rag = withProvisional(column(byName('rag'), order, n), provisional && column(provisional, order, n));
    } else {
      const fixed = options.fixedTarget as number;
      const a = Array.from(actual, num);
      target = a.map(() => fixed);
      variance = a.map((v) => (v === null ? null : v - fixed));
      variancePct = a.map((v) => (v === null || fixed === 0 ? null : ((v - fixed) / Math.abs(fixed)) * 100));
      rag = a.map((v) => (v === null ? null : ragOf(v, fixed, direction, options.tolerance)));
    }
    const labels = { ...(actualField!.labels ?? {}) };
    const open = typeof custom.openBucket === 'string' ? Date.parse(custom.openBucket) : num(custom.openBucket);
    const times = order ? order.map((i) => time.values[i] as number) : (time.values as ArrayLike<number>);
    const workingField = covenant ? byName('working') : undefined;
    const working = workingField && column(workingField, order, n);
    series.push({
      key: labels.trackerId ?? `${frame.name ?? 'series'}-${fi}`,
      name:
        labels.tracker ??
        (covenant ? frame.name : getFieldDisplayName(actualField!, frame, frames)) ??
        t('panels.prepare.series-name', 'Series {{n}}', { n: fi + 1 }),
      labels,
      times,
      actual,
      target,
      variance,
      variancePct,
      rag,
      misses: column(byName('consecutive_misses'), order, n),
      unit: actualField!.config.unit,
      decimals: autoDecimals(target, actualField!.config.decimals),
      direction,
      openBucket: open ?? undefined,
      trend: custom.trend as TrackerSeries['trend'],
      interval: typeof custom.interval === 'string' ? custom.interval : undefined,
      timezone: typeof custom.timezone === 'string' && custom.timezone ? custom.timezone : undefined,
      computed: !covenant,
      links: seriesLinks(actualField!, labels),
      working,
      shading: covenant ? shadingOf(custom.calendar, times, working) : undefined,
    });
  });
  if (series.length > 0) {
    return { series };
  }
  if (plainWithoutTarget) {
    return {
      message: t(
        'panels.prepare.message-no-target',
        'These series have no target. Set “{{option}}” (and the direction) in the panel options, or query Covenant trackers (query type trackerSeries), which carry their targets.',
        { option: t('panels.plugin.name.fixed-target', 'Fixed target'), ...unescaped }
      ),
    };
  }
  return {
    message: t(
      'panels.prepare.message-nothing-to-draw',
      'Nothing to draw: the query must return a time field and a number field, such as a Covenant trackerSeries query.'
    ),
  };
}

/** The latest bucket with a RAG (an evaluated bucket), else the latest with an actual. */
export function currentIndex(s: TrackerSeries): number {
  let withActual = -1;
  for (let i = s.times.length - 1; i >= 0; i--) {
    if (isNum(s.rag[i])) {
      return i;
    }
    if (withActual < 0 && isNum(s.actual[i])) {
      withActual = i;
    }
  }
  return withActual;
}

/** Whether a trend is getting better: the backend's word, else the sign of the slope against the direction. */
export function improving(s: TrackerSeries): boolean | undefined {
  const d = s.trend?.direction;
  if (d === 'improving') {
    return true;
  }
  if (d === 'deteriorating') {
    return false;
  }
  if (typeof s.trend?.slope !== 'number' || s.trend.slope === 0) {
    return undefined;
  }
  return s.trend.slope > 0 === (s.direction === 'higher_is_better');
}

/** The time and value range covering every series' actual and target; a flat range is widened. */
export function valueRange(series: TrackerSeries[]): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (const col of [s.actual, s.target]) {
      for (let i = 0; i < col.length; i++) {
        const v = col[i];
        if (isNum(v)) {
          lo = v < lo ? v : lo;
          hi = v > hi ? v : hi;
        }
      }
    }
  }
  if (!Number.isFinite(lo)) {
    return undefined;
  }
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.05 || 1;
    return [lo - pad, hi + pad];
  }
  const pad = (hi - lo) * 0.08;
  return [lo - pad, hi + pad];
}

/** A dashboard annotation as the chart draws it: a line at its time (a band to timeEnd), named in the tooltip. */
export interface ChartAnnotation {
  time: number;
  timeEnd?: number;
  title: string;
  color?: string;
}

/**
 * The annotations a panel is given (data.annotations: frames with time, timeEnd, title or text,
 * color), in time order. The title is the annotation's title, else the first line of its text.
 */
export function annotationsOf(frames: DataFrame[] | undefined): ChartAnnotation[] {
  const out: ChartAnnotation[] = [];
  for (const frame of frames ?? []) {
    const col = (name: string) => frame.fields.find((f) => f.name === name)?.values;
    const time = col('time');
    if (!time) {
      continue;
    }
    const [end, title, text, color] = [col('timeEnd'), col('title'), col('text'), col('color')];
    for (let i = 0; i < frame.length; i++) {
      const start = Number(time[i]);
      if (!Number.isFinite(start)) {
        continue;
      }
      const e = Number(end?.[i]);
      const name = String(
        title?.[i] || String(text?.[i] ?? '').split('\n')[0] || t('panels.annotations-of.annotation', 'Annotation')
      );
      out.push({
        time: start,
        timeEnd: Number.isFinite(e) && e > start ? e : undefined,
        title: name,
        color: typeof color?.[i] === 'string' ? (color[i] as string) : undefined,
      });
    }
  }
  return out.sort((a, b) => a.time - b.time);
}
