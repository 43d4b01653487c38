import React from 'react';
import { render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import App from './App';
import { fakeFetch } from '../test/backend';
import { testIds } from '../shared/testIds';

let mockFetch = fakeFetch([]);
const mockGetList = jest.fn();

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  PluginPage: ({ children }: { children: React.ReactNode }) => <div>{children}</div>,
  getBackendSrv: () => ({ fetch: (r: unknown) => mockFetch(r as never) }),
  getDataSourceSrv: () => ({ getList: mockGetList }),
  config: { bootData: { user: { orgRole: 'Editor' } } },
}));

function renderApp(url: string, datasourceUid?: string) {
  const props = { meta: { jsonData: { datasourceUid } } } as unknown as AppRootProps;
  return render(
    <MemoryRouter initialEntries={[url]}>
      <Routes>
        <Route path="/a/covenant-contracts-app/*" element={<App {...props} />} />
      </Routes>
    </MemoryRouter>
  );
}

const emptyPage = { data: { items: [], total: 0, limit: 50, offset: 0 } };

describe('App', () => {
  beforeEach(() => {
    mockFetch = fakeFetch([
      ['GET registry/', emptyPage],
      ['GET connectors', { data: { connectors: [{ name: 'demo', type: 'demo', sql: true }] } }],
    ]);
  });

  it('says what to do when there is no Covenant datasource', () => {
    mockGetList.mockReturnValue([]);
    renderApp('/a/covenant-contracts-app/contracts');
    expect(screen.getByText(/Add a datasource of type “Covenant KPI”/)).toBeInTheDocument();
    expect(mockFetch).not.toHaveBeenCalled();
  });

  it('uses the datasource chosen in the app settings', async () => {
    mockGetList.mockReturnValue([
      { uid: 'first', jsonData: {} },
      { uid: 'chosen', jsonData: {} },
    ]);
    renderApp('/a/covenant-contracts-app/contracts', 'chosen');
    await screen.findByTestId(testIds.contracts.empty);
    expect(mockFetch.mock.calls[0][0].url).toContain('/api/datasources/uid/chosen/resources/registry/contracts');
  });

  it.each([
    ['/a/covenant-contracts-app/contracts/new', () => screen.findByRole('form', { name: 'New contract' })],
    ['/a/covenant-contracts-app/kpis', () => screen.findByTestId(testIds.list.page('kpis'))],
    ['/a/covenant-contracts-app/kpis/new', () => screen.findByRole('form', { name: 'New KPI' })],
    ['/a/covenant-contracts-app/trackers', () => screen.findByTestId(testIds.list.page('trackers'))],
    ['/a/covenant-contracts-app/trackers/new', () => screen.findByRole('form', { name: 'New tracker' })],
    ['/a/covenant-contracts-app/connectors', () => screen.findByTestId(testIds.connectors.page)],
    ['/a/covenant-contracts-app/registry', () => screen.findByTestId(testIds.registryAsCode.page)],
    ['/a/covenant-contracts-app/portfolio', () => screen.findByTestId(testIds.portfolio.page)],
    ['/a/covenant-contracts-app/', () => screen.findByTestId(testIds.contracts.page)],
  ])('routes %s', async (url, find) => {
    mockGetList.mockReturnValue([{ uid: 'covenant', jsonData: {} }]);
    renderApp(url);
    expect(await find()).toBeInTheDocument();
  });
});
