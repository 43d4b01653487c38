import { FieldType, toDataFrame } from '@grafana/data';
import { extentOf, framesToSeries, lastValue, toPath } from './transforms';

const frame = toDataFrame({
  fields: [
    { name: 'time', type: FieldType.time, values: [3000, 1000, 2000, 4000] },
    { name: 'value', type: FieldType.number, values: [30, 10, null, 40], config: { unit: 'percent', decimals: 1 } },
    { name: 'key', type: FieldType.string, values: ['a', 'a', 'a', 'a'] },
  ],
});

describe('framesToSeries', () => {
  it('makes one series per number field, sorted by time, nulls kept as gaps', () => {
    const [s, ...rest] = framesToSeries([frame]);
    expect(rest).toHaveLength(0);
    expect(s.times).toEqual([1000, 2000, 3000, 4000]);
    expect(s.values).toEqual([10, null, 30, 40]);
    expect(s.unit).toBe('percent');
    expect(s.decimals).toBe(1);
  });

  it('draws only actual and target of a Covenant tracker frame', () => {
    const tracker = toDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1, 2] },
        { name: 'actual', type: FieldType.number, values: [99.5, 99.95] },
        { name: 'target', type: FieldType.number, values: [99.9, 99.9] },
        { name: 'variance', type: FieldType.number, values: [-0.4, 0.05] },
        { name: 'rag', type: FieldType.number, values: [1, 0] },
      ],
    });
    expect(framesToSeries([tracker]).map((s) => s.name)).toEqual(['actual', 'target']);
  });

  it('ignores frames without a time field', () => {
    const table = toDataFrame({ fields: [{ name: 'n', type: FieldType.number, values: [1, 2] }] });
    expect(framesToSeries([table])).toEqual([]);
  });

  it('treats NaN as missing', () => {
    const f = toDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1, 2] },
        { name: 'v', type: FieldType.number, values: [NaN, 5] },
      ],
    });
    expect(framesToSeries([f])[0].values).toEqual([null, 5]);
  });
});

describe('extentOf and toPath', () => {
  it('breaks the line at missing values', () => {
    const s = framesToSeries([frame])[0];
    const e = extentOf([s])!;
    expect(e).toEqual({ tMin: 1000, tMax: 4000, vMin: 10, vMax: 40 });
    // 100 x 30 box: t 1000→0, 3000→66.7, 4000→100; v 10→30, 30→10, 40→0
    expect(toPath(s, e, 100, 30)).toBe('M0.0,30.0M66.7,10.0L100.0,0.0');
  });

  it('widens a flat range so a constant line is visible', () => {
    const f = toDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1, 2] },
        { name: 'v', type: FieldType.number, values: [50, 50] },
      ],
    });
    expect(extentOf(framesToSeries([f]))).toEqual({ tMin: 1, tMax: 2, vMin: 45, vMax: 55 });
  });

  it('has no extent when there is no value', () => {
    const f = toDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1] },
        { name: 'v', type: FieldType.number, values: [null] },
      ],
    });
    expect(extentOf(framesToSeries([f]))).toBeUndefined();
  });

  it('covers the dashboard time range', () => {
    const s = framesToSeries([frame])[0];
    expect(extentOf([s], { from: 0, to: 5000 })).toEqual(expect.objectContaining({ tMin: 0, tMax: 5000 }));
  });
});

describe('lastValue', () => {
  it('is the latest non-null value', () => {
    expect(lastValue({ field: 's', name: 's', times: [1, 2, 3], values: [1, 2, null] })).toBe(2);
    expect(lastValue({ field: 's', name: 's', times: [1], values: [null] })).toBeNull();
  });
});
