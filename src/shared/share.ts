import { t } from '@grafana/i18n';
import { fetchBody } from './api';
import { unescaped } from './i18n';
import { CONTRACT_DASHBOARD_UID } from './paths';
import type { Contract } from './types';

/** A short stable hash of a string (FNV-1a, base 36), for dashboard uids. */
export function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/** The uid of a contract's own copy of the performance dashboard (Grafana uids are at most 40 characters). */
export function contractDashboardUid(contractId: string): string {
  return `covenant-cp-${contractId.slice(0, 18)}-${shortHash(contractId)}`.slice(0, 40);
}

/** Replaces the dashboard variables in every string of a JSON value; titles show the contract by name. */
function resolve(v: unknown, vars: Record<string, string>, titles: Record<string, string>): unknown {
  if (typeof v === 'string') {
    let s = v;
    for (const [name, value] of Object.entries(vars)) {
      s = s
        .split('${' + name + '}')
        .join(value)
        .split('$' + name)
        .join(value);
    }
    return s;
  }
  if (Array.isArray(v)) {
    return v.map((x) => resolve(x, vars, titles));
  }
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, resolve(x, k === 'title' ? titles : vars, titles)])
    );
  }
  return v;
}

/** A target narrowed to $tracker (every tracker of the contract when none is chosen): not narrowed at all. */
function allTrackers(target: Record<string, unknown>): Record<string, unknown> {
  const ids = target.trackerIds;
  if (Array.isArray(ids) && ids.every((id) => id === '$tracker' || id === '${tracker}')) {
    const { trackerIds: _, ...rest } = target;
    return rest;
  }
  return target;
}

/**
 * The bundled "Contract performance" dashboard made into one contract's own dashboard: its variables
 * ($datasource, $contract) resolved — in its links to the contract's pages too — $tracker dropped
 * (every tracker of the contract), and none left (Grafana's public dashboards take no variables).
 */
export function contractDashboard(
  bundled: Record<string, unknown>,
  contract: Contract,
  datasourceUid: string
): Record<string, unknown> {
  const panels = (bundled.panels as Array<Record<string, unknown>> | undefined)?.map((p) => ({
    ...p,
    targets: (p.targets as Array<Record<string, unknown>> | undefined)?.map(allTrackers),
  }));
  const d = resolve(
    { ...bundled, panels },
    { datasource: datasourceUid, contract: contract.id },
    { datasource: datasourceUid, contract: contract.name }
  ) as Record<string, unknown>;
  delete d.id;
  d.uid = contractDashboardUid(contract.id);
  d.title = t('shared.contract-dashboard.title', 'Contract performance — {{name}}', {
    name: contract.name,
    ...unescaped,
  });
  d.tags = ['covenant', `contract:${contract.id}`];
  d.templating = { list: [] };
  return d;
}

const call = <T>(method: string, url: string, data?: unknown) => fetchBody<T>({ method, url, data });

/** A contract's public link as Grafana holds it. */
export interface PublicLink {
  /** The public dashboard's own uid (to stop sharing). */
  uid: string;
  /** The path of the public dashboard, e.g. /public-dashboards/<token>. */
  path: string;
  /** The uid of the contract's own dashboard. */
  dashboardUid: string;
  /** False while the link is paused. */
  enabled: boolean;
}

interface PublicDashboardDTO {
  uid?: string;
  accessToken?: string;
  isEnabled?: boolean;
}

function toLink(p: PublicDashboardDTO, dashboardUid: string): PublicLink | undefined {
  if (!p.uid || !p.accessToken) {
    return undefined;
  }
  return { uid: p.uid, path: `/public-dashboards/${p.accessToken}`, dashboardUid, enabled: p.isEnabled !== false };
}

/** The status code of a failed backend call, if any. */
function statusOf(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'status' in err
    ? Number((err as { status: unknown }).status)
    : undefined;
}

/** The contract's public link if it was shared before (undefined when it was not). */
export async function findPublicLink(contract: Contract): Promise<PublicLink | undefined> {
  const uid = contractDashboardUid(contract.id);
  // Grafana answers "permissions needed" (not "not found") for the public link of a dashboard that does not exist.
  const found = await call<Array<{ uid: string }>>('GET', `/api/search?dashboardUIDs=${encodeURIComponent(uid)}`);
  if (!found.some((d) => d.uid === uid)) {
    return undefined;
  }
  const get = () => call<PublicDashboardDTO>('GET', `/api/dashboards/uid/${uid}/public-dashboards`);
  try {
    let found: PublicDashboardDTO;
    try {
      found = await get();
    } catch (err) {
      if (statusOf(err) !== 403) {
        throw err;
      }
      // Grafana caches each user's permissions for 30 s: a dashboard shared since is not in them yet.
      // Reload them, as Grafana's own front end does, and ask once more.
      await call('GET', '/api/access-control/user/actions?reloadcache=true');
      found = await get();
    }
    return toLink(found, uid);
  } catch (err) {
    if (statusOf(err) === 404) {
      return undefined;
    }
    throw err;
  }
}

/**
 * Shares a contract's performance by a public link: saves the contract's own dashboard (from the
 * bundled one, so it follows the bundled layout each time it is shared) and makes it public (Grafana's
 * public dashboards), or reuses and re-enables the link made before.
 */
export async function shareContract(contract: Contract, datasourceUid: string): Promise<PublicLink> {
  const bundled = await call<{ dashboard: Record<string, unknown> }>(
    'GET',
    `/api/dashboards/uid/${CONTRACT_DASHBOARD_UID}`
  );
  const dashboard = contractDashboard(bundled.dashboard, contract, datasourceUid);
  await call('POST', '/api/dashboards/db', {
    dashboard,
    overwrite: true,
    message: t('shared.share-contract.message.shared-from-covenant', 'Shared from Covenant'),
  });
  const uid = dashboard.uid as string;
  const before = await findPublicLink(contract);
  let made: PublicDashboardDTO;
  if (before) {
    made = before.enabled
      ? { uid: before.uid, accessToken: before.path.split('/').pop(), isEnabled: true }
      : await call<PublicDashboardDTO>('PATCH', `/api/dashboards/uid/${uid}/public-dashboards/${before.uid}`, {
          isEnabled: true,
        });
  } else {
    made = await call<PublicDashboardDTO>('POST', `/api/dashboards/uid/${uid}/public-dashboards`, {
      isEnabled: true,
      share: 'public',
    });
  }
  const link = toLink(made, uid);
  if (!link) {
    throw new Error(
      t(
        'shared.share-contract.error-no-public-link',
        'Grafana did not return the public link; check that public dashboards are enabled (feature toggle publicDashboards)'
      )
    );
  }
  return link;
}

/** Stops sharing: deletes the public dashboard (the link stops working at once); the contract's dashboard stays. */
export async function stopSharing(link: PublicLink): Promise<void> {
  await call('DELETE', `/api/dashboards/uid/${link.dashboardUid}/public-dashboards/${link.uid}`);
}
