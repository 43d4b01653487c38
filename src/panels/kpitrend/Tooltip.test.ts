import { bucketLabel } from './Tooltip';

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
