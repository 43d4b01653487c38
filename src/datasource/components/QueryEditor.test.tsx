import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { of } from 'rxjs';
import { QueryEditor } from './QueryEditor';
import type { DataSource } from '../datasource';
import { testIds } from '../../shared/testIds';
import type { CovenantQuery } from '../../shared/types';
import { sqlTextArea } from '../../test/codeEditor';
import { forgetConnectorSchemas } from '../../components/SqlEditor';

const mockFetch = jest.fn();
jest.mock('@grafana/runtime', () =>
  jest.requireActual('../../test/runtime').mockRuntime({ fetch: (r: never) => mockFetch(r) })
);
jest.mock('@grafana/ui', () => jest.requireActual('../../test/codeEditor').mockCodeEditor());

const ds = { uid: 'covenant' } as unknown as DataSource;
const connectors = {
  connectors: [
    {
      name: 'demo',
      type: 'demo',
      rows: 100,
      from: '2024-11-22T00:00:00Z',
      to: '2026-11-22T00:00:00Z',
      sql: true,
      tables: [
        {
          name: 'uptime',
          description: 'Hourly availability',
          columns: ['contract', 'time', 'uptime_pct'],
          example: 'SELECT time, uptime_pct AS value FROM uptime',
        },
      ],
    },
  ],
};

function setup(query: Partial<CovenantQuery> = {}) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const q: CovenantQuery = { refId: 'A', queryType: 'connectorPreview', rawSql: 'SELECT 1', ...query };
  render(<QueryEditor query={q} onChange={onChange} onRunQuery={onRunQuery} datasource={ds} />);
  return { onChange, onRunQuery };
}

describe('QueryEditor (connectorPreview)', () => {
  beforeEach(() => {
    forgetConnectorSchemas();
    mockFetch.mockReset();
    mockFetch.mockReturnValue(of({ data: connectors }));
  });

  it('edits the SQL and runs the query when the field is left', async () => {
    const { onChange, onRunQuery } = setup();
    await screen.findByTestId(testIds.queryEditor.example('uptime'));
    const sql = sqlTextArea(screen.getByTestId(testIds.queryEditor.sql));
    fireEvent.change(sql, { target: { value: 'SELECT time, uptime_pct FROM uptime' } });
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.blur(sql);
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ rawSql: 'SELECT time, uptime_pct FROM uptime' }));
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('offers each table of the connector as an example query', async () => {
    const { onChange, onRunQuery } = setup();
    fireEvent.click(await screen.findByTestId(testIds.queryEditor.example('uptime')));
    expect(onChange).toHaveBeenCalledWith(
      expect.objectContaining({ rawSql: 'SELECT time, uptime_pct AS value FROM uptime' })
    );
    expect(onRunQuery).toHaveBeenCalled();
    expect(mockFetch.mock.calls.map((c) => c[0].url)).toContain('/api/datasources/uid/covenant/resources/connectors');
  });

  it('sets the contract key bound to $__key', async () => {
    const { onChange } = setup();
    await screen.findByTestId(testIds.queryEditor.example('uptime'));
    fireEvent.change(screen.getByTestId(testIds.queryEditor.key), { target: { value: 'globex-logistics' } });
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ key: 'globex-logistics' }));
  });

  it('keeps the row limit a non-negative whole number', async () => {
    const { onChange } = setup();
    await screen.findByTestId(testIds.queryEditor.example('uptime'));
    fireEvent.change(screen.getByTestId(testIds.queryEditor.limit), { target: { value: '-5' } });
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ limit: 0 }));
    fireEvent.change(screen.getByTestId(testIds.queryEditor.limit), { target: { value: '12.7' } });
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ limit: 12 }));
  });
});
