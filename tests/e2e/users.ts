import { grafanaURL } from '../chromium';

/** The Grafana users the tests act as; global-setup.ts creates all but the admin. */
export const USERS = {
  admin: { login: 'admin', password: 'admin', role: 'Admin' },
  editor: { login: 'covenant-e2e-editor', password: 'covenant-e2e-pw', role: 'Editor' },
  viewer: { login: 'covenant-e2e-viewer', password: 'covenant-e2e-pw', role: 'Viewer' },
  // An editor whose Grafana preference is German (Profile → Preferences → Language).
  german: { login: 'covenant-e2e-de', password: 'covenant-e2e-pw', role: 'Editor', language: 'de-DE' },
} as const;
export type UserName = keyof typeof USERS;

export function basicAuth(user: UserName): string {
  const u = USERS[user];
  return 'Basic ' + Buffer.from(`${u.login}:${u.password}`).toString('base64');
}

/** Calls the Grafana API as a user; fails on an unexpected status. */
export async function api<T = unknown>(
  user: UserName,
  method: string,
  path: string,
  body?: unknown,
  ok = [200, 201, 204]
): Promise<T> {
  const res = await fetch(grafanaURL + path, {
    method,
    headers: { Authorization: basicAuth(user), 'Content-Type': 'application/json', Accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!ok.includes(res.status)) {
    throw new Error(`${method} ${path} as ${user}: HTTP ${res.status} ${text}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The Covenant datasource's resource API path (provisioned uid covenant). */
export const registry = (path: string) => `/api/datasources/uid/covenant/resources/registry/${path}`;

/**
 * A figure with one decimal as an English page shows it: rounded on its decimal value, half up
 * (Intl), where toFixed rounds the binary value (94.05 → 94.0).
 */
export function oneDecimal(v: number): string {
  return new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v);
}
