import { cmpDecimal, cmpDecimalExact, withinDecimal, withinDecimalExact } from './decimal';

describe('decimal decisions', () => {
  it('decide on the decimals people read, not on binary residue', () => {
    // 99.3 misses 99.5 by exactly 0.2 (binary: 0.20000000000000284).
    expect(withinDecimal(99.3, 99.5, 0.2)).toBe(true);
    expect(withinDecimal(99.29, 99.5, 0.2)).toBe(false);
    expect(cmpDecimal(0.1 + 0.2, 0.3)).toBe(0);
    expect(cmpDecimal(99.95, 99.9)).toBe(1);
    expect(cmpDecimal(-5, 3)).toBe(-1);
  });

  it('the binary shortcut gives the exact answer, near ties and far from them', () => {
    // A fixed pseudo-random sequence: values at every scale, and neighbours one step of their last
    // decimal apart, of the binary residue apart, or equal as decimals.
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const cases: Array<[number, number, number]> = [];
    for (let i = 0; i < 20000; i++) {
      const scale = 10 ** Math.floor(rnd() * 12 - 6);
      const a = (Math.round(rnd() * 1e6) / 1e4) * scale;
      const step = [0, 1e-4 * scale, 1e-12 * a, 0.1 * scale, rnd() * scale][i % 5];
      const b = i % 2 ? a + step : a - step;
      const limit = [Math.abs(a - b), Math.abs(a - b) + 1e-13, 0.2 * scale, 0][i % 4];
      cases.push([a, b, limit]);
    }
    cases.push([99.3, 99.5, 0.2], [0.1 + 0.2, 0.3, 0], [1e-7, 1.0000000001e-7, 1e-17]);
    for (const [a, b, limit] of cases) {
      expect([a, b, cmpDecimal(a, b)]).toEqual([a, b, cmpDecimalExact(a, b)]);
      expect([a, b, limit, withinDecimal(a, b, limit)]).toEqual([a, b, limit, withinDecimalExact(a, b, limit)]);
    }
  });
});
