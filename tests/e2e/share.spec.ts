import { testIds } from '../../src/shared/testIds';
import { paths } from '../../src/shared/paths';
import type { Browser, Page } from '@playwright/test';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { grafanaURL } from '../chromium';
import { SHOTS, expect, test } from './fixtures';
import { countIn, themeColour } from './pixels';
import { api } from './users';

const CONTRACT = 'globex-logistics';

/** The contract's own dashboard (made by Share), found by its tag. */
async function sharedDashboardUid(): Promise<string | undefined> {
  const found = await api<Array<{ uid: string }>>('admin', 'GET', `/api/search?tag=contract:${CONTRACT}`);
  return found[0]?.uid;
}

async function unshare() {
  const uid = await sharedDashboardUid();
  if (uid) {
    await api('admin', 'DELETE', `/api/dashboards/uid/${uid}`);
  }
}

/** What a manager's browser gets from a public link, with no Grafana account. */
async function publicPanels(token: string) {
  const res = await fetch(`${grafanaURL}/api/public/dashboards/${token}`);
  if (res.status !== 200) {
    return { status: res.status, panels: [] as Array<{ id: number; title: string; targets?: unknown[] }>, title: '' };
  }
  const body = (await res.json()) as {
    dashboard: { title: string; panels: Array<{ id: number; title: string; targets?: unknown[] }> };
  };
  return { status: res.status, panels: body.dashboard.panels, title: body.dashboard.title };
}

