import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import type { DataSourceSettings } from '@grafana/data';
import { ConfigEditor } from './ConfigEditor';
import { testIds } from '../../shared/testIds';
import type { CovenantOptions } from '../../shared/types';

function settings(jsonData: CovenantOptions = {}): DataSourceSettings<CovenantOptions> {
  return {
    id: 1,
    uid: 'covenant',
    name: 'Covenant',
    type: 'covenant-kpi-datasource',
    jsonData,
    secureJsonFields: {},
  } as unknown as DataSourceSettings<CovenantOptions>;
}

describe('ConfigEditor', () => {
  const writeRole = () => within(screen.getByTestId(testIds.configEditor.writeRole));
  const disputeRole = () => within(screen.getByTestId(testIds.configEditor.disputeRole));

  it('defaults the write role to Editor and the demo connector to on', () => {
    render(<ConfigEditor options={settings()} onOptionsChange={jest.fn()} />);
    expect(writeRole().getByLabelText('Editor')).toBeChecked();
    expect(screen.getByTestId(testIds.configEditor.demoEnabled)).toBeChecked();
  });

  it('changes the write role', () => {
    const onChange = jest.fn();
    render(<ConfigEditor options={settings({ maxPreviewRows: 50 })} onOptionsChange={onChange} />);
    fireEvent.click(writeRole().getByLabelText('Admin'));
    expect(onChange).toHaveBeenCalledWith(
      expect.objectContaining({ jsonData: { maxPreviewRows: 50, writeRole: 'Admin' } })
    );
  });

  it('shows the dispute role as the write role (at least Editor) until it is set, and sets it', () => {
    const onChange = jest.fn();
    const { rerender } = render(
      <ConfigEditor options={settings({ writeRole: 'Viewer' })} onOptionsChange={onChange} />
    );
    expect(disputeRole().queryByLabelText('Viewer')).toBeNull();
    expect(disputeRole().getByLabelText('Editor')).toBeChecked();
    rerender(<ConfigEditor options={settings({ writeRole: 'Admin' })} onOptionsChange={onChange} />);
    expect(disputeRole().getByLabelText('Admin')).toBeChecked();
    rerender(
      <ConfigEditor options={settings({ writeRole: 'Admin', disputeRole: 'Editor' })} onOptionsChange={onChange} />
    );
    expect(disputeRole().getByLabelText('Editor')).toBeChecked();
    fireEvent.click(disputeRole().getByLabelText('Admin'));
    expect(onChange).toHaveBeenCalledWith(
      expect.objectContaining({ jsonData: { writeRole: 'Admin', disputeRole: 'Admin' } })
    );
  });

  it('turns the demo connector off', () => {
    const onChange = jest.fn();
    render(<ConfigEditor options={settings()} onOptionsChange={onChange} />);
    fireEvent.click(screen.getByTestId(testIds.configEditor.demoEnabled));
    expect(onChange.mock.calls[0][0].jsonData.demoDisabled).toBe(true);
  });

  it('stores whole numbers for the limits and clears them when emptied', () => {
    const onChange = jest.fn();
    render(<ConfigEditor options={settings({ queryTimeoutSeconds: 30 })} onOptionsChange={onChange} />);
    fireEvent.change(screen.getByTestId(testIds.configEditor.timeout), { target: { value: '45' } });
    expect(onChange.mock.calls[0][0].jsonData.queryTimeoutSeconds).toBe(45);
    fireEvent.change(screen.getByTestId(testIds.configEditor.timeout), { target: { value: '' } });
    expect(onChange.mock.calls[1][0].jsonData.queryTimeoutSeconds).toBeUndefined();
  });

  it('turns the closed-bucket cache off, and keeps a TTL of 0 apart from the default', () => {
    const onChange = jest.fn();
    const { rerender } = render(<ConfigEditor options={settings()} onOptionsChange={onChange} />);
    expect(screen.getByTestId(testIds.configEditor.cacheEnabled)).toBeChecked();
    fireEvent.change(screen.getByTestId(testIds.configEditor.cacheTTL), { target: { value: '0' } });
    expect(onChange.mock.calls[0][0].jsonData.cacheTTLSeconds).toBe(0);
    fireEvent.click(screen.getByTestId(testIds.configEditor.cacheEnabled));
    expect(onChange.mock.calls[1][0].jsonData.cacheDisabled).toBe(true);
    rerender(<ConfigEditor options={settings({ cacheDisabled: true })} onOptionsChange={onChange} />);
    expect(screen.getByTestId(testIds.configEditor.cacheTTL)).toBeDisabled();
  });
});
