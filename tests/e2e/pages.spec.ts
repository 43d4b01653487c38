import { testIds } from '../../src/shared/testIds';
import { paths } from '../../src/shared/paths';
import { expect, test } from './fixtures';
import { luminance, pixel } from './pixels';
import { api, registry } from './users';
import { typeSql } from './monaco';

const sfx = () => Date.now().toString(36) + Math.floor(Math.random() * 1000);

test('a viewer reads everything and is offered no change', async ({ covenant }) => {
  const { page } = covenant;
  await covenant.open(paths.contracts, { user: 'viewer', theme: 'light' });
  await expect(page.getByTestId(testIds.contracts.row('globex-logistics'))).toBeVisible();
  await expect(page.getByTestId(testIds.contracts.create)).toHaveCount(0);
  await expect(page.getByText('Changes need the Editor role.')).toBeVisible();
  const shot = await covenant.shot('10-contracts-viewer-light');
  expect(luminance(pixel(shot, 4, 4)), 'light theme background').toBeGreaterThan(0.8);

  await page.goto(paths.contract('globex-logistics', 'trackers'));
  await expect(page.getByTestId(testIds.contract.assignments)).toContainText('On-time deliveries');
  await expect(page.getByTestId(testIds.contract.assign)).toHaveCount(0);
  await expect(page.getByTestId(testIds.contract.edit)).toHaveCount(0);

  await page.goto(paths.newContract);
  await expect(page.getByText('Creating and changing contracts needs the Editor role.')).toBeVisible();
  await expect(page.getByTestId(testIds.form.save)).toBeDisabled();
});

test('a refused save is shown at the field and loses nothing typed', async ({ covenant }) => {
  const { page } = covenant;
  await covenant.open(paths.newContract);
  const field = (name: string) => page.getByTestId(testIds.form.field(name));
  await field('name').fill('Refused save');
  await field('counterparty').fill('Nobody Ltd');
  await field('startDate').fill('2026-06-01');
  await field('endDate').fill('2026-01-01');
  await page.getByTestId(testIds.form.save).click();
  await expect(page.getByTestId(testIds.form.error)).toContainText('is not after startDate 2026-06-01');
  // The message sits under the End date field (as well as above the buttons), and everything typed is still there.
  await expect(
    page
      .getByRole('form', { name: 'New contract' })
      .locator('[role="alert"]', { hasText: /^2026-01-01 is not after startDate/ })
  ).toBeVisible();
  await expect(field('name')).toHaveValue('Refused save');
  await expect(field('endDate')).toHaveValue('2026-01-01');
  await covenant.shot('11-contract-form-refused');
  await field('endDate').fill('2027-01-01');
  await page.getByTestId(testIds.form.save).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Refused save');
});

test('a stale edit gets the conflict, not an overwrite', async ({ covenant }) => {
  const { page } = covenant;
  const id = `conflict-${sfx()}`;
  await api('editor', 'POST', registry('contracts'), { id, name: `Conflict ${id}`, counterparty: 'First' });
  await covenant.open(paths.editContract(id));
  await expect(page.getByTestId(testIds.form.field('name'))).toHaveValue(`Conflict ${id}`);
  // Someone else saves first.
  const stored = await api<{ version: number }>('admin', 'GET', registry(`contracts/${id}`));
  await api('admin', 'PUT', registry(`contracts/${id}`), {
    id,
    version: stored.version,
    name: `Conflict ${id}`,
    counterparty: 'Second',
  });
  await page.getByTestId(testIds.form.field('counterparty')).fill('Mine');
  await page.getByTestId(testIds.form.save).click();
  await expect(page.getByTestId(testIds.form.error)).toContainText(
    'Someone changed or removed it since you opened this page'
  );
  await expect(page.getByTestId(testIds.form.field('counterparty'))).toHaveValue('Mine');
  const after = await api<{ counterparty: string; version: number }>('admin', 'GET', registry(`contracts/${id}`));
  expect(after).toMatchObject({ counterparty: 'Second', version: stored.version + 1 });
});

test('the contract form works from the keyboard', async ({ covenant }) => {
  const { page } = covenant;
  const name = `Keyboard ${sfx()}`;
  await covenant.open(paths.newContract);
  await page.getByTestId(testIds.form.field('name')).focus();
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await expect(page.getByTestId(testIds.form.field('counterparty'))).toBeFocused();
  await page.keyboard.type('Keys Inc');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  // The tabs are links reached by Tab and followed with Enter.
  await page.getByTestId(testIds.contract.tab('trackers')).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId(testIds.contract.assignments)).toBeVisible();
});

