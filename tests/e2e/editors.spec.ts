import type { Locator, Page, Response } from '@playwright/test';
import { expect, test, type PanelEditPage } from '@grafana/plugin-e2e';
import { testIds } from '../../src/shared/testIds';
import { sqlText } from './monaco';
import { pickOption } from './pickers';

const ids = testIds.queryEditor;
const CONTRACTS = ['acme-it', 'globex-logistics', 'initech-cloud'];
const ACME_TRACKERS = ['Daily availability', 'Invoice accuracy', 'Responses within 60 min'];
/** acme-it's name, as the contract pickers show it. */
const ACME = 'Acme IT managed services';

/** Picks a query type in the editor's Select, by its label, as a user does. */
async function pickQueryType(page: Page, row: Locator, label: string) {
  await row.getByTestId(ids.queryType).getByRole('combobox').click();
  await page.getByTestId('data-testid Select option').filter({ hasText: label }).first().click();
  await expect(row.getByTestId(ids.queryType)).toContainText(label);
}

/** Types into one of the editor's inputs and leaves it (its blur runs the query). */
async function fillField(row: Locator, testId: string, value: string) {
  const input = row.getByTestId(testId);
  await input.fill(value);
  await input.blur();
}

/** The panel's query response for the given query type, with its parsed body. */
async function refresh(panelEditPage: PanelEditPage, queryType: string) {
  const response = panelEditPage.refreshPanel({
    waitForResponsePredicateCallback: (r) => isQueryOf(r, queryType),
  });
  await expect(response).toBeOK();
  return response;
}

type QueryBody = {
  results: Record<string, { error?: string; frames: Array<{ schema: { name?: string } }> }>;
} | null;

/** Whether a response answers /api/ds/query for the given query type. */
function isQueryOf(r: Response, queryType: string) {
  return r.url().includes('/api/ds/query') && (r.request().postData() ?? '').includes(`"queryType":"${queryType}"`);
}

/** The frames of refId A in a /api/ds/query answer, with no error. */
function framesIn(body: QueryBody) {
  const result = body?.results.A;
  expect(result?.error, 'query error').toBeUndefined();
  return result?.frames ?? [];
}

/** The frames of refId A in a /api/ds/query response, with no error. */
async function framesOf(response: Promise<Response>) {
  return framesIn(await (await response).json());
}

/** A new panel on a new dashboard, on the Covenant datasource (the provisioned default). */
async function covenantPanel(panelEditPage: PanelEditPage) {
  await panelEditPage.datasource.set('Covenant');
  await panelEditPage.timeRange.set({ from: 'now-30d', to: 'now' });
  const row = panelEditPage.getQueryEditorRow('A');
  await expect(row.getByTestId(ids.queryType)).toBeVisible();
  return row;
}

