import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { of, throwError } from 'rxjs';
import type { DataSourceSettings } from '@grafana/data';
import { ConnectorsEditor } from './ConnectorsEditor';
import { testIds } from '../../shared/testIds';
import type { ConnectorSettings, CovenantOptions } from '../../shared/types';

const mockFetch = jest.fn();
jest.mock('@grafana/runtime', () =>
  jest.requireActual('../../test/runtime').mockRuntime({ fetch: (r: never) => mockFetch(r) })
);

const pg: ConnectorSettings = {
  uid: 'wh',
  name: 'warehouse',
  type: 'postgres',
  host: 'db',
  database: 'ops',
  user: 'cov',
};

const api: ConnectorSettings = {
  uid: 'api',
  name: 'tickets api',
  type: 'http-json',
  url: 'https://api.example.com/kpi',
};

const field = (name: string) => screen.getByTestId(testIds.configEditor.connectorField(0, name));

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
  beforeEach(() => mockFetch.mockReset());

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
    mockFetch.mockReturnValue(of({ data: { ok: true, message: 'connected (PostgreSQL 15.8)' } }));
    render(<ConnectorsEditor options={settings([pg])} onOptionsChange={jest.fn()} />);
    fireEvent.click(screen.getByTestId(testIds.configEditor.testConnector(0)));
    await waitFor(() =>
      expect(screen.getByTestId(testIds.configEditor.testResult(0))).toHaveTextContent('connected (PostgreSQL 15.8)')
    );
    expect(mockFetch.mock.calls[0][0]).toMatchObject({
      url: '/api/datasources/uid/covenant/resources/connectors/warehouse/test',
      method: 'POST',
    });
  });

  it('shows why a test failed', async () => {
    mockFetch.mockReturnValue(
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

  describe('HTTP connector security', () => {
    it('switches the auth type, and keeps the bearer token only in secureJsonData', () => {
      const onChange = jest.fn();
      const { rerender } = render(<ConnectorsEditor options={settings([api])} onOptionsChange={onChange} />);
      expect(screen.queryByTestId(testIds.configEditor.connectorField(0, 'bearerToken'))).not.toBeInTheDocument();
      fireEvent.click(screen.getByRole('radio', { name: 'Bearer token' }));
      expect(onChange.mock.calls[0][0].jsonData.connectors[0]).toEqual({ ...api, authType: 'bearer' });

      rerender(<ConnectorsEditor options={settings([{ ...api, authType: 'bearer' }])} onOptionsChange={onChange} />);
      fireEvent.change(field('bearerToken'), { target: { value: 'tok-123' } });
      const next = onChange.mock.calls[1][0];
      expect(next.secureJsonData).toEqual({ 'connectors.api.bearerToken': 'tok-123' });
      expect(JSON.stringify(next.jsonData)).not.toContain('tok-123');
    });

    it('asks basic auth for a user and a secret password', () => {
      const onChange = jest.fn();
      render(<ConnectorsEditor options={settings([{ ...api, authType: 'basic' }])} onOptionsChange={onChange} />);
      fireEvent.change(field('user'), { target: { value: 'covenant' } });
      expect(onChange.mock.calls[0][0].jsonData.connectors[0].user).toBe('covenant');
      fireEvent.change(field('password'), { target: { value: 'pw' } });
      expect(onChange.mock.calls[1][0].secureJsonData).toEqual({ 'connectors.api.password': 'pw' });
    });

    it('takes the CA, client certificate and key as multi-line secrets', () => {
      const onChange = jest.fn();
      render(<ConnectorsEditor options={settings([api])} onOptionsChange={onChange} />);
      const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
      for (const [i, name] of (['tlsCACert', 'tlsClientCert', 'tlsClientKey'] as const).entries()) {
        expect(field(name).tagName).toBe('TEXTAREA');
        fireEvent.change(field(name), { target: { value: pem } });
        const next = onChange.mock.calls[i][0];
        expect(next.secureJsonData[`connectors.api.${name}`]).toBe(pem);
        expect(JSON.stringify(next.jsonData)).not.toContain('BEGIN');
      }
    });

    it('shows a configured client key as set, never its value, and resets it', () => {
      const onChange = jest.fn();
      render(
        <ConnectorsEditor
          options={settings([api], { 'connectors.api.tlsClientKey': true })}
          onOptionsChange={onChange}
        />
      );
      expect(field('tlsClientKey')).toHaveValue('configured');
      expect(field('tlsClientKey')).toBeDisabled();
      fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
      const next = onChange.mock.calls[0][0];
      expect(next.secureJsonFields['connectors.api.tlsClientKey']).toBe(false);
      expect(next.secureJsonData['connectors.api.tlsClientKey']).toBe('');
    });

    it('turns certificate verification off only when asked, with a warning', () => {
      const onChange = jest.fn();
      const { rerender } = render(<ConnectorsEditor options={settings([api])} onOptionsChange={onChange} />);
      expect(field('tlsSkipVerify')).not.toBeChecked();
      expect(screen.queryByText('Certificate verification is off')).not.toBeInTheDocument();
      fireEvent.click(field('tlsSkipVerify'));
      expect(onChange.mock.calls[0][0].jsonData.connectors[0].tlsSkipVerify).toBe(true);
      rerender(<ConnectorsEditor options={settings([{ ...api, tlsSkipVerify: true }])} onOptionsChange={onChange} />);
      expect(screen.getByText('Certificate verification is off')).toBeInTheDocument();
    });

    it('sets a proxy URL, then its user and secret password', () => {
      const onChange = jest.fn();
      const { rerender } = render(<ConnectorsEditor options={settings([api])} onOptionsChange={onChange} />);
      expect(screen.queryByTestId(testIds.configEditor.connectorField(0, 'proxyUser'))).not.toBeInTheDocument();
      fireEvent.change(field('proxyURL'), { target: { value: 'http://proxy:3128' } });
      expect(onChange.mock.calls[0][0].jsonData.connectors[0].proxyURL).toBe('http://proxy:3128');
      rerender(
        <ConnectorsEditor options={settings([{ ...api, proxyURL: 'http://proxy:3128' }])} onOptionsChange={onChange} />
      );
      fireEvent.change(field('proxyUser'), { target: { value: 'px' } });
      expect(onChange.mock.calls[1][0].jsonData.connectors[0].proxyUser).toBe('px');
      fireEvent.change(field('proxyPassword'), { target: { value: 'ppw' } });
      expect(onChange.mock.calls[2][0].secureJsonData).toEqual({ 'connectors.api.proxyPassword': 'ppw' });
    });

    it('clears every secret of a removed connector', () => {
      const onChange = jest.fn();
      const fields = {
        'connectors.api.bearerToken': true,
        'connectors.api.tlsClientKey': true,
        'connectors.wh.password': true,
      };
      render(<ConnectorsEditor options={settings([api, pg], fields)} onOptionsChange={onChange} />);
      fireEvent.click(screen.getByTestId(testIds.configEditor.removeConnector(0)));
      const next = onChange.mock.calls[0][0];
      expect(next.secureJsonData).toEqual({ 'connectors.api.bearerToken': '', 'connectors.api.tlsClientKey': '' });
      expect(next.secureJsonFields['connectors.wh.password']).toBe(true);
    });
  });

  it('asks a PostgreSQL connector for a CA in verify-ca and verify-full only', () => {
    const onChange = jest.fn();
    const { rerender } = render(<ConnectorsEditor options={settings([pg])} onOptionsChange={onChange} />);
    expect(screen.queryByTestId(testIds.configEditor.connectorField(0, 'tlsCACert'))).not.toBeInTheDocument();
    for (const tlsMode of ['verify-ca', 'verify-full']) {
      rerender(<ConnectorsEditor options={settings([{ ...pg, tlsMode }])} onOptionsChange={onChange} />);
      fireEvent.change(field('tlsCACert'), { target: { value: 'PEM' } });
    }
    expect(onChange.mock.calls.map((c) => c[0].secureJsonData)).toEqual([
      { 'connectors.wh.tlsCACert': 'PEM' },
      { 'connectors.wh.tlsCACert': 'PEM' },
    ]);
  });

  describe('a MySQL connector', () => {
    const my: ConnectorSettings = { ...pg, uid: 'my', type: 'mysql' };
    const ca = () => screen.queryByTestId(testIds.configEditor.connectorField(0, 'tlsCACert'));

    it('asks for a CA in tlsMode true only, as a secret text area', () => {
      const onChange = jest.fn();
      const { rerender } = render(<ConnectorsEditor options={settings([my])} onOptionsChange={onChange} />);
      expect(field('tlsMode')).toHaveTextContent('preferred');
      expect(ca()).not.toBeInTheDocument();
      for (const tlsMode of ['false', 'skip-verify', 'preferred']) {
        rerender(<ConnectorsEditor options={settings([{ ...my, tlsMode }])} onOptionsChange={onChange} />);
        expect(ca()).not.toBeInTheDocument();
      }
      rerender(<ConnectorsEditor options={settings([{ ...my, tlsMode: 'true' }])} onOptionsChange={onChange} />);
      expect(screen.getByText(/tlsMode true then trusts it alone, and checks the host name/)).toBeInTheDocument();
      expect(field('tlsCACert').tagName).toBe('TEXTAREA');
      const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
      fireEvent.change(field('tlsCACert'), { target: { value: pem } });
      const next = onChange.mock.calls[0][0];
      expect(next.secureJsonData).toEqual({ 'connectors.my.tlsCACert': pem });
      expect(JSON.stringify(next.jsonData)).not.toContain('BEGIN');
    });

    it('keeps a configured CA in sight in a mode that does not verify, to reset it', () => {
      const onChange = jest.fn();
      render(
        <ConnectorsEditor
          options={settings([{ ...my, tlsMode: 'skip-verify' }], { 'connectors.my.tlsCACert': true })}
          onOptionsChange={onChange}
        />
      );
      expect(field('tlsCACert')).toHaveValue('configured');
      expect(
        screen.getByText(/tlsMode skip-verify does not verify the server's certificate, so the settings refuse a CA/)
      ).toBeInTheDocument();
      fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
      const next = onChange.mock.calls[0][0];
      expect(next.secureJsonFields['connectors.my.tlsCACert']).toBe(false);
      expect(next.secureJsonData['connectors.my.tlsCACert']).toBe('');
    });
  });
});
