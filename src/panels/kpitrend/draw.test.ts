import {
  indexAtOrBefore,
  ragRuns,
  spanPixels,
  traceBand,
  traceBandColumns,
  traceHatch,
  type PathSink,
  type RectSink,
} from './draw';

/** Records polygons as lists of points. */
function recorder() {
  const polys: Array<Array<[number, number]>> = [];
  const sink: PathSink = {
    moveTo: (x, y) => polys.push([[x, y]]),
    lineTo: (x, y) => polys[polys.length - 1].push([x, y]),
    closePath: () => {},
  };
  return { polys, sink };
}

describe('traceBand', () => {
  it('shades a segment above the target as favourable when higher is better (y grows downwards)', () => {
    const fav = recorder();
    const unfav = recorder();
    traceBand([0, 10], [20, 30], [50, 50], true, fav.sink, unfav.sink);
    expect(fav.polys).toEqual([
      [
        [0, 20],
        [10, 30],
        [10, 50],
        [0, 50],
      ],
    ]);
    expect(unfav.polys).toEqual([]);
    // The same picture is unfavourable when lower is better.
    const fav2 = recorder();
    const unfav2 = recorder();
    traceBand([0, 10], [20, 30], [50, 50], false, fav2.sink, unfav2.sink);
    expect(fav2.polys).toEqual([]);
    expect(unfav2.polys).toHaveLength(1);
  });

  it('splits a segment where the actual crosses the target', () => {
    const fav = recorder();
    const unfav = recorder();
    // From 10 px above the target to 30 px below it: crosses a quarter of the way.
    traceBand([0, 40], [40, 80], [50, 50], true, fav.sink, unfav.sink);
    expect(fav.polys).toEqual([
      [
        [0, 40],
        [10, 50],
        [0, 50],
      ],
    ]);
    expect(unfav.polys).toEqual([
      [
        [10, 50],
        [40, 80],
        [40, 50],
      ],
    ]);
  });

  it('holds the target of a bucket until the next one (a step) and leaves gaps where a figure is missing', () => {
    const fav = recorder();
    const unfav = recorder();
    traceBand([0, 10, 20, 30], [40, 40, NaN, 40], [50, 30, 30, 30], true, fav.sink, unfav.sink);
    // Segment 0 compares with the first target (50): favourable; segment 1 and 2 touch the gap: none.
    expect(fav.polys).toEqual([
      [
        [0, 40],
        [10, 40],
        [10, 50],
        [0, 50],
      ],
    ]);
    expect(unfav.polys).toEqual([]);
  });
});

describe('traceBand runs', () => {
  it('makes one polygon of neighbouring segments on one side, stepping with the target', () => {
    const fav = recorder();
    const unfav = recorder();
    // Three favourable segments; the target steps from 50 to 45 at x=20.
    traceBand([0, 10, 20, 30], [40, 42, 41, 40], [50, 50, 45, 45], true, fav.sink, unfav.sink);
    expect(unfav.polys).toEqual([]);
    expect(fav.polys).toEqual([
      [
        [0, 40],
        [10, 42],
        [20, 41],
        [30, 40],
        [30, 45],
        [20, 45],
        [20, 50],
        [10, 50],
        [0, 50],
      ],
    ]);
  });
});

describe('traceBandColumns', () => {
  function rects() {
    const out: number[][] = [];
    const sink: RectSink = { rect: (x, y, w, h) => out.push([x, y, w, h]) };
    return { out, sink };
  }
  it('draws one bar per pixel column to the furthest actual on each side', () => {
    const fav = rects();
    const unfav = rects();
    // Column 0: actuals 10 and 4 px above the target (50), 6 px below; column 1: 3 px above.
    traceBandColumns(
      [0.1, 0.4, 0.8, 1.2, 1.5],
      [40, 46, 56, 47, NaN],
      [50, 50, 50, 50, 50],
      true,
      fav.sink,
      unfav.sink
    );
    expect(fav.out).toEqual([
      [0, 40, 1, 10],
      [1, 47, 1, 3],
    ]);
    expect(unfav.out).toEqual([[0, 50, 1, 6]]);
  });

  it('swaps the sides when lower is better', () => {
    const fav = rects();
    const unfav = rects();
    traceBandColumns([0, 0.5], [40, 56], [50, 50], false, fav.sink, unfav.sink);
    expect(fav.out).toEqual([[0, 50, 1, 6]]);
    expect(unfav.out).toEqual([[0, 40, 1, 10]]);
  });
});

