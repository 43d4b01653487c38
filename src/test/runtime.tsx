import React from 'react';

/** What a test hands the @grafana/runtime stand-in: the calls it wants to see or answer. */
export interface RuntimeFakes {
  fetch?: (req: never) => unknown;
  push?: (path: string) => void;
  partial?: (query: unknown) => void;
  getList?: () => unknown;
}

/**
 * @grafana/runtime for the app's page tests: the real module, with PluginPage drawing its children,
 * BackendSrv's fetch, locationService and the datasource list given by the test. Use it as
 *   jest.mock('@grafana/runtime', () => jest.requireActual('../test/runtime').mockRuntime({ fetch: (r: never) => mockFetch(r) }));
 * (jest lets a mock factory reach only names that start with "mock").
 */
export function mockRuntime(fakes: RuntimeFakes) {
  const unexpected = (what: string) => () => {
    throw new Error(`the test gave no ${what}`);
  };
  return {
    ...jest.requireActual('@grafana/runtime'),
    PluginPage: ({ children }: { children: React.ReactNode }) => <div>{children}</div>,
    getBackendSrv: () => ({ fetch: fakes.fetch ?? unexpected('fetch') }),
    locationService: { push: fakes.push ?? unexpected('push'), partial: fakes.partial ?? unexpected('partial') },
    getDataSourceSrv: () => ({ getList: fakes.getList ?? unexpected('getList') }),
  };
}
