import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { of, throwError } from 'rxjs';
import type { DataSourceSettings } from '@grafana/data';
import { ConnectorsEditor } from './ConnectorsEditor';
import { testIds } from '../../shared/testIds';
import type { ConnectorSettings, CovenantOptions } from '../../shared/types';

const fetchMock = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: fetchMock }),
}));

const pg: ConnectorSettings = {
  uid: 'wh',
  name: 'warehouse',
  type: 'postgres',
  host: 'db',
  database: 'ops',
  user: 'cov',
};

function settings(
  connectors: ConnectorSettings[] = [],
  secureJsonFields: Record<string, boolean> = {}
): DataSourceSettings<CovenantOptions> {
  return {
    uid: 'covenant',
    jsonData: { connectors },
    secureJsonFields,
  } as unknown as DataSourceSettings<CovenantOptions>;
}

describe('ConnectorsEditor', () => {
  beforeEach(() => fetchMock.mockReset());

  it('adds a connector with a fresh uid', () => {
    const onChange = jest.fn();
    render(<ConnectorsEditor options={settings()} onOptionsChange={onChange} />);
    fireEvent.click(screen.getByTestId(testIds.configEditor.addConnector));
    const added = onChange.mock.calls[0][0].jsonData.connectors;
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ name: 'connector-1', type: 'postgres' });
    expect(added[0].uid).toMatch(/^c[a-z0-9]+$/);
  });

  it('shows the fields of the type, and edits them', () => {
    const onChange = jest.fn();
    render(<ConnectorsEditor options={settings([pg])} onOptionsChange={onChange} />);
    expect(screen.getByTestId(testIds.configEditor.connectorField(0, 'host'))).toHaveValue('db');
    expect(screen.queryByTestId(testIds.configEditor.connectorField(0, 'url'))).not.toBeInTheDocument();
    fireEvent.change(screen.getByTestId(testIds.configEditor.connectorField(0, 'port')), { target: { value: '6432' } });
    expect(onChange.mock.calls[0][0].jsonData.connectors[0]).toEqual({ ...pg, port: 6432 });
  });

  it('keeps the password in secureJsonData under the connector uid, never in jsonData', () => {
    const onChange = jest.fn();
    render(<ConnectorsEditor options={settings([pg])} onOptionsChange={onChange} />);
    fireEvent.change(screen.getByTestId(testIds.configEditor.connectorField(0, 'password')), {
      target: { value: 's3cret' },
    });
    const next = onChange.mock.calls[0][0];
    expect(next.secureJsonData).toEqual({ 'connectors.wh.password': 's3cret' });
    expect(JSON.stringify(next.jsonData)).not.toContain('s3cret');
  });

  it('shows a configured secret as set, and resets it', () => {
    const onChange = jest.fn();
    render(
      <ConnectorsEditor options={settings([pg], { 'connectors.wh.password': true })} onOptionsChange={onChange} />
    );
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(onChange.mock.calls[0][0].secureJsonFields['connectors.wh.password']).toBe(false);
  });

  it('removes a connector and clears its secret', () => {
    const onChange = jest.fn();
    render(
      <ConnectorsEditor options={settings([pg], { 'connectors.wh.password': true })} onOptionsChange={onChange} />
    );
    fireEvent.click(screen.getByTestId(testIds.configEditor.removeConnector(0)));
    const next = onChange.mock.calls[0][0];
    expect(next.jsonData.connectors).toEqual([]);
    expect(next.secureJsonData['connectors.wh.password']).toBe('');
  });

  it('stores the allowed hosts as a list', () => {
    const onChange = jest.fn();
    render(<ConnectorsEditor options={settings()} onOptionsChange={onChange} />);
    const input = screen.getByTestId(testIds.configEditor.allowedHosts);
    fireEvent.change(input, { target: { value: 'api.example.com, *.corp.example ,' } });
    fireEvent.blur(input);
    expect(onChange.mock.calls[0][0].jsonData.httpAllowedHosts).toEqual(['api.example.com', '*.corp.example']);
  });

  it('tests the saved connector and shows the answer', async () => {
    fetchMock.mockReturnValue(of({ data: { ok: true, message: 'connected (PostgreSQL 15.8)' } }));
    render(<ConnectorsEditor options={settings([pg])} onOptionsChange={jest.fn()} />);
    fireEvent.click(screen.getByTestId(testIds.configEditor.testConnector(0)));
    await waitFor(() =>
      expect(screen.getByTestId(testIds.configEditor.testResult(0))).toHaveTextContent('connected (PostgreSQL 15.8)')
    );
    expect(fetchMock.mock.calls[0][0]).toMatchObject({
      url: '/api/datasources/uid/covenant/resources/connectors/warehouse/test',
      method: 'POST',
    });
  });

  it('shows why a test failed', async () => {
    fetchMock.mockReturnValue(
      throwError(() => ({ status: 403, data: { error: 'this change needs the Editor role' } }))
    );
    render(<ConnectorsEditor options={settings([pg])} onOptionsChange={jest.fn()} />);
    fireEvent.click(screen.getByTestId(testIds.configEditor.testConnector(0)));
    await waitFor(() =>
      expect(screen.getByTestId(testIds.configEditor.testResult(0))).toHaveTextContent(
        'this change needs the Editor role'
      )
    );
  });
});
