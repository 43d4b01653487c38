import type { Page } from '@playwright/test';
import { testIds } from '../../src/shared/testIds';
import { blend, countIn, expect, luminance, pixel, test, themeColour, type Theme } from './fixtures';

/**
 * The KPI trend panel alone, as a dashboard shows it: its module as Grafana serves it, frames from
 * the real backend through /api/ds/query and Grafana's field-config pipeline (harness/host.tsx).
 * The pixels are checked against the theme's colours.
 */
const q = (o: object) => encodeURIComponent(JSON.stringify(o));
const responses: Record<string, unknown> = {
  queryType: 'trackerSeries',
  contract: 'acme-it',
  trackerIds: ['responses-within-60'],
};

async function openPanel(
  covenant: { open: (path: string, o?: { theme?: Theme }) => Promise<void> },
  page: Page,
  { query = responses, options = {}, theme = 'dark' as Theme, width = 900, height = 320, from = 'now-180d' } = {}
) {
  await covenant.open(
    `/covenant-harness/panel?width=${width}&height=${height}&from=${from}&options=${q(options)}&query=${q(query)}`,
    { theme }
  );
  await expect(page.getByTestId('covenant-harness-panel')).toBeVisible();
}

/** The plot area (uPlot's overlay) of the n-th chart, in page pixels. */
async function plotBox(page: Page, n = 0) {
  const box = await page.locator('.u-over').nth(n).boundingBox();
  if (!box) {
    throw new Error('no plot');
  }
  return box;
}

for (const theme of ['dark', 'light'] as Theme[]) {
  test(`a tracker's actual, target, band and RAG are drawn in the ${theme} theme`, async ({ page, covenant }) => {
    await openPanel(covenant, page, { theme });
    const header = page.getByTestId(testIds.panel.header('responses-within-60'));
    await expect(header).toContainText('Responses within 60 min');
    await expect(header).toContainText('target 80.0%');
    await expect(page.getByTestId(testIds.panel.rag('responses-within-60'))).toHaveText(/Green|Amber|Red/);
    const shot = await covenant.shot(`20-panel-${theme}`);
    const plot = await plotBox(page);
    const bg = (await themeColour(page, 'colors.background.canvas')).rgb;
    expect(luminance(bg) > 0.5).toBe(theme === 'light');
    const [green, orange, red] = [
      (await themeColour(page, 'green')).rgb,
      (await themeColour(page, 'orange')).rgb,
      (await themeColour(page, 'red')).rgb,
    ];

    // The RAG strip under the plot: every RAG of this tracker's last half year (it has all three).
    const strip = { x: plot.x, y: plot.y + plot.height + 1, width: plot.width, height: 10 };
    for (const [name, colour] of [
      ['green', green],
      ['amber', orange],
      ['red', red],
    ] as const) {
      expect(countIn(shot, colour, strip, 3), `${name} cells in the RAG strip`).toBeGreaterThan(40);
    }
    // The band: favourable above the target, unfavourable below it (a ratio is better higher).
    const alpha = theme === 'dark' ? [0.28, 0.32] : [0.22, 0.24];
    expect(countIn(shot, blend(bg, green, alpha[0]), plot, 4), 'favourable band pixels').toBeGreaterThan(500);
    expect(countIn(shot, blend(bg, red, alpha[1]), plot, 4), 'unfavourable band pixels').toBeGreaterThan(2000);
    // The open bucket, shaded at the right end.
    expect(pixel(shot, plot.x + plot.width - 3, plot.y + 5)).not.toEqual(bg);

    // Without the band and points, the target is a dashed horizontal line: one row holds it across the plot.
    await openPanel(covenant, page, { theme, options: { showBand: false, showPoints: false } });
    const lines = await covenant.shot(`21-panel-lines-${theme}`);
    const target = await themeColour(page, 'colors.text.secondary');
    const targetPx = blend(bg, target.rgb, target.alpha);
    let best = 0;
    for (let y = Math.floor(plot.y); y < plot.y + plot.height; y++) {
      best = Math.max(best, countIn(lines, targetPx, { x: plot.x, y, width: plot.width, height: 1 }, 10));
    }
    expect(best, 'the longest row of target-coloured pixels').toBeGreaterThan(plot.width * 0.35);
  });
}

test('the colour-blind palette draws RAG in blue, orange and vermillion', async ({ page, covenant }) => {
  await openPanel(covenant, page, { options: { ragPalette: 'colorblind' } });
  const shot = await covenant.shot('22-panel-colorblind');
  const plot = await plotBox(page);
  const strip = { x: plot.x, y: plot.y + plot.height + 1, width: plot.width, height: 10 };
  expect(countIn(shot, [0x00, 0x72, 0xb2], strip, 3)).toBeGreaterThan(40);
  expect(countIn(shot, [0xd5, 0x5e, 0x00], strip, 3)).toBeGreaterThan(40);
  expect(countIn(shot, (await themeColour(page, 'green')).rgb, strip, 3)).toBe(0);
});

