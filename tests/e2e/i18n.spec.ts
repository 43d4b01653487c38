import { testIds } from '../../src/shared/testIds';
import { paths } from '../../src/shared/paths';
import bundled from '../../src/dashboards/contract-performance.json';
import { expect, test } from './fixtures';

// The app in a second language: a user whose Grafana preference is German (global-setup.ts sets it
// through Grafana's own preferences API) reads Covenant in German, in Grafana's real UI; the browser's
// locale is German too, so numbers and dates take the German format. The German words are written
// here as a reader expects them, not read from the catalogue the app uses.

const trendPanel = bundled.panels.find((p) => p.type === 'covenant-kpitrend-panel')!;

test.describe('in German', () => {
  test.use({ locale: 'de-DE' });

  test('the app pages are German, with German numbers', async ({ covenant }) => {
    const { page } = covenant;
    await covenant.open(paths.contracts, { user: 'german', theme: 'light' });
    // Grafana's own chrome is German: the preference reached Grafana, not only Covenant.
    await expect(page.getByText('Suche oder springe zu').first()).toBeVisible();
    await expect(page.getByPlaceholder('Verträge nach Namen suchen')).toBeVisible();
    await expect(page.getByTestId(testIds.contracts.create)).toHaveText('Neuer Vertrag');
    await expect(page.getByTestId(testIds.contracts.row('globex-logistics'))).toBeVisible();
    await expect(page.getByText('Search contracts by name')).toHaveCount(0);

    await page.goto(paths.contract('globex-logistics'));
    const tabs = { overview: 'Übersicht', tracking: 'Verlauf', trackers: 'Tracker', agreements: 'Vereinbarungen' };
    for (const [tab, name] of Object.entries(tabs)) {
      await expect(page.getByTestId(testIds.contract.tab(tab))).toHaveText(name);
    }
    // Amounts in the German format: digits grouped with "." and the currency after the number (2.400.000 $).
    await expect(page.getByText(/^\d{1,3}(\.\d{3})+\s\$$/).first()).toBeVisible();
    await covenant.shot('90-contract-german');

    await page.getByTestId(testIds.contract.tab('agreements')).click();
    await expect(page.getByText('Erfüllungsgrad').first()).toBeVisible();
    // Percentages with a decimal comma: "100,0 %".
    await expect(page.getByText(/^\d{1,3},\d %$/).first()).toBeVisible();
    await covenant.shot('91-agreements-german');
  });

  test('the trend panel and the query editor are German', async ({ covenant }) => {
    const { page } = covenant;
    await covenant.open(`/d/${bundled.uid}?var-contract=globex-logistics&viewPanel=${trendPanel.id}`, {
      user: 'german',
    });
    const panel = page.getByTestId(testIds.panel.root);
    await expect(panel).toBeVisible();
    await expect(panel.getByText(/Ziel \d/).first()).toBeVisible();
    await expect(panel.getByText('verbessert sich').first()).toBeVisible();
    // The accessible table of a series: its headers are German.
    await panel
      .locator(`[data-testid^="${testIds.panel.tableToggle('')}"]`)
      .first()
      .click();
    const table = page.getByTestId(testIds.panel.table).first();
    for (const header of ['Intervall', 'Ist', 'Ziel', 'Abweichung']) {
      await expect(table.getByRole('columnheader', { name: header, exact: true })).toBeVisible();
    }
    await covenant.shot('92-panel-german');

    await page.goto(`/d/${bundled.uid}?var-contract=globex-logistics&editPanel=${trendPanel.id}`);
    await expect(page.getByText('Abfragetyp').first()).toBeVisible();
    await expect(page.getByText('Tracker-Zeitreihen').first()).toBeVisible();
    await covenant.shot('93-query-editor-german');
  });
});

test.describe('in English', () => {
  test.use({ locale: 'en-GB' });

  test('the same pages are English for a user with no language preference', async ({ covenant }) => {
    const { page } = covenant;
    await covenant.open(paths.contract('globex-logistics'), { user: 'editor' });
    const tabs = { overview: 'Overview', tracking: 'Tracking', trackers: 'Trackers', agreements: 'Agreements' };
    for (const [tab, name] of Object.entries(tabs)) {
      await expect(page.getByTestId(testIds.contract.tab(tab))).toHaveText(name);
    }
    await expect(page.getByText('Search or jump to').first()).toBeVisible();
    // Amounts in the British format: the currency first, digits grouped with ",".
    await expect(page.getByText(/US\$\d{1,3}(,\d{3})+/).first()).toBeVisible();
  });
});