describe('ragRuns', () => {
  it('merges neighbouring buckets of one RAG and leaves gaps for buckets without one', () => {
    expect(ragRuns([0, 10, 20, 30, 40], [0, 0, 2, null, 2], 50, 0, 60)).toEqual([
      { x0: 0, x1: 20, rag: 0 },
      { x0: 20, x1: 30, rag: 2 },
      { x0: 40, x1: 50, rag: 2 },
    ]);
  });

  it('keeps the worst RAG of the buckets that share a pixel column, and clips to the plot', () => {
    // Five buckets in columns 0-1: green, red, green in column 0; amber, green in column 1.
    expect(ragRuns([0.1, 0.3, 0.6, 1.2, 1.7, 2.5], [0, 2, 0, 1, 0, 0], 3, 0, 10)).toEqual([
      { x0: 0, x1: 1, rag: 2 },
      { x0: 1, x1: 2, rag: 1 },
      { x0: 2, x1: 3, rag: 0 },
    ]);
    expect(ragRuns([-20, 5], [2, 0], 8, 0, 10)).toEqual([
      { x0: 0, x1: 5, rag: 2 },
      { x0: 5, x1: 8, rag: 0 },
    ]);
  });
});

describe('indexAtOrBefore', () => {
  it('finds the bucket a time falls in', () => {
    const times = [10, 20, 30];
    expect(indexAtOrBefore(times, 5)).toBe(-1);
    expect(indexAtOrBefore(times, 20)).toBe(1);
    expect(indexAtOrBefore(times, 29)).toBe(1);
    expect(indexAtOrBefore(times, 99)).toBe(2);
  });
});

describe('spanPixels', () => {
  // 1 ms is 1 px, the plot from x = 10 to x = 110.
  const toX = (t: number) => t;

  it('places spans on the plot, clipped to it, dropping those outside', () => {
    expect(
      spanPixels(
        [
          [0, 5],
          [0, 20],
          [30, 40],
          [100, 200],
          [300, 400],
        ],
        toX,
        10,
        110
      )
    ).toEqual([
      { x0: 10, x1: 20 },
      { x0: 30, x1: 40 },
      { x0: 100, x1: 110 },
    ]);
  });

  it('merges spans that overlap or touch, in order, so a low-alpha fill never doubles', () => {
    expect(
      spanPixels(
        [
          [50, 60],
          [20, 30],
          [30, 35],
          [25, 28],
          [55, 70],
        ],
        toX,
        0,
        100
      )
    ).toEqual([
      { x0: 20, x1: 35 },
      { x0: 50, x1: 70 },
    ]);
  });

  it('widens short spans to the minimum width, within the plot', () => {
    expect(
      spanPixels(
        [
          [20, 20.5],
          [99.9, 100],
        ],
        toX,
        0,
        100,
        2
      )
    ).toEqual([
      { x0: 20, x1: 22 },
      { x0: 98, x1: 100 },
    ]);
    // Without a minimum, a span narrower than a pixel keeps its width (its fill is faint, as it should be).
    expect(spanPixels([[20, 20.5]], toX, 0, 100)).toEqual([{ x0: 20, x1: 20.5 }]);
  });
});

describe('traceHatch', () => {
  it('draws 45° lines on a grid fixed to x = 0, from below the stretch to past it', () => {
    const lines: number[][] = [];
    const sink: PathSink = {
      moveTo: (x, y) => lines.push([x, y]),
      lineTo: (x, y) => lines[lines.length - 1].push(x, y),
      closePath: () => {},
    };
    traceHatch(sink, 13, 20, 0, 10, 6);
    // Every line rises 10 px over 10 px; those that cross x 13..20, and no others.
    expect(lines).toEqual([
      [6, 10, 16, 0],
      [12, 10, 22, 0],
      [18, 10, 28, 0],
    ]);
    lines.length = 0;
    traceHatch(sink, 20, 13, 0, 10, 6);
    traceHatch(sink, 13, 20, 0, 10, 0);
    expect(lines).toEqual([]);
  });
});
