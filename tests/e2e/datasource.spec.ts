import { expect, test } from '@grafana/plugin-e2e';
import { testIds } from '../../src/shared/testIds';
import { api } from './users';

test('a new Covenant datasource saves and tests with the demo connector', async ({
  createDataSourceConfigPage,
  page,
}) => {
  const config = await createDataSourceConfigPage({ type: 'covenant-kpi-datasource' });
  await expect(page.getByText('Connectors', { exact: false }).first()).toBeVisible();
  await expect(config.saveAndTest()).toBeOK();
});

/**
 * The connectors editor: a PostgreSQL connector typed into the settings page, its password kept as a
 * secret (stored encrypted, never sent back: the page shows it as configured), then Save & test and
 * the connector's own Test against the PostgreSQL that scripts/test.sh runs.
 */
test('a PostgreSQL connector with its password as a secret', async ({ createDataSourceConfigPage, page }) => {
  const pg = new URL(process.env.COVENANT_PG_URL ?? 'postgres://covenant:covenant-test@127.0.0.1:55432/covenant');
  const config = await createDataSourceConfigPage({ type: 'covenant-kpi-datasource' });
  const field = (name: string) => page.getByTestId(testIds.configEditor.connectorField(0, name));
  await page.getByTestId(testIds.configEditor.addConnector).click();
  await field('name').fill('warehouse');
  await field('host').fill(pg.hostname);
  await field('port').fill(pg.port);
  await field('database').fill(pg.pathname.slice(1));
  await field('user').fill(decodeURIComponent(pg.username));
  await field('password').fill(decodeURIComponent(pg.password));
  await field('tlsMode').click();
  await page.getByRole('option', { name: 'disable', exact: true }).click();
  await expect(config.saveAndTest()).toBeOK();

  // Stored: the password is a secure field, and nowhere in what Grafana sends back.
  const uid = new URL(page.url()).pathname.split('/').pop()!;
  const stored = await api<{ jsonData: unknown; secureJsonFields: Record<string, boolean> }>(
    'admin',
    'GET',
    `/api/datasources/uid/${uid}`
  );
  const keys = Object.keys(stored.secureJsonFields).filter((k) => stored.secureJsonFields[k]);
  expect(keys).toEqual([expect.stringMatching(/^connectors\.[^.]+\.password$/)]);
  expect(JSON.stringify(stored)).not.toContain(decodeURIComponent(pg.password));

  // The page, opened again, shows the secret as configured (with a Reset), not its value.
  await page.reload();
  await expect(field('name')).toHaveValue('warehouse');
  await expect(page.getByRole('button', { name: 'Reset' }).first()).toBeVisible();
  expect(await page.content()).not.toContain(decodeURIComponent(pg.password));

  // The connector's own test reaches PostgreSQL with the stored secret.
  await page.getByTestId(testIds.configEditor.testConnector(0)).click();
  const result = page.getByTestId(testIds.configEditor.testResult(0));
  await expect(result).toContainText('Connected');
  await expect(result).not.toContainText('Connection failed');
  await api('admin', 'DELETE', `/api/datasources/uid/${uid}`);
});
