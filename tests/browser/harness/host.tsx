/**
 * The browser-test host: stands in for Grafana's own front end (which the Grafana built from its Go
 * module does not carry, docs/grafana-server.md) so that Covenant's built plugin runs in Chromium
 * against the real Grafana server's API. It provides what Grafana provides a plugin: the shared
 * modules (@grafana/ui, data, runtime at the versions the plugin builds against, React, react-router),
 * the boot data Grafana serves (/api/frontend/settings, the signed-in user), a backend service that
 * calls the server, the datasource list, and a router. It then loads the plugin's module.js, as
 * Grafana serves it, through an AMD loader, and renders the app's root page or a panel.
 */
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import lodash from 'lodash';
import React from 'react';
import * as jsxRuntime from 'react/jsx-runtime';
import * as ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as reactRouter from 'react-router';
import * as rxjs from 'rxjs';
import * as rxjsOperators from 'rxjs/operators';

const { Observable } = rxjs;
type BootData = { settings: { datasources: Record<string, grafanaData.DataSourceInstanceSettings> } };
const boot = (window as unknown as { grafanaBootData: BootData }).grafanaBootData;

/** Calls the Grafana server as Grafana's BackendSrv does: JSON in and out, errors as {status, data}. */
function fetchObservable<T>(
  options: grafanaRuntime.BackendSrvRequest
): rxjs.Observable<grafanaRuntime.FetchResponse<T>> {
  return new Observable((sub) => {
    const ctrl = new AbortController();
    let url = options.url;
    if (options.params) {
      url += (url.includes('?') ? '&' : '?') + new URLSearchParams(options.params as Record<string, string>).toString();
    }
    const body =
      options.data === undefined
        ? undefined
        : typeof options.data === 'string'
          ? options.data
          : JSON.stringify(options.data);
    fetch(url, {
      method: options.method ?? 'GET',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(options.headers ?? {}) },
      body,
      signal: ctrl.signal,
      credentials: 'same-origin',
    })
      .then(async (res) => {
        const text = await res.text();
        let data: unknown = text;
        try {
          data = text ? JSON.parse(text) : undefined;
        } catch {
          /* not JSON: keep the text */
        }
        const response = {
          data: data as T,
          status: res.status,
          statusText: res.statusText,
          ok: res.ok,
          headers: res.headers,
          redirected: res.redirected,
          type: res.type,
          url: res.url,
          config: options,
        };
        if (res.ok) {
          sub.next(response);
          sub.complete();
        } else {
          sub.error({ ...response, isHandled: false });
        }
      })
      .catch((err) => sub.error(err));
    return () => ctrl.abort();
  });
}

const backendSrv = {
  fetch: fetchObservable,
  request: <T,>(o: grafanaRuntime.BackendSrvRequest) => rxjs.lastValueFrom(fetchObservable<T>(o)).then((r) => r.data),
  datasourceRequest: <T,>(o: grafanaRuntime.BackendSrvRequest) => rxjs.lastValueFrom(fetchObservable<T>(o)),
  get: <T,>(url: string, params?: Record<string, string>) => backendSrv.request<T>({ url, params, method: 'GET' }),
  delete: <T,>(url: string, data?: unknown) => backendSrv.request<T>({ url, data, method: 'DELETE' }),
  post: <T,>(url: string, data?: unknown) => backendSrv.request<T>({ url, data, method: 'POST' }),
  put: <T,>(url: string, data?: unknown) => backendSrv.request<T>({ url, data, method: 'PUT' }),
  patch: <T,>(url: string, data?: unknown) => backendSrv.request<T>({ url, data, method: 'PATCH' }),
  chunked: () => {
    throw new Error('chunked requests are not used by Covenant');
  },
};
grafanaRuntime.setBackendSrv(backendSrv as unknown as grafanaRuntime.BackendSrv);

const datasources = Object.values(boot.settings.datasources ?? {});
grafanaRuntime.setDataSourceSrv({
  getList: (filters?: grafanaRuntime.GetDataSourceListFilters) =>
    datasources.filter(
      (ds) =>
        !filters?.type || (Array.isArray(filters.type) ? filters.type.includes(ds.type) : ds.type === filters.type)
    ),
  getInstanceSettings: (ref?: grafanaData.DataSourceRef | string | null) => {
    const uid = typeof ref === 'string' ? ref : ref?.uid;
    return datasources.find((ds) => ds.uid === uid || ds.name === uid);
  },
  get: () => Promise.reject(new Error('datasource instances are not used by the pages under test')),
  reload: () => {},
  registerRuntimeDataSource: () => {},
} as unknown as grafanaRuntime.DataSourceSrv);

