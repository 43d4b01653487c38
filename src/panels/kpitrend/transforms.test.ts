import { FieldType, toDataFrame } from '@grafana/data';
import {
  AMBER,
  GREEN,
  RED,
  autoDecimals,
  currentIndex,
  idleRuns,
  improving,
  inSpans,
  prepare,
  ragOf,
  shadingLegend,
  shadingOf,
  valueRange,
  type TrackerSeries,
} from './transforms';
import { defaultOptions } from './types';

const labels = {
  contract: 'acme-it',
  tracker: 'Daily availability',
  trackerId: 'daily-availability',
  kpi: 'Availability',
};

/** A trackerSeries frame as the backend sends it (times out of order to check sorting). */
const trackerFrame = toDataFrame({
  name: 'Daily availability',
  meta: {
    custom: {
      direction: 'higher_is_better',
      openBucket: '1970-01-01T00:00:04Z',
      trend: { direction: 'deteriorating', slope: -0.1 },
    },
  },
  fields: [
    { name: 'time', type: FieldType.time, values: [3000, 1000, 2000, 4000] },
    {
      name: 'actual',
      type: FieldType.number,
      values: [99.5, 99.95, null, 99.99],
      labels,
      config: { unit: 'percent', decimals: 2 },
    },
    { name: 'target', type: FieldType.number, values: [99.9, 99.9, 99.9, 99.9], labels },
    { name: 'variance', type: FieldType.number, values: [-0.4, 0.05, null, 0.09], labels },
    { name: 'variance_pct', type: FieldType.number, values: [-0.4, 0.05, null, 0.09], labels },
    { name: 'rag', type: FieldType.number, values: [RED, GREEN, null, null], labels },
    { name: 'consecutive_misses', type: FieldType.number, values: [1, 0, 0, 1], labels },
  ],
});

describe('prepare', () => {
  it('takes a Covenant tracker frame as it is, in time order', () => {
    const p = prepare([trackerFrame], defaultOptions);
    if (!('series' in p)) {
      throw new Error(p.message);
    }
    const [s] = p.series;
    expect(s.key).toBe('daily-availability');
    expect(s.name).toBe('Daily availability');
    expect(s.times).toEqual([1000, 2000, 3000, 4000]);
    expect(s.actual).toEqual([99.95, null, 99.5, 99.99]);
    expect(s.rag).toEqual([GREEN, null, RED, null]);
    expect(s.misses).toEqual([0, 0, 1, 1]);
    expect(s.unit).toBe('percent');
    expect(s.decimals).toBe(2);
    expect(s.openBucket).toBe(4000);
    expect(s.computed).toBe(false);
    // The current figures are those of the latest evaluated bucket, not the open one.
    expect(currentIndex(s)).toBe(2);
    expect(improving(s)).toBe(false);
  });

  it('shows the open bucket with its provisional RAG, the closed ones with their judged RAG', () => {
    // As the backend sends it: `rag` judges closed buckets only (null for the open bucket at
    // 4000), `rag_provisional` holds the open bucket's figure so far (null for closed ones).
    const frame = toDataFrame({
      ...trackerFrame,
      fields: [
        ...trackerFrame.fields,
        { name: 'rag_provisional', type: FieldType.number, values: [null, null, null, AMBER], labels },
      ],
    });
    const p = prepare([frame], defaultOptions);
    if (!('series' in p)) {
      throw new Error(p.message);
    }
    const [s] = p.series;
    expect(Array.from(s.rag)).toEqual([GREEN, null, RED, AMBER]);
    // The header's current bucket is the open one, which the header and tooltip call provisional.
    expect(currentIndex(s)).toBe(3);
    expect(s.times[3]).toBe(s.openBucket);
  });

  it('draws any time series against the fixed target of the options, computing variance and RAG', () => {
    const plain = toDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1, 2, 3] },
        { name: 'response_minutes', type: FieldType.number, values: [50, 62, 80] },
      ],
    });
    const p = prepare([plain], { fixedTarget: 60, direction: 'lower_is_better', tolerance: 5 });
    if (!('series' in p)) {
      throw new Error(p.message);
    }
    const [s] = p.series;
    expect(s.computed).toBe(true);
    expect(s.target).toEqual([60, 60, 60]);
    expect(s.variance).toEqual([-10, 2, 20]);
    expect(s.rag).toEqual([GREEN, AMBER, RED]);
    expect(s.variancePct[0]).toBeCloseTo(-16.667, 3);
  });

  it('says what is missing', () => {
    const plain = toDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1] },
        { name: 'v', type: FieldType.number, values: [1] },
      ],
    });
    expect(prepare([plain], defaultOptions)).toEqual({ message: expect.stringContaining('Set “Fixed target”') });
    const table = toDataFrame({ fields: [{ name: 'name', type: FieldType.string, values: ['a'] }] });
    expect(prepare([table], defaultOptions)).toEqual({
      message: expect.stringContaining('must return a time field and a number field'),
    });
  });
});

