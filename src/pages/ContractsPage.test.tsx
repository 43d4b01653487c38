import React from 'react';
import { render, screen } from '@testing-library/react';
import { of, throwError } from 'rxjs';
import { ContractsPage, formatValue } from './ContractsPage';
import { testIds } from '../shared/testIds';
import type { DemoContract } from '../shared/types';

const fetchMock = jest.fn();
const getListMock = jest.fn();

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  PluginPage: ({ children }: { children: React.ReactNode }) => <div>{children}</div>,
  getBackendSrv: () => ({ fetch: fetchMock }),
  getDataSourceSrv: () => ({ getList: getListMock }),
}));

const contract: DemoContract = {
  key: 'acme-it',
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

describe('ContractsPage', () => {
  beforeEach(() => {
    fetchMock.mockReset();
    getListMock.mockReset();
  });

  it('lists the contracts the datasource returns', async () => {
    getListMock.mockReturnValue([{ uid: 'covenant', type: 'covenant-kpi-datasource' }]);
    fetchMock.mockReturnValue(
      of({ data: { contracts: [contract, { ...contract, key: 'globex', name: 'Globex freight' }] } })
    );
    render(<ContractsPage />);
    expect(await screen.findByTestId(testIds.contracts.table)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.contracts.row('acme-it'))).toHaveTextContent('Acme IT managed services');
    expect(screen.getByTestId(testIds.contracts.row('acme-it'))).toHaveTextContent('€1,800,000');
    expect(screen.getByTestId(testIds.contracts.row('globex'))).toHaveTextContent('Globex freight');
    expect(fetchMock).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/api/datasources/uid/covenant/resources/demo/contracts', method: 'GET' })
    );
  });

  it('uses the datasource chosen in the app settings', async () => {
    getListMock.mockReturnValue([{ uid: 'first' }, { uid: 'chosen' }]);
    fetchMock.mockReturnValue(of({ data: { contracts: [contract] } }));
    render(<ContractsPage datasourceUid="chosen" />);
    await screen.findByTestId(testIds.contracts.table);
    expect(fetchMock.mock.calls[0][0].url).toBe('/api/datasources/uid/chosen/resources/demo/contracts');
  });

  it('says what to do when there is no Covenant datasource', () => {
    getListMock.mockReturnValue([]);
    render(<ContractsPage />);
    expect(screen.getByText(/Add a datasource of type “Covenant KPI”/)).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('shows the backend error when the call fails', async () => {
    getListMock.mockReturnValue([{ uid: 'covenant' }]);
    fetchMock.mockReturnValue(
      throwError(() => ({ status: 400, data: { error: 'connector: the demo connector is disabled' } }))
    );
    render(<ContractsPage />);
    expect(await screen.findByTestId(testIds.contracts.error)).toHaveTextContent('the demo connector is disabled');
  });

  it('explains an empty list', async () => {
    getListMock.mockReturnValue([{ uid: 'covenant' }]);
    fetchMock.mockReturnValue(of({ data: { contracts: [] } }));
    render(<ContractsPage />);
    expect(await screen.findByTestId(testIds.contracts.empty)).toHaveTextContent(
      'Enable it in the datasource settings'
    );
  });
});

describe('formatValue', () => {
  it('formats in the contract currency', () => {
    expect(formatValue(950000, 'GBP')).toBe('£950,000');
  });
  it('falls back for an unknown currency code', () => {
    expect(formatValue(1000, 'not-a-code')).toBe('1,000 not-a-code');
  });
});