/** The modules Grafana shares with plugins (the scaffold's webpack externals), by the names the plugin asks for. */
const shared: Record<string, unknown> = {
  react: React,
  'react-dom': ReactDOM,
  'react/jsx-runtime': jsxRuntime,
  'react-router': reactRouter,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  lodash,
  rxjs,
  'rxjs/operators': rxjsOperators,
};

/** Loads an AMD module the way Grafana's SystemJS loader does: a script whose define() names its shared deps. */
function loadPlugin(uri: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const w = window as unknown as { define?: unknown };
    w.define = (deps: string[], factory: (...args: unknown[]) => Record<string, unknown>) => {
      const missing = deps.filter((d) => d !== 'module' && !(d in shared));
      if (missing.length) {
        reject(new Error(`the plugin needs modules the host does not share: ${missing.join(', ')}`));
        return;
      }
      resolve(factory(...deps.map((d) => (d === 'module' ? { uri } : shared[d]))));
    };
    (w.define as { amd?: boolean }).amd = true;
    const script = document.createElement('script');
    script.src = uri;
    script.onerror = () => reject(new Error(`could not load ${uri}`));
    document.head.appendChild(script);
  });
}

/** Grafana's router for app pages: react-router v6 over locationService's history, links inside the app kept in page. */
function HostRouter({ children }: { children: React.ReactNode }) {
  const history = grafanaRuntime.locationService.getHistory();
  const [location, setLocation] = React.useState(history.location);
  React.useEffect(() => history.listen((l: typeof history.location) => setLocation(l)), [history]);
  React.useEffect(() => {
    const onClick = (e: MouseEvent) => {
      const a = (e.target as HTMLElement).closest('a');
      if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || a.target === '_blank') {
        return;
      }
      const url = new URL(a.href, window.location.href);
      if (url.origin === window.location.origin && url.pathname.startsWith('/a/')) {
        e.preventDefault();
        grafanaRuntime.locationService.push(url.pathname + url.search);
      }
    };
    document.addEventListener('click', onClick);
    return () => document.removeEventListener('click', onClick);
  }, []);
  return (
    <reactRouter.Router location={location} navigator={history as unknown as reactRouter.Navigator}>
      {children}
    </reactRouter.Router>
  );
}

function Themed({ children }: { children: React.ReactNode }) {
  const theme = grafanaRuntime.config.theme2;
  return (
    <grafanaData.ThemeContext.Provider value={theme}>
      <grafanaUi.GlobalStyles />
      <div style={{ padding: 24, minHeight: '100vh', background: theme.colors.background.canvas }}>{children}</div>
    </grafanaData.ThemeContext.Provider>
  );
}

async function main() {
  const root = createRoot(document.getElementById('root')!);
  const appId = 'covenant-contracts-app';
  const meta = await backendSrv.get<grafanaData.AppPluginMeta>(`/api/plugins/${appId}/settings`);
  const mod = await loadPlugin(`/public/plugins/${appId}/module.js`);
  const plugin = mod.plugin as grafanaData.AppPlugin;
  plugin.init?.(meta);
  plugin.meta = meta;
  const Root = plugin.root!;
  root.render(
    <Themed>
      <HostRouter>
        <reactRouter.Routes>
          <reactRouter.Route
            path={`/a/${appId}/*`}
            element={
              <Root meta={meta} basename={`/a/${appId}`} query={{}} path={`/a/${appId}`} onNavChanged={() => {}} />
            }
          />
        </reactRouter.Routes>
      </HostRouter>
    </Themed>
  );
  (window as unknown as { covenantHostReady: boolean }).covenantHostReady = true;
}

main().catch((err) => {
  document.getElementById('root')!.textContent = `Host failed: ${err?.message ?? err}`;
  (window as unknown as { covenantHostError: string }).covenantHostError = String(err?.message ?? err);
});
