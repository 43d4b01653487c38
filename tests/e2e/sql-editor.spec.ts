import type { Locator, Page } from '@playwright/test';
import { testIds } from '../../src/shared/testIds';
import { paths } from '../../src/shared/paths';
import { expect, test } from './fixtures';
import { openSuggestions, sqlText, suggestion, typeSql } from './monaco';

const ids = testIds.queryEditor;

/**
 * In a SQL editor: a table name's prefix offers the connector's tables (uptime), `$__` offers the macros
 * ($__timeFilter, with its doc), and picking one inserts it with its column placeholder.
 */
async function completesTablesAndMacros(page: Page, sql: Locator, shot?: () => Promise<unknown>) {
  await typeSql(page, sql, 'SELECT * FROM upt');
  await openSuggestions(page);
  await expect(suggestion(page, 'uptime')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect.poll(() => sqlText(sql)).toBe('SELECT * FROM uptime');

  await page.keyboard.type(' WHERE $__');
  await openSuggestions(page);
  for (const macro of ['$__timeFilter', '$__timeFrom', '$__timeTo', '$__key']) {
    await expect(suggestion(page, macro)).toBeVisible();
  }
  await shot?.();
  await suggestion(page, '$__timeFilter').click();
  // The snippet selects its column placeholder: typing replaces it. (No Escape unless a widget of Monaco's
  // is open: in panel edit Grafana takes it and leaves the editor.)
  await page.keyboard.type('time');
  await page.keyboard.press('End');
  await page.keyboard.type(" AND contract = 'acme-it'");
  await expect.poll(() => sqlText(sql)).toBe("SELECT * FROM uptime WHERE $__timeFilter(time) AND contract = 'acme-it'");

  // After a table's alias and a dot, its columns.
  await typeSql(page, sql, 'SELECT u. FROM uptime u');
  await page.keyboard.press('Home');
  for (let i = 0; i < 'SELECT u.'.length; i++) {
    await page.keyboard.press('ArrowRight');
  }
  await page.keyboard.press('Control+Space');
  await expect(suggestion(page, 'uptime_pct')).toBeVisible();
  await expect(suggestion(page, 'response_minutes')).toHaveCount(0);
  await page.keyboard.press('Escape');
}

test('Connector preview: the SQL editor completes tables, columns and macros, and runs when left', async ({
  panelEditPage,
  page,
}) => {
  await panelEditPage.datasource.set('Covenant');
  await panelEditPage.timeRange.set({ from: 'now-7d', to: 'now' });
  const row = panelEditPage.getQueryEditorRow('A');
  await row.getByTestId(ids.queryType).getByRole('combobox').click();
  await page.getByTestId('data-testid Select option').filter({ hasText: 'Connector preview' }).first().click();
  const sql = row.getByTestId(ids.sql);
  await completesTablesAndMacros(page, sql);

  // Leaving the editor applies the SQL and runs the query, macros and all.
  await typeSql(
    page,
    sql,
    "SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = 'acme-it'"
  );
  const response = panelEditPage.waitForQueryDataResponse((r) =>
    (r.request().postData() ?? '').includes('uptime_pct AS value FROM uptime WHERE $__timeFilter(time)')
  );
  await row.getByTestId(ids.key).click();
  await expect(response).toBeOK();
  const body = (await (await response).json()) as { results: Record<string, { error?: string; frames: unknown[] }> };
  expect(body.results.A.error).toBeUndefined();
  expect(body.results.A.frames).toHaveLength(1);
});

test('the KPI form’s SQL editor completes the same', async ({ covenant }) => {
  const { page } = covenant;
  await covenant.open(paths.newKpi);
  const sql = page.getByTestId(testIds.form.field('rawSql'));
  await completesTablesAndMacros(page, sql, () => covenant.shot('15-kpi-sql-completion'));
  // The preview follows the SQL as typed.
  await typeSql(
    page,
    sql,
    'SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key'
  );
  await page.keyboard.press('Escape');
  const preview = page.getByTestId(testIds.form.preview);
  await expect(preview.locator('tbody tr').first()).toBeVisible();
});
