import { join } from 'node:path';
import { expect, test } from '@grafana/plugin-e2e';
import dashboard from '../../src/dashboards/contract-performance.json';

const CONTRACTS = ['acme-it', 'globex-logistics', 'initech-cloud'];

// Tall enough for every panel to be in view, so Grafana draws them all (it draws panels lazily).
test.use({ viewport: { width: 1600, height: 2600 } });

// Every panel of the bundled "Contract performance" dashboard, for each demo contract, in both
// themes: it renders, with no error, no "No data" and no missing-field message.
for (const theme of ['dark', 'light']) {
  for (const contract of CONTRACTS) {
    test(`Contract performance for ${contract} (${theme})`, async ({ gotoDashboardPage, page }) => {
      const d = await gotoDashboardPage({
        uid: dashboard.uid,
        queryParams: new URLSearchParams({ 'var-contract': contract, theme }),
      });
      for (const p of dashboard.panels) {
        const panel = d.getPanelById(String(p.id));
        await expect(panel.locator, p.title).toBeVisible();
        await expect(panel.getErrorIcon(), `${p.title}: error`).toHaveCount(0);
        await expect(panel.locator.getByText(/^No data$|Data is missing|missing a number field/), p.title).toHaveCount(
          0
        );
      }
      await page.screenshot({
        path: join(__dirname, `../../test-artifacts/e2e/contract-performance-${contract}-${theme}.png`),
        fullPage: true,
      });
    });
  }
}