test('a KPI whose query fails shows why in the preview, at the SQL field', async ({ covenant }) => {
  const { page } = covenant;
  await covenant.open(paths.newKpi);
  // The SQL field is a code editor (Monaco): typed into, as a user does.
  await typeSql(
    page,
    page.getByTestId(testIds.form.field('rawSql')),
    'SELECT time, nope AS value FROM uptime WHERE $__timeFilter(time)'
  );
  await page.keyboard.press('Escape');
  await expect(page.getByTestId(testIds.form.previewError)).toContainText('no such column: nope');
  // The form (the preview is beside it) marks the SQL field with the database's message.
  await expect(page.getByRole('form', { name: 'New KPI' })).toContainText(
    'SQL error: SQL logic error: no such column: nope'
  );
  await covenant.shot('12-kpi-preview-error');
});

test('lists of KPIs and trackers, and the connectors page', async ({ covenant }) => {
  const { page } = covenant;
  await covenant.open(paths.trackers, { theme: 'light' });
  await expect(page.getByTestId(testIds.list.row('trackers', 'responses-within-60'))).toContainText('ratio (<= 60)');
  await covenant.shot('13-trackers-light');
  await page.getByTestId(testIds.list.search('trackers')).fill('no such tracker at all');
  await expect(page.getByTestId(testIds.list.empty('trackers'))).toContainText('No tracker name contains');

  await page.goto(paths.kpis);
  await expect(page.getByTestId(testIds.list.row('kpis', 'first-response'))).toContainText('lower is better');
  // A KPI in use cannot be deleted: the refusal says what uses it.
  await page.getByTestId(testIds.list.remove('kpis', 'first-response')).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('The KPI was not deleted')).toBeVisible();
  await expect(page.getByTestId(testIds.list.row('kpis', 'first-response'))).toBeVisible();

  await page.goto(paths.connectors);
  await expect(page.getByTestId(testIds.connectors.row('demo'))).toContainText('tables');
  await expect(page.getByTestId(testIds.connectors.settings)).toHaveAttribute(
    'href',
    '/connections/datasources/edit/covenant'
  );
  await covenant.shot('14-connectors-light');
});

test('the registry as code: download, a dry run that changes nothing, then the import', async ({ covenant }) => {
  const { page } = covenant;
  await covenant.open(paths.registryAsCode);
  const downloading = page.waitForEvent('download');
  await page.getByTestId(testIds.registryAsCode.download).click();
  const file = await downloading;
  expect(file.suggestedFilename()).toBe('covenant-registry-covenant.yaml');
  const exported = page.getByTestId(testIds.registryAsCode.document);
  await expect(exported).toHaveValue(/^kind: Registry$/m);
  await expect(exported).toHaveValue(/^ {2}id: acme-it$/m);

  const id = `yaml-${sfx()}`;
  const doc = `apiVersion: covenant/v1\nkind: Registry\ncontracts:\n  - id: ${id}\n    name: From YAML ${id}\n    counterparty: Yaml Ltd\n    status: active\n`;
  await page.getByTestId(testIds.registryAsCode.document).fill(doc);
  await expect(page.getByTestId(testIds.registryAsCode.apply)).toBeDisabled();
  await page.getByTestId(testIds.registryAsCode.check).click();
  await expect(page.getByTestId(testIds.registryAsCode.report)).toContainText('The import would: create 1, update 0');
  await expect(page.getByTestId(testIds.registryAsCode.report)).toContainText(id);
  await api('editor', 'GET', registry(`contracts/${id}`), undefined, [404]);
  await page.getByTestId(testIds.registryAsCode.apply).click();
  await expect(page.getByTestId(testIds.registryAsCode.report)).toContainText(
    'create 1, update 0, leave 0 unchanged — done'
  );
  await api('editor', 'GET', registry(`contracts/${id}`));
  await covenant.shot('15-registry-import');

  // A document that refers to a KPI that is not there: refused whole, and the message names the object.
  await page
    .getByTestId(testIds.registryAsCode.document)
    .fill(
      `${doc}trackers:\n  - id: t-${id}\n    name: Orphan\n    kpiId: no-such-kpi\n    method: avg\n    interval: 1d\n    target: {constant: 1}\n`
    );
  await page.getByTestId(testIds.registryAsCode.check).click();
  await expect(page.getByTestId(testIds.registryAsCode.error)).toContainText('trackers[0].kpiId');
});
