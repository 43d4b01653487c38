import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { KpiForm, kpiBody, kpiPreviewQuery } from './KpiForm';
import { callsTo, fakeFetch, type Answer, type Req } from '../test/backend';
import { renderPage } from '../test/render';
import { testIds } from '../shared/testIds';
import { completionLabels, fakeMonaco, sqlTextArea } from '../test/codeEditor';
import { forgetConnectorSchemas } from '../components/SqlEditor';
import { pick } from '../test/select';

let mockFetch = fakeFetch([]);
const mockPush = jest.fn();

jest.mock('@grafana/runtime', () =>
  jest
    .requireActual('../test/runtime')
    .mockRuntime({ fetch: (r: never) => mockFetch(r), push: (p: string) => mockPush(p) })
);
jest.mock('@grafana/ui', () => jest.requireActual('../test/codeEditor').mockCodeEditor());

const connectors = {
  data: {
    connectors: [
      { name: 'demo', type: 'demo', sql: true },
      { name: 'status-api', type: 'http-json', sql: false },
    ],
  },
};

/** A connectorPreview answer: one frame with time and value columns. */
const previewRows = {
  data: {
    results: {
      preview: {
        status: 200,
        frames: [
          {
            schema: {
              name: 'preview',
              fields: [
                { name: 'time', type: 'time' },
                { name: 'value', type: 'number' },
              ],
            },
            data: {
              values: [
                [Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 2)],
                [99.95, 99.5],
              ],
            },
          },
        ],
      },
    },
  },
};

/** The demo connector's tables, for the SQL editor's completion. */
const demoSchema = {
  data: {
    name: 'demo',
    type: 'demo',
    truncated: false,
    tables: [{ name: 'uptime', columns: [{ name: 'uptime_pct' }] }],
  },
};

/** A service calendar the KPI form offers for business time. */
const ukOffice = { id: 'uk-office', version: 1, name: 'UK office hours', timezone: 'Europe/London' };

const field = (name: string) => screen.getByTestId(testIds.form.field(name));
/** Types into a field; the SQL field is a code editor, whose text area is inside it. */
const type = (name: string, value: string) =>
  fireEvent.change(name === 'rawSql' ? sqlTextArea(field(name)) : field(name), { target: { value } });

/** Opens a new KPI's form on a fake backend: the connectors, the demo's schema, the preview's answer, and more routes. */
async function openNewKpi(preview: Answer, ...more: Array<[string, Answer | ((r: Req) => Answer)]>) {
  mockFetch = fakeFetch([
    ['GET connectors/demo/schema', demoSchema],
    ['GET connectors', connectors],
    ['GET registry/calendars', { data: { items: [ukOffice], total: 1, limit: 500, offset: 0 } }],
    ['POST /api/ds/query', preview],
    ...more,
  ]);
  renderPage(<KpiForm />);
  await screen.findByTestId(testIds.form.field('name'));
}

