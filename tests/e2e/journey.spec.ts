import { testIds } from '../../src/shared/testIds';
import { paths } from '../../src/shared/paths';
import { expect, test } from './fixtures';
import { countIn, luminance, pixel, themeColour } from './pixels';
import { api, registry } from './users';

/**
 * A new user (an Editor), in the app's pages in Grafana, creates a contract, a KPI on the demo
 * connector and a tracker, maps them, and sees the trend on the contract's Tracking tab.
 */
test('a new user creates a contract, a KPI and a tracker, maps them and sees the trend', async ({ covenant }) => {
  const sfx = Date.now().toString(36);
  const { page } = covenant;
  await covenant.open(paths.contracts);
  const field = (name: string) => page.getByTestId(testIds.form.field(name));
  const title = page.getByRole('heading', { level: 1 });

  // The contracts list: the demo contracts, and a way to create one.
  await expect(page.getByTestId(testIds.contracts.row('acme-it'))).toBeVisible();
  await expect(page.getByTestId(testIds.contracts.rag('acme-it'))).toContainText('green');
  await covenant.shot('01-contracts-dark');
  await page.getByTestId(testIds.contracts.create).click();
  await expect(page).toHaveURL(/\/contracts\/new/);

  // 1. The contract.
  await field('name').fill(`Umbrella facilities ${sfx}`);
  await field('counterparty').fill('Umbrella Corp');
  await field('owner').fill('Alex Moreau');
  await page.getByRole('radio', { name: 'active', exact: true }).check();
  await field('startDate').fill('2025-01-01');
  await field('endDate').fill('2028-01-01');
  await field('renewalDate').fill('2028-01-01');
  await field('noticeDays').fill('60');
  await field('value').fill('500000');
  await covenant.shot('02-contract-form');
  await page.getByTestId(testIds.form.save).click();
  // The contract's page: its name is the page's title, once.
  await expect(title).toHaveText(`Umbrella facilities ${sfx}`);
  await expect(page.getByRole('heading', { name: `Umbrella facilities ${sfx}` })).toHaveCount(1);
  const contractId = new URL(page.url()).pathname.split('/').pop()!;
  expect(contractId).toMatch(/^umbrella-facilities-/);
  await expect(page.getByTestId(testIds.contract.noticeBy)).toContainText('2027-11-02');

  // 2. A KPI on the demo connector, with a live preview of its rows; reached from Grafana's menu.
  await page.goto(paths.kpis);
  await page.getByRole('link', { name: /New KPI/ }).click();
  await expect(page).toHaveURL(/\/kpis\/new$/);
  await field('name').fill(`Umbrella uptime ${sfx}`);
  await field('description').fill('Hourly availability of the facilities systems');
  await field('preview-key').fill('initech-cloud');
  const preview = page.getByTestId(testIds.form.preview);
  await expect(preview.locator('tbody tr').first()).toBeVisible();
  await expect(preview).toContainText('rows');
  await covenant.shot('03-kpi-form-preview');
  await page.getByTestId(testIds.form.save).click();
  await expect(page).toHaveURL(/\/kpis$/);
  await page.getByTestId(testIds.list.search('kpis')).fill(sfx);
  await expect(page.getByTestId(testIds.list.table('kpis'))).toContainText(`Umbrella uptime ${sfx}`);

  // 3. A tracker on that KPI, previewed as the panel draws it.
  await page.goto(paths.newTracker);
  await field('name').fill(`Umbrella daily availability ${sfx}`);
  await page.locator('#covenant-kpiId').fill(`Umbrella uptime ${sfx}`);
  await page.keyboard.press('Enter');
  await field('target.constant').fill('99.5');
  await field('tolerance.value').fill('0.3');
  await field('preview-key').fill('initech-cloud');
  await expect(page.getByTestId(testIds.panel.root)).toBeVisible();
  await expect(preview.locator('tbody tr').first()).toBeVisible();
  await covenant.shot('04-tracker-form-preview');
  await page.getByTestId(testIds.form.save).click();
  await expect(page).toHaveURL(/\/trackers$/);

  // 4. Map the tracker to the contract, with the contract's key in the demo rows.
  await page.goto(paths.contract(contractId, 'trackers'));
  await page.getByTestId(testIds.contract.assign).click();
  await page.locator('#covenant-trackerId').fill(`Umbrella daily availability ${sfx}`);
  await page.keyboard.press('Enter');
  await field('key').fill('initech-cloud');
  await field('weight').fill('2');
  await field('clause').fill('Schedule 2 §1.1');
  await page.getByTestId(testIds.form.save).click();
  const assignments = page.getByTestId(testIds.contract.assignments);
  await expect(assignments).toContainText(`Umbrella daily availability ${sfx}`);
  await expect(assignments).toContainText('Schedule 2 §1.1');

  // 5. The Tracking tab draws the trend with the Covenant panel.
  await page.getByTestId(testIds.contract.tab('tracking')).click();
  const trackers = await api<{ items: Array<{ id: string }> }>('editor', 'GET', registry(`trackers?search=${sfx}`));
  const chart = page.getByTestId(testIds.contract.chart(trackers.items[0].id));
  await expect(chart.getByTestId(testIds.panel.root)).toBeVisible();
  await expect(chart.getByTestId(testIds.panel.rag(trackers.items[0].id))).toHaveText(/Green|Amber|Red/);
  const green = (await themeColour(page, 'green')).rgb;
  const dark = await covenant.shot('05-tracking-dark', chart);
  // The RAG strip and points: green buckets (the demo's uptime is mostly above 99.5 %).
  expect(countIn(dark, green, undefined, 4), 'green RAG pixels in the chart').toBeGreaterThan(300);
  expect(luminance(pixel(dark, 4, dark.height - 4))).toBeLessThan(0.25);
  await covenant.shot('06-contract-tracking-dark');

  // The same tab in the light theme.
  await covenant.open(paths.contract(contractId, 'tracking'), { theme: 'light' });
  await expect(chart.getByTestId(testIds.panel.root)).toBeVisible();
  const light = await covenant.shot('07-tracking-light', chart);
  expect(luminance(pixel(light, 4, light.height - 4))).toBeGreaterThan(0.8);
  expect(
    countIn(light, (await themeColour(page, 'green')).rgb, undefined, 4),
    'green RAG pixels, light theme'
  ).toBeGreaterThan(300);
  await covenant.shot('08-contract-tracking-light');
});
