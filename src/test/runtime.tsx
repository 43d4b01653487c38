import React from 'react';

/** What a test hands the @grafana/runtime stand-in: the calls it wants to see or answer. */
export interface RuntimeFakes {
  fetch?: (req: never) => unknown;
  push?: (path: string) => void;
  partial?: (query: unknown) => void;
  getList?: () => unknown;
  /** getTemplateSrv().replace: dashboard variables in a query's text. */
  replace?: (text: string, scopedVars?: unknown, format?: string | ((value: unknown) => string)) => string;
  /** getTemplateSrv().getVariables(): the dashboard's variables. */
  variables?: () => Array<{ name: string }>;
  /** Grafana's config (e.g. the signed-in user's role in bootData); default: the real module's. */
  config?: unknown;
  /** PluginPage draws the page's breadcrumb (its pageNav) above the content, as Grafana's does. */
  breadcrumb?: boolean;
}

interface PluginPageProps {
  children: React.ReactNode;
  pageNav?: { text: string; parentItem?: { text: string } };
}

/**
 * @grafana/runtime for the app's tests: the real module, with PluginPage drawing its children (and,
 * when asked, the breadcrumb), and BackendSrv's fetch, locationService, the datasource list,
 * templateSrv and config given by the test. What a test did not give throws when called. Use it as
 *   jest.mock('@grafana/runtime', () => jest.requireActual('../test/runtime').mockRuntime({ fetch: (r: never) => mockFetch(r) }));
 * (jest lets a mock factory reach only names that start with "mock").
 */
export function mockRuntime(fakes: RuntimeFakes) {
  const unexpected = (what: string) => () => {
    throw new Error(`the test gave no ${what}`);
  };
  const actual = jest.requireActual('@grafana/runtime');
  return {
    ...actual,
    PluginPage: ({ children, pageNav }: PluginPageProps) => (
      <div>
        {fakes.breadcrumb && (
          <nav aria-label="Breadcrumbs">{[pageNav?.parentItem?.text, pageNav?.text].filter(Boolean).join(' › ')}</nav>
        )}
        {children}
      </div>
    ),
    getBackendSrv: () => ({ fetch: fakes.fetch ?? unexpected('fetch') }),
    locationService: { push: fakes.push ?? unexpected('push'), partial: fakes.partial ?? unexpected('partial') },
    getDataSourceSrv: () => ({ getList: fakes.getList ?? unexpected('getList') }),
    getTemplateSrv: () => ({
      replace: fakes.replace ?? unexpected('replace'),
      getVariables: fakes.variables ?? unexpected('getVariables'),
    }),
    config: fakes.config ?? actual.config,
  };
}
