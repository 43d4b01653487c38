import type { Covenant, Theme } from './fixtures';
import { api } from './users';

/** A panel on a test dashboard: its query and options (the panel's defaults otherwise). */
export interface TestPanel {
  query: Record<string, unknown>;
  options?: Record<string, unknown>;
  /** The panel plugin (default the Covenant trend panel) and the Covenant datasource (default covenant). */
  type?: string;
  datasource?: string;
  maxDataPoints?: number;
  /** Grid width (of 24) and height (rows of 30 px). */
  w?: number;
  h?: number;
}

/**
 * Saves a dashboard of panels (uid covenant-e2e-<name>, overwritten each time), on the provisioned
 * datasource unless a panel names another; graphTooltip 1 shares the crosshair between its panels.
 * With a schemaVersion: without one Grafana migrates the JSON from version 0 and resets graphTooltip.
 */
export async function saveDashboard(
  name: string,
  panels: TestPanel[],
  { graphTooltip = 0, from = 'now-90d' } = {}
): Promise<string> {
  const uid = `covenant-e2e-${name}`;
  let x = 0;
  await api('admin', 'POST', '/api/dashboards/db', {
    overwrite: true,
    dashboard: {
      uid,
      title: `Covenant e2e ${name}`,
      graphTooltip,
      schemaVersion: 39,
      time: { from, to: 'now' },
      panels: panels.map((p, i) => {
        const w = p.w ?? 24;
        const gridPos = { x, y: 0, w, h: p.h ?? 10 };
        x = (x + w) % 24;
        const datasource = { type: 'covenant-kpi-datasource', uid: p.datasource ?? 'covenant' };
        return {
          id: i + 1,
          type: p.type ?? 'covenant-kpitrend-panel',
          title: `Panel ${i + 1}`,
          gridPos,
          maxDataPoints: p.maxDataPoints,
          datasource,
          targets: [{ refId: 'A', datasource, ...p.query }],
          options: p.options ?? {},
        };
      }),
    },
  });
  return uid;
}

/**
 * Opens one panel of a saved dashboard alone (Grafana's solo view, which fills the viewport) at a
 * size, over a time range, and (unless chart is false) waits for its first chart. As the admin: Grafana caches other users'
 * permissions for a while, so a dashboard made a moment ago may not be theirs to see yet.
 */
export async function openSolo(
  covenant: Covenant,
  uid: string,
  { width = 900, height = 320, from = 'now-180d', theme = 'dark' as Theme, panelId = 1, chart = true } = {}
) {
  await covenant.page.setViewportSize({ width, height });
  await covenant.open(`/d-solo/${uid}?orgId=1&panelId=${panelId}&from=${from}&to=now`, { theme, user: 'admin' });
  if (chart) {
    await covenant.page.locator('.u-over').first().waitFor();
  }
}
