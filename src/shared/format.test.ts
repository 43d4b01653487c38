import { currency, fixed, money, pct, periodRange } from './format';

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

describe('fixed', () => {
  it("writes decimals in the reader's format, rounding as toFixed does", () => {
    expect(fixed(93.25, 1, { locale: 'en-GB' })).toBe((93.25).toFixed(1));
    expect(fixed(93.25, 1, { locale: 'de-DE' })).toBe('93,3');
    expect(fixed(1234.5, 1, { locale: 'de-DE' })).toBe('1.234,5');
    expect(fixed(2.5, 2, { sign: true, locale: 'en-GB' })).toBe('+2.50');
    expect(fixed(-2.5, 2, { sign: true, locale: 'de-DE' })).toBe('-2,50');
    expect(fixed(0, 2, { sign: true, locale: 'en-GB' })).toBe('0.00');
    // A value that rounds to zero carries no minus sign.
    expect(fixed(-0.04, 1, { locale: 'en-GB' })).toBe('0.0');
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
