import { expect, test } from '@grafana/plugin-e2e';

test('a new Covenant datasource saves and tests with the demo connector', async ({
  createDataSourceConfigPage,
  page,
}) => {
  const config = await createDataSourceConfigPage({ type: 'covenant-kpi-datasource' });
  await expect(page.getByText('Connectors', { exact: false }).first()).toBeVisible();
  await expect(config.saveAndTest()).toBeOK();
});
