import { bucketLabel, calendarAt, spanLabel } from './Tooltip';

describe('bucketLabel', () => {
  const base = {
    key: 'k',
    name: 'n',
    labels: {},
    links: [],
    times: [],
    actual: [],
    target: [],
    variance: [],
    variancePct: [],
    rag: [],
    misses: [],
    decimals: 2,
    direction: 'higher_is_better' as const,
    computed: false,
  };
  it.each([
    ['1d', 'Europe/London', Date.UTC(2026, 8, 29, 23), '2026-09-30 (Europe/London)'],
    ['1w', 'Europe/London', Date.UTC(2026, 8, 27, 23), 'Week of 2026-09-28 (Europe/London)'],
    ['1M', 'UTC', Date.UTC(2026, 8, 1), '2026-09 (UTC)'],
    ['1Q', 'UTC', Date.UTC(2026, 6, 1), '2026 Q3 (UTC)'],
    ['1Q', 'UTC', Date.UTC(2026, 9, 1), '2026 Q4 (UTC)'],
    ['1h', 'America/New_York', Date.UTC(2026, 8, 30, 18), '2026-09-30 14:00 (America/New_York)'],
  ])('labels a %s bucket in %s', (interval, timezone, time, want) => {
    expect(bucketLabel({ ...base, interval, timezone }, time)).toBe(want);
  });
});

describe('spanLabel', () => {
  it('names a span within a day with one date, across days with two, in the zone', () => {
    const at = (d: number, h: number, m = 0) => Date.UTC(2026, 2, d, h, m);
    expect(spanLabel(at(3, 9), at(3, 11, 30), 'UTC')).toBe('2026-03-03 09:00–11:30');
    expect(spanLabel(at(3, 9), at(3, 11, 30), 'Europe/Berlin')).toBe('2026-03-03 10:00–12:30');
    // Up to midnight names both dates: a whole day is not "00:00–00:00".
    expect(spanLabel(at(3, 0), at(4, 0), 'UTC')).toBe('2026-03-03 00:00 – 2026-03-04 00:00');
    expect(spanLabel(at(3, 22), at(5, 6), 'UTC')).toBe('2026-03-03 22:00 – 2026-03-05 06:00');
  });
});

describe('calendarAt', () => {
  const base = {
    key: 'k',
    name: 'n',
    labels: {},
    links: [],
    times: [0, 100],
    actual: [],
    target: [],
    variance: [],
    variancePct: [],
    rag: [],
    misses: [],
    decimals: 2,
    direction: 'higher_is_better' as const,
    computed: false,
  };
  const s = {
    ...base,
    shading: {
      complete: true,
      off: [[20, 40] as [number, number]],
      exclusions: [
        { from: 30, to: 35, reason: 'maintenance' },
        { from: 90, to: 130, reason: 'force_majeure' },
        { from: 150, to: 160, reason: 'customer_caused' },
      ],
    },
  };

  it("lists the exclusions that meet the bucket, and the one under the mouse even outside it", () => {
    expect(calendarAt(s, 0, 100, 10).exclusions.map((e) => e.reason)).toEqual(['maintenance', 'force_majeure']);
    // uPlot's cursor takes the nearest bucket: the mouse at 155 may show the bucket at 100–150.
    expect(calendarAt(s, 100, 150, 155).exclusions.map((e) => e.reason)).toEqual([
      'force_majeure',
      'customer_caused',
    ]);
  });

  it('says whether the mouse is outside working hours', () => {
    expect(calendarAt(s, 0, 100, 25).offHours).toBe(true);
    expect(calendarAt(s, 0, 100, 45).offHours).toBe(false);
    expect(calendarAt(s, 0, 100).offHours).toBe(false);
    expect(calendarAt(base, 0, 100, 25)).toEqual({ exclusions: [], offHours: false });
  });
});
