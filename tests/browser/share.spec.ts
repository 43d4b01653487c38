import { testIds } from '../../src/shared/testIds';
import { paths } from '../../src/shared/paths';
import { countIn, expect, test, themeColour } from './fixtures';
import { api, grafanaURL } from './users';

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
  const res = await fetch(`${grafanaURL()}/api/public/dashboards/${token}`);
  if (res.status !== 200) {
    return { status: res.status, panels: [] as Array<{ id: number; title: string; targets?: unknown[] }>, title: '' };
  }
  const body = (await res.json()) as {
    dashboard: { title: string; panels: Array<{ id: number; title: string; targets?: unknown[] }> };
  };
  return { status: res.status, panels: body.dashboard.panels, title: body.dashboard.title };
}

async function publicQuery(token: string, panel: number) {
  const res = await fetch(`${grafanaURL()}/api/public/dashboards/${token}/panels/${panel}/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ intervalMs: 3600000, maxDataPoints: 500 }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { results?: Record<string, { error?: string; frames?: unknown[] }> },
  };
}

test.beforeEach(unshare);
test.afterEach(unshare);

/**
 * A contract owner shares the contract with a manager who has no Grafana account: an Admin creates
 * the public link from the contract page, the link opens the contract's panels without signing in,
 * others see (but cannot stop) the link, and stopping it closes it at once.
 */
test('sharing a contract by a public link, and stopping it', async ({ page, covenant }) => {
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
  const url = await input.inputValue();
  expect(url.startsWith(grafanaURL()), url).toBe(true);
  await covenant.shot('45-share-link', `[data-testid="${testIds.share.modal}"]`);
  const token = url.split('/').pop()!;

  // The manager's view: every panel answers, with no account.
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
 * the snapshot and anyone with its link opens it without signing in; the panel draws from those
 * stored frames alone (the host's snapshot mode does what Grafana's snapshot view does), with its
 * header, RAG and strip.
 */
test('a snapshot of the KPI trend panel renders from its stored frames', async ({ page, covenant }) => {
  const to = new Date();
  const from = new Date(to.getTime() - 180 * 86400_000);
  const { dashboard } = await api<{ dashboard: { panels: Array<Record<string, unknown>> } & Record<string, unknown> }>(
    'editor',
    'GET',
    '/api/dashboards/uid/covenant-contract-performance'
  );
  const panel = dashboard.panels.find((p) => p.type === 'covenant-kpitrend-panel')!;
  // What the panel showed for Acme IT: its own query, with the dashboard's variables' values.
  const queries = JSON.parse(
    JSON.stringify(panel.targets).split('${datasource}').join('covenant').split('$contract').join('acme-it')
  );
  const res = await api<{ results: Record<string, { frames: unknown[] }> }>('editor', 'POST', '/api/ds/query', {
    from: String(from.getTime()),
    to: String(to.getTime()),
    queries,
  });
  panel.snapshotData = Object.values(res.results).flatMap((r) => r.frames);
  const snap = await api<{ key: string; deleteKey: string }>('editor', 'POST', '/api/snapshots', {
    expires: 3600,
    dashboard: {
      ...dashboard,
      title: 'Contract performance — Acme IT (snapshot)',
      time: { from: from.toISOString(), to: to.toISOString() },
    },
  });
  try {
    // Anyone with the link: no account needed to fetch it.
    const open = await fetch(`${grafanaURL()}/api/snapshots/${snap.key}`);
    expect(open.status).toBe(200);

    await covenant.open(`/covenant-harness/panel?snapshot=${snap.key}&width=900&height=900`);
    await expect(page.getByTestId('covenant-harness-panel')).toBeVisible();
    await expect(page.getByTestId(testIds.panel.header('responses-within-60'))).toContainText(
      'Responses within 60 min'
    );
    await expect(page.getByTestId(testIds.panel.rag('responses-within-60'))).toHaveText(/Green|Amber|Red/);
    const shot = await covenant.shot('46-panel-snapshot');
    const plots = await page.locator('.u-over').count();
    expect(plots, 'one chart per tracker of the contract').toBeGreaterThanOrEqual(2);
    const box = (await page.locator('.u-over').first().boundingBox())!;
    const all = { x: box.x, y: box.y, width: box.width, height: 900 };
    for (const colour of ['green', 'red']) {
      expect(countIn(shot, (await themeColour(page, colour)).rgb, all, 3), `${colour} pixels`).toBeGreaterThan(40);
    }
  } finally {
    await api('editor', 'GET', `/api/snapshots-delete/${snap.deleteKey}`);
  }
});
