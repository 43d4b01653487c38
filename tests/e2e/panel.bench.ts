import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHOTS, test } from './fixtures';
import { saveDashboard } from './panelDashboard';
import { api, basicAuth } from './users';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const BENCH_DS = 'covenant-bench';

/** A Covenant datasource whose connectorPreview may return 100,000 rows (the default cap is 10,000). */
async function benchDatasource() {
  const found = await api<{ uid: string } | undefined>(
    'admin',
    'GET',
    `/api/datasources/uid/${BENCH_DS}`,
    undefined,
    [200, 404]
  ).catch(() => undefined);
  if (!found?.uid) {
    await api('admin', 'POST', '/api/datasources', {
      uid: BENCH_DS,
      name: 'Covenant bench',
      type: 'covenant-kpi-datasource',
      access: 'proxy',
      jsonData: { maxPreviewRows: 100000 },
    });
  }
}

/** n minutely points ending now, around 99.5 (SQLite on the demo connector makes them). */
const query = (n: number) => ({
  queryType: 'connectorPreview',
  connector: 'demo',
  limit: n,
  rawSql:
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${n - 1}) ` +
    `SELECT (CAST(strftime('%s', 'now') AS INTEGER) - (${n} - i) * 60) * 1000 AS time, ` +
    `99.5 + sin(i / 50.0) * 0.3 + ((i * 7919) % 100) / 500.0 - 0.1 AS value FROM n`,
});

/** One dashboard per panel kind and size: the same query, on the bench datasource. */
const saveBenchDashboard = (kind: 'covenant' | 'timeseries', n: number) =>
  saveDashboard(
    `bench-${kind}-${n}`,
    [
      {
        type: kind === 'covenant' ? 'covenant-kpitrend-panel' : 'timeseries',
        datasource: BENCH_DS,
        maxDataPoints: n,
        h: 12,
        query: query(n),
        options: kind === 'covenant' ? { fixedTarget: 99.5, tolerance: 0.1 } : {},
      },
    ],
    { from: `now-${n + 10}m` }
  );

/**
 * In the page: the time from the end of the panel's /api/ds/query response to the second animation
 * frame after its chart (uPlot's overlay) is in the page, i.e. the frames turned into a chart and painted.
 */
const probe = () => {
  const w = window as unknown as { benchDrawn?: number };
  const watch = new MutationObserver(() => {
    if (document.querySelector('.u-over')) {
      watch.disconnect();
      requestAnimationFrame(() => requestAnimationFrame(() => (w.benchDrawn = performance.now())));
    }
  });
  watch.observe(document, { childList: true, subtree: true });
};

/**
 * The Covenant trend panel against Grafana's own Time series panel (also uPlot) on a real dashboard in
 * Grafana, drawing the same points from the same query, each opened alone (solo view, 1200x400);
 * they alternate which goes first; 2 warm-up rounds, then medians of BENCH_ROUNDS (default 9).
 */
test('KPI trend panel vs Grafana Time series on a real dashboard', async ({ browser }) => {
  await benchDatasource();
  const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
  const rows: Array<Record<string, number>> = [];
  const context = await browser.newContext({
    viewport: { width: 1200, height: 400 },
    extraHTTPHeaders: { Authorization: basicAuth('admin') },
  });
  await context.addInitScript(probe);
  const page = await context.newPage();
  for (const n of [1_000, 10_000, 100_000]) {
    const uids = {
      covenant: await saveBenchDashboard('covenant', n),
      timeseries: await saveBenchDashboard('timeseries', n),
    };
    const times: Record<'covenant' | 'timeseries', number[]> = { covenant: [], timeseries: [] };
    for (let r = -2; r < rounds; r++) {
      const order = r % 2 === 0 ? (['covenant', 'timeseries'] as const) : (['timeseries', 'covenant'] as const);
      for (const kind of order) {
        await page.goto(`/d-solo/${uids[kind]}?orgId=1&panelId=1`);
        await page.waitForFunction(
          () => (window as unknown as { benchDrawn?: number }).benchDrawn !== undefined,
          null,
          {
            timeout: 60_000,
          }
        );
        const ms = await page.evaluate(() => {
          const q = performance
            .getEntriesByType('resource')
            .filter((e) => e.name.includes('/api/ds/query'))
            .pop() as PerformanceResourceTiming;
          return (window as unknown as { benchDrawn: number }).benchDrawn - q.responseEnd;
        });
        if (r >= 0) {
          times[kind].push(ms);
        }
      }
    }
    const row = { points: n, covenant: median(times.covenant), timeseries: median(times.timeseries) };
    rows.push({ ...row, ratio: row.covenant / row.timeseries });
  }
  await context.close();
  const version = (await api<{ buildInfo: { version: string } }>('admin', 'GET', '/api/frontend/settings')).buildInfo
    .version;
  const out = { grafana: version, rounds, rows };
  writeFileSync(join(SHOTS, 'panel-bench.json'), JSON.stringify(out, null, 2));
  console.log(`\nGrafana ${version}, medians of ${rounds} rounds (ms from the query's response to the chart painted)`);
  console.log('| points | Covenant trend panel | Grafana Time series | ratio |\n|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.points.toLocaleString('en')} | ${r.covenant.toFixed(1)} | ${r.timeseries.toFixed(1)} | ${r.ratio.toFixed(2)} |`
    );
  }
});
