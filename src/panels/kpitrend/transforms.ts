import { FieldType, getFieldDisplayName, type DataFrame } from '@grafana/data';

/** One line to draw: a name and its points in time order; null values leave gaps. */
export interface Series {
  /** The field's name in its frame, e.g. actual. */
  field: string;
  name: string;
  times: number[];
  values: Array<number | null>;
  unit?: string;
  decimals?: number;
}

/** The fields a Covenant trackerSeries frame is drawn with; its other figures are for tables and alerts. */
const TRACKER_LINES = ['actual', 'target'];

/**
 * Every numeric field of every frame that has a time field becomes one series; of a Covenant
 * tracker frame (fields actual and target), only actual and target.
 */
export function framesToSeries(frames: DataFrame[]): Series[] {
  const out: Series[] = [];
  for (const frame of frames) {
    const timeField = frame.fields.find((f) => f.type === FieldType.time);
    if (!timeField) {
      continue;
    }
    const tracker = frame.fields.some((f) => f.name === 'actual') && frame.fields.some((f) => f.name === 'target');
    const times = Array.from(timeField.values as ArrayLike<number | null>, (t) => (t == null ? NaN : Number(t)));
    for (const field of frame.fields) {
      if (field.type !== FieldType.number || (tracker && !TRACKER_LINES.includes(field.name))) {
        continue;
      }
      const values = Array.from(field.values as ArrayLike<number | null | undefined>, (v) =>
        v == null || !Number.isFinite(v) ? null : v
      );
      const order = times.map((_, i) => i).filter((i) => Number.isFinite(times[i]));
      order.sort((a, b) => times[a] - times[b]);
      out.push({
        field: field.name,
        name: getFieldDisplayName(field, frame, frames),
        times: order.map((i) => times[i]),
        values: order.map((i) => values[i]),
        unit: field.config.unit,
        decimals: field.config.decimals ?? undefined,
      });
    }
  }
  return out;
}

export interface Extent {
  tMin: number;
  tMax: number;
  vMin: number;
  vMax: number;
}

/** The time and value range covering all series; a flat range is widened so lines stay visible. */
export function extentOf(series: Series[], timeRange?: { from: number; to: number }): Extent | undefined {
  let tMin = Infinity;
  let tMax = -Infinity;
  let vMin = Infinity;
  let vMax = -Infinity;
  for (const s of series) {
    s.times.forEach((t, i) => {
      const v = s.values[i];
      if (v == null) {
        return;
      }
      tMin = Math.min(tMin, t);
      tMax = Math.max(tMax, t);
      vMin = Math.min(vMin, v);
      vMax = Math.max(vMax, v);
    });
  }
  if (!Number.isFinite(vMin)) {
    return undefined;
  }
  if (timeRange) {
    tMin = Math.min(tMin, timeRange.from);
    tMax = Math.max(tMax, timeRange.to);
  }
  if (tMin === tMax) {
    tMin -= 1;
    tMax += 1;
  }
  if (vMin === vMax) {
    const pad = Math.abs(vMin) * 0.1 || 1;
    vMin -= pad;
    vMax += pad;
  }
  return { tMin, tMax, vMin, vMax };
}

/**
 * SVG path data for a series in a width × height box: one "M…L…" run per stretch
 * of consecutive non-null values, so missing data shows as a gap.
 */
export function toPath(s: Series, e: Extent, width: number, height: number): string {
  const x = (t: number) => ((t - e.tMin) / (e.tMax - e.tMin)) * width;
  const y = (v: number) => height - ((v - e.vMin) / (e.vMax - e.vMin)) * height;
  let d = '';
  let pen = false;
  s.times.forEach((t, i) => {
    const v = s.values[i];
    if (v == null) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  return d;
}

/** The last non-null value of a series, for the legend. */
export function lastValue(s: Series): number | null {
  for (let i = s.values.length - 1; i >= 0; i--) {
    const v = s.values[i];
    if (v != null) {
      return v;
    }
  }
  return null;
}
