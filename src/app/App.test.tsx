import React from 'react';
import { render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import App from './App';
import { fakeFetch } from '../test/backend';
import { testIds } from '../shared/testIds';

let mockFetch = fakeFetch([]);
const mockGetList = jest.fn();

// Like Grafana's PluginPage, it draws the page's own breadcrumb (pageNav) above its content.
// The KPI form's SQL editor is Grafana's CodeEditor (Monaco), which jsdom cannot load: a stand-in.
jest.mock('@grafana/ui', () => jest.requireActual('../test/codeEditor').mockCodeEditor());
jest.mock('@grafana/runtime', () =>
  jest.requireActual('../test/runtime').mockRuntime({
    fetch: (r: never) => mockFetch(r),
    getList: () => mockGetList(),
    config: { bootData: { user: { orgRole: 'Editor' } } },
    breadcrumb: true,
  })
);

function Where() {
  return <output data-testid="location">{useLocation().pathname}</output>;
}

function renderApp(url: string, datasourceUid?: string) {
  const props = { meta: { jsonData: { datasourceUid } } } as unknown as AppRootProps;
  return render(
    <MemoryRouter initialEntries={[url]}>
      <Routes>
        <Route
          path="/a/covenant-contracts-app/*"
          element={
            <>
              <App {...props} />
              <Where />
            </>
          }
        />
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
  ])('routes %s', async (url, find) => {
    mockGetList.mockReturnValue([{ uid: 'covenant', jsonData: {} }]);
    renderApp(url);
    expect(await find()).toBeInTheDocument();
  });

  // Grafana titled the app's root "Apps": no menu page has that URL. The root and unknown paths
  // now go to the Contracts page, whose menu entry, title and breadcrumb Grafana knows.
  it.each(['/a/covenant-contracts-app', '/a/covenant-contracts-app/', '/a/covenant-contracts-app/nowhere'])(
    'sends %s to the Contracts page',
    async (url) => {
      mockGetList.mockReturnValue([{ uid: 'covenant', jsonData: {} }]);
      renderApp(url);
      expect(await screen.findByTestId(testIds.contracts.page)).toBeInTheDocument();
      expect(screen.getByTestId('location')).toHaveTextContent(/^\/a\/covenant-contracts-app\/contracts$/);
    }
  );

  it('gives a contract, its report and the forms a breadcrumb of their own', async () => {
    mockGetList.mockReturnValue([{ uid: 'covenant', jsonData: {} }]);
    mockFetch = fakeFetch([
      [
        'GET registry/contracts/acme-it',
        { data: { id: 'acme-it', name: 'Acme IT services', counterparty: 'Acme', status: 'active', version: 1 } },
      ],
      ['GET registry/', emptyPage],
      ['GET connectors', { data: { connectors: [] } }],
    ]);
    renderApp('/a/covenant-contracts-app/contracts/acme-it/edit');
    expect(await screen.findByRole('navigation', { name: 'Breadcrumbs' })).toHaveTextContent('Acme IT services › Edit');
  });
});
