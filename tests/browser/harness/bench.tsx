/**
 * The panel benchmark (docs/benchmarks.md): the Covenant panel and bare uPlot draw the same points
 * in the same page, one after the other; time to first draw and to redraw after a resize.
 */
import React from 'react';
import { flushSync } from 'react-dom';
import type { createRoot } from 'react-dom/client';
import uPlot from 'uplot';
import {
  EventBusSrv,
  FieldType,
  LoadingState,
  dateTime,
  makeTimeRange,
  toDataFrame,
  type DataFrame,
  type PanelProps,
} from '@grafana/data';
import { defaultOptions } from '../../../src/panels/kpitrend/types';

const HOUR = 3600_000;

/** A tracker frame of n hourly buckets: actual wandering around a target that steps once. */
export function syntheticFrame(n: number, end = Date.UTC(2026, 10, 1)): DataFrame {
  const time = new Array<number>(n);
  const actual = new Array<number | null>(n);
  const target = new Array<number>(n);
  const variance = new Array<number | null>(n);
  const rag = new Array<number | null>(n);
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < n; i++) {
    time[i] = end - (n - i) * HOUR;
    target[i] = i < n / 2 ? 99.5 : 99.8;
    const a = i % 997 === 0 ? null : 99.6 + Math.sin(i / 50) * 0.3 + (rnd() - 0.5) * 0.2;
    actual[i] = a;
    variance[i] = a === null ? null : a - target[i];
    rag[i] = a === null ? null : a >= target[i] ? 0 : target[i] - a <= 0.1 ? 1 : 2;
  }
  const labels = { contract: 'bench', tracker: `Bench ${n}`, trackerId: `bench-${n}`, kpi: 'Availability' };
  return toDataFrame({
    name: `Bench ${n}`,
    meta: { custom: { direction: 'higher_is_better', openBucket: new Date(time[n - 1]).toISOString() } },
    fields: [
      { name: 'time', type: FieldType.time, values: time },
      { name: 'actual', type: FieldType.number, values: actual, labels, config: { unit: 'percent' } },
      { name: 'target', type: FieldType.number, values: target, labels, config: { unit: 'percent' } },
      { name: 'variance', type: FieldType.number, values: variance, labels },
      { name: 'variance_pct', type: FieldType.number, values: variance, labels },
      { name: 'rag', type: FieldType.number, values: rag, labels },
      { name: 'consecutive_misses', type: FieldType.number, values: rag.map(() => 0), labels },
    ],
  });
}

/** Lets queued microtasks and a macrotask run (uPlot draws in a microtask after it is created or resized). */
const tick = () =>
  new Promise<void>((r) => {
    const c = new MessageChannel();
    c.port1.onmessage = () => r();
    c.port2.postMessage(0);
  });

/** Waits until `drawn()` passes, returning the time it first did (ms from `since`). */
async function until(drawn: () => number | undefined, since: number): Promise<number> {
  for (let i = 0; i < 1000; i++) {
    const at = drawn();
    if (at !== undefined) {
      return at - since;
    }
    await tick();
  }
  throw new Error('not drawn');
}

/** The latest panel draw mark after t. */
function panelDrawnAfter(t: number): number | undefined {
  const marks = performance.getEntriesByName('covenant-kpitrend:drawn');
  const last = marks[marks.length - 1];
  return last && last.startTime >= t ? last.startTime : undefined;
}

export function benchmark(
  root: ReturnType<typeof createRoot>,
  Panel: React.ComponentType<PanelProps<object>>,
  Themed: React.ComponentType<{ children: React.ReactNode }>
) {
  const frames = new Map<number, DataFrame>();
  const frameOf = (n: number) => {
    if (!frames.has(n)) {
      frames.set(n, syntheticFrame(n));
    }
    return frames.get(n)!;
  };
  return {
    /** The Covenant panel: n points drawn at width, then resized to width2; ms to each draw. */
    async panel(n: number, width: number, height: number, width2: number, overrides: object = {}) {
      const frame = frameOf(n);
      const times = frame.fields[0].values as number[];
      const range = makeTimeRange(dateTime(times[0]), dateTime(times[n - 1] + HOUR));
      // One PanelData and one set of options for both draws, as a dashboard keeps them when only the size changes.
      const data = { series: [frame], state: LoadingState.Done, timeRange: range };
      const options = { ...defaultOptions, ...overrides };
      const fieldConfig = { defaults: {}, overrides: [] };
      const props = (w: number): PanelProps<object> =>
        ({
          id: 1,
          data,
          timeRange: range,
          timeZone: 'utc',
          options,
          fieldConfig,
          transparent: false,
          width: w,
          height,
          renderCounter: 0,
          title: 'bench',
          eventBus: new EventBusSrv(),
          onOptionsChange: () => {},
          onFieldConfigChange: () => {},
          replaceVariables: (s: string) => s,
          onChangeTimeRange: () => {},
        }) as PanelProps<object>;
      flushSync(() =>
        root.render(
          <Themed>
            <div />
          </Themed>
        )
      );
      await tick();
      let t0 = performance.now();
      flushSync(() =>
        root.render(
          <Themed>
            <Panel {...props(width)} />
          </Themed>
        )
      );
      const first = await until(() => panelDrawnAfter(t0), t0);
      await tick();
      t0 = performance.now();
      flushSync(() =>
        root.render(
          <Themed>
            <Panel {...props(width2)} />
          </Themed>
        )
      );
      const resize = await until(() => panelDrawnAfter(t0), t0);
      flushSync(() =>
        root.render(
          <Themed>
            <div />
          </Themed>
        )
      );
      await tick();
      return { first, resize };
    },

    /** Bare uPlot drawing the same two lines (actual, stepped target) on the same points. */
    async uplot(n: number, width: number, height: number, width2: number) {
      const frame = frameOf(n);
      const el = document.createElement('div');
      document.body.appendChild(el);
      let drawnAt: number | undefined;
      const data = [frame.fields[0].values, frame.fields[1].values, frame.fields[2].values] as uPlot.AlignedData;
      await tick();
      let t0 = performance.now();
      const u = new uPlot(
        {
          width,
          height,
          ms: 1,
          legend: { show: false },
          scales: { x: { time: true } },
          series: [
            {},
            { stroke: 'green', width: 1.5, points: { show: false } },
            { stroke: 'grey', dash: [6, 4], paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } },
          ],
          hooks: { draw: [() => (drawnAt = performance.now())] },
        },
        data,
        el
      );
      const first = await until(() => drawnAt, t0);
      drawnAt = undefined;
      await tick();
      t0 = performance.now();
      u.setSize({ width: width2, height });
      const resize = await until(() => drawnAt, t0);
      u.destroy();
      el.remove();
      return { first, resize };
    },
  };
}
