import { join } from 'node:path';
import { expect, test } from '@grafana/plugin-e2e';
import { testIds } from '../../src/shared/testIds';
import { SHOTS } from './fixtures';

const APP = 'covenant-contracts-app';

// The app's pages as Grafana's menu lists them (plugin.json includes), each with its own title.
// Contracts is the app's default page: Grafana titles it with the app's own name.
const PAGES = [
  ['contracts', 'Covenant'],
  ['portfolio', 'Portfolio'],
  ['trackers', 'Trackers'],
  ['kpis', 'KPIs'],
  ['calendars', 'Calendars'],
  ['connectors', 'Connectors'],
  ['registry', 'Import / export'],
] as const;

test('the app root opens the Contracts page, titled as the app', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId: APP, path: '' });
  await expect(page).toHaveURL(new RegExp(`/a/${APP}/contracts$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Covenant' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Acme IT managed services' })).toBeVisible();
  // Grafana's own "Apps" page title, which the root showed before.
  await expect(page.getByText('App plugins that extend the Grafana experience')).toHaveCount(0);
});

for (const [path, title] of PAGES) {
  test(`the ${title} page has its title and breadcrumb`, async ({ gotoAppPage, page }) => {
    await gotoAppPage({ pluginId: APP, path: `/${path}` });
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(page.getByRole('navigation', { name: /breadcrumbs/i })).toContainText(title);
  });
}

test('a contract has a breadcrumb and tabs of its own', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId: APP, path: '/contracts/acme-it' });
  const crumbs = page.getByRole('navigation', { name: /breadcrumbs/i });
  // Home › Apps › Covenant (the contracts) › the contract's own name.
  await expect(crumbs).toContainText('Covenant');
  await expect(crumbs).toContainText('Acme IT managed services');
  for (const tab of ['Overview', 'Tracking', 'Trackers', 'Agreements']) {
    await expect(page.getByRole('tab', { name: tab })).toBeVisible();
  }
  // Its Tracking tab: a trend chart, drawn by the Covenant panel, per tracker of the contract (three).
  await page.getByRole('tab', { name: 'Tracking' }).click();
  await expect(page.getByTestId(testIds.panel.root)).toHaveCount(3);
  await expect(page.locator('.u-over')).toHaveCount(3);
  await page.screenshot({ path: join(SHOTS, 'contract-acme-it-tracking.png'), fullPage: true });
});
