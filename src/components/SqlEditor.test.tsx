import React from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { SqlEditor, forgetConnectorSchemas } from './SqlEditor';
import { callsTo, fakeFetch } from '../test/backend';
import { completionLabels, fakeMonaco, sqlTextArea } from '../test/codeEditor';

let mockFetch = fakeFetch([]);
jest.mock('@grafana/runtime', () =>
  jest.requireActual('../test/runtime').mockRuntime({ fetch: (r: never) => mockFetch(r) })
);
jest.mock('@grafana/ui', () => jest.requireActual('../test/codeEditor').mockCodeEditor());

const schema = {
  name: 'demo',
  type: 'demo',
  truncated: false,
  tables: [
    { name: 'tickets', columns: [{ name: 'id' }, { name: 'response_minutes', type: 'REAL' }] },
    {
      name: 'uptime',
      columns: [
        { name: 'time', type: 'INTEGER' },
        { name: 'uptime_pct', type: 'REAL' },
      ],
    },
  ],
};

const TEST_ID = 'data-testid sql';

/** Lets the schema's fetch answer (its state update) inside act. */
const settle = () => act(async () => {});

describe('SqlEditor', () => {
  beforeEach(() => {
    forgetConnectorSchemas();
    fakeMonaco.reset();
    mockFetch = fakeFetch([['GET connectors/demo/schema', { data: schema }]]);
  });

  it('applies the text when it is left, and reports every edit', () => {
    const onChange = jest.fn();
    const onCommit = jest.fn();
    render(
      <SqlEditor value="SELECT 1" onChange={onChange} onCommit={onCommit} testId={TEST_ID} datasourceUid="covenant" />
    );
    const area = sqlTextArea(screen.getByTestId(TEST_ID));
    expect(area).toHaveAccessibleName('SQL');
    fireEvent.change(area, { target: { value: 'SELECT 2' } });
    expect(onChange).toHaveBeenLastCalledWith('SELECT 2');
    expect(onCommit).not.toHaveBeenCalled();
    fireEvent.blur(area);
    expect(onCommit).toHaveBeenCalledWith('SELECT 2');
  });

  it("completes macros, the connector's tables and the columns of the tables named", async () => {
    render(<SqlEditor value="" onCommit={jest.fn()} testId={TEST_ID} datasourceUid="covenant" connector="demo" />);
    await settle();
    const area = sqlTextArea(screen.getByTestId(TEST_ID));
    await waitFor(() => expect(callsTo(mockFetch, 'GET', 'connectors/demo/schema')).toHaveLength(1));
    fireEvent.change(area, { target: { value: 'SELECT * FROM upt' } });
    await waitFor(async () => expect(await completionLabels()).toEqual(['tickets', 'uptime']));
    fireEvent.change(area, { target: { value: 'SELECT * FROM uptime WHERE $__' } });
    expect(await completionLabels()).toEqual(['$__timeFilter', '$__timeFrom', '$__timeTo', '$__key']);
    fireEvent.change(area, { target: { value: 'SELECT u FROM uptime' } });
    const labels = await completionLabels('SELECT u'.length);
    expect(labels.slice(0, 2)).toEqual(['time', 'uptime_pct']);
    expect(labels).not.toContain('response_minutes');
  });

  it("gives Monaco the range of the word typed and the macros' snippets", async () => {
    render(<SqlEditor value="" onCommit={jest.fn()} testId={TEST_ID} datasourceUid="covenant" connector="demo" />);
    await settle();
    fireEvent.change(sqlTextArea(screen.getByTestId(TEST_ID)), { target: { value: 'SELECT 1\nWHERE $__ti' } });
    const model = fakeMonaco.models[0];
    const list = await fakeMonaco.providers[0].provider.provideCompletionItems(
      model as never,
      { lineNumber: 2, column: 12 } as never,
      {} as never,
      {} as never
    );
    expect(list?.suggestions[0]).toMatchObject({
      label: '$__timeFilter',
      insertText: '\\$__timeFilter(${1:time})',
      insertTextRules: 4,
      range: { startLineNumber: 2, startColumn: 7, endLineNumber: 2, endColumn: 12 },
    });
    // Another editor's model is not this provider's to answer.
    const other = { ...model, id: 'another' };
    expect(
      fakeMonaco.providers[0].provider.provideCompletionItems(other as never, {} as never, {} as never, {} as never)
    ).toBeUndefined();
  });

  it('fetches a connector’s schema once for every editor, and lets go of its provider when it goes', async () => {
    const { unmount } = render(
      <>
        <SqlEditor value="" onCommit={jest.fn()} testId="data-testid a" datasourceUid="covenant" connector="demo" />
        <SqlEditor value="" onCommit={jest.fn()} testId="data-testid b" datasourceUid="covenant" connector="demo" />
      </>
    );
    await settle();
    await waitFor(() => expect(fakeMonaco.providers).toHaveLength(2));
    await waitFor(async () => expect(await completionLabels()).toContain('uptime'));
    expect(callsTo(mockFetch, 'GET', 'connectors/demo/schema')).toHaveLength(1);
    unmount();
    expect(fakeMonaco.providers.every((p) => p.disposed)).toBe(true);
  });

  it('still offers the macros when the schema cannot be read, and asks again next time', async () => {
    mockFetch = fakeFetch([['GET connectors/down/schema', { status: 400, data: { error: 'cannot connect' } }]]);
    const { unmount } = render(
      <SqlEditor value="WHERE $" onCommit={jest.fn()} testId={TEST_ID} datasourceUid="covenant" connector="down" />
    );
    await settle();
    await waitFor(() => expect(callsTo(mockFetch, 'GET', 'connectors/down/schema')).toHaveLength(1));
    expect(await completionLabels()).toContain('$__key');
    unmount();
    render(<SqlEditor value="" onCommit={jest.fn()} testId={TEST_ID} datasourceUid="covenant" connector="down" />);
    await settle();
    await waitFor(() => expect(callsTo(mockFetch, 'GET', 'connectors/down/schema')).toHaveLength(2));
  });
});
