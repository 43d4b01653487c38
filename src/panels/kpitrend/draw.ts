/** The subset of CanvasPath (Path2D or a canvas context) the band tracer draws with. */
export interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  closePath(): void;
}

/**
 * Traces the band between the actual line (straight between buckets) and the target (a step that
 * holds from one bucket to the next), in canvas pixels, into `fav` where the actual is on the good
 * side of the target and `unfav` where it is not; a segment that crosses the target is split where
 * it crosses. Neighbouring segments on one side make one polygon (a canvas fills a few large
 * polygons far faster than many small ones). `up` is true when higher is better: with y growing
 * downwards, favourable where ya <= yt. NaN marks a missing figure: no band there.
 */
export function traceBand(
  xs: ArrayLike<number>,
  ya: ArrayLike<number>,
  yt: ArrayLike<number>,
  up: boolean,
  fav: PathSink,
  unfav: PathSink
) {
  const s = up ? 1 : -1;
  // The open polygon: its top along the actual, its bottom along the target, as x,y pairs.
  let top: number[] = [];
  let bottom: number[] = [];
  let side = 0; // 1 favourable, -1 unfavourable, 0 none open
  const flush = () => {
    if (side !== 0 && top.length >= 4) {
      const sink = side > 0 ? fav : unfav;
      sink.moveTo(top[0], top[1]);
      for (let k = 2; k < top.length; k += 2) {
        sink.lineTo(top[k], top[k + 1]);
      }
      const lastX = top[top.length - 2];
      const lastY = top[top.length - 1];
      for (let k = bottom.length - 2; k >= 0; k -= 2) {
        const atEnd = k === bottom.length - 2 && bottom[k] === lastX && bottom[k + 1] === lastY;
        const atStart = k === 0 && bottom[0] === top[0] && bottom[1] === top[1];
        if (!atEnd && !atStart) {
          sink.lineTo(bottom[k], bottom[k + 1]);
        }
      }
      sink.closePath();
    }
    top = [];
    bottom = [];
    side = 0;
  };
  /** Continues the open polygon at (x, a) over target t, or starts one on that side. */
  const reach = (want: number, x: number, a: number, t: number) => {
    if (side !== want) {
      flush();
      side = want;
      top.push(x, a);
      bottom.push(x, t);
    } else if (bottom[bottom.length - 1] !== t) {
      bottom.push(x, t); // the target steps here
    }
  };
  for (let i = 0; i + 1 < xs.length; i++) {
    const x0 = xs[i];
    const x1 = xs[i + 1];
    const a0 = ya[i];
    const a1 = ya[i + 1];
    const t = yt[i];
    if (Number.isNaN(a0) || Number.isNaN(a1) || Number.isNaN(t)) {
      flush();
      continue;
    }
    const d0 = (t - a0) * s;
    const d1 = (t - a1) * s;
    if ((d0 >= 0 && d1 >= 0) || (d0 <= 0 && d1 <= 0)) {
      reach(d0 + d1 >= 0 ? 1 : -1, x0, a0, t);
      top.push(x1, a1);
      bottom.push(x1, t);
      continue;
    }
    const xc = x0 + ((x1 - x0) * (t - a0)) / (a1 - a0);
    reach(d0 > 0 ? 1 : -1, x0, a0, t);
    top.push(xc, t);
    bottom.push(xc, t);
    flush();
    reach(d1 > 0 ? 1 : -1, xc, t, t);
    top.push(x1, a1);
    bottom.push(x1, t);
  }
  flush();
}

/** What a canvas draws rectangles with. */
export interface RectSink {
  rect(x: number, y: number, w: number, h: number): void;
}

/**
 * The band for series denser than the pixels that show them (more than two buckets per pixel
 * column): per column, one bar from the target to the actual's furthest favourable and one to its
 * furthest unfavourable value. It looks as the exact band does at that density, at the cost of one
 * bar per column instead of a vertex per bucket.
 */
export function traceBandColumns(
  xs: ArrayLike<number>,
  ya: ArrayLike<number>,
  yt: ArrayLike<number>,
  up: boolean,
  fav: RectSink,
  unfav: RectSink
) {
  const s = up ? 1 : -1;
  let col = NaN;
  let t = NaN;
  let bestFav = 0; // the furthest distance from the target, on each side, in pixels
  let bestUnfav = 0;
  const emit = () => {
    if (Number.isNaN(col)) {
      return;
    }
    if (bestFav > 0) {
      fav.rect(col, s > 0 ? t - bestFav : t, 1, bestFav);
    }
    if (bestUnfav > 0) {
      unfav.rect(col, s > 0 ? t : t - bestUnfav, 1, bestUnfav);
    }
  };
  for (let i = 0; i < xs.length; i++) {
    const a = ya[i];
    if (Number.isNaN(a) || Number.isNaN(yt[i])) {
      continue;
    }
    const c = Math.floor(xs[i]);
    if (c !== col) {
      emit();
      col = c;
      t = yt[i];
      bestFav = 0;
      bestUnfav = 0;
    }
    const d = (t - a) * s;
    if (d > bestFav) {
      bestFav = d;
    } else if (-d > bestUnfav) {
      bestUnfav = -d;
    }
  }
  emit();
}