test('the tooltip shows every figure of the hovered bucket; a drag zooms the range', async ({ page, covenant }) => {
  await openPanel(covenant, page);
  const plot = await plotBox(page);
  await page.mouse.move(plot.x + plot.width * 0.5, plot.y + plot.height * 0.5);
  const tip = page.getByTestId(testIds.panel.tooltip);
  await expect(tip).toBeVisible();
  await expect(tip).toContainText('Actual');
  await expect(tip).toContainText('Target80.0%');
  await expect(tip).toContainText(/RAG(Green|Amber|Red)/);
  await covenant.shot('23-panel-tooltip');
  await page.mouse.move(plot.x + 5, plot.y + plot.height + 60);
  await expect(tip).toHaveCount(0);

  const before = await page.evaluate(() => Date.now());
  await page.mouse.move(plot.x + plot.width * 0.3, plot.y + 20);
  await page.mouse.down();
  await page.mouse.move(plot.x + plot.width * 0.6, plot.y + 20, { steps: 8 });
  await page.mouse.up();
  const zoomed = await page.waitForFunction(
    () =>
      (window as unknown as { covenantPanel: { state: { zoomedTo?: { from: number; to: number } } } }).covenantPanel
        .state.zoomedTo
  );
  const r = (await zoomed.jsonValue()) as { from: number; to: number };
  const span = 180 * 86400000;
  expect((r.to - r.from) / span).toBeGreaterThan(0.25);
  expect((r.to - r.from) / span).toBeLessThan(0.35);
  expect(r.to).toBeLessThan(before);
});

test('several trackers: small multiples with one cursor, or overlaid', async ({ page, covenant }) => {
  await openPanel(covenant, page, {
    query: { queryType: 'trackerSeries', contract: 'acme-it' },
    height: 600,
    from: 'now-90d',
  });
  await expect(page.locator('.u-over')).toHaveCount(3);
  const first = await plotBox(page, 0);
  await page.mouse.move(first.x + first.width * 0.4, first.y + 10);
  // Every chart's cursor line stands at the same x.
  const cursors = () =>
    page.locator('.u-cursor-x').evaluateAll((els) => els.map((e) => (e as HTMLElement).style.transform));
  await expect.poll(async () => (await cursors())[0]).toMatch(/^translate\(\d+(\.\d+)?px/);
  const xs = await cursors();
  expect(xs).toHaveLength(3);
  expect(new Set(xs).size).toBe(1);
  await covenant.shot('24-panel-multiples');

  await openPanel(covenant, page, {
    query: { queryType: 'trackerSeries', contract: 'acme-it' },
    options: { layout: 'overlay' },
    from: 'now-90d',
  });
  await expect(page.locator('.u-over')).toHaveCount(1);
  await expect(page.locator('[data-testid^="data-testid covenant-kpitrend-header-"]')).toHaveCount(3);
  await covenant.shot('25-panel-overlay');
});

/** The x of each chart's cursor line (uPlot moves it with a transform), in order on the page. */
async function cursorXs(page: Page) {
  return page
    .locator('.u-cursor-x')
    .evaluateAll((els) =>
      els.map((e) => Number(/^translate\((-?\d+(?:\.\d+)?)px/.exec((e as HTMLElement).style.transform)?.[1] ?? NaN))
    );
}

test("two panels on a dashboard with a shared crosshair follow each other's cursor", async ({ page, covenant }) => {
  const query = q({ queryType: 'trackerSeries', contract: 'acme-it', trackerIds: ['responses-within-60'] });
  for (const sync of ['crosshair', 'off']) {
    await covenant.open(
      `/covenant-harness/panel?copies=2&sync=${sync}&width=700&height=260&from=now-90d&query=${query}`
    );
    await expect(page.locator('.u-over')).toHaveCount(2);
    const first = await plotBox(page, 0);
    await page.mouse.move(first.x + first.width * 0.4, first.y + 20);
    await expect.poll(async () => (await cursorXs(page))[0]).toBeGreaterThan(0);
    if (sync === 'crosshair') {
      // The other panel's cursor stands at the same time, so at the same x (same width and range).
      await expect.poll(async () => Math.abs((await cursorXs(page))[1] - (await cursorXs(page))[0])).toBeLessThan(1.5);
      await covenant.shot('26-panel-shared-crosshair');
      await page.mouse.move(1, 1);
      await expect.poll(async () => (await cursorXs(page))[1]).toBeLessThan(0);
    } else {
      await page.waitForTimeout(300);
      const xs = await cursorXs(page);
      expect(Number.isNaN(xs[1]) || xs[1] < 0, `the other panel's cursor: ${xs[1]}`).toBe(true);
    }
  }
});

test('any time series works against a fixed target, and says what is missing without one', async ({
  page,
  covenant,
}) => {
  const uptime = {
    queryType: 'connectorPreview',
    connector: 'demo',
    rawSql:
      'SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key ORDER BY time',
    key: 'acme-it',
  };
  await openPanel(covenant, page, { query: uptime, from: 'now-7d' });
  await expect(page.getByTestId(testIds.panel.empty)).toContainText('Set “Fixed target”');
  await openPanel(covenant, page, { query: uptime, from: 'now-7d', options: { fixedTarget: 99.5, tolerance: 0.5 } });
  await expect(page.locator('.u-over')).toHaveCount(1);
  await expect(page.locator('[data-testid^="data-testid covenant-kpitrend-rag-"]')).toHaveText(/Green|Amber|Red/);
  await covenant.shot('26-panel-fixed-target');
});