describe('figures', () => {
  it('shows enough decimals to tell actual from target', () => {
    expect(autoDecimals([null, 99.9])).toBe(2);
    expect(autoDecimals([120])).toBe(1);
    expect(autoDecimals([99.995])).toBe(4);
    expect(autoDecimals([99.9], 0)).toBe(0);
    expect(autoDecimals([null])).toBe(2);
  });

  it.each([
    [99.95, 99.9, 'higher_is_better' as const, 0.2, GREEN],
    [99.8, 99.9, 'higher_is_better' as const, 0.2, AMBER],
    [99.6, 99.9, 'higher_is_better' as const, 0.2, RED],
    [120, 120, 'lower_is_better' as const, 0, GREEN],
    [125, 120, 'lower_is_better' as const, 10, AMBER],
    [131, 120, 'lower_is_better' as const, 10, RED],
    // On the tolerance's edge, decided on decimals (binary arithmetic gives 99.3 − 99.5 = −0.20000000000000284).
    [99.3, 99.5, 'higher_is_better' as const, 0.2, AMBER],
    [99.6, 99.9, 'higher_is_better' as const, 0.3, AMBER],
    [0.1 + 0.2, 0.4, 'higher_is_better' as const, 0.1, AMBER],
    [1000000.1, 1000000.3, 'higher_is_better' as const, 0.2, AMBER],
    [120.3, 120, 'lower_is_better' as const, 0.3, AMBER],
    [120.31, 120, 'lower_is_better' as const, 0.3, RED],
    [1e-7, 0, 'higher_is_better' as const, 0, GREEN],
  ])('ragOf(%p, %p, %s, %p) = %p', (actual, target, direction, tolerance, want) => {
    expect(ragOf(actual, target, direction, tolerance)).toBe(want);
  });

  it('reads the trend from its slope when the backend gives no word', () => {
    const p = prepare([trackerFrame], defaultOptions) as { series: Array<Parameters<typeof improving>[0]> };
    const s = p.series[0];
    expect(improving({ ...s, trend: { slope: 0.2 } })).toBe(true);
    expect(improving({ ...s, direction: 'lower_is_better', trend: { slope: 0.2 } })).toBe(false);
    expect(improving({ ...s, trend: undefined })).toBeUndefined();
  });

  it('spans actual and target with some room, and widens a flat range', () => {
    const p = prepare([trackerFrame], defaultOptions) as { series: Array<Parameters<typeof valueRange>[0][0]> };
    const [lo, hi] = valueRange(p.series)!;
    expect(lo).toBeLessThan(99.5);
    expect(hi).toBeGreaterThan(99.99);
    expect(valueRange([{ ...p.series[0], actual: [5], target: [5] }])).toEqual([4.75, 5.25]);
  });
});

/** Hours as epoch ms. */
const H = 3_600_000;

/**
 * A daily tracker on a weekday calendar as the backend sends it (docs/api.md, "Frames of a tracker
 * on a calendar"): five days from a Friday, Saturday and Sunday without working time, a maintenance
 * window on the Monday.
 */
const calendarFrame = (calendar: Record<string, unknown>) =>
  toDataFrame({
    name: 'Daily availability',
    meta: { custom: { direction: 'higher_is_better', calendar } },
    fields: [
      { name: 'time', type: FieldType.time, values: [0, 24 * H, 48 * H, 72 * H, 96 * H] },
      { name: 'actual', type: FieldType.number, values: [99.9, 99.8, 99.9, 99.95, 100], labels },
      { name: 'target', type: FieldType.number, values: [99.9, 99.9, 99.9, 99.9, 99.9], labels },
      { name: 'rag', type: FieldType.number, values: [GREEN, null, null, GREEN, GREEN], labels },
      { name: 'working', type: FieldType.number, values: [36000, 0, 0, 27000, 36000], labels, config: { unit: 's' } },
    ],
  });

