import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHOTS, test } from './fixtures';

type Round = { first: number; resize: number };
type Bench = {
  panel: (n: number, w: number, h: number, w2: number) => Promise<Round>;
  uplot: (n: number, w: number, h: number, w2: number) => Promise<Round>;
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/**
 * Time to first draw and to redraw after a resize, for 1k, 10k and 100k points: the Covenant panel
 * (React, transforms, uPlot, the band, RAG strip and points) against bare uPlot drawing the same two
 * lines on the same points, in the same page, alternating which goes first; medians of 9 rounds after
 * 2 warm-up rounds.
 */
test('KPI trend panel vs bare uPlot', async ({ page, covenant }) => {
  await covenant.open('/covenant-harness/bench');
  const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
  const rows: Array<Record<string, number>> = [];
  for (const n of [1_000, 10_000, 100_000]) {
    const panel: Round[] = [];
    const uplot: Round[] = [];
    for (let r = -2; r < rounds; r++) {
      const order = r % 2 === 0 ? (['panel', 'uplot'] as const) : (['uplot', 'panel'] as const);
      for (const which of order) {
        const res = await page.evaluate(
          ([w, n]) =>
            (window as unknown as { covenantBench: Bench }).covenantBench[w as 'panel' | 'uplot'](
              n as number,
              1200,
              400,
              800
            ),
          [which, n] as const
        );
        if (r >= 0) {
          (which === 'panel' ? panel : uplot).push(res);
        }
      }
    }
    const row = {
      points: n,
      panelFirst: median(panel.map((x) => x.first)),
      uplotFirst: median(uplot.map((x) => x.first)),
      panelResize: median(panel.map((x) => x.resize)),
      uplotResize: median(uplot.map((x) => x.resize)),
    };
    rows.push({ ...row, firstRatio: row.panelFirst / row.uplotFirst, resizeRatio: row.panelResize / row.uplotResize });
  }
  const version = await page.evaluate(
    () => navigator.userAgent.match(/Chrom(e|ium)\/[\d.]+/)?.[0] ?? navigator.userAgent
  );
  const out = { browser: version, rounds, rows };
  writeFileSync(join(SHOTS, 'panel-bench.json'), JSON.stringify(out, null, 2));
  const f = (x: number) => x.toFixed(1);
  console.log(
    `\n${version}, medians of ${rounds} rounds (ms)\n| points | panel first draw | bare uPlot first draw | ratio | panel resize | bare uPlot resize | ratio |`
  );
  for (const r of rows) {
    console.log(
      `| ${r.points.toLocaleString('en')} | ${f(r.panelFirst)} | ${f(r.uplotFirst)} | ${r.firstRatio.toFixed(2)} | ${f(r.panelResize)} | ${f(r.uplotResize)} | ${r.resizeRatio.toFixed(2)} |`
    );
  }
});
