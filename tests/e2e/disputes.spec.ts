import type { Locator, Page } from '@playwright/test';
import { testIds } from '../../src/shared/testIds';
import { paths } from '../../src/shared/paths';
import type { ActSnapshot, Ledger, LedgerPeriod, ResultSnapshot } from '../../src/shared/types';
import { expect, test } from './fixtures';
import { oneDecimal } from './users';
import { pickOption } from './pickers';
import { api } from './users';

const AGREEMENT = 'acme-it-service-levels';
const AVAILABILITY = 'acme-it-daily-availability';
const ZONE = 'Europe/London';
const ledgerPath = `/api/datasources/uid/covenant/resources/ledger?agreementId=${AGREEMENT}`;

/** A period's first day in the agreement's zone (the API's and the test ids' name for it). */
const day = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(iso));

/** The days (YYYY-MM-DD, London) of the availability tracker's red buckets in a period (trackerSeries). */
async function redDays(p: LedgerPeriod): Promise<string[]> {
  const res = await api<{
    results: Record<
      string,
      {
        frames: Array<{
          schema: { fields: Array<{ name: string; labels?: Record<string, string> }> };
          data: { values: unknown[][] };
        }>;
      }
    >;
  }>('editor', 'POST', '/api/ds/query', {
    from: String(Date.parse(p.periodStart)),
    to: String(Date.parse(p.periodEnd) - 1),
    queries: [{ refId: 'A', datasource: { uid: 'covenant' }, queryType: 'trackerSeries', contract: 'acme-it' }],
  });
  for (const f of res.results.A.frames) {
    const rag = f.schema.fields.findIndex((x) => x.name === 'rag');
    if (rag < 0 || f.schema.fields[rag].labels?.trackerId !== 'daily-availability') {
      continue;
    }
    const times = f.data.values[0] as number[];
    return times
      .filter((ms, i) => f.data.values[rag][i] === 2 && ms >= Date.parse(p.periodStart) && ms < Date.parse(p.periodEnd))
      .map((ms) => day(new Date(ms).toISOString()));
  }
  return [];
}

/** The agreement's card on the Agreements tab, its ledger open. */
async function openLedger(page: Page): Promise<Locator> {
  const card = page.getByTestId(testIds.contract.agreement(AGREEMENT));
  const table = card.getByTestId(testIds.contract.ledger);
  await expect(card.getByText(/^Ledger \(\d+\)$/)).toBeVisible();
  if (!(await table.isVisible())) {
    await card.getByText(/^Ledger \(\d+\)$/).click();
  }
  await expect(table).toBeVisible();
  return card;
}

/**
 * A closed period's lifecycle in Grafana (docs/disputes.md), on the demo's acme-it "Service levels"
 * (monthly, Europe/London). The e2e Grafana and its registry outlive a run, so the test picks the
 * newest periods still closed: the newest with two red availability days is disputed and resolved
 * with those two days excluded; the newest other one is signed off.
 */