test.describe('query editor in panel edit', () => {
  test('Tracker series: a registry contract draws one series group per tracker', async ({ panelEditPage, page }) => {
    const row = await covenantPanel(panelEditPage);
    await pickQueryType(page, row, 'Tracker series');
    await expect(row.getByTestId(ids.source).getByLabel('Registry')).toBeChecked();
    await pickOption(page, row, ids.contract, ACME);
    const response = refresh(panelEditPage, 'trackerSeries');
    const frames = await framesOf(response);
    expect(frames.map((f) => f.schema.name)).toEqual(ACME_TRACKERS);
    await expect(panelEditPage.panel.getErrorIcon()).toHaveCount(0);
    // The graph's legend names each tracker's figures.
    for (const tracker of ACME_TRACKERS) {
      await expect(panelEditPage.panel.locator.getByText(`${tracker} actual`, { exact: true })).toBeVisible();
    }
  });

  test('Contract scorecard: a row per tracker of the contract', async ({ panelEditPage, page }) => {
    const row = await covenantPanel(panelEditPage);
    await pickQueryType(page, row, 'Contract scorecard');
    await pickOption(page, row, ids.contract, ACME);
    await framesOf(refresh(panelEditPage, 'contractScorecard'));
    await panelEditPage.toggleTableView();
    await expect(panelEditPage.panel.fieldNames).toContainText(['tracker', 'kpi', 'actual', 'target', 'RAG']);
    await expect(panelEditPage.panel.data).toContainText(ACME_TRACKERS);
    await expect(panelEditPage.panel.getErrorIcon()).toHaveCount(0);
  });

  test('Agreement compliance: one agreement through its review period', async ({ panelEditPage, page }) => {
    const row = await covenantPanel(panelEditPage);
    await pickQueryType(page, row, 'Agreement compliance');
    await pickOption(page, row, ids.contract, ACME);
    await pickOption(page, row, ids.agreement, 'Service levels');
    const frames = await framesOf(refresh(panelEditPage, 'agreementCompliance'));
    expect(frames[0].schema.name).toBe('Service levels');
    await expect(panelEditPage.panel.getErrorIcon()).toHaveCount(0);
    await expect(panelEditPage.panel.locator.getByText('Service levels compliance', { exact: true })).toBeVisible();
    await expect(panelEditPage.panel.locator.getByText('Service levels projected', { exact: true })).toBeVisible();
  });

  test('Portfolio: a row per contract', async ({ panelEditPage, page }) => {
    const row = await covenantPanel(panelEditPage);
    await pickQueryType(page, row, 'Portfolio');
    await framesOf(refresh(panelEditPage, 'portfolio'));
    await panelEditPage.toggleTableView();
    await expect(panelEditPage.panel.fieldNames).toContainText(['contract', 'name', 'classification', 'compliance']);
    await expect(panelEditPage.panel.data).toContainText([
      CONTRACTS[0],
      'Acme IT managed services',
      ...CONTRACTS.slice(1),
    ]);
    await expect(panelEditPage.panel.getErrorIcon()).toHaveCount(0);
  });

  test('Ledger: the closed review periods of an agreement', async ({ panelEditPage, page }) => {
    const row = await covenantPanel(panelEditPage);
    await pickQueryType(page, row, 'Ledger');
    await pickOption(page, row, ids.contract, ACME);
    await pickOption(page, row, ids.agreement, 'Service levels');
    await framesOf(refresh(panelEditPage, 'ledger'));
    await panelEditPage.toggleTableView();
    await expect(panelEditPage.panel.fieldNames).toContainText([
      'agreement',
      'contract',
      'kind',
      'compliance',
      'status',
    ]);
    await expect(panelEditPage.panel.data.filter({ hasText: 'acme-it-service-levels' }).first()).toBeVisible();
    await expect(panelEditPage.panel.data.filter({ hasText: /^close$/ }).first()).toBeVisible();
    await expect(panelEditPage.panel.getErrorIcon()).toHaveCount(0);
  });

  test('Connector preview: an example query of the demo connector', async ({ panelEditPage, page }) => {
    const row = await covenantPanel(panelEditPage);
    await pickQueryType(page, row, 'Connector preview');
    await expect(row.getByTestId(ids.connector)).toContainText('demo');
    await fillField(row, ids.key, 'acme-it');
    const response = panelEditPage.waitForQueryDataResponse((r) =>
      (r.request().postData() ?? '').includes('FROM contracts')
    );
    await row.getByTestId(ids.example('contracts')).click();
    await expect(response).toBeOK();
    // The SQL editor (Monaco) shows the example picked.
    await expect.poll(() => sqlText(row.getByTestId(ids.sql))).toContain('FROM contracts');
    await framesOf(refresh(panelEditPage, 'connectorPreview'));
    await panelEditPage.toggleTableView();
    await expect(panelEditPage.panel.fieldNames).toContainText(['key', 'name', 'counterparty']);
    await expect(panelEditPage.panel.data).toContainText([
      CONTRACTS[0],
      'Acme IT managed services',
      ...CONTRACTS.slice(1),
    ]);
    await expect(panelEditPage.panel.getErrorIcon()).toHaveCount(0);
  });
});

test('template variable: a query variable lists the contracts', async ({ variableEditPage, selectors, page }) => {
  await variableEditPage.setVariableType('Query');
  await variableEditPage.datasource.set('Covenant');
  await expect(page.getByTestId(ids.variableKind).getByLabel('Contracts')).toBeChecked();
  await variableEditPage.runQuery();
  const preview = variableEditPage.getByGrafanaSelector(
    selectors.pages.Dashboard.Settings.Variables.Edit.General.previewOfValuesOption
  );
  // The preview shows the contracts' names (their ids are the values): every contract of the registry,
  // the demo's and those other tests made.
  const res = await page.request.get('/api/datasources/uid/covenant/resources/registry/contracts?limit=500');
  expect(res.ok()).toBe(true);
  const list = (await res.json()) as { items: Array<{ name: string }>; total: number };
  expect(list.items).toHaveLength(list.total);
  const names = list.items.map((c) => c.name);
  expect(names).toEqual(
    expect.arrayContaining(['Acme IT managed services', 'Globex freight and warehousing', 'Initech cloud platform'])
  );
  await expect(preview).toHaveCount(names.length);
  expect([...(await preview.allInnerTexts())].sort()).toEqual([...names].sort());
  await variableEditPage
    .getByGrafanaSelector(selectors.pages.Dashboard.Settings.Variables.Edit.General.applyButton)
    .click();
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  // Back on the dashboard, the variable's picker offers the same contracts.
  const { SubMenu } = selectors.pages.Dashboard;
  await variableEditPage
    .getByGrafanaSelector(SubMenu.submenuItemValueDropDownValueLinkTexts('Acme IT managed services'))
    .click();
  for (const name of ['Acme IT managed services', 'Globex freight and warehousing', 'Initech cloud platform']) {
    await expect(
      variableEditPage.getByGrafanaSelector(SubMenu.submenuItemValueDropDownOptionTexts(name))
    ).toBeVisible();
  }
});