const weekdays = {
  id: 'weekdays',
  name: 'Weekdays',
  from: 0,
  to: 120 * H,
  offHoursComplete: true,
  offHours: [
    [0, 8 * H],
    [18 * H, 80 * H],
    [81 * H, 83.5 * H],
    [90 * H, 104 * H],
    [114 * H, 120 * H],
  ],
  exclusions: [{ from: 81 * H, to: 83.5 * H, reason: 'maintenance', note: 'Core switch upgrade' }],
};

describe('calendar shading', () => {
  it("reads a tracker's calendar, its non-working time and exclusions, and each bucket's working time", () => {
    const p = prepare([calendarFrame(weekdays)], defaultOptions) as { series: TrackerSeries[] };
    const [s] = p.series;
    expect(Array.from(s.working!)).toEqual([36000, 0, 0, 27000, 36000]);
    expect(s.shading).toEqual({
      calendarId: 'weekdays',
      calendarName: 'Weekdays',
      end: 120 * H,
      complete: true,
      off: weekdays.offHours,
      exclusions: [{ from: 81 * H, to: 83.5 * H, reason: 'maintenance', note: 'Core switch upgrade' }],
    });
  });

  it('shades the idle buckets when the backend had too many intervals to send', () => {
    const { offHours: _, ...over } = weekdays;
    const p = prepare([calendarFrame({ ...over, offHoursComplete: false })], defaultOptions) as {
      series: TrackerSeries[];
    };
    expect(p.series[0].shading).toMatchObject({ complete: false, off: [[24 * H, 72 * H]] });
  });

  it('leaves frames without a calendar unshaded', () => {
    const p = prepare([trackerFrame], defaultOptions) as { series: TrackerSeries[] };
    expect(p.series[0].shading).toBeUndefined();
    expect(p.series[0].working).toBeUndefined();
    expect(shadingOf(undefined, [], undefined)).toBeUndefined();
  });

  it('skips what it cannot read', () => {
    const sh = shadingOf(
      {
        offHours: [[5, 1], 'x', [1, 2]],
        exclusions: [null, { from: 3, to: 2, reason: 'maintenance' }, { from: 1, to: 2, reason: 'force_majeure', note: '' }],
      },
      [],
      undefined
    );
    expect(sh).toEqual({
      calendarId: undefined,
      calendarName: undefined,
      end: undefined,
      complete: true,
      off: [[1, 2]],
      exclusions: [{ from: 1, to: 2, reason: 'force_majeure', note: undefined }],
    });
  });

  it('runs neighbouring idle buckets together, the last to the end of the buckets', () => {
    expect(idleRuns([0, 10, 20, 30, 40], [0, 0, 5, 0, 0], 50)).toEqual([
      [0, 20],
      [30, 50],
    ]);
    // Without the end, the last bucket's length is unknown: it is left out.
    expect(idleRuns([0, 10], [5, 0], undefined)).toEqual([]);
    expect(idleRuns([0, 10], [null, 0], 20)).toEqual([[10, 20]]);
  });

  it('finds a time among sorted spans', () => {
    const spans: Array<[number, number]> = [
      [0, 10],
      [20, 30],
      [40, 50],
    ];
    expect([0, 9, 10, 15, 20, 29, 30, 45, 50, -1].map((t) => inSpans(spans, t))).toEqual([
      true,
      true,
      false,
      false,
      true,
      true,
      false,
      true,
      false,
      false,
    ]);
    expect(inSpans([], 1)).toBe(false);
  });

  it('says what is shaded in a range, for the caption', () => {
    const p = prepare([calendarFrame(weekdays)], defaultOptions) as { series: TrackerSeries[] };
    expect(shadingLegend(p.series, 0, 120 * H)).toEqual({
      calendars: ['Weekdays'],
      offHours: true,
      reasons: ['maintenance'],
    });
    // Monday 09:00–11:30 is all maintenance: excluded, and (as lost working time) off hours too.
    expect(shadingLegend(p.series, 81 * H, 82 * H)).toEqual({
      calendars: ['Weekdays'],
      offHours: true,
      reasons: ['maintenance'],
    });
    // Friday's working hours: nothing shaded.
    expect(shadingLegend(p.series, 9 * H, 17 * H)).toBeUndefined();
    const many = {
      ...weekdays,
      exclusions: [
        { from: 0, to: 1, reason: 'customer_caused' },
        { from: 2, to: 3, reason: 'maintenance' },
        { from: 4, to: 5, reason: 'customer_caused' },
      ],
    };
    const q = prepare([calendarFrame(many)], defaultOptions) as { series: TrackerSeries[] };
    expect(shadingLegend(q.series, 0, 10)?.reasons).toEqual(['maintenance', 'customer_caused']);
  });
});
