import React from 'react';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { TrackerForm, fromDraft, toDraft, trackerPreviewQuery } from './TrackerForm';
import { callsTo, fakeFetch } from '../test/backend';
import { renderPage } from '../test/render';
import { pick } from '../test/select';
import { testIds } from '../shared/testIds';
import type { KPI, Tracker } from '../shared/types';

let mockFetch = fakeFetch([]);
const mockPush = jest.fn();

jest.mock('@grafana/runtime', () =>
  jest
    .requireActual('../test/runtime')
    .mockRuntime({ fetch: (r: never) => mockFetch(r), push: (p: string) => mockPush(p) })
);

const kpi: KPI = {
  id: 'first-response',
  version: 2,
  name: 'First response time',
  unit: 'm',
  connector: 'demo',
  rawSql: 'SELECT time, response_minutes AS value FROM tickets WHERE $__timeFilter(time) AND contract = $__key',
  direction: 'lower_is_better',
};

const tracker: Tracker = {
  id: 'responses-within-60',
  version: 5,
  name: 'Responses within 60 min',
  kpiId: 'first-response',
  method: 'ratio',
  condition: { op: '<=', threshold: 60 },
  interval: '1w',
  timezone: 'Europe/London',
  target: { schedule: [{ from: '2026-01-04T00:00:00Z', value: 80 }] },
  tolerance: { value: 5, percent: true },
  missing: 'exclude',
};

const calendar = { id: 'uk-office', version: 1, name: 'UK office hours', timezone: 'Europe/London' };

const field = (name: string) => screen.getByTestId(testIds.form.field(name));
const type = (name: string, value: string) => fireEvent.change(field(name), { target: { value } });

function queries() {
  return callsTo(mockFetch, 'POST', '/api/ds/query').map(
    (r) => (r.data as { queries: Array<Record<string, unknown>> }).queries[0]
  );
}

describe('TrackerForm', () => {
  it('previews the tracker as edited, with its KPI inline, and marks the field the engine names', async () => {
    mockFetch = fakeFetch([
      ['GET registry/trackers/responses-within-60', { data: tracker }],
      ['GET registry/kpis', { data: { items: [kpi], total: 1, limit: 500, offset: 0 } }],
      ['GET registry/calendars', { data: { items: [calendar], total: 1, limit: 500, offset: 0 } }],
      [
        'POST /api/ds/query',
        (r) => {
          const q = (r.data as { queries: Array<{ trackers: Tracker[] }> }).queries[0];
          return q.trackers[0].condition?.threshold === 0
            ? {
                status: 400,
                data: {
                  results: {
                    preview: { status: 400, error: 'trackers[0].condition.threshold: must be above 0 for minutes' },
                  },
                },
              }
            : { data: { results: { preview: { status: 200, frames: [] } } } };
        },
      ],
    ]);
    renderPage(<TrackerForm id="responses-within-60" />);
    await screen.findByDisplayValue('Responses within 60 min');
    expect(field('target.schedule[0].from')).toHaveValue('2026-01-04');
    await waitFor(() => expect(queries().length).toBeGreaterThan(0), { timeout: 3000 });
    expect(queries()[0]).toMatchObject({
      queryType: 'trackerSeries',
      contract: 'acme-it',
      trackers: [
        {
          name: 'Responses within 60 min',
          method: 'ratio',
          condition: { op: '<=', threshold: 60 },
          interval: '1w',
          timezone: 'Europe/London',
          target: { schedule: [{ from: '2026-01-04T00:00:00.000Z', value: 80 }] },
          kpi: { name: 'First response time', rawSql: kpi.rawSql, direction: 'lower_is_better', unit: 'm' },
        },
      ],
    });
    type('condition.threshold', '0');
    expect(await screen.findByText('must be above 0 for minutes', {}, { timeout: 3000 })).toBeInTheDocument();
  });

  it('saves the tracker at its version', async () => {
    mockFetch = fakeFetch([
      ['GET registry/trackers/responses-within-60', { data: tracker }],
      ['GET registry/kpis', { data: { items: [kpi], total: 1, limit: 500, offset: 0 } }],
      ['GET registry/calendars', { data: { items: [calendar], total: 1, limit: 500, offset: 0 } }],
      ['POST /api/ds/query', { data: { results: { preview: { status: 200, frames: [] } } } }],
      ['PUT registry/trackers/responses-within-60', (r) => ({ data: { ...(r.data as object), version: 6 } })],
    ]);
    renderPage(<TrackerForm id="responses-within-60" />);
    await screen.findByDisplayValue('Responses within 60 min');
    type('tolerance.value', '2.5');
    fireEvent.click(screen.getByTestId(testIds.form.save));
    await waitFor(() => expect(mockPush).toHaveBeenCalledWith('/a/covenant-contracts-app/trackers'));
    expect(callsTo(mockFetch, 'PUT', 'registry/trackers/responses-within-60')[0].data).toMatchObject({
      id: 'responses-within-60',
      version: 5,
      tolerance: { value: 2.5, percent: true },
    });
  });

  it('follows a service calendar: previews and saves its id', async () => {
    mockFetch = fakeFetch([
      ['GET registry/trackers/responses-within-60', { data: tracker }],
      ['GET registry/kpis', { data: { items: [kpi], total: 1, limit: 500, offset: 0 } }],
      ['GET registry/calendars', { data: { items: [calendar], total: 1, limit: 500, offset: 0 } }],
      ['POST /api/ds/query', { data: { results: { preview: { status: 200, frames: [] } } } }],
      ['PUT registry/trackers/responses-within-60', (r) => ({ data: { ...(r.data as object), version: 6 } })],
    ]);
    renderPage(<TrackerForm id="responses-within-60" />);
    await screen.findByDisplayValue('Responses within 60 min');
    expect(screen.getByText('Service calendar')).toBeInTheDocument();
    await pick(testIds.form.field('calendarId'), 'UK office hours');
    await waitFor(
      () => expect(queries().some((q) => (q.trackers as Tracker[])[0].calendarId === 'uk-office')).toBe(true),
      { timeout: 3000 }
    );
    fireEvent.click(screen.getByTestId(testIds.form.save));
    await waitFor(() => expect(mockPush).toHaveBeenCalledWith('/a/covenant-contracts-app/trackers'));
    expect(callsTo(mockFetch, 'PUT', 'registry/trackers/responses-within-60')[0].data).toMatchObject({
      calendarId: 'uk-office',
    });
  });

  it('keeps no calendar id when the tracker follows none', () => {
    expect(fromDraft(toDraft(tracker)).calendarId).toBeUndefined();
    expect(fromDraft({ ...toDraft(tracker), calendarId: 'uk-office' }).calendarId).toBe('uk-office');
    expect(toDraft({ ...tracker, calendarId: 'uk-office' }).calendarId).toBe('uk-office');
  });

  it('asks for a KPI before it can preview', () => {
    expect(trackerPreviewQuery(toDraft(), undefined, 'acme-it')).toEqual({
      notReady: 'Choose a KPI to see the series.',
    });
    expect(trackerPreviewQuery(toDraft(), kpi, 'acme-it')).toEqual({
      notReady: 'target.constant: is empty: give a number',
    });
  });

  it('drops the condition of methods other than ratio', () => {
    const d = { ...toDraft(tracker), method: 'avg' };
    expect(fromDraft(d).condition).toBeUndefined();
  });
});
