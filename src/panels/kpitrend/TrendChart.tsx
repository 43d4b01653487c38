import { t } from '@grafana/i18n';
import React, { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import { DataHoverClearEvent, DataHoverEvent, type EventBus } from '@grafana/data';
import 'uplot/dist/uPlot.min.css';
import { ragRuns, spanPixels, traceBand, traceBandColumns, traceHatch } from './draw';
import type { ChartColors } from './palette';
import { unescaped } from '../../shared/i18n';
import { formatValue } from './format';
import { isNum, valueRange, type ChartAnnotation, type TrackerSeries } from './transforms';
import type { KpiTrendOptions } from './types';

/** Height of the RAG strip under the plot, in CSS pixels. */
export const STRIP = 8;

export interface TrendChartProps {
  series: TrackerSeries[];
  width: number;
  height: number;
  /** The dashboard's time range, epoch ms: every chart of the panel spans it, so their cursors line up. */
  from: number;
  to: number;
  options: KpiTrendOptions;
  colors: ChartColors;
  /** The actual line's colour per series. */
  lineColors: string[];
  /** Charts with one key share their cursor. */
  syncKey: string;
  /** A drag across the chart: the range to zoom the dashboard to. */
  onZoom?: (from: number, to: number) => void;
  /**
   * The hovered bucket's time (null when the cursor leaves), where the cursor is, and the time
   * under it (what the shading there is about).
   */
  onHover?: (time: number | null, left: number, top: number, at?: number) => void;
  testId?: string;
  /** The dashboard's crosshair (panels only). */
  crosshair?: Crosshair;
  /** A bucket chosen with the keyboard: the cursor moves there and onHover reports it (null: none). */
  focusTime?: number | null;
  /** The dashboard's annotations: a dashed line each (a light band for a region). */
  annotations?: ChartAnnotation[];
}

/**
 * The dashboard's crosshair: the panel's event bus, and whether the dashboard shares the cursor
 * (its graph tooltip setting). A hover is published there, and other panels' hovers move the cursor.
 */
export interface Crosshair {
  eventBus: EventBus;
  shared: () => boolean;
}

/** Where uPlot hides its cursor. */
const OFF = { left: -10, top: -10 };

/** The data uPlot draws its lines from: times, then actual and target of each series (joined on time when several). */
export function alignedData(series: TrackerSeries[]): uPlot.AlignedData {
  if (series.length === 1) {
    const s = series[0];
    return [s.times, s.actual, s.target] as unknown as uPlot.AlignedData;
  }
  return uPlot.join(
    series.map((s) => [Array.from(s.times), Array.from(s.actual), Array.from(s.target)] as uPlot.AlignedData),
    series.map(() => [1, 1])
  );
}

/** Canvas-pixel positions of a series' buckets, actual and target; NaN where a figure is missing. */
interface Pixels {
  x: Float64Array;
  a: Float64Array;
  t: Float64Array;
}

/**
 * Both scales are linear (time and value), so a position is an offset and a factor: worked out once,
 * then applied in one loop (what u.valToPos does per call, without the call, for 100k points).
 */
function pixels(u: uPlot, s: TrackerSeries): Pixels {
  const n = s.times.length;
  const x = new Float64Array(n);
  const a = new Float64Array(n);
  const t = new Float64Array(n);
  const x0 = u.valToPos(0, 'x', true);
  const kx = u.valToPos(1e12, 'x', true) - x0;
  const y0 = u.valToPos(0, 'y', true);
  const ky = u.valToPos(1, 'y', true) - y0;
  for (let i = 0; i < n; i++) {
    x[i] = x0 + (s.times[i] / 1e12) * kx;
    const av = s.actual[i];
    const tv = s.target[i];
    a[i] = isNum(av) ? y0 + av * ky : NaN;
    t[i] = isNum(tv) ? y0 + tv * ky : NaN;
  }
  return { x, a, t };
}

/** Shades actual vs target, favourable or not, under the lines. */
function drawBands(u: uPlot, series: TrackerSeries[], px: Pixels[], colors: ChartColors) {
  const { left, top, width, height } = u.bbox;
  const ctx = u.ctx;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  series.forEach((s, si) => {
    const p = px[si];
    const fav = new Path2D();
    const unfav = new Path2D();
    const up = s.direction !== 'lower_is_better';
    if (p.x.length > 2 * width) {
      traceBandColumns(p.x, p.a, p.t, up, fav, unfav);
    } else {
      traceBand(p.x, p.a, p.t, up, fav, unfav);
    }
    ctx.fillStyle = colors.favourable;
    ctx.fill(fav);
    ctx.fillStyle = colors.unfavourable;
    ctx.fill(unfav);
  });
  ctx.restore();
}

/** The time spans a chart shades: its series' non-working time and exclusions, each as [from, to) pairs. */
export function shadedSpans(series: TrackerSeries[]): { off: Array<[number, number]>; excluded: Array<[number, number]> } {
  const off: Array<[number, number]> = [];
  const excluded: Array<[number, number]> = [];
  for (const s of series) {
    if (s.shading) {
      off.push(...s.shading.off);
      excluded.push(...s.shading.exclusions.map((e): [number, number] => [e.from, e.to]));
    }
  }
  return { off, excluded };
}

/**
 * How many stretches of non-working time and exclusions a chart shades within [from, to) (what
 * the chart reports in data attributes, for tests and for anyone inspecting it).
 */
export function shadedCounts(series: TrackerSeries[], from: number, to: number): { off: number; excluded: number } {
  const { off, excluded } = shadedSpans(series);
  const meets = (p: [number, number]) => p[0] < to && p[1] > from;
  return { off: off.filter(meets).length, excluded: excluded.filter(meets).length };
}

/**
 * A service calendar's shading, behind everything else: a neutral wash over the time outside
 * working hours, and over each exclusion a light tint with a hatch. Overlaid trackers on different
 * calendars shade the time any of them is off.
 */
function drawShading(u: uPlot, series: TrackerSeries[], colors: ChartColors) {
  const { off, excluded } = shadedSpans(series);
  if (off.length === 0 && excluded.length === 0) {
    return;
  }
  const { left, top, width, height } = u.bbox;
  const ctx = u.ctx;
  const dpr = uPlot.pxRatio;
  const toX = (t: number) => u.valToPos(t, 'x', true);
  ctx.save();
  const offPath = new Path2D();
  for (const r of spanPixels(off, toX, left, left + width)) {
    offPath.rect(r.x0, top, r.x1 - r.x0, height);
  }
  ctx.fillStyle = colors.offHours;
  ctx.fill(offPath);
  const ex = spanPixels(excluded, toX, left, left + width, 2 * dpr);
  if (ex.length > 0) {
    const area = new Path2D();
    const hatch = new Path2D();
    for (const r of ex) {
      area.rect(r.x0, top, r.x1 - r.x0, height);
      traceHatch(hatch, r.x0, r.x1, top, top + height, 6 * dpr);
    }
    ctx.fillStyle = colors.excluded;
    ctx.fill(area);
    ctx.clip(area);
    ctx.strokeStyle = colors.excludedHatch;
    ctx.lineWidth = dpr;
    ctx.stroke(hatch);
  }
  ctx.restore();
}

/** The dashboard's annotations over the plot: a dashed vertical line at each, a light band across a region. */
function drawAnnotations(u: uPlot, annotations: ChartAnnotation[], colors: ChartColors) {
  if (annotations.length === 0) {
    return;
  }
  const { left, top, width, height } = u.bbox;
  const ctx = u.ctx;
  const dpr = uPlot.pxRatio;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  for (const a of annotations) {
    const x = u.valToPos(a.time, 'x', true);
    const colour = a.color ?? colors.axis;
    if (a.timeEnd !== undefined) {
      const x2 = u.valToPos(a.timeEnd, 'x', true);
      ctx.globalAlpha = 0.12;
      ctx.fillStyle = colour;
      ctx.fillRect(x, top, Math.max(x2 - x, dpr), height);
      ctx.globalAlpha = 1;
    }
    ctx.strokeStyle = colour;
    ctx.lineWidth = dpr;
    ctx.setLineDash([3 * dpr, 3 * dpr]);
    ctx.beginPath();
    ctx.moveTo(Math.round(x) + 0.5, top);
    ctx.lineTo(Math.round(x) + 0.5, top + height);
    ctx.stroke();
  }
  ctx.restore();
}

function drawOverlays(
  u: uPlot,
  series: TrackerSeries[],
  px: Pixels[],
  options: KpiTrendOptions,
  colors: ChartColors,
  to: number
) {
  const { left, top, width, height } = u.bbox;
  const ctx = u.ctx;
  const dpr = uPlot.pxRatio;
  const right = left + width;
  const stripH = (STRIP / Math.max(series.length, 1)) * dpr;
  series.forEach((s, si) => {
    const p = px[si];
    if (s.openBucket !== undefined) {
      const x0 = Math.max(left, u.valToPos(s.openBucket, 'x', true));
      if (x0 < right) {
        ctx.fillStyle = colors.provisional;
        ctx.fillRect(x0, top, right - x0, height);
      }
    }
    if (options.showRagStrip) {
      const y = top + height + 2 * dpr + si * stripH;
      const end = Math.min(right, u.valToPos(to, 'x', true));
      for (const r of ragRuns(p.x, s.rag, end, left, right)) {
        ctx.fillStyle = colors.rag[r.rag] ?? colors.unevaluated;
        ctx.fillRect(r.x0, y, r.x1 - r.x0, stripH);
      }
    }
    if (options.showPoints) {
      let visible = 0;
      for (let i = 0; i < p.x.length; i++) {
        if (p.x[i] >= left && p.x[i] <= right && !Number.isNaN(p.a[i])) {
          visible++;
        }
      }
      // Dots only where they can be told apart: at least 6 CSS pixels each.
      if (visible > 0 && visible * 6 * dpr <= width) {
        const radius = 3 * dpr;
        for (let i = 0; i < p.x.length; i++) {
          if (Number.isNaN(p.a[i]) || p.x[i] < left || p.x[i] > right) {
            continue;
          }
          const r = s.rag[i];
          ctx.beginPath();
          ctx.arc(p.x[i], p.a[i], radius, 0, 2 * Math.PI);
          if (!isNum(r)) {
            ctx.strokeStyle = colors.unevaluated;
            ctx.lineWidth = dpr;
            ctx.stroke();
          } else {
            ctx.fillStyle = colors.rag[r];
            ctx.fill();
          }
        }
      }
    }
  });
  if (typeof performance !== 'undefined' && performance.mark) {
    performance.mark('covenant-kpitrend:drawn');
  }
}

function makeOptions(
  p: TrendChartProps,
  hooks: { hover: (u: uPlot) => void; select: (u: uPlot) => void }
): uPlot.Options {
  const { series, options, colors, lineColors } = p;
  const [lo, hi] = valueRange(series) ?? [0, 1];
  const unit = series[0]?.unit;
  const decimals = series[0]?.decimals;
  const font = '11px Inter, Helvetica, Arial, sans-serif';
  let cache: Pixels[] | undefined;
  const px = (u: uPlot) => (cache ??= series.map((s) => pixels(u, s)));
  const uSeries: uPlot.Series[] = [{}];
  series.forEach((s, i) => {
    uSeries.push({
      label: t('panels.trend-chart.series-actual', '{{name}} actual', { name: s.name, ...unescaped }),
      stroke: lineColors[i],
      width: 1.5,
      points: { show: false },
      spanGaps: false,
    });
    uSeries.push({
      label: t('panels.trend-chart.series-target', '{{name}} target', { name: s.name, ...unescaped }),
      stroke: series.length > 1 ? lineColors[i] : colors.target,
      width: 1,
      dash: [6, 4],
      points: { show: false },
      paths: uPlot.paths.stepped!({ align: 1 }),
    });
  });
  return {
    width: p.width,
    height: p.height,
    ms: 1,
    legend: { show: false },
    padding: [6, 8, 0, 0],
    scales: {
      x: { time: true, range: () => [p.from, p.to] },
      y: { range: () => [lo, hi] },
    },
    axes: [
      {
        stroke: colors.axis,
        font,
        grid: { stroke: colors.grid, width: 1 },
        ticks: { show: false },
        gap: options.showRagStrip ? STRIP + 6 : 4,
        // Room for two lines of labels (the day, and the year or month where it changes).
        size: options.showRagStrip ? 36 + STRIP : 36,
      },
      {
        stroke: colors.axis,
        font,
        grid: { stroke: colors.grid, width: 1 },
        ticks: { show: false },
        size: 58,
        values: (_u, splits) => splits.map((v) => formatValue(v, unit, decimals)),
      },
    ],
    series: uSeries,
    cursor: {
      sync: { key: p.syncKey, setSeries: false },
      drag: { x: true, y: false, setScale: false },
      points: { show: false },
      y: false,
    },
    hooks: {
      // Pixel positions are worked out once per draw, for the band and the overlays.
      drawClear: [() => (cache = undefined)],
      drawAxes: [
        (u) => options.showShading && drawShading(u, series, colors),
        (u) => options.showBand && drawBands(u, series, px(u), colors),
      ],
      draw: [
        (u) => drawOverlays(u, series, px(u), options, colors, p.to),
        (u) => drawAnnotations(u, p.annotations ?? [], colors),
      ],
      setCursor: [hooks.hover],
      setSelect: [hooks.select],
    },
  };
}

/** One uPlot chart of one or more trackers: lines, band, RAG strip and points, a shared cursor, drag to zoom. */
export function TrendChart(props: TrendChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot>();
  // The latest props, for uPlot's hooks (they outlive a render).
  const latest = useRef(props);
  useLayoutEffect(() => {
    latest.current = props;
  });
  // Only the chart under the mouse shows a tooltip; the others just follow its cursor.
  const hovered = useRef(false);

  const { series, options, colors, lineColors, from, to, syncKey, annotations } = props;
  // A new chart when what it draws changes; a resize alone only resizes it.
  useLayoutEffect(() => {
    if (!el.current) {
      return;
    }
    const hover = (u: uPlot) => {
      if (!hovered.current) {
        return;
      }
      const idx = u.cursor.idx;
      const t = idx === null || idx === undefined ? null : (u.data[0][idx] as number);
      const left = u.cursor.left ?? 0;
      latest.current.onHover?.(t, left, u.cursor.top ?? 0, left >= 0 ? u.posToVal(left, 'x') : undefined);
      const crosshair = latest.current.crosshair;
      if (crosshair?.shared()) {
        // The time under the mouse (not the bucket's), as Grafana's own graphs publish it.
        const at = (u.cursor.left ?? -1) >= 0 ? u.posToVal(u.cursor.left!, 'x') : null;
        crosshair.eventBus.publish(
          at === null ? new DataHoverClearEvent() : new DataHoverEvent({ point: { time: at } })
        );
      }
    };
    const select = (u: uPlot) => {
      const { left, width } = u.select;
      if (width > 2) {
        latest.current.onZoom?.(Math.round(u.posToVal(left, 'x')), Math.round(u.posToVal(left + width, 'x')));
      }
      u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    };
    const u = new uPlot(makeOptions(latest.current, { hover, select }), alignedData(series), el.current);
    plot.current = u;
    return () => {
      u.destroy();
      plot.current = undefined;
    };
  }, [series, options, colors, lineColors, from, to, syncKey, annotations]);

  // Other panels' hovers move this chart's cursor (the dashboard's shared crosshair).
  const eventBus = props.crosshair?.eventBus;
  useEffect(() => {
    if (!eventBus) {
      return;
    }
    const follow = eventBus.getStream(DataHoverEvent).subscribe((evt) => {
      const u = plot.current;
      const time = evt.payload?.point?.time;
      if (!u || evt.origin === eventBus || hovered.current || typeof time !== 'number') {
        return;
      }
      const left = u.valToPos(time, 'x');
      u.setCursor(left < 0 || left > u.over.clientWidth ? OFF : { left, top: u.over.clientHeight / 2 });
    });
    const clear = eventBus.getStream(DataHoverClearEvent).subscribe((evt) => {
      if (plot.current && evt.origin !== eventBus && !hovered.current) {
        plot.current.setCursor(OFF);
      }
    });
    return () => {
      follow.unsubscribe();
      clear.unsubscribe();
    };
  }, [eventBus]);

  // The keyboard's bucket: the cursor goes there, and the tooltip follows as for the mouse.
  const { focusTime } = props;
  useEffect(() => {
    const u = plot.current;
    if (!u || focusTime === undefined) {
      return;
    }
    if (focusTime === null) {
      u.setCursor(OFF);
      return;
    }
    const left = u.valToPos(focusTime, 'x');
    const top = u.over.clientHeight / 2;
    u.setCursor({ left, top });
    latest.current.onHover?.(focusTime, left, top, focusTime);
  }, [focusTime, series]);

  // In the commit, like the chart itself, so a resize draws without waiting for passive effects.
  useLayoutEffect(() => {
    plot.current?.setSize({ width: props.width, height: props.height });
  }, [props.width, props.height]);

  const shaded = useMemo(
    () => (options.showShading ? shadedCounts(series, from, to) : undefined),
    [series, options.showShading, from, to]
  );
  return (
    <div
      ref={el}
      data-testid={props.testId}
      data-shaded-off-hours={shaded?.off}
      data-shaded-exclusions={shaded?.excluded}
      onMouseEnter={() => {
        hovered.current = true;
      }}
      onMouseLeave={() => {
        hovered.current = false;
        latest.current.onHover?.(null, 0, 0);
        if (latest.current.crosshair?.shared()) {
          latest.current.crosshair.eventBus.publish(new DataHoverClearEvent());
        }
      }}
    />
  );
}
