import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { testIds } from '../../src/shared/testIds';
import { paths } from '../../src/shared/paths';
import { expect, test } from './fixtures';
import { api, registry } from './users';

const sfx = () => Date.now().toString(36) + Math.floor(Math.random() * 1000);

/** The UK bank holidays of 2026 (England and Wales), the backend's own test fixture. */
const UK_ICS = join(__dirname, '..', '..', 'pkg', 'calendar', 'testdata', 'uk-bank-holidays-2026.ics');

/** Picks a time zone in the form's picker by typing it. */
async function pickZone(page: Page, zone: string) {
  const picker = page.getByTestId(testIds.form.field('timezone'));
  await picker.getByRole('combobox').fill(zone);
  await page
    .getByTestId('data-testid Select option')
    .filter({ hasText: new RegExp(`^${zone}$`) })
    .first()
    .click();
  await expect(picker).toContainText(zone);
}

// The preview runs over the 14 local days from Monday 2026-12-21 to Sunday 2027-01-03 in
// Europe/London (GMT all along: no clock change). By hand:
//   24/7:                        14 days × 24 h                                   = 336 h
//   Mon–Fri 08:00–18:00:         10 weekdays × 10 h                               = 100 h
//   + UK bank holidays 2026:     Fri 25 Dec and Mon 28 Dec are holidays: 100 − 20 =  80 h
//   Monday ends at 17:00:        only Mon 21 Dec counts (28 Dec is a holiday): − 1 =  79 h
//   + holiday Thu 24 Dec:        − 10 h                                           =  69 h
//   + maintenance Tue 22 Dec 09:00–11:30 (local): − 2 h 30 min                    =  66 h 30 min
test('an editor builds a service calendar and sees its working time change', async ({ covenant }) => {
  const { page } = covenant;
  const name = `UK service desk ${sfx()}`;
  await covenant.open(paths.newCalendar);
  const field = (n: string) => page.getByTestId(testIds.form.field(n));
  const total = page.getByTestId(testIds.calendar.previewTotal);

  await field('name').fill(name);
  await field('description').fill('Mon–Fri 08:00–18:00, England and Wales');
  await pickZone(page, 'Europe/London');
  await page.getByTestId(testIds.calendar.previewFrom).fill('2026-12-21');

  await page.getByTestId(testIds.calendar.preset('always')).click();
  await expect(total).toHaveText('336 h');
  await expect(page.getByTestId(testIds.calendar.weekly)).toHaveText('168 h a week');

  await page.getByTestId(testIds.calendar.preset('weekdays')).click();
  await expect(total).toHaveText('100 h');
  await expect(page.getByTestId(testIds.calendar.previewDay('2026-12-21'))).toContainText('10 h08:00–18:00');
  await expect(page.getByTestId(testIds.calendar.previewDay('2026-12-26'))).toContainText('0 h–');

  // The .ics import: the backend reads its eight all-day events into holidays.
  await page.getByTestId(testIds.calendar.icsFile).setInputFiles(UK_ICS);
  await expect(page.getByTestId(testIds.calendar.icsResult)).toHaveText(
    'uk-bank-holidays-2026.ics: holidays added: 8; dates already listed: 0.'
  );
  await expect(field('holidays[6].date')).toHaveValue('2026-12-25');
  await expect(field('holidays[7].name')).toHaveValue('Boxing Day (substitute day)');
  await expect(total).toHaveText('80 h');
  await expect(page.getByTestId(testIds.calendar.previewDay('2026-12-28'))).toContainText(
    'Boxing Day (substitute day)'
  );

  // A window edited in the week grid.
  await field('hours[0].to').fill('17:00');
  await expect(total).toHaveText('79 h');
  await expect(page.getByTestId(testIds.calendar.weekly)).toHaveText('49 h a week');

  // A holiday added by hand.
  await page.getByRole('button', { name: 'Add holiday' }).click();
  await field('holidays[8].date').fill('2026-12-24');
  await field('holidays[8].name').fill('Christmas Eve');
  await expect(total).toHaveText('69 h');

  // An exclusion, typed as London's wall clock.
  await page.getByRole('button', { name: 'Add exclusion' }).click();
  await field('exclusions[0].from').fill('2026-12-22T09:00');
  await field('exclusions[0].to').fill('2026-12-22T11:30');
  await field('exclusions[0].note').fill('Core switch upgrade');
  await expect(total).toHaveText('66 h 30 min');
  await expect(page.getByTestId(testIds.calendar.previewDay('2026-12-22'))).toContainText(
    '7 h 30 min08:00–09:00, 11:30–18:0009:00–11:30 Maintenance (Core switch upgrade)'
  );

  // A draft the backend refuses: its message instead of the preview, and at the window.
  await field('hours[1].to').fill('08:00');
  await expect(page.getByTestId(testIds.form.previewError)).toContainText('hours[1].to 08:00 is the same as from');
  await expect(page.getByTestId(testIds.calendar.day('tue'))).toContainText('08:00 is the same as from');
  await field('hours[1].to').fill('18:00');
  await expect(total).toHaveText('66 h 30 min');
  await field('name').scrollIntoViewIfNeeded();
  await covenant.shot('95-calendar-form');

  await page.getByTestId(testIds.form.save).click();
  await expect(page).toHaveURL(/\/calendars$/);
  await page.getByTestId(testIds.list.search('calendars')).fill(name);
  const list = await api<{ items: Array<{ id: string; name: string }> }>(
    'editor',
    'GET',
    registry(`calendars?search=${encodeURIComponent(name)}`)
  );
  const id = list.items[0].id;
  const row = page.getByTestId(testIds.list.row('calendars', id));
  await expect(row).toContainText(name);
  await expect(row).toContainText('Europe/London49 h91');

  // Stored as typed: London's 09:00 in December is 09:00 UTC.
  const stored = await api<{
    version: number;
    exclusions: Array<{ from: string; to: string; reason: string; note: string }>;
  }>('editor', 'GET', registry(`calendars/${id}`));
  expect(stored.exclusions).toHaveLength(1);
  expect(Date.parse(stored.exclusions[0].from)).toBe(Date.parse('2026-12-22T09:00:00Z'));
  expect(Date.parse(stored.exclusions[0].to)).toBe(Date.parse('2026-12-22T11:30:00Z'));
  expect(stored.exclusions[0]).toMatchObject({ reason: 'maintenance', note: 'Core switch upgrade' });

  // A viewer reads it and cannot save (nor does the backend let them).
  await covenant.open(paths.editCalendar(id), { user: 'viewer' });
  await expect(field('name')).toHaveValue(name);
  await expect(page.getByText('Creating and changing calendars needs the Editor role.')).toBeVisible();
  await expect(page.getByTestId(testIds.form.save)).toBeDisabled();
  await expect(page.getByTestId(testIds.calendar.icsImport)).toBeDisabled();
  await expect(page.getByText('The preview needs the Editor role.')).toBeVisible();
  await api('viewer', 'PUT', registry(`calendars/${id}`), { ...stored, name: 'Not mine' }, [403]);
  await page.goto(paths.calendars);
  await expect(page.getByTestId(testIds.list.page('calendars'))).toBeVisible();
  await expect(page.getByTestId(testIds.list.create('calendars'))).toHaveCount(0);
});