async function publicQuery(token: string, panel: number) {
  const res = await fetch(`${grafanaURL}/api/public/dashboards/${token}/panels/${panel}/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ intervalMs: 3600000, maxDataPoints: 500 }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { results?: Record<string, { error?: string; frames?: unknown[] }> },
  };
}

/** A browser with no Grafana account and no session, tall enough for Grafana to draw every panel. */
async function anonymous(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1600, height: 2600 } });
  return ctx.newPage();
}

/** Each panel, found by its title as Grafana's dashboard shows it, has drawn with no error and data. */
async function expectPanelsDrawn(page: Page, titles: string[]) {
  for (const title of titles) {
    const panel = page.getByTestId(`data-testid Panel header ${title}`);
    await expect(panel, title).toBeVisible();
    await expect(panel.getByTestId('data-testid Panel status error'), `${title}: error`).toHaveCount(0);
    await expect(panel.getByText(/^No data$|Data is missing|missing a number field/), title).toHaveCount(0);
  }
}

test.beforeEach(unshare);
test.afterEach(unshare);

/**
 * A contract owner shares the contract with a manager who has no Grafana account: an Admin creates
 * the public link from the contract page, the link opens the contract's panels without signing in,
 * others see (but cannot stop) the link, and stopping it closes it at once.
 */
test('sharing a contract by a public link, and stopping it', async ({ covenant, browser }) => {
  const { page } = covenant;
  // Not shared yet: a Viewer learns who can share.
  await covenant.open(paths.contract(CONTRACT), { user: 'viewer' });
  await page.getByTestId(testIds.contract.share).click();
  await expect(page.getByTestId(testIds.share.adminOnly)).toContainText('Only an org Admin can create a public link');
  await expect(page.getByTestId(testIds.share.create)).toHaveCount(0);

  // An Admin creates it.
  await covenant.open(paths.contract(CONTRACT), { user: 'admin' });
  await page.getByTestId(testIds.contract.share).click();
  await page.getByTestId(testIds.share.create).click();
  const input = page.getByTestId(testIds.share.url);
  await expect(input).toHaveValue(/\/public-dashboards\/[0-9a-f]{32}$/);
  // The keyboard stays in the dialog: the link, which replaced the button pressed, has the focus.
  await expect(input).toBeFocused();
  const url = await input.inputValue();
  expect(url.startsWith(grafanaURL), url).toBe(true);
  await covenant.shot('45-share-link', page.getByTestId(testIds.share.modal));
  const token = url.split('/').pop()!;

  // The manager's view: every panel answers, with no account ...
  const pub = await publicPanels(token);
  expect(pub.status).toBe(200);
  expect(pub.title).toBe('Contract performance — Globex freight and warehousing');
  const queried = pub.panels.filter((p) => (p.targets ?? []).length > 0);
  expect(queried.length).toBeGreaterThanOrEqual(4);
  for (const p of queried) {
    const res = await publicQuery(token, p.id);
    expect(res.status, p.title).toBe(200);
    for (const [ref, r] of Object.entries(res.body.results ?? {})) {
      expect(r.error, `${p.title} ${ref}`).toBeUndefined();
      expect((r.frames ?? []).length, `${p.title} ${ref}`).toBeGreaterThan(0);
    }
  }
  // ... and the link opens it in a browser that never signed in: every panel draws.
  const manager = await anonymous(browser);
  await manager.goto(url);
  await expect(manager.getByText('Contract performance — Globex freight and warehousing')).toBeVisible();
  await expectPanelsDrawn(
    manager,
    queried.map((p) => p.title)
  );
  await manager.screenshot({ path: join(SHOTS, '46-public-dashboard.png'), fullPage: true });
  await manager.context().close();

  // Opening Share again shows the same link.
  await page.keyboard.press('Escape');
  await page.getByTestId(testIds.contract.share).click();
  await expect(page.getByTestId(testIds.share.url)).toHaveValue(url);

  // A Viewer sees the link but cannot stop it.
  await covenant.open(paths.contract(CONTRACT), { user: 'viewer' });
  await page.getByTestId(testIds.contract.share).click();
  await expect(page.getByTestId(testIds.share.url)).toHaveValue(url);
  await expect(page.getByTestId(testIds.share.stop)).toHaveCount(0);

  // The Admin stops it: the link closes.
  await covenant.open(paths.contract(CONTRACT), { user: 'admin' });
  await page.getByTestId(testIds.contract.share).click();
  await page.getByTestId(testIds.share.stop).click();
  await expect(page.getByTestId(testIds.share.create)).toBeVisible();
  await expect(page.getByTestId(testIds.share.url)).toHaveCount(0);
  expect((await publicQuery(token, queried[0].id)).status).toBeGreaterThanOrEqual(400);
});

/**
 * A snapshot of the "Contract performance" dashboard: Grafana stores the KPI trend panel's frames in
 * the snapshot, and anyone with its link opens it in Grafana without signing in; the panel draws from
 * those stored frames alone, with its header, RAG and strip.
 */
test('a snapshot of the KPI trend panel opens without signing in and draws', async ({ browser }) => {
  const to = new Date();
  const from = new Date(to.getTime() - 180 * 86400_000);
  const { dashboard } = await api<{ dashboard: { panels: Array<Record<string, unknown>> } & Record<string, unknown> }>(
    'editor',
    'GET',
    '/api/dashboards/uid/covenant-contract-performance'
  );
  const panel = dashboard.panels.find((p) => p.type === 'covenant-kpitrend-panel')!;
  // What the panel showed for Acme IT: its own query, with the dashboard's variables' values ($tracker
  // at All: every tracker, so no narrowing).
  const queries = (
    JSON.parse(
      JSON.stringify(panel.targets).split('${datasource}').join('covenant').split('$contract').join('acme-it')
    ) as Array<Record<string, unknown>>
  ).map(({ trackerIds, ...q }) =>
    JSON.stringify(trackerIds) === JSON.stringify(['$tracker']) ? q : { ...q, trackerIds }
  );
  const res = await api<{ results: Record<string, { frames: unknown[] }> }>('editor', 'POST', '/api/ds/query', {
    from: String(from.getTime()),
    to: String(to.getTime()),
    queries,
  });
  const snapshotPanel = {
    ...panel,
    title: String(panel.title).replace('$contract', 'Acme IT managed services'),
    gridPos: { x: 0, y: 0, w: 24, h: 30 },
    snapshotData: Object.values(res.results).flatMap((r) => r.frames),
  };
  const snap = await api<{ key: string; deleteKey: string }>('editor', 'POST', '/api/snapshots', {
    expires: 3600,
    dashboard: {
      ...dashboard,
      panels: [snapshotPanel],
      templating: { list: [] },
      title: 'Contract performance — Acme IT (snapshot)',
      time: { from: from.toISOString(), to: to.toISOString() },
    },
  });
  const page = await anonymous(browser);
  try {
    await page.goto(`/dashboard/snapshot/${snap.key}`);
    await expect(page.getByText('Contract performance — Acme IT (snapshot)').first()).toBeVisible();
    await expect(page.getByTestId(testIds.panel.header('responses-within-60'))).toContainText(
      'Responses within 60 min'
    );
    await expect(page.getByTestId(testIds.panel.rag('responses-within-60'))).toHaveText(/Green|Amber|Red/);
    const plots = page.locator('.u-over');
    await expect.poll(() => plots.count(), 'one chart per tracker of the contract').toBeGreaterThanOrEqual(2);
    const shot = PNG.sync.read(await page.screenshot({ path: join(SHOTS, '47-panel-snapshot.png') }));
    const box = (await plots.first().boundingBox())!;
    const all = { x: box.x, y: box.y, width: box.width, height: 900 };
    for (const colour of ['green', 'red']) {
      expect(countIn(shot, (await themeColour(page, colour)).rgb, all, 3), `${colour} pixels`).toBeGreaterThan(40);
    }
  } finally {
    await page.context().close();
    await api('editor', 'GET', `/api/snapshots-delete/${snap.deleteKey}`);
  }
});