test('Explore: trackerSeries for acme-it draws its trackers', async ({ explorePage, page }) => {
  await explorePage.datasource.set('Covenant');
  await explorePage.timeRange.set({ from: 'now-30d', to: 'now' });
  const row = explorePage.getQueryEditorRow('A');
  await pickQueryType(page, row, 'Tracker series');
  await pickOption(page, row, ids.contract, ACME);
  // Run query, as a user does (plugin-e2e's runQuery gives the click only 1 s, too short on a busy machine).
  // Explore rewrites its URL as the query runs, so the body is read as the response arrives.
  const answer = explorePage.waitForQueryDataResponseWithBody<QueryBody>((r) => isQueryOf(r, 'trackerSeries'));
  await page.getByTestId('data-testid RefreshPicker run button').click();
  const { response, body } = await answer;
  expect(response.ok()).toBe(true);
  const frames = framesIn(body);
  expect(frames.map((f) => f.schema.name)).toEqual(ACME_TRACKERS);
  await expect(explorePage.timeSeriesPanel.locator).toBeVisible();
  for (const tracker of ACME_TRACKERS) {
    await expect(explorePage.timeSeriesPanel.locator.getByText(`${tracker} RAG`, { exact: true })).toBeVisible();
  }
  await expect(explorePage.tablePanel.fieldNames).toContainText(['time', 'Daily availability actual']);
  // Explore keeps an empty, collapsed error box ("Unknown error") in the page: only a shown one counts.
  await expect(page.getByTestId('data-testid Alert error').filter({ visible: true })).toHaveCount(0);
});

// A new panel on the bundled dashboard starts as a trackerSeries on $contract; the pickers choose a
// contract by its name and the dashboard's $tracker, which narrows it to the tracker the URL picks.
test('pickers: a contract by name and $tracker on the bundled dashboard', async ({ gotoDashboardPage, page }) => {
  const dashboard = await gotoDashboardPage({
    uid: 'covenant-contract-performance',
    queryParams: new URLSearchParams({ 'var-contract': 'acme-it', 'var-tracker': 'daily-availability' }),
  });
  const panelEditPage = await dashboard.addPanel();
  await panelEditPage.datasource.set('Covenant');
  await panelEditPage.timeRange.set({ from: 'now-30d', to: 'now' });
  const row = panelEditPage.getQueryEditorRow('A');
  await expect(row.getByTestId(ids.queryType)).toContainText('Tracker series');
  await expect(row.getByTestId(ids.contract)).toContainText('$contract');
  await pickOption(page, row, ids.contract, ACME);
  await pickOption(page, row, ids.trackerIds, '$tracker');
  const frames = await framesOf(refresh(panelEditPage, 'trackerSeries'));
  expect(frames.map((f) => f.schema.name)).toEqual(['Daily availability']);
  await expect(panelEditPage.panel.getErrorIcon()).toHaveCount(0);
});

// The query editor's help has an example per query type; one starts the query from it.
test('query help: an example becomes the query', async ({ panelEditPage, page }) => {
  const row = await covenantPanel(panelEditPage);
  await page.getByRole('button', { name: 'Show data source help' }).first().click();
  const help = page.getByTestId(ids.help);
  await expect(help).toContainText('$__timeFilter(column)');
  await help
    .getByText('Portfolio', { exact: true })
    .locator('..')
    .getByRole('button', { name: 'Use this example' })
    .click();
  await expect(row.getByTestId(ids.queryType)).toContainText('Portfolio');
  await framesOf(refresh(panelEditPage, 'portfolio'));
});