/**
 * Makes a calendar, a daily availability tracker on it (the demo's uptime rows, target 99.9 with
 * 0.2 tolerance, in Europe/London), a contract and the tracker's assignment to it (key acme-it),
 * with the ids given; returns the assignment.
 */
async function calendarTracker(
  ids: { calendar: string; tracker: string; contract: string },
  parts: { calendar: Record<string, unknown>; tracker: Record<string, unknown>; contract: string }
) {
  await api('editor', 'POST', registry('calendars'), { id: ids.calendar, ...parts.calendar });
  await api('editor', 'POST', registry('trackers'), {
    id: ids.tracker,
    kpiId: 'uptime',
    method: 'avg',
    interval: '1d',
    timezone: 'Europe/London',
    target: { constant: 99.9 },
    tolerance: { value: 0.2 },
    calendarId: ids.calendar,
    ...parts.tracker,
  });
  await api('editor', 'POST', registry('contracts'), {
    id: ids.contract,
    name: parts.contract,
    counterparty: 'Acme Corp',
    status: 'active',
  });
  return api<{ id: string; version: number }>('editor', 'POST', registry('assignments'), {
    contractId: ids.contract,
    trackerId: ids.tracker,
    key: 'acme-it',
    weight: 1,
  });
}

// A tracker on a calendar: its buckets without working time are not evaluated. The test makes its
// own contract, weekday calendar and daily availability tracker (the demo's uptime rows, key
// acme-it, missing data counted as missed), reads the Tracking tab's table, then makes the calendar
// round the clock in the editor and reads the table again.
test("editing a tracker's calendar changes the tracker's figures", async ({ covenant }) => {
  const { page } = covenant;
  const s = sfx();
  const ids = { calendar: `e2e-weekdays-${s}`, tracker: `e2e-on-weekdays-${s}`, contract: `e2e-calendar-${s}` };
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day, from: '00:00', to: '24:00' }));
  const assignment = await calendarTracker(ids, {
    calendar: { name: `Weekdays ${s}`, timezone: 'Europe/London', hours: weekdays },
    tracker: { name: `Availability on weekdays ${s}`, missing: 'missed' },
    contract: `Calendar test ${s}`,
  });

  // The closed days the table calls "not evaluated": over 14 days, at least the weekend days.
  const idleDays = async () => {
    await covenant.open(`${paths.contract(ids.contract, 'tracking')}&from=now-14d&to=now`);
    await page
      .locator(`[data-testid^="${testIds.panel.tableToggle('')}"]`)
      .first()
      .click();
    const rows = page.getByTestId(testIds.panel.table).first().locator('tbody tr');
    await expect(rows.first()).toBeVisible();
    return rows
      .filter({ hasNotText: '(open)' })
      .filter({ hasText: /not evaluated$/ })
      .count();
  };
  expect(await idleDays()).toBeGreaterThanOrEqual(4);

  await covenant.open(paths.editCalendar(ids.calendar));
  await page.getByTestId(testIds.calendar.preset('always')).click();
  await expect(page.getByTestId(testIds.calendar.weekly)).toHaveText('168 h a week');
  await page.getByTestId(testIds.form.save).click();
  await expect(page).toHaveURL(/\/calendars$/);

  // Every closed day is judged now: met, or missed (no data counts as missed).
  expect(await idleDays()).toBe(0);
  await covenant.shot('96-tracker-on-calendar');

  await api('editor', 'DELETE', registry(`assignments/${assignment.id}?version=${assignment.version}`));
  for (const [kind, id] of [
    ['contracts', ids.contract],
    ['trackers', ids.tracker],
    ['calendars', ids.calendar],
  ]) {
    const { version } = await api<{ version: number }>('editor', 'GET', registry(`${kind}/${id}`));
    await api('editor', 'DELETE', registry(`${kind}/${id}?version=${version}`));
  }
});