/** A run of buckets with the same RAG, from x0 to x1 (canvas pixels). */
export interface RagRun {
  x0: number;
  x1: number;
  rag: number;
}

/**
 * The RAG strip under the chart as runs of one colour, by whole pixel columns between `left` and
 * `right`: a bucket covers the columns from its start to the next bucket's start (the last one to
 * `lastEnd`); a column holding several buckets takes the worst of them (red over amber over green),
 * so a missed bucket never disappears when zoomed out; buckets without RAG leave a gap.
 */
export function ragRuns(
  xs: ArrayLike<number>,
  rag: ArrayLike<number | null | undefined>,
  lastEnd: number,
  left: number,
  right: number
): RagRun[] {
  const from = Math.floor(left);
  const cols = new Int8Array(Math.max(0, Math.ceil(right) - from)).fill(-1);
  for (let i = 0; i < xs.length; i++) {
    const r = rag[i];
    if (r === null || r === undefined || Number.isNaN(r)) {
      continue;
    }
    const end = i + 1 < xs.length ? xs[i + 1] : lastEnd;
    const c0 = Math.max(0, Math.floor(xs[i]) - from);
    const c1 = Math.min(cols.length, Math.max(Math.ceil(end) - from, c0 + 1));
    for (let c = c0; c < c1; c++) {
      if (r > cols[c]) {
        cols[c] = r;
      }
    }
  }
  const runs: RagRun[] = [];
  let cur: RagRun | undefined;
  for (let c = 0; c < cols.length; c++) {
    const r = cols[c];
    if (r < 0) {
      cur = undefined;
    } else if (cur && cur.rag === r) {
      cur.x1 = from + c + 1;
    } else {
      cur = { x0: from + c, x1: from + c + 1, rag: r };
      runs.push(cur);
    }
  }
  return runs;
}

/** A stretch of the plot from x0 to x1 (canvas pixels). */
export interface XSpan {
  x0: number;
  x1: number;
}

/**
 * Time spans [from, to) as stretches of the plot between `left` and `right` (canvas pixels, placed
 * by `toX`), in order, with those that overlap or touch merged, so that a low-alpha fill of them
 * never darkens where two meet; each is at least `minWidth` wide (a short exclusion stays visible
 * however far the chart is zoomed out). Spans outside the plot are dropped.
 */
export function spanPixels(
  spans: ArrayLike<readonly [number, number]>,
  toX: (t: number) => number,
  left: number,
  right: number,
  minWidth = 0
): XSpan[] {
  const raw: XSpan[] = [];
  for (let i = 0; i < spans.length; i++) {
    let x0 = Math.max(left, toX(spans[i][0]));
    let x1 = Math.min(right, toX(spans[i][1]));
    if (x1 - x0 < minWidth) {
      x1 = Math.min(right, x0 + minWidth);
      x0 = Math.max(left, x1 - minWidth);
    }
    if (x1 > x0) {
      raw.push({ x0, x1 });
    }
  }
  raw.sort((a, b) => a.x0 - b.x0);
  const out: XSpan[] = [];
  for (const r of raw) {
    const last = out[out.length - 1];
    if (last && r.x0 <= last.x1) {
      last.x1 = Math.max(last.x1, r.x1);
    } else {
      out.push({ ...r });
    }
  }
  return out;
}

/**
 * A hatch of parallel lines rising to the right at 45°, `step` apart, over the stretch x0..x1 from
 * `top` to `bottom`: on a grid fixed to x = 0, so stretches hatched apart line up. The lines run
 * past the stretch's sides; the caller clips to it.
 */
export function traceHatch(sink: PathSink, x0: number, x1: number, top: number, bottom: number, step: number) {
  const h = bottom - top;
  if (!(step > 0) || !(x1 > x0) || !(h > 0)) {
    return;
  }
  for (let x = Math.ceil((x0 - h) / step) * step; x <= x1; x += step) {
    sink.moveTo(x, bottom);
    sink.lineTo(x + h, top);
  }
}

/** The index of the last time <= t in sorted times, or -1. */
export function indexAtOrBefore(times: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
