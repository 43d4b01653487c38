import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { DataSourceSettings } from '@grafana/data';
import { StoreEditor } from './StoreEditor';
import { testIds } from '../../shared/testIds';
import type { CovenantOptions } from '../../shared/types';

function settings(jsonData: CovenantOptions = {}): DataSourceSettings<CovenantOptions> {
  return { uid: 'covenant', jsonData, secureJsonFields: {} } as unknown as DataSourceSettings<CovenantOptions>;
}

describe('StoreEditor', () => {
  it('defaults to a SQLite file and sets its folder', () => {
    const onChange = jest.fn();
    render(<StoreEditor options={settings()} onOptionsChange={onChange} />);
    expect(screen.getByLabelText('SQLite file')).toBeChecked();
    fireEvent.change(screen.getByTestId(testIds.configEditor.storePath), { target: { value: '/var/lib/covenant' } });
    expect(onChange.mock.calls[0][0].jsonData.storePath).toBe('/var/lib/covenant');
  });

  it('switches to PostgreSQL and keeps the password in secureJsonData', () => {
    const onChange = jest.fn();
    const { rerender } = render(<StoreEditor options={settings()} onOptionsChange={onChange} />);
    fireEvent.click(screen.getByLabelText('PostgreSQL'));
    expect(onChange.mock.calls[0][0].jsonData.storeType).toBe('postgres');
    rerender(<StoreEditor options={settings({ storeType: 'postgres' })} onOptionsChange={onChange} />);
    fireEvent.change(screen.getByTestId(testIds.configEditor.storeField('host')), { target: { value: 'db.internal' } });
    expect(onChange.mock.calls[1][0].jsonData.storePostgres).toEqual({ host: 'db.internal' });
    fireEvent.change(screen.getByTestId(testIds.configEditor.storeField('password')), { target: { value: 'pw' } });
    const last = onChange.mock.calls[2][0];
    expect(last.secureJsonData).toEqual({ 'store.password': 'pw' });
    expect(JSON.stringify(last.jsonData)).not.toContain('pw');
  });
});
