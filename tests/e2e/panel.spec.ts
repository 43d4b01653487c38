import type { Page } from '@playwright/test';
import { testIds } from '../../src/shared/testIds';
import { expect, test, type Theme } from './fixtures';
import { openSolo, saveDashboard, type TestPanel } from './panelDashboard';
import { blend, countIn, luminance, pixel, themeColour } from './pixels';

/**
 * The KPI trend panel on a dashboard in Grafana: frames from the real backend, Grafana's own
 * field-config pipeline, drawn in the browser; the pixels are checked against the theme's colours.
 */
const responses = { queryType: 'trackerSeries', contract: 'acme-it', trackerIds: ['responses-within-60'] };

async function solo(
  covenant: Parameters<typeof openSolo>[0],
  name: string,
  panel: TestPanel,
  opts: Parameters<typeof openSolo>[2] = {}
) {
  const uid = await saveDashboard(name, [panel]);
  await openSolo(covenant, uid, opts);
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
  test(`a tracker's actual, target, band and RAG are drawn in the ${theme} theme`, async ({ covenant }) => {
    const { page } = covenant;
    await solo(covenant, 'responses', { query: responses }, { theme });
    const header = page.getByTestId(testIds.panel.header('responses-within-60'));
    await expect(header).toContainText('Responses within 60 min');
    await expect(header).toContainText('target 80.0%');
    await expect(page.getByTestId(testIds.panel.rag('responses-within-60'))).toHaveText(/Green|Amber|Red/);
    const shot = await covenant.shot(`20-panel-${theme}`);
    const plot = await plotBox(page);
    const bg = (await themeColour(page, 'colors.background.primary')).rgb;
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
    await solo(
      covenant,
      'responses-lines',
      { query: responses, options: { showBand: false, showPoints: false } },
      { theme }
    );
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

test('the colour-blind palette draws RAG in blue, orange and vermillion', async ({ covenant }) => {
  const { page } = covenant;
  await solo(covenant, 'colorblind', { query: responses, options: { ragPalette: 'colorblind' } });
  const shot = await covenant.shot('22-panel-colorblind');
  const plot = await plotBox(page);
  const strip = { x: plot.x, y: plot.y + plot.height + 1, width: plot.width, height: 10 };
  expect(countIn(shot, [0x00, 0x72, 0xb2], strip, 3)).toBeGreaterThan(40);
  expect(countIn(shot, [0xd5, 0x5e, 0x00], strip, 3)).toBeGreaterThan(40);
  expect(countIn(shot, (await themeColour(page, 'green')).rgb, strip, 3)).toBe(0);
});

test("the tooltip shows every figure of the hovered bucket; a drag zooms the dashboard's range", async ({
  covenant,
}) => {
  const { page } = covenant;
  await solo(covenant, 'responses', { query: responses });
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

  // A drag over 30 % of the plot sets Grafana's time range (in the URL) to that 30 % of the half year.
  const before = Date.now();
  await page.mouse.move(plot.x + plot.width * 0.3, plot.y + 20);
  await page.mouse.down();
  await page.mouse.move(plot.x + plot.width * 0.6, plot.y + 20, { steps: 8 });
  await page.mouse.up();
  await expect(page).toHaveURL(/from=\d{13}.*to=\d{13}/);
  const url = new URL(page.url());
  const [from, to] = [Number(url.searchParams.get('from')), Number(url.searchParams.get('to'))];
  const span = 180 * 86400000;
  expect((to - from) / span).toBeGreaterThan(0.25);
  expect((to - from) / span).toBeLessThan(0.35);
  expect(to).toBeLessThan(before);
});

test('without a mouse: the chart takes the focus, the arrows read its buckets, a table lists them', async ({
  covenant,
}) => {
  const { page } = covenant;
  await solo(covenant, 'keyboard', { query: responses });
  const chart = page.getByRole('group', { name: /Responses within 60 min: actual against target per bucket/ });
  await expect(chart).toBeVisible();
  // Tab reaches the chart (after its table button).
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-roledescription') ?? '');
  for (let i = 0; i < 10 && (await focused()) !== 'chart'; i++) {
    await page.keyboard.press('Tab');
  }
  await expect(chart).toBeFocused();
  const tip = page.getByTestId(testIds.panel.tooltip);
  await expect(tip).toHaveCount(0);
  await page.keyboard.press('ArrowLeft');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText(/RAG(Green|Amber|Red)/);
  const first = await tip.textContent();
  await page.keyboard.press('ArrowLeft');
  await expect(tip).not.toHaveText(first ?? '');
  await covenant.shot('23b-panel-keyboard');
  await page.keyboard.press('Escape');
  await expect(tip).toHaveCount(0);

  // Shift+Tab: the table button; Enter swaps the chart for the table of its buckets.
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByTestId(testIds.panel.tableToggle('overlay'))).toBeFocused();
  await page.keyboard.press('Enter');
  const table = page.getByTestId(testIds.panel.table);
  await expect(table).toBeVisible();
  await expect(table.getByRole('columnheader')).toHaveText(['Bucket', 'Actual', 'Target', 'Variance', 'RAG']);
  expect(await table.getByRole('row').count()).toBeGreaterThan(20); // weekly buckets over half a year
  await expect(table.getByRole('row').nth(2)).toContainText(/%.*(Green|Amber|Red)/);
  await page.keyboard.press('Enter');
  await expect(table).toHaveCount(0);
});

test("a click pins the tooltip: its data link opens the tracker's contract", async ({ covenant }) => {
  const { page } = covenant;
  await solo(covenant, 'links', { query: responses });
  const plot = await plotBox(page);
  await page.mouse.move(plot.x + plot.width * 0.5, plot.y + plot.height * 0.5);
  await page.mouse.click(plot.x + plot.width * 0.5, plot.y + plot.height * 0.5);
  const link = page.getByTestId(testIds.panel.tooltip).getByRole('link', { name: 'Open contract acme-it' });
  // Pinned: moving away does not close it, so the link can be reached.
  await page.mouse.move(plot.x + plot.width * 0.2, plot.y + plot.height * 0.5, { steps: 4 });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(/\/a\/covenant-contracts-app\/contracts\/acme-it\?tab=tracking/);
});

test('several trackers: small multiples with one cursor, or overlaid', async ({ covenant }) => {
  const { page } = covenant;
  const all = { queryType: 'trackerSeries', contract: 'acme-it' };
  await solo(covenant, 'multiples', { query: all }, { height: 600, from: 'now-90d' });
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

  await solo(covenant, 'overlay', { query: all, options: { layout: 'overlay' } }, { from: 'now-90d' });
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

test("two panels on a dashboard with a shared crosshair follow each other's cursor", async ({ covenant }) => {
  const { page } = covenant;
  await page.setViewportSize({ width: 1400, height: 900 });
  for (const [sync, graphTooltip] of [
    ['crosshair', 1],
    ['off', 0],
  ] as const) {
    const panels = [
      { query: responses, w: 12, h: 9 },
      { query: responses, w: 12, h: 9 },
    ];
    const uid = await saveDashboard(`crosshair-${sync}`, panels, { graphTooltip });
    await covenant.open(`/d/${uid}?orgId=1&from=now-90d&to=now`, { user: 'admin' });
    await expect(page.locator('.u-over')).toHaveCount(2);
    const first = await plotBox(page, 0);
    const second = await plotBox(page, 1);
    await page.mouse.move(first.x + first.width * 0.4, first.y + 20);
    await expect.poll(async () => (await cursorXs(page))[0]).toBeGreaterThan(0);
    if (sync === 'crosshair') {
      // The other panel's cursor stands at the same time, so at the same x (same width and range).
      expect(Math.abs(first.width - second.width)).toBeLessThan(1.5);
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

test('any time series works against a fixed target, and says what is missing without one', async ({ covenant }) => {
  const { page } = covenant;
  const uptime = {
    queryType: 'connectorPreview',
    connector: 'demo',
    rawSql:
      'SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key ORDER BY time',
    key: 'acme-it',
  };
  await solo(covenant, 'fixed-target-none', { query: uptime }, { from: 'now-7d', chart: false });
  await expect(page.getByTestId(testIds.panel.empty)).toContainText('Set “Fixed target”');
  await solo(
    covenant,
    'fixed-target',
    { query: uptime, options: { fixedTarget: 99.5, tolerance: 0.5 } },
    { from: 'now-7d' }
  );
  await expect(page.locator('.u-over')).toHaveCount(1);
  await expect(page.locator('[data-testid^="data-testid covenant-kpitrend-rag-"]')).toHaveText(/Green|Amber|Red/);
  await covenant.shot('27-panel-fixed-target');
});