// A tracker on a calendar has the calendar's non-working time shaded on its charts and its
// exclusions hatched: on the Tracking tab (with a caption saying so, and the exclusion's reason and
// note in the tooltip) and in the tracker form's preview. The charts report how many stretches they
// shade (data-shaded-off-hours, data-shaded-exclusions); the pixels are checked by eye in
// docs/img/calendar-shading.png.
test("a tracker's charts shade its calendar's non-working time and exclusions", async ({ covenant }) => {
  const { page } = covenant;
  const s = sfx();
  const ids = { calendar: `e2e-office-${s}`, tracker: `e2e-shaded-${s}`, contract: `e2e-shading-${s}` };
  // A whole UTC day four days ago is excluded for maintenance.
  const day = new Date();
  day.setUTCHours(0, 0, 0, 0);
  const from = new Date(day.getTime() - 4 * 86_400_000);
  const to = new Date(day.getTime() - 3 * 86_400_000);
  const office = ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => ({ day: d, from: '08:00', to: '18:00' }));
  const assignment = await calendarTracker(ids, {
    calendar: {
      name: `Office ${s}`,
      timezone: 'Europe/London',
      hours: office,
      exclusions: [{ from: from.toISOString(), to: to.toISOString(), reason: 'maintenance', note: 'Data centre move' }],
    },
    tracker: { name: `Availability in office hours ${s}` },
    contract: `Shading test ${s}`,
  });

  // The Tracking tab over 14 days: every night and weekend is a stretch off hours (at least 10).
  await covenant.open(`${paths.contract(ids.contract, 'tracking')}&from=now-14d&to=now`);
  const card = page.getByTestId(testIds.contract.chart(ids.tracker));
  const chart = card.locator('[data-shaded-off-hours]');
  await expect(chart).toHaveAttribute('data-shaded-exclusions', '1');
  expect(Number(await chart.getAttribute('data-shaded-off-hours'))).toBeGreaterThanOrEqual(10);
  await expect(card.getByTestId(testIds.panel.shadingCaption)).toHaveText(
    `Shaded: outside working hours (Office ${s})Hatched: excluded (Maintenance)`
  );

  // The tooltip over the excluded day names it: the mouse walks the chart until it is there.
  const box = (await chart.boundingBox())!;
  const exclusion = page.getByTestId(testIds.panel.tooltipExclusion);
  for (let x = box.x + 60; x < box.x + box.width && (await exclusion.count()) === 0; x += 4) {
    await page.mouse.move(x, box.y + 40);
  }
  await expect(exclusion.first()).toContainText('Excluded: Maintenance — Data centre move');
  await covenant.shot('97-calendar-shading', card);

  // The tracker form's preview draws the same.
  await covenant.open(paths.tracker(ids.tracker));
  const preview = page.getByTestId(testIds.form.preview).locator('[data-shaded-off-hours]');
  await expect(preview).toHaveAttribute('data-shaded-exclusions', '1');
  expect(Number(await preview.getAttribute('data-shaded-off-hours'))).toBeGreaterThanOrEqual(10);
  await expect(page.getByTestId(testIds.form.preview).getByTestId(testIds.panel.shadingCaption)).toContainText(
    'Hatched: excluded (Maintenance)'
  );

  await api('editor', 'DELETE', registry(`assignments/${assignment.id}?version=${assignment.version}`));
  for (const [kind, id] of [
    ['contracts', ids.contract],
    ['trackers', ids.tracker],
    ['calendars', ids.calendar],
  ]) {
    const { version } = await api<{ version: number }>('editor', 'GET', registry(`${kind}/${id}`));
    await api('editor', 'DELETE', registry(`${kind}/${id}?version=${version}`));
  }
});