describe('KpiForm', () => {
  beforeEach(() => {
    forgetConnectorSchemas();
    fakeMonaco.reset();
  });

  it('previews the rows of the query as typed, for a contract key', async () => {
    await openNewKpi(previewRows);
    type('preview-key', 'initech-cloud');
    type('rawSql', 'SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key');
    const preview = screen.getByTestId(testIds.form.preview);
    const lastQuery = () => {
      const queries = callsTo(mockFetch, 'POST', '/api/ds/query').map(
        (r) => (r.data as { queries: unknown[] }).queries[0]
      );
      return queries[queries.length - 1] as { key?: string };
    };
    await waitFor(() => expect(lastQuery()?.key).toBe('initech-cloud'), { timeout: 3000 });
    await waitFor(() => expect(preview).toHaveTextContent('2 of 2 rows'));
    expect(preview).toHaveTextContent('2026-11-01T00:00:00.000Z');
    expect(lastQuery()).toMatchObject({
      queryType: 'connectorPreview',
      connector: 'demo',
      key: 'initech-cloud',
      rawSql: 'SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key',
      datasource: { uid: 'covenant' },
    });
  });

  it('marks the SQL field when the preview names it, and saves the KPI', async () => {
    await openNewKpi(
      {
        status: 400,
        data: {
          results: {
            preview: { status: 400, error: 'rawSql: no such column: uptime: check the table and column names' },
          },
        },
      },
      ['POST registry/kpis', (r) => ({ status: 201, data: { ...(r.data as object), id: 'uptime-2', version: 1 } })]
    );
    type('name', 'Uptime');
    expect(
      await screen.findByText('no such column: uptime: check the table and column names', {}, { timeout: 3000 })
    ).toBeInTheDocument();
    expect(screen.getByTestId(testIds.form.previewError)).toBeInTheDocument();
    fireEvent.click(screen.getByTestId(testIds.form.save));
    await waitFor(() => expect(mockPush).toHaveBeenCalledWith('/a/covenant-contracts-app/kpis'));
    expect(callsTo(mockFetch, 'POST', 'registry/kpis')[0].data).toMatchObject({
      name: 'Uptime',
      connector: 'demo',
      direction: 'higher_is_better',
      unit: 'percent',
    });
  });

  it('measures durations in business time on a chosen calendar, in a chosen unit', async () => {
    await openNewKpi(previewRows, [
      'POST registry/kpis',
      (r) => ({ status: 201, data: { ...(r.data as object), id: 'response', version: 1 } }),
    ]);
    type('name', 'Business response time');
    expect(screen.queryByTestId(testIds.form.field('businessTime.unit'))).not.toBeInTheDocument();
    await pick(testIds.form.field('businessTime.calendarId'), 'UK office hours');
    fireEvent.click(within(field('businessTime.unit')).getByLabelText('Hours'));
    fireEvent.click(screen.getByTestId(testIds.form.save));
    await waitFor(() => expect(mockPush).toHaveBeenCalledWith('/a/covenant-contracts-app/kpis'));
    expect(callsTo(mockFetch, 'POST', 'registry/kpis')[0].data).toMatchObject({
      name: 'Business response time',
      businessTime: { calendarId: 'uk-office', unit: 'h' },
    });
  });

  it("completes the SQL with the macros and the connector's tables", async () => {
    await openNewKpi(previewRows);
    type('rawSql', 'SELECT time, uptime_pct AS value FROM upt');
    await waitFor(async () => expect(await completionLabels()).toEqual(['uptime']));
    type('rawSql', 'SELECT time, uptime_pct AS value FROM uptime WHERE $__');
    expect(await completionLabels()).toEqual(['$__timeFilter', '$__timeFrom', '$__timeTo', '$__key']);
    expect(callsTo(mockFetch, 'GET', 'connectors/demo/schema')).toHaveLength(1);
  });

  it('sends only the query fields of the connector kind', () => {
    const d = {
      name: 'Status',
      connector: 'status-api',
      rawSql: 'SELECT 1',
      path: '/status?from=$__timeFrom',
      timeField: '',
      watermarkColumn: 'updated_at',
      direction: 'higher_is_better' as const,
    };
    expect(kpiBody(d, false)).toEqual({
      name: 'Status',
      connector: 'status-api',
      path: '/status?from=$__timeFrom',
      direction: 'higher_is_better',
    });
    expect(kpiBody(d, true)).toEqual({
      name: 'Status',
      connector: 'status-api',
      rawSql: 'SELECT 1',
      watermarkColumn: 'updated_at',
      direction: 'higher_is_better',
    });
    expect(kpiPreviewQuery({ ...d, rawSql: ' ' }, true, 'k')).toEqual({ notReady: 'Write the query to see its rows.' });
    expect(kpiPreviewQuery(d, false, 'acme')).toMatchObject({
      queryType: 'connectorPreview',
      path: '/status?from=$__timeFrom',
      key: 'acme',
    });
    expect(kpiPreviewQuery(d, false, 'acme')).not.toHaveProperty('endField', expect.anything());
    // A business-time KPI's rows have an end, not a value: the preview shows it (default field end).
    const business = { ...d, businessTime: { calendarId: 'uk-office', unit: 'm' as const } };
    expect(kpiPreviewQuery(business, false, 'acme')).toMatchObject({ endField: 'end' });
    expect(kpiPreviewQuery({ ...business, endField: 'answered' }, false, 'acme')).toMatchObject({
      endField: 'answered',
    });
  });
});
