import { of, throwError } from 'rxjs';

/** A request as the pages send it through getBackendSrv().fetch. */
export interface Req {
  url: string;
  method?: string;
  data?: unknown;
}

/** An answer: the body, and an HTTP status (errors answer like Grafana's BackendSrv: `{status, data}`). */
export type Answer = { status?: number; data: unknown };

/**
 * A fake Grafana backend for jest: routes are "METHOD path-fragment" (the fragment is matched against
 * the URL after /resources/, or the whole URL), tried in order; unmatched calls fail loudly.
 */
export function fakeFetch(routes: Array<[string, Answer | ((req: Req) => Answer)]>) {
  return jest.fn((req: Req) => {
    const method = req.method ?? 'GET';
    const path = req.url.includes('/resources/') ? req.url.split('/resources/')[1] : req.url;
    for (const [key, answer] of routes) {
      const [m, fragment] = key.split(' ');
      if (m === method && path.startsWith(fragment)) {
        const a = typeof answer === 'function' ? answer(req) : answer;
        const status = a.status ?? 200;
        return status < 400 ? of({ data: a.data, status }) : throwError(() => ({ status, data: a.data }));
      }
    }
    return throwError(() => ({ status: 599, data: { error: `no fake route for ${method} ${req.url}` } }));
  });
}

/** The Covenant datasource the pages are given in tests. */
export const testDatasource = {
  uid: 'covenant',
  name: 'Covenant',
  type: 'covenant-kpi-datasource',
  jsonData: {},
} as never;

/** The calls a fake fetch received for a method and path fragment. */
export function callsTo(fetch: jest.Mock, method: string, fragment: string): Req[] {
  return fetch.mock.calls
    .map((c) => c[0] as Req)
    .filter((r) => (r.method ?? 'GET') === method && r.url.includes(fragment));
}
