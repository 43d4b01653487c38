import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '@grafana/plugin-e2e';
import { SHOTS } from './fixtures';
import { testIds } from '../../src/shared/testIds';
import { pickOption } from './pickers';

const ids = testIds.queryEditor;
const DS = '/api/datasources/uid/covenant/resources';
const FOLDER = { uid: 'covenant-e2e-alerting', title: 'Covenant e2e alerting' };
const RULE = 'Covenant e2e: acme-it tracker not green';
const GROUP = 'covenant-e2e';

/** The names of a contract's trackers, as the registry lists its assignments. */
async function trackerNames(page: Page, contract: string): Promise<string[]> {
  const res = await page.request.get(`${DS}/registry/assignments?contractId=${contract}`);
  expect(res.ok()).toBe(true);
  const { items } = (await res.json()) as { items: Array<{ trackerId: string }> };
  return Promise.all(
    items.map(async ({ trackerId }) => {
      const tracker = await page.request.get(`${DS}/registry/trackers/${trackerId}`);
      expect(tracker.ok()).toBe(true);
      return ((await tracker.json()) as { name: string }).name;
    })
  );
}

/** Deletes the test's folder, with the rules in it. */
async function removeFolder(page: Page) {
  await page.request.delete(`/api/folders/${FOLDER.uid}?forceDeleteRules=true`);
}

// Tall enough for the rule's query step, from the query to its expressions, in one screenshot.
test.use({ viewport: { width: 1400, height: 2200 } });

test.beforeEach(async ({ page }) => {
  await removeFolder(page);
  expect((await page.request.post('/api/folders', { data: FOLDER })).ok()).toBe(true);
});

test.afterEach(async ({ page }) => {
  await page.request.delete(`/api/ruler/grafana/api/v1/rules/${FOLDER.uid}/${GROUP}`);
  await removeFolder(page);
});

test('an alert rule on a Covenant trackerSeries query: one series per tracker, saved', async ({
  alertRuleEditPage,
  page,
}) => {
  const trackers = await trackerNames(page, 'acme-it');
  expect(trackers.length).toBeGreaterThan(1);

  await alertRuleEditPage.alertRuleNameField.fill(RULE);
  const query = await alertRuleEditPage.getQueryRow('A');
  await query.datasource.set('Covenant');
  const editor = query.locator;
  await editor.getByTestId(ids.queryType).getByRole('combobox').click();
  await page.getByTestId('data-testid Select option').filter({ hasText: 'Tracker series' }).first().click();
  // The pickers: acme-it by its name, and only the RAG figure.
  await pickOption(page, editor, ids.contract, 'Acme IT managed services');
  await pickOption(page, editor, ids.fields, 'rag');
  // The last 30 days, so the preview shows closed buckets.
  await editor.getByText('Options', { exact: true }).click();
  await page.getByRole('button', { name: /now-10m to now/ }).click();
  await page.getByText('Last 30 days', { exact: true }).click();
  await page.keyboard.press('Escape');
  await expect(editor.getByText('a month', { exact: true })).toBeVisible();

  // Reduce (B): the last closed bucket's RAG of each series.
  await page.getByText('Strict', { exact: true }).locator('..').getByRole('combobox').click();
  await page.getByTestId('data-testid Select option').filter({ hasText: 'Drop Non-numeric Values' }).click();

  const evaluation = alertRuleEditPage.evaluate();
  await expect(evaluation).toBeOK();
  const body = (await (await evaluation).json()) as { results: Record<string, { frames: unknown[] }> };
  // One frame per tracker in A, one reduced number per tracker in B.
  expect(body.results.A.frames).toHaveLength(trackers.length);
  await expect(page.getByText(`${trackers.length} series`, { exact: true })).toBeVisible();
  // The query's preview: one series per tracker, in the graph's legend and the reduced rows.
  for (const tracker of trackers) {
    await expect(page.getByText(`${tracker} RAG`, { exact: true })).toBeVisible();
  }
  await expect(page.getByText(/^\{assignmentId="acme-it-/)).toHaveCount(2 * trackers.length);
  // The rule's query step, from its heading down, for the README.
  await page.getByText('2. Define query and alert condition', { exact: true }).evaluate((e) => e.scrollIntoView());
  await page.screenshot({ path: join(SHOTS, 'alert-rule.png') });

  // Folder, a new evaluation group, the notification policy; then save.
  await page.getByText('Choose', { exact: true }).locator('..').getByRole('combobox').fill(FOLDER.title);
  await page.getByTestId('data-testid Select option').filter({ hasText: FOLDER.title }).click();
  await page.getByRole('button', { name: 'New evaluation group' }).click();
  const dialog = page.getByRole('dialog', { name: 'New evaluation group' });
  await dialog.getByRole('textbox', { name: 'Enter a name' }).fill(GROUP);
  await dialog.getByRole('button', { name: /^Create/ }).click();
  await page.getByRole('radio', { name: 'Use notification policy' }).check({ force: true });
  await page.getByRole('button', { name: 'Save rule and exit' }).click();

  // The rule list shows it, in its folder.
  await expect(page).toHaveURL(/\/alerting\/list/);
  await page
    .getByPlaceholder(/Search/)
    .first()
    .fill(RULE);
  await expect(page.getByText(RULE).first()).toBeVisible();
  const saved = await page.request.get(`/api/ruler/grafana/api/v1/rules/${FOLDER.uid}/${GROUP}`);
  expect(saved.ok()).toBe(true);
  expect(JSON.stringify(await saved.json())).toContain('"fields":["rag"]');
});