test('an editor disputes a period and resolves it restated, signs off another; a viewer reads them', async ({
  covenant,
}) => {
  const { page } = covenant;
  const before = await api<Ledger>('editor', 'GET', ledgerPath);
  const closed = before.periods
    .filter((p) => p.state === 'closed')
    .sort((a, b) => Date.parse(b.periodStart) - Date.parse(a.periodStart));
  let disputed: LedgerPeriod | undefined;
  let red: string[] = [];
  for (const p of closed) {
    // Red in the tracker's series, and among the buckets the period's result was computed from.
    const result = before.entries.find((e) => e.periodStart === p.periodStart && e.seq === p.result);
    const inputs = (result?.snapshot as ResultSnapshot | undefined)?.inputs?.trackers.find(
      (t) => t.assignment === AVAILABILITY
    );
    const buckets = new Set((inputs?.buckets ?? []).map(([start]) => day(new Date(start * 1000).toISOString())));
    red = (await redDays(p)).filter((x) => buckets.has(x));
    if (red.length >= 2) {
      disputed = p;
      break;
    }
  }
  expect(disputed, 'a closed period with two red availability days').toBeDefined();
  const d = day(disputed!.periodStart);
  const two = red.slice(0, 2);
  const signed = closed.find((p) => p !== disputed);
  expect(signed, 'a second closed period').toBeDefined();
  const s = day(signed!.periodStart);

  await covenant.open(paths.contract('acme-it', 'agreements'));
  const card = await openLedger(page);
  const period = card.getByTestId(testIds.contract.ledgerPeriod(d));
  await expect(card.getByTestId(testIds.contract.periodState(d))).toHaveText('Closed');

  // Dispute: the two red days of the availability tracker, one reason and note for both.
  await card.getByTestId(testIds.contract.periodAct(d, 'dispute')).click();
  let dialog = page.getByRole('dialog');
  await dialog.getByTestId(testIds.form.field('comment')).fill('Two outages were the customer’s network change.');
  await expect(dialog.getByTestId(testIds.form.field('items[0].assignmentId'))).toContainText('Daily availability');
  for (const red of two) {
    // Grafana's Checkbox draws its box over the input: click the label, as a user does.
    await dialog.getByText(new RegExp(`^${red} · `)).click();
    await expect(dialog.getByLabel(new RegExp(`^${red} · `))).toBeChecked();
  }
  await expect(dialog.getByText('Buckets (2 picked)')).toBeVisible();
  await dialog.getByLabel('Item 1: reason').fill('customer network change');
  await dialog.getByLabel('Item 1: note').fill('INC-4711');
  await covenant.shot('dispute-dialog', dialog);
  await dialog.getByTestId(testIds.form.save).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(card.getByTestId(testIds.contract.periodState(d))).toHaveText('Disputed');
  const withDispute = await api<Ledger>('editor', 'GET', ledgerPath);
  const dispute = withDispute.entries.filter((e) => e.periodStart === disputed!.periodStart).pop()!;
  expect(dispute.kind).toBe('dispute');
  // The thread opens on the dispute, with its two items.
  const items = period.getByTestId(testIds.contract.actItems(dispute.seq));
  for (const red of two) {
    await expect(items).toContainText(`Daily availability, ${red}: customer network change (INC-4711)`);
  }

  // Resolve it restated: the two days are pre-filled as exclusions; the agreed reason is picked.
  await card.getByTestId(testIds.contract.periodAct(d, 'resolve')).click();
  dialog = page.getByRole('dialog');
  await dialog.getByTestId(testIds.form.field('comment')).fill('Agreed at the service review: not ours.');
  for (const i of [0, 1]) {
    await expect(dialog.getByTestId(testIds.periodActs.exclusion(i)).getByRole('checkbox')).toBeChecked();
    await pickOption(page, dialog, testIds.form.field(`exclusions[${i}].reason`), 'Customer caused');
  }
  await covenant.shot('dispute-resolve-dialog', dialog);
  await dialog.getByTestId(testIds.form.save).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(card.getByTestId(testIds.contract.periodState(d))).toHaveText('Resolved');

  // The ledger as the backend has it: a restatement, then the resolution with its figures.
  const after = await api<Ledger>('editor', 'GET', ledgerPath);
  const mine = after.entries.filter((e) => e.periodStart === disputed!.periodStart);
  const resolution = mine[mine.length - 1];
  const restatement = mine[mine.length - 2];
  expect(resolution.kind).toBe('resolution');
  expect(restatement.kind).toBe('restatement');
  const act = resolution.snapshot as ActSnapshot;
  expect(act.outcome).toBe('restated');
  expect(act.exclusions?.map((x) => x.reason)).toEqual(['customer_caused', 'customer_caused']);
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${oneDecimal(v)} %`);
  await expect(period.getByTestId(testIds.contract.ledgerResult(restatement.seq))).toContainText(
    pct(act.after?.compliance)
  );
  const thread = period.getByTestId(testIds.contract.ledgerAct(resolution.seq));
  await expect(thread).toContainText('Resolved: restated');
  await expect(thread).toContainText('Agreed at the service review: not ours.');
  for (const red of two) {
    await expect(thread).toContainText(`Daily availability, ${red}: Customer caused (INC-4711)`);
  }
  await expect(period.getByTestId(testIds.contract.actFigures(resolution.seq))).toContainText(
    `Compliance${pct(act.before?.compliance)}→${pct(act.after?.compliance)}`
  );
  await period.scrollIntoViewIfNeeded();
  await covenant.shot('dispute-resolved', period);

  // A sign-off of another period: once, and its button is gone.
  await card.getByTestId(testIds.contract.periodAct(s, 'signoff')).click();
  dialog = page.getByRole('dialog');
  await dialog.getByTestId(testIds.form.field('comment')).fill('Agreed at the monthly review.');
  await dialog.getByTestId(testIds.form.save).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(card.getByTestId(testIds.contract.periodState(s))).toHaveText('Signed off');
  await expect(card.getByTestId(testIds.contract.periodAct(s, 'signoff'))).toHaveCount(0);
  await expect(card.getByTestId(testIds.contract.periodAct(s, 'dispute'))).toHaveCount(0);
  const again = await api<{ error: string }>(
    'editor',
    'POST',
    `/api/datasources/uid/covenant/resources/ledger/${AGREEMENT}/${s}/signoff`,
    {},
    [409]
  );
  expect(again.error).toContain('already signed off');

  // A viewer reads the states and threads, and is offered no act.
  await covenant.open(paths.contract('acme-it', 'agreements'), { user: 'viewer' });
  const seen = await openLedger(page);
  await expect(seen.getByTestId(testIds.contract.periodState(d))).toHaveText('Resolved');
  await expect(seen.getByTestId(testIds.contract.periodState(s))).toHaveText('Signed off');
  await expect(seen.getByTestId(testIds.contract.ledgerReadOnly)).toContainText('need the Editor role');
  await expect(seen.locator('[data-testid^="data-testid covenant-ledger-period-signoff-"]')).toHaveCount(0);
  await expect(seen.locator('[data-testid^="data-testid covenant-ledger-period-dispute-"]')).toHaveCount(0);
  await expect(seen.locator('[data-testid^="data-testid covenant-ledger-period-resolve-"]')).toHaveCount(0);
  await covenant.shot('dispute-viewer', seen);
});
