import { currency, money, pct, periodRange } from './format';

describe('currency', () => {
  it('formats in the contract currency', () => {
    expect(currency(950000, 'GBP')).toBe('£950,000');
  });
  it('falls back for an unknown currency code', () => {
    expect(currency(1000, 'not-a-code')).toBe('1,000 not-a-code');
  });
});

describe('pct and money', () => {
  it('show one decimal, whole amounts, and a dash for nothing', () => {
    expect(pct(93.25)).toBe('93.3 %');
    expect(pct(null)).toBe('–');
    expect(money(-1000)).toBe('-€1,000');
    expect(money(undefined, 'GBP')).toBe('–');
  });
});

describe('periodRange', () => {
  it("shows a period's first and last days in its own zone (the end is exclusive)", () => {
    // March 2026 in Tokyo (UTC+9): in UTC its first day would read as 28 February.
    const tokyoMarch = { start: '2026-02-28T15:00:00Z', end: '2026-03-31T15:00:00Z' };
    expect(periodRange(tokyoMarch, 'Asia/Tokyo')).toBe('2026-03-01 – 2026-03-31');
    expect(periodRange(tokyoMarch)).toBe('2026-02-28 – 2026-03-31');
    // March 2026 in London ends in summer time (UTC+1).
    expect(periodRange({ start: '2026-03-01T00:00:00Z', end: '2026-03-31T23:00:00Z' }, 'Europe/London')).toBe(
      '2026-03-01 – 2026-03-31'
    );
  });
});
