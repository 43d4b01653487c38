import React from 'react';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { RegistryAsCodePage } from './RegistryAsCodePage';
import { callsTo, fakeFetch } from '../test/backend';
import { renderPage } from '../test/render';
import { testIds } from '../shared/testIds';

let mockFetch = fakeFetch([]);

jest.mock('@grafana/runtime', () =>
  jest.requireActual('../test/runtime').mockRuntime({ fetch: (r: never) => mockFetch(r) })
);

const doc = 'apiVersion: covenant/v1\nkind: Registry\ncontracts:\n  - id: c1\n    name: One\n    counterparty: X\n';

describe('RegistryAsCodePage', () => {
  it('applies only the document the dry run checked', async () => {
    mockFetch = fakeFetch([
      [
        'POST registry/import?dryRun=true',
        {
          data: {
            dryRun: true,
            changes: [{ kind: 'contract', id: 'c1', action: 'update', changes: '{"name":{"old":"Uno","new":"One"}}' }],
            unchanged: 4,
          },
        },
      ],
      [
        'POST registry/import?dryRun=false',
        { data: { dryRun: false, changes: [{ kind: 'contract', id: 'c1', action: 'update' }], unchanged: 4 } },
      ],
    ]);
    renderPage(<RegistryAsCodePage />);
    const apply = screen.getByTestId(testIds.registryAsCode.apply);
    fireEvent.change(screen.getByTestId(testIds.registryAsCode.document), { target: { value: doc } });
    expect(apply).toBeDisabled();
    fireEvent.click(screen.getByTestId(testIds.registryAsCode.check));
    const report = await screen.findByTestId(testIds.registryAsCode.report);
    expect(report).toHaveTextContent('The import would: create 0, update 1, leave 4 unchanged');
    expect(report).toHaveTextContent('name: Uno → One');
    expect(apply).toBeEnabled();
    // Editing the text after the check withdraws the report and the Apply button.
    fireEvent.change(screen.getByTestId(testIds.registryAsCode.document), { target: { value: doc + '#' } });
    expect(apply).toBeDisabled();
    expect(screen.queryByTestId(testIds.registryAsCode.report)).not.toBeInTheDocument();
    fireEvent.change(screen.getByTestId(testIds.registryAsCode.document), { target: { value: doc } });
    fireEvent.click(apply);
    await waitFor(() => expect(screen.getByTestId(testIds.registryAsCode.report)).toHaveTextContent('— done'));
    expect(callsTo(mockFetch, 'POST', 'dryRun=false')[0].data).toBe(doc);
  });

  it('shows a refused document with the object the backend names', async () => {
    mockFetch = fakeFetch([
      [
        'POST registry/import',
        {
          status: 400,
          data: { error: 'trackers[0].kpiId: "nope" is not a KPI of the registry', field: 'trackers[0].kpiId' },
        },
      ],
    ]);
    renderPage(<RegistryAsCodePage />);
    fireEvent.change(screen.getByTestId(testIds.registryAsCode.document), { target: { value: doc } });
    fireEvent.click(screen.getByTestId(testIds.registryAsCode.check));
    expect(await screen.findByTestId(testIds.registryAsCode.error)).toHaveTextContent(
      'trackers[0].kpiId: "nope" is not a KPI'
    );
  });

  it('lets a viewer export but not import', () => {
    renderPage(<RegistryAsCodePage />, { role: 'Viewer' });
    expect(screen.getByTestId(testIds.registryAsCode.download)).toBeEnabled();
    fireEvent.change(screen.getByTestId(testIds.registryAsCode.document), { target: { value: doc } });
    expect(screen.getByTestId(testIds.registryAsCode.check)).toBeDisabled();
    expect(screen.getByText(/Importing needs the Editor role/)).toBeInTheDocument();
  });
});
