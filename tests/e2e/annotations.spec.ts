import { join } from 'node:path';
import type { Response } from '@playwright/test';
import { expect, test } from '@grafana/plugin-e2e';
import { SHOTS } from './fixtures';
import bundled from '../../src/dashboards/contract-performance.json';
import demo from '../../provisioning/dashboards/json/covenant-demo.json';
import { testIds } from '../../src/shared/testIds';

/** A column of a frame as /api/ds/query returns it (schema and columnar values). */
type Frame = { schema: { fields: Array<{ name: string }> }; data: { values: unknown[][] } };
type QueryBody = { results: Record<string, { error?: string; frames?: Frame[] }> };

function column(frame: Frame, name: string): unknown[] {
  const i = frame.schema.fields.findIndex((f) => f.name === name);
  expect(i, `field ${name}`).toBeGreaterThanOrEqual(0);
  return frame.data.values[i] ?? [];
}

/** Whether a response answers an annotations query of the Covenant datasource. */
function isAnnotationsQuery(r: Response) {
  return r.url().includes('/api/ds/query') && (r.request().postData() ?? '').includes('"queryType":"annotations"');
}

/** The annotation markers Grafana draws under a panel's x axis, and the tooltip of the one hovered. */
const MARKER = 'data-testid annotation-marker';
const TOOLTIP = 'annotation-marker';

// Tall enough for every panel to be in view, so Grafana draws them all (it draws panels lazily).
test.use({ viewport: { width: 1600, height: 2000 } });

// The bundled "Contract performance" dashboard over the last 90 days (two or three monthly periods of
// Acme's "Service levels" end in it): its three Covenant annotations ("Ledger", "Milestones & RAG",
// "Renewal") run through the backend, and Grafana draws them on the charts; a close's marker shows its
// period and figures.
test('the bundled dashboard marks closes, milestones and RAG changes on its charts', async ({
  gotoDashboardPage,
  page,
}) => {
  const answers: Array<Promise<QueryBody>> = [];
  page.on('response', (r) => {
    if (isAnnotationsQuery(r)) {
      answers.push(r.json());
    }
  });
  const d = await gotoDashboardPage({
    uid: bundled.uid,
    queryParams: new URLSearchParams({ 'var-contract': 'acme-it', from: 'now-90d', to: 'now', theme: 'dark' }),
  });
  const names = bundled.annotations.list.map((a) => a.name);
  expect(names).toEqual(['Ledger', 'Milestones & RAG', 'Renewal']);
  await expect.poll(() => answers.length, 'one annotations query per annotation').toBe(names.length);

  // What the backend answered: every event tagged covenant, its kind and acme-it, the ledger's closes among them.
  const events: Record<string, number> = {};
  for (const body of await Promise.all(answers)) {
    const result = Object.values(body.results)[0];
    expect(result.error, 'annotations query error').toBeUndefined();
    const frame = result.frames![0];
    const tags = column(frame, 'tags') as string[];
    column(frame, 'kind').forEach((k, i) => {
      events[k as string] = (events[k as string] ?? 0) + 1;
      expect(tags[i]).toMatch(new RegExp(`^covenant,${k},acme-it(,|$)`));
    });
    for (const name of ['time', 'timeEnd', 'title', 'text']) {
      column(frame, name);
    }
  }
  const counts = JSON.stringify(events);
  expect(events.closes ?? 0, counts).toBeGreaterThanOrEqual(2);
  expect(events.rag ?? 0, counts).toBeGreaterThan(0);

  // Grafana draws them: "RAG per bucket" has a marker for at least every close and RAG change.
  const panel = d.getPanelById('4').locator;
  const markers = panel.getByTestId(MARKER);
  await expect.poll(() => markers.count(), 'markers on "RAG per bucket"').toBeGreaterThanOrEqual(events.closes);

  // A close's marker tells its period and figures. Markers at one time overlap (a close and a RAG change
  // at a month's start), so each is entered in turn, as the pointer would, rather than hovered at a point.
  const tooltip = page.getByTestId(TOOLTIP);
  let found = false;
  for (let i = 0; i < (await markers.count()) && !found; i++) {
    await markers.nth(i).dispatchEvent('mouseover');
    found = await tooltip
      .filter({ hasText: 'Closed: Service levels' })
      .waitFor({ timeout: 1500 })
      .then(() => true)
      .catch(() => false);
    if (!found) {
      await markers.nth(i).dispatchEvent('mouseout');
    }
  }
  expect(found, 'a marker whose tooltip is a close of Service levels').toBe(true);
  await expect(tooltip).toContainText(/compliance \d+\.\d\d % \(target 90\.00 %\)/);
  await expect(tooltip).toContainText('acme-it-service-levels');
  // The dashboard down to its last panel, the close's tooltip open (docs/img/annotations.png).
  await page.screenshot({
    path: join(SHOTS, 'annotations-acme-it-dark.png'),
    clip: { x: 0, y: 0, width: 1600, height: 1540 },
  });
});

// The Covenant trend panel draws them too: a line at each, and the hovered bucket's events in its tooltip.
test("the trend panel names a bucket's events in its tooltip", async ({ gotoDashboardPage, page }) => {
  await gotoDashboardPage({
    uid: bundled.uid,
    queryParams: new URLSearchParams({ 'var-contract': 'acme-it', from: 'now-90d', to: 'now' }),
  });
  const plot = page.getByTestId(testIds.panel.chart('daily-availability')).locator('.u-over');
  await expect(plot).toBeVisible();
  const box = (await plot.boundingBox())!;
  const events = page.getByTestId(testIds.panel.tooltip).getByRole('list', { name: 'Events in this bucket' });
  // Across the chart, bucket by bucket, until one holds an event (three months of them: closes, RAG changes).
  let found = false;
  for (let f = 0.02; f < 0.98 && !found; f += 0.01) {
    await page.mouse.move(box.x + box.width * f, box.y + 5);
    found = await events.isVisible();
  }
  expect(found, 'a bucket of the trend panel lists its events').toBe(true);
  await expect(events.getByRole('listitem').first()).toContainText(/Closed: |→|Renewal|Notice|: /);
});

// The provisioned "Covenant demo" dashboard has the same annotations: its daily RAG marks them.
test('the demo dashboard marks them too', async ({ gotoDashboardPage }) => {
  const d = await gotoDashboardPage({
    uid: demo.uid,
    queryParams: new URLSearchParams({ 'var-contract': 'acme-it', from: 'now-90d', to: 'now' }),
  });
  const markers = d.getPanelById('11').locator.getByTestId(MARKER);
  await expect.poll(() => markers.count(), 'markers on the daily RAG').toBeGreaterThanOrEqual(2);
});
