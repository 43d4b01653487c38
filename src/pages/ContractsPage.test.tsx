import React from 'react';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { of, throwError } from 'rxjs';
import { ContractsPage } from './ContractsPage';
import { testIds } from '../shared/testIds';
import type { Contract } from '../shared/types';
import { renderPage } from '../test/render';

const render = (ui: React.ReactElement, role = 'Editor') => renderPage(ui, { role });

const mockFetch = jest.fn();
const mockGetList = jest.fn();

jest.mock('@grafana/runtime', () =>
  jest.requireActual('../test/runtime').mockRuntime({ fetch: (r: never) => mockFetch(r), getList: () => mockGetList() })
);

const contract: Contract = {
  id: 'acme-it',
  version: 1,
  name: 'Acme IT managed services',
  counterparty: 'Acme Corp',
  owner: 'Dana Whitfield',
  description: '24x7 service desk',
  startDate: '2024-11-01',
  endDate: '2027-11-01',
  renewalDate: '2027-11-01',
  noticeDays: 90,
  value: 1800000,
  currency: 'EUR',
  status: 'active',
};

/** A trackerSeries frame as /api/ds/query returns it: labels on the fields, rag values. */
function ragFrame(contractId: string, rag: Array<number | null>) {
  return {
    schema: {
      fields: [
        { name: 'time' },
        { name: 'actual', labels: { contract: contractId } },
        { name: 'rag', labels: { contract: contractId } },
      ],
    },
    data: { values: [rag.map((_, i) => i), rag.map(() => 1), rag] },
  };
}

/** Answers the page's calls: the registry list, then the RAG query. */
function answer(contracts: Contract[], total = contracts.length, frames: unknown[] = []) {
  mockFetch.mockImplementation((req: { url: string }) => {
    if (req.url === '/api/ds/query') {
      return of({ data: { results: { A: { frames } } } });
    }
    return of({ data: { items: contracts, total, limit: 50, offset: 0 } });
  });
}

describe('ContractsPage', () => {
  beforeEach(() => {
    mockFetch.mockReset();
    mockGetList.mockReset();
  });

  it('lists the registry contracts with status and a RAG summary each', async () => {
    mockGetList.mockReturnValue([{ uid: 'covenant', type: 'covenant-kpi-datasource' }]);
    answer([contract, { ...contract, id: 'globex', name: 'Globex freight', status: 'draft' }], 2, [
      ragFrame('acme-it', [0, 2, null]),
      ragFrame('acme-it', [1, 0]),
      ragFrame('globex', [null, null]),
    ]);
    render(<ContractsPage />);
    expect(await screen.findByTestId(testIds.contracts.table)).toBeInTheDocument();
    const acme = screen.getByTestId(testIds.contracts.row('acme-it'));
    expect(acme).toHaveTextContent('Acme IT managed services');
    expect(acme).toHaveTextContent('€1,800,000');
    expect(acme).toHaveTextContent('active');
    expect(await screen.findByText('1 green')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.contracts.rag('acme-it'))).toHaveTextContent('1 red');
    expect(screen.getByTestId(testIds.contracts.rag('globex'))).toHaveTextContent('none');
    expect(mockFetch.mock.calls[0][0].url).toBe(
      '/api/datasources/uid/covenant/resources/registry/contracts?limit=50&offset=0'
    );
    // The one way the app queries (queryFrames): the datasource by uid and type, the last 90 days in ms.
    const body = mockFetch.mock.calls[1][0].data;
    expect(body.queries[0]).toMatchObject({
      queryType: 'trackerSeries',
      contract: 'acme-it,globex',
      datasource: { uid: 'covenant', type: 'covenant-kpi-datasource' },
    });
    expect(Number(body.to) - Number(body.from)).toBe(90 * 24 * 3600 * 1000);
  });

  it('searches by name and pages through', async () => {
    mockGetList.mockReturnValue([{ uid: 'covenant' }]);
    answer([contract], 120);
    render(<ContractsPage />);
    expect(await screen.findByTestId(testIds.contracts.count)).toHaveTextContent('1–1 of 120');
    fireEvent.click(screen.getByText('Next'));
    await waitFor(() => expect(mockFetch.mock.calls.some((c) => c[0].url.includes('offset=50'))).toBe(true));
    fireEvent.change(screen.getByTestId(testIds.contracts.search), { target: { value: 'acme co' } });
    await waitFor(() =>
      expect(
        mockFetch.mock.calls.some((c) => c[0].url.endsWith('registry/contracts?search=acme+co&limit=50&offset=0'))
      ).toBe(true)
    );
  });

  it('shows the backend error when the list fails', async () => {
    mockGetList.mockReturnValue([{ uid: 'covenant' }]);
    mockFetch.mockReturnValue(
      throwError(() => ({ status: 503, data: { error: 'the registry is not available: disk full' } }))
    );
    render(<ContractsPage />);
    expect(await screen.findByTestId(testIds.contracts.error)).toHaveTextContent(
      'the registry is not available: disk full'
    );
  });

  it('keeps the list when only the RAG query fails', async () => {
    mockGetList.mockReturnValue([{ uid: 'covenant' }]);
    mockFetch.mockImplementation((req: { url: string }) =>
      req.url === '/api/ds/query'
        ? throwError(() => ({ status: 500, data: { message: 'boom' } }))
        : of({ data: { items: [contract], total: 1, limit: 50, offset: 0 } })
    );
    render(<ContractsPage />);
    await waitFor(() => expect(screen.getByTestId(testIds.contracts.rag('acme-it'))).toHaveTextContent('—'));
    expect(screen.queryByTestId(testIds.contracts.error)).not.toBeInTheDocument();
  });

  it('offers New contract to writers only', async () => {
    answer([contract]);
    const { unmount } = render(<ContractsPage />);
    expect(await screen.findByTestId(testIds.contracts.create)).toHaveAttribute(
      'href',
      '/a/covenant-contracts-app/contracts/new'
    );
    unmount();
    render(<ContractsPage />, 'Viewer');
    await screen.findByTestId(testIds.contracts.table);
    expect(screen.queryByTestId(testIds.contracts.create)).not.toBeInTheDocument();
    expect(screen.getByText('Changes need the Editor role.')).toBeInTheDocument();
  });

  it('links each contract to its page', async () => {
    answer([contract]);
    render(<ContractsPage />);
    expect(await screen.findByRole('link', { name: 'Acme IT managed services' })).toHaveAttribute(
      'href',
      '/a/covenant-contracts-app/contracts/acme-it'
    );
  });

  it('explains an empty registry and an empty search', async () => {
    mockGetList.mockReturnValue([{ uid: 'covenant' }]);
    answer([]);
    render(<ContractsPage />);
    expect(await screen.findByTestId(testIds.contracts.empty)).toHaveTextContent('Create a contract with New contract');
    fireEvent.change(screen.getByTestId(testIds.contracts.search), { target: { value: 'zzz' } });
    await waitFor(() =>
      expect(screen.getByTestId(testIds.contracts.empty)).toHaveTextContent('No contract name contains “zzz”')
    );
  });
});
