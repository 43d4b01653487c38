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
import { flushSync } from 'react-dom';
import { benchmark } from './bench';

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

const appId = 'covenant-contracts-app';
const PANEL_ID = 'covenant-kpitrend-panel';

/**
 * The panel as a dashboard shows it: its module as Grafana serves it, a query run through the
 * server's /api/ds/query, the frames through Grafana's field-config pipeline, the options (the
 * plugin's defaults and ?options=JSON). A drag-to-zoom changes the range, as on a dashboard.
 * window.covenantPanel lets a test resize it and read the range.
 */
async function panelHarness(root: ReturnType<typeof createRoot>) {
  // Grafana registers its option editors at start-up; a panel's defaults are read through them.
  // The host draws no options pane, so each editor is a placeholder with Grafana's id.
  const editors = [
    'radio',
    'boolean',
    'number',
    'text',
    'select',
    'multi-select',
    'color',
    'unit',
    'slider',
    'links',
    'stats-picker',
  ];
  grafanaData.standardEditorsRegistry.setInit(() => editors.map((id) => ({ id, name: id, editor: () => null })));
  const params = new URLSearchParams(window.location.search);
  const mod = await loadPlugin(`/public/plugins/${appId}/panels/kpitrend/module.js`);
  const plugin = mod.plugin as grafanaData.PanelPlugin;
  const Panel = plugin.panel!;
  const theme = grafanaRuntime.config.theme2;
  let range = grafanaData.rangeUtil.convertRawToRange({
    from: params.get('from') ?? 'now-90d',
    to: params.get('to') ?? 'now',
  });
  let size = { width: Number(params.get('width') ?? 900), height: Number(params.get('height') ?? 500) };
  let options = { ...(plugin.defaults as object), ...JSON.parse(params.get('options') ?? '{}') };
  let fieldConfig: grafanaData.FieldConfigSource = { defaults: {}, overrides: [] };
  const query = JSON.parse(params.get('query') ?? '{"queryType":"trackerSeries","contract":"acme-it"}');
  const state: { zoomedTo?: grafanaData.AbsoluteTimeRange; frames: number } = { frames: 0 };
  // ?snapshot=<key>: the panel of a dashboard snapshot, drawn from the frames stored in it (no query),
  // as Grafana shows a snapshot: its time range, the panel's options and field config.
  const snapshotKey = params.get('snapshot');
  let snapshotFrames: grafanaData.DataFrame[] | undefined;
  if (snapshotKey) {
    const snap = await backendSrv.get<{
      dashboard: {
        time: { from: string; to: string };
        panels: Array<{
          type: string;
          options?: object;
          fieldConfig?: grafanaData.FieldConfigSource;
          snapshotData?: unknown[];
        }>;
      };
    }>(`/api/snapshots/${encodeURIComponent(snapshotKey)}`);
    const panel = snap.dashboard.panels.find((p) => p.type === PANEL_ID);
    if (!panel?.snapshotData) {
      throw new Error(`snapshot ${snapshotKey} has no ${PANEL_ID} panel with data`);
    }
    snapshotFrames = panel.snapshotData.map((d) => grafanaData.toDataFrame(d));
    options = { ...(plugin.defaults as object), ...panel.options };
    fieldConfig = panel.fieldConfig ?? fieldConfig;
    range = grafanaData.rangeUtil.convertRawToRange(snap.dashboard.time);
  }
  const frames = async (): Promise<grafanaData.DataFrame[]> => {
    if (snapshotFrames) {
      return snapshotFrames;
    }
    const res = await backendSrv.post<unknown>('/api/ds/query', {
      from: String(range.from.valueOf()),
      to: String(range.to.valueOf()),
      queries: [{ refId: 'A', datasource: { uid: params.get('datasource') ?? 'covenant' }, ...query }],
    });
    const response = grafanaRuntime.toDataQueryResponse({ data: res } as never);
    if (response.errors?.length) {
      throw new Error(response.errors[0].message);
    }
    return response.data as grafanaData.DataFrame[];
  };
  // ?copies=N draws the panel N times on one dashboard event bus, each on its own scoped bus as
  // Grafana gives panels; ?sync=crosshair|tooltip is the dashboard's graph tooltip setting.
  const dashboardBus = new grafanaData.EventBusSrv();
  const buses = Array.from({ length: Number(params.get('copies') ?? 1) }, (_, i) =>
    dashboardBus.newScopedBus(`panel-${i + 1}`, { onlyLocal: false })
  );
  const sync =
    { crosshair: grafanaData.DashboardCursorSync.Crosshair, tooltip: grafanaData.DashboardCursorSync.Tooltip }[
      params.get('sync') ?? ''
    ] ?? grafanaData.DashboardCursorSync.Off;
  const draw = async () => {
    const series = grafanaData.applyFieldOverrides({
      data: await frames(),
      fieldConfig,
      replaceVariables: (s: string) => s,
      theme,
      timeZone: 'utc',
    });
    state.frames = series.length;
    const render = () =>
      root.render(
        <Themed>
          {buses.map((bus, i) => (
            <grafanaUi.PanelContextProvider key={i} value={{ eventsScope: 'global', eventBus: bus, sync: () => sync }}>
              <div
                style={{ width: size.width, height: size.height }}
                data-testid={i === 0 ? 'covenant-harness-panel' : `covenant-harness-panel-${i + 1}`}
              >
                <Panel
                  id={i + 1}
                  data={{ series, state: grafanaData.LoadingState.Done, timeRange: range }}
                  timeRange={range}
                  timeZone="utc"
                  options={options}
                  fieldConfig={fieldConfig}
                  transparent={false}
                  width={size.width}
                  height={size.height}
                  renderCounter={0}
                  title="KPI trend"
                  eventBus={bus}
                  onOptionsChange={() => {}}
                  onFieldConfigChange={() => {}}
                  replaceVariables={(s: string) => s}
                  onChangeTimeRange={(r: grafanaData.AbsoluteTimeRange) => {
                    state.zoomedTo = r;
                    range = grafanaData.makeTimeRange(grafanaData.dateTime(r.from), grafanaData.dateTime(r.to));
                    draw();
                  }}
                />
              </div>
            </grafanaUi.PanelContextProvider>
          ))}
        </Themed>
      );
    render();
    (window as unknown as { covenantPanel: unknown }).covenantPanel = {
      state,
      resize: (width: number, height: number) => {
        size = { width, height };
        flushSync(render);
      },
    };
  };
  await draw();
}

async function main() {
  const root = createRoot(document.getElementById('root')!);
  // The theme, for tests that compute the colours they look for.
  (window as unknown as { covenantTheme: unknown }).covenantTheme = grafanaRuntime.config.theme2;
  if (window.location.pathname === '/covenant-harness/panel') {
    await panelHarness(root);
    (window as unknown as { covenantHostReady: boolean }).covenantHostReady = true;
    return;
  }
  if (window.location.pathname === '/covenant-harness/bench') {
    const mod = await loadPlugin(`/public/plugins/${appId}/panels/kpitrend/module.js`);
    (window as unknown as { covenantBench: unknown }).covenantBench = benchmark(
      root,
      (mod.plugin as grafanaData.PanelPlugin).panel!,
      Themed
    );
    (window as unknown as { covenantHostReady: boolean }).covenantHostReady = true;
    return;
  }
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
