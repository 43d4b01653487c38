import { testIds } from '../../src/shared/testIds';
import { paths } from '../../src/shared/paths';
import { expect, test } from './fixtures';
import { oneDecimal } from './users';
import { api, registry } from './users';

/**
 * The Agreements tab on the demo data: each agreement's figures this period (docs/figures.md) and its
 * ledger, computed by the real backend; creating an agreement in the app; the Portfolio page.
 */
test('a contract manager reads the agreements, their ledger and the portfolio', async ({ covenant }) => {
  const { page } = covenant;
  await covenant.open(paths.contract('acme-it', 'agreements'));
  const status = page.getByTestId(testIds.contract.agreementStatus('acme-it-service-levels'));
  await expect(status).toHaveText(/Compliant|At risk|Breached/);
  const figures = page.getByTestId(testIds.contract.agreementFigures('acme-it-service-levels'));
  await expect(figures).toContainText('Compliance');
  await expect(figures).toContainText('Target90.0 %');
  // The figures are those of the backend's agreementCompliance query.
  const res = await api<{
    results: Record<
      string,
      { frames: Array<{ schema: { meta: { custom: { result: { compliance: number; status: string } } } } }> }
    >;
  }>('editor', 'POST', '/api/ds/query', {
    from: 'now-1d',
    to: 'now',
    queries: [
      {
        refId: 'A',
        datasource: { uid: 'covenant' },
        queryType: 'agreementCompliance',
        agreement: 'acme-it-service-levels',
      },
    ],
  });
  const result = res.results.A.frames[0].schema.meta.custom.result;
  // Rounded as the page rounds it, on the decimal value (toFixed rounds 94.05 down, the page up).
  await expect(figures).toContainText(`Compliance${oneDecimal(result.compliance)} %`);
  await page
    .getByText(/^Ledger \(\d+\)$/)
    .first()
    .click();
  const ledger = page.getByTestId(testIds.contract.ledger);
  await expect(ledger.locator('tbody tr').first()).toBeVisible();
  await expect(ledger).toContainText('close');
  await covenant.shot('30-agreements-dark');

  // A new agreement, from the app.
  const name = `Quarterly SLA ${Date.now().toString(36)}`;
  await page.getByTestId(testIds.contract.newAgreement).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId(testIds.form.field('name')).fill(name);
  await dialog.getByRole('radio', { name: 'quarter', exact: true }).check();
  await dialog.getByTestId(testIds.form.field('complianceTarget')).fill('85');
  await dialog.getByRole('button', { name: 'Add milestone' }).click();
  await dialog.getByLabel('Milestone 1: name').fill('Low');
  await dialog.getByTestId(testIds.form.field('milestones[0].condition')).fill('compliance << 85');
  await dialog.getByTestId(testIds.form.save).click();
  // A wrong condition is refused at its field, and nothing typed is lost.
  await expect(dialog.getByTestId(testIds.form.error)).toContainText('milestones[0].condition');
  await dialog.getByTestId(testIds.form.field('milestones[0].condition')).fill('compliance < 85');
  await dialog.getByTestId(testIds.form.save).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const created = await api<{ items: Array<{ id: string }> }>(
    'editor',
    'GET',
    registry(`agreements?contractId=acme-it&search=${encodeURIComponent(name)}`)
  );
  await expect(page.getByTestId(testIds.contract.agreementStatus(created.items[0].id))).toHaveText(
    /Compliant|At risk|Breached|No data/
  );

  await covenant.open(paths.portfolio, { theme: 'light' });
  await expect(page.getByTestId(testIds.portfolio.row('acme-it'))).toContainText(/Actual|Substantial|Partial|Breach/);
  await expect(page.getByTestId(testIds.portfolio.rate)).toContainText('contract compliance rate');
  await covenant.shot('31-portfolio-light');

  // The agreement made here goes, so the demo contract's report and portfolio stay as shipped.
  const made = await api<{ version: number }>('editor', 'GET', registry(`agreements/${created.items[0].id}`));
  await api('editor', 'DELETE', registry(`agreements/${created.items[0].id}?version=${made.version}`));
});
