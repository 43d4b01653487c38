import { join } from 'node:path';
import { expect, test } from '@grafana/plugin-e2e';
import { SHOTS } from './fixtures';
import bundled from '../../src/dashboards/contract-performance.json';
import demo from '../../provisioning/dashboards/json/covenant-demo.json';

const DEMO_CONTRACTS = ['acme-it', 'globex-logistics', 'initech-cloud'];

/** The contracts a dashboard offers: its own list where its variable is a custom one, else the demo's. */
function contractsOf(d: {
  templating?: { list?: Array<{ name: string; type: string; options?: Array<{ value: string }> }> };
}) {
  const v = d.templating?.list?.find((x) => x.name === 'contract');
  return v?.type === 'custom' && v.options?.length ? v.options.map((o) => o.value) : DEMO_CONTRACTS;
}

// What a panel says when it has nothing to show: Grafana's words, and the Covenant panel's own.
const EMPTY = /^No data$|Data is missing|missing a number field|These series have no target|Nothing to draw/;

// Tall enough for every panel to be in view, so Grafana draws them all (it draws panels lazily).
test.use({ viewport: { width: 1600, height: 2600 } });

// Every panel of the dashboard the app bundles ("Contract performance") and of the provisioned
// "Covenant demo", for each contract the dashboard offers, in both themes: it renders, with no error
// and without a message saying it has nothing to show.
for (const dashboard of [bundled, demo]) {
  for (const theme of ['dark', 'light']) {
    for (const contract of contractsOf(dashboard)) {
      test(`${dashboard.title} for ${contract} (${theme})`, async ({ gotoDashboardPage, page }) => {
        const d = await gotoDashboardPage({
          uid: dashboard.uid,
          queryParams: new URLSearchParams({ 'var-contract': contract, theme }),
        });
        for (const p of dashboard.panels) {
          const panel = d.getPanelById(String(p.id));
          await expect(panel.locator, p.title).toBeVisible();
          await expect(panel.getErrorIcon(), `${p.title}: error`).toHaveCount(0);
          await expect(panel.locator.getByText(EMPTY), p.title).toHaveCount(0);
        }
        await page.screenshot({
          path: join(SHOTS, `${dashboard.uid}-${contract}-${theme}.png`),
          fullPage: true,
        });
      });
    }
  }
}
