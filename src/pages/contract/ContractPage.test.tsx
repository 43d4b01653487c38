import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ContractPage } from './ContractPage';
import { changeText, daysUntil, noticeDeadline } from './OverviewTab';
import { rangeFromSearch } from './TrackingTab';
import { bandText, periodText } from './AgreementsTab';
import { agreementBody } from './AgreementForm';
import { callsTo, fakeFetch } from '../../test/backend';
import { renderPage } from '../../test/render';
import { testIds } from '../../shared/testIds';
import type { Assignment, Contract, Tracker } from '../../shared/types';

let mockFetch = fakeFetch([]);
const mockPush = jest.fn();
const mockPartial = jest.fn();

jest.mock('@grafana/runtime', () =>
  jest.requireActual('../../test/runtime').mockRuntime({
    fetch: (r: never) => mockFetch(r),
    push: (p: string) => mockPush(p),
    partial: (q: unknown) => mockPartial(q),
  })
);

const contract: Contract = {
  id: 'acme-it',
  version: 2,
  name: 'Acme IT managed services',
  counterparty: 'Acme Corp',
  owner: 'Dana Whitfield',
  status: 'active',
  renewalDate: '2027-11-01',
  noticeDays: 90,
  value: 1800000,
  currency: 'EUR',
};
const tracker: Tracker = {
  id: 'daily-availability',
  version: 1,
  name: 'Daily availability',
  kpiId: 'uptime',
  method: 'avg',
  interval: '1d',
  target: { constant: 99.9 },
  tolerance: { value: 0.2 },
};
const assignment: Assignment = {
  id: 'acme-it-daily-availability',
  version: 1,
  contractId: 'acme-it',
  trackerId: 'daily-availability',
  key: 'acme-it',
  weight: 1,
};
const page = <T,>(items: T[]) => ({ data: { items, total: items.length, limit: 500, offset: 0 } });

/** A trackerSeries frame as /api/ds/query returns it. */
function trackerFrame(trackerId: string, name: string, rag: Array<number | null>) {
  const labels = { contract: 'acme-it', tracker: name, trackerId, kpi: 'Availability' };
  return {
    schema: {
      name,
      fields: [
        { name: 'time', type: 'time' },
        { name: 'actual', type: 'number', labels, config: { unit: 'percent' } },
        { name: 'target', type: 'number', labels, config: { unit: 'percent' } },
        { name: 'rag', type: 'number', labels },
      ],
    },
    data: { values: [rag.map((_, i) => Date.UTC(2026, 10, 1 + i)), rag.map(() => 99.5), rag.map(() => 99.9), rag] },
  };
}

function routes(extra: Array<[string, never]> = []) {
  return fakeFetch([
    ...extra,
    [
      'GET registry/contracts/acme-it/audit',
      {
        data: {
          entries: [
            { version: 1, action: 'create', actor: 'covenant-demo', at: '2026-11-01T10:00:00Z' },
            {
              version: 2,
              action: 'update',
              actor: 'dana',
              at: '2026-11-02T09:30:00Z',
              changes: '{"status":{"old":"draft","new":"active"},"version":{"old":1,"new":2}}',
            },
          ],
        },
      },
    ],
    ['GET registry/contracts/acme-it', { data: contract }],
    ['GET registry/assignments', page([assignment])],
    ['GET registry/trackers', page([tracker])],
    ['GET registry/agreements', page([])],
  ]);
}

describe('ContractPage', () => {
  it('shows the overview with the notice date and the audit trail', async () => {
    mockFetch = routes();
    renderPage(<ContractPage id="acme-it" tab="overview" search={new URLSearchParams()} />);
    const overview = await screen.findByTestId(testIds.contract.overview);
    expect(overview).toHaveTextContent('Acme Corp');
    expect(overview).toHaveTextContent('€1,800,000');
    expect(screen.getByTestId(testIds.contract.noticeBy)).toHaveTextContent('2027-08-03');
    expect(screen.getByTestId(testIds.contract.dashboard)).toHaveAttribute(
      'href',
      '/d/covenant-contract-performance?var-datasource=covenant&var-contract=acme-it'
    );
    expect(
      await within(screen.getByTestId(testIds.contract.audit)).findByText('status: draft → active')
    ).toBeInTheDocument();
  });

  it('draws one chart per tracker on the Tracking tab, over the range in the URL', async () => {
    mockFetch = routes([
      [
        'POST /api/ds/query',
        {
          data: {
            results: {
              A: {
                status: 200,
                frames: [
                  trackerFrame('daily-availability', 'Daily availability', [0, 2, null]),
                  trackerFrame('invoice', 'Invoice accuracy', [1]),
                ],
              },
            },
          },
        } as never,
      ],
    ]);
    renderPage(<ContractPage id="acme-it" tab="tracking" search={new URLSearchParams('from=now-30d&to=now')} />);
    const chart = await screen.findByTestId(testIds.contract.chart('daily-availability'));
    expect(within(chart).getByRole('link', { name: 'Daily availability' })).toHaveAttribute(
      'href',
      '/a/covenant-contracts-app/trackers/daily-availability'
    );
    expect(screen.getByTestId(testIds.contract.chart('invoice'))).toHaveTextContent('Invoice accuracy');
    const q = callsTo(mockFetch, 'POST', '/api/ds/query')[0].data as { from: string; to: string; queries: unknown[] };
    expect(q.queries[0]).toMatchObject({ queryType: 'trackerSeries', contract: 'acme-it' });
    // 30 days (from and to are each read from the clock: they may be a millisecond apart).
    expect(Math.abs(Number(q.to) - Number(q.from) - 30 * 86400000)).toBeLessThan(5);
  });

  it('says how to get trends when no tracker is assigned', async () => {
    mockFetch = routes([['POST /api/ds/query', { data: { results: { A: { status: 200, frames: [] } } } } as never]]);
    renderPage(<ContractPage id="acme-it" tab="tracking" search={new URLSearchParams()} />);
    expect(await screen.findByTestId(testIds.contract.trackingEmpty)).toHaveTextContent('Assign trackers');
  });

  it('assigns a tracker with a key, weight, target override and clause', async () => {
    const other: Tracker = { ...tracker, id: 'weekly-on-time', name: 'On-time deliveries', timezone: 'UTC' };
    mockFetch = fakeFetch([
      ['GET registry/contracts/acme-it', { data: contract }],
      ['GET registry/assignments', page([assignment])],
      ['GET registry/trackers', page([tracker, other])],
      ['POST registry/assignments', (r) => ({ status: 201, data: { ...(r.data as object), id: 'new', version: 1 } })],
    ]);
    renderPage(<ContractPage id="acme-it" tab="trackers" search={new URLSearchParams()} />);
    expect(await screen.findByTestId(testIds.contract.assignment('acme-it-daily-availability'))).toHaveTextContent(
      'Daily availability'
    );
    fireEvent.click(screen.getByTestId(testIds.contract.assign));
    // Only trackers not yet assigned are offered.
    const select = await screen.findByLabelText(/^Tracker/);
    fireEvent.keyDown(select, { key: 'ArrowDown' });
    expect(screen.queryByText('Daily availability', { selector: '[role=option] *' })).not.toBeInTheDocument();
    fireEvent.click(await screen.findByText('On-time deliveries'));
    fireEvent.change(screen.getByTestId(testIds.form.field('weight')), { target: { value: '3' } });
    fireEvent.click(screen.getByTestId(testIds.form.field('override')));
    fireEvent.change(screen.getByTestId(testIds.form.field('targetOverride.constant')), { target: { value: '97' } });
    fireEvent.change(screen.getByTestId(testIds.form.field('clause')), { target: { value: 'Schedule 3' } });
    fireEvent.click(screen.getByTestId(testIds.form.save));
    await waitFor(() => expect(callsTo(mockFetch, 'POST', 'registry/assignments')).toHaveLength(1));
    expect(callsTo(mockFetch, 'POST', 'registry/assignments')[0].data).toEqual({
      contractId: 'acme-it',
      trackerId: 'weekly-on-time',
      key: 'acme-it',
      weight: 3,
      targetOverride: { constant: 97 },
      clause: 'Schedule 3',
    });
  });

  it('shows each agreement with its figures this period and its ledger', async () => {
    const sla = {
      id: 'sla',
      version: 1,
      name: 'Service levels',
      contractId: 'acme-it',
      period: { kind: 'month', timezone: 'UTC' },
      complianceTarget: 95,
      trackers: [{ assignmentId: 'acme-it-daily-availability', weight: 1 }],
      bands: [
        { from: 0, to: 95, amount: -1000 },
        { from: 95, to: 100, amount: 0 },
      ],
    };
    const result = {
      agreementId: 'sla',
      contractId: 'acme-it',
      period: { start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' },
      asOf: '2026-11-22T12:00:00Z',
      closed: false,
      target: 95,
      trackers: [
        {
          assignmentId: 'acme-it-daily-availability',
          trackerId: 'daily-availability',
          name: 'Daily availability',
          weight: 1,
          mode: 'timeslice',
          met: 19,
          missed: 2,
          remaining: 9,
          consecutiveMisses: 0,
          compliance: 90.476,
          projected: 93.3,
          best: 96.7,
        },
      ],
      compliance: 90.476,
      projected: 93.3,
      best: 96.7,
      status: 'at_risk',
      requiredRunRate: 88.9,
      atRiskRequests: 0,
      missed: 2,
      impactCost: 400,
      penaltyReward: -1000,
      milestones: [{ name: 'Below 95', condition: 'compliance < 95' }],
    };
    const frame = {
      schema: {
        name: 'Service levels',
        meta: { custom: { result, agreementId: 'sla' } },
        fields: [
          { name: 'time', type: 'time' },
          { name: 'compliance', type: 'number' },
        ],
      },
      data: {
        values: [
          [Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 22)],
          [100, 90.476],
        ],
      },
    };
    const entry = {
      agreementId: 'sla',
      contractId: 'acme-it',
      periodStart: '2026-10-01T00:00:00Z',
      periodEnd: '2026-11-01T00:00:00Z',
      seq: 2,
      kind: 'restatement',
      computedAt: '2026-11-20T08:00:00Z',
      digest: 'abcdef0123456789',
      snapshot: {
        result: { ...result, closed: true, status: 'breached', compliance: 80, penaltyReward: -1000 },
        versions: {},
      },
      actor: 'covenant-evaluator',
    };
    mockFetch = routes([
      ['GET registry/agreements', page([sla]) as never],
      ['POST /api/ds/query', { data: { results: { A: { status: 200, frames: [frame] } } } } as never],
      [
        'GET ledger',
        { data: { entries: [{ ...entry, seq: 1, kind: 'close', digest: '0000000000aa' }, entry] } } as never,
      ],
    ]);
    renderPage(<ContractPage id="acme-it" tab="agreements" search={new URLSearchParams()} />);
    expect(await screen.findByTestId(testIds.contract.agreementStatus('sla'))).toHaveTextContent('At risk');
    const figures = screen.getByTestId(testIds.contract.agreementFigures('sla'));
    expect(figures).toHaveTextContent('Compliance90.5 %');
    expect(figures).toHaveTextContent('Projected93.3 %');
    expect(figures).toHaveTextContent('89 % of what remains');
    expect(figures).toHaveTextContent('Impact cost€400');
    expect(figures).toHaveTextContent('-€1,000');
    expect(screen.getByText('Below 95 (compliance < 95)')).toBeInTheDocument();
    fireEvent.click(screen.getByText('Ledger (2)'));
    const ledger = await screen.findByTestId(testIds.contract.ledger);
    expect(ledger).toHaveTextContent('2026-10-01 – 2026-10-31');
    expect(ledger).toHaveTextContent('restatement 1');
    expect(ledger).toHaveTextContent('Breached');
    expect(ledger).toHaveTextContent('abcdef0123');
  });

  it('creates an agreement: a refused milestone is marked at its field and nothing typed is lost', async () => {
    let tries = 0;
    mockFetch = routes([
      ['POST /api/ds/query', { data: { results: { A: { status: 200, frames: [] } } } } as never],
      ['GET ledger', { data: { entries: [] } } as never],
      [
        'POST registry/agreements',
        ((r: { data: object }) =>
          ++tries === 1
            ? {
                status: 400,
                data: { error: 'milestones[0].condition: unknown operator <<', field: 'milestones[0].condition' },
              }
            : { status: 201, data: { ...r.data, id: 'sla', version: 1 } }) as never,
      ],
    ]);
    renderPage(<ContractPage id="acme-it" tab="agreements" search={new URLSearchParams()} />);
    fireEvent.click(await screen.findByTestId(testIds.contract.newAgreement));
    const dialog = within(await screen.findByRole('dialog'));
    const type = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } });
    type(dialog.getByTestId(testIds.form.field('name')), 'Service levels');
    type(dialog.getByTestId(testIds.form.field('complianceTarget')), '90');
    fireEvent.click(dialog.getByRole('button', { name: 'Add band' }));
    type(dialog.getByLabelText('Band 1: from %'), '0');
    type(dialog.getByLabelText('Band 1: to %'), '90');
    type(dialog.getByLabelText('Band 1: amount'), '-5');
    fireEvent.click(dialog.getByLabelText('% of value'));
    fireEvent.click(dialog.getByRole('button', { name: 'Add milestone' }));
    type(dialog.getByLabelText('Milestone 1: name'), 'Low');
    type(dialog.getByTestId(testIds.form.field('milestones[0].condition')), 'compliance << 90');
    fireEvent.click(dialog.getByTestId(testIds.form.save));
    expect(await dialog.findByText('unknown operator <<')).toBeInTheDocument();
    expect(dialog.getByTestId(testIds.form.error)).toHaveTextContent(
      'The field “milestones[0].condition” is marked below.'
    );
    expect(dialog.getByLabelText('Band 1: amount')).toHaveValue('-5');
    type(dialog.getByTestId(testIds.form.field('milestones[0].condition')), 'compliance < 90');
    fireEvent.click(dialog.getByTestId(testIds.form.save));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(callsTo(mockFetch, 'POST', 'registry/agreements')[1].data).toEqual({
      name: 'Service levels',
      contractId: 'acme-it',
      period: { kind: 'quarter', timezone: 'UTC' },
      complianceTarget: 90,
      trackers: [{ assignmentId: 'acme-it-daily-availability', weight: 1 }],
      bands: [{ from: 0, to: 90, amount: -5, percent: true }],
      milestones: [{ name: 'Low', condition: 'compliance < 90' }],
    });
  });

  it('hides changes from a viewer', async () => {
    mockFetch = routes();
    renderPage(<ContractPage id="acme-it" tab="trackers" search={new URLSearchParams()} />, { role: 'Viewer' });
    await screen.findByTestId(testIds.contract.assignments);
    expect(screen.queryByTestId(testIds.contract.assign)).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.contract.edit)).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.contract.remove)).not.toBeInTheDocument();
  });

  it('shows why a delete was refused', async () => {
    mockFetch = routes([
      [
        'DELETE registry/contracts/acme-it',
        {
          status: 409,
          data: {
            error: 'contract acme-it is referred to by assignment acme-it-daily-availability: remove those first',
          },
        } as never,
      ],
    ]);
    renderPage(<ContractPage id="acme-it" tab="overview" search={new URLSearchParams()} />);
    fireEvent.click(await screen.findByTestId(testIds.contract.remove));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText(/is referred to by assignment acme-it-daily-availability/)).toBeInTheDocument();
    expect(callsTo(mockFetch, 'DELETE', 'registry/contracts/acme-it')[0].url).toContain('?version=2');
    expect(mockPush).not.toHaveBeenCalled();
  });

  it('says a missing contract is missing', async () => {
    mockFetch = fakeFetch([['GET registry/contracts/nope', { status: 404, data: { error: 'no contract nope' } }]]);
    renderPage(<ContractPage id="nope" tab="overview" search={new URLSearchParams()} />);
    expect(await screen.findByText('No such contract')).toBeInTheDocument();
  });
});

describe('contract figures', () => {
  it('computes the notice date and the days to it', () => {
    expect(noticeDeadline({ renewalDate: '2028-01-01', noticeDays: 60 })).toBe('2027-11-02');
    expect(noticeDeadline({ renewalDate: '2028-01-01' })).toBeUndefined();
    expect(daysUntil('2026-12-01', Date.UTC(2026, 10, 22, 15))).toBe(9);
    expect(daysUntil('2026-11-01', Date.UTC(2026, 10, 22, 15))).toBe(-21);
  });

  it('describes an update without meta fields', () => {
    expect(
      changeText({
        version: 2,
        action: 'update',
        actor: 'a',
        at: '',
        changes: '{"value":{"old":1000,"new":1200},"updatedAt":{"old":"x","new":"y"}}',
      })
    ).toBe('value: 1000 → 1200');
    expect(changeText({ version: 1, action: 'create', actor: 'a', at: '', changes: '{"value":{"new":1}}' })).toBe('');
  });

  it('falls back to the last 90 days for a range it cannot read', () => {
    const r = rangeFromSearch(new URLSearchParams('from=yesterday&to=now'));
    expect(r.raw).toEqual({ from: 'now-90d', to: 'now' });
    const abs = rangeFromSearch(new URLSearchParams(`from=${Date.UTC(2026, 0, 1)}&to=${Date.UTC(2026, 3, 1)}`));
    expect(abs.from.valueOf()).toBe(Date.UTC(2026, 0, 1));
  });

  it('builds an agreement from its form', () => {
    const body = agreementBody(
      {
        name: 'Service levels',
        kind: 'custom',
        timezone: 'Europe/London',
        from: '2026-01-01',
        to: '2026-10-01',
        target: '90',
        covered: { a: { weight: '3', mode: 'timeslice' }, b: { weight: '1', mode: 'occurrence' } },
        impact: '250',
        cap: '',
        precision: '1',
        bands: [
          { from: '95', to: '99', amount: '-1000', percent: false },
          { from: '0', to: '95', amount: '-5', percent: true },
        ],
        milestones: [
          { name: 'Below target', condition: 'compliance < 90' },
          { name: '', condition: '' },
        ],
      },
      'acme-it'
    );
    expect(body).toEqual({
      name: 'Service levels',
      contractId: 'acme-it',
      period: { kind: 'custom', timezone: 'Europe/London', from: '2026-01-01', to: '2026-10-01' },
      complianceTarget: 90,
      trackers: [
        { assignmentId: 'a', weight: 3 },
        { assignmentId: 'b', weight: 1, mode: 'occurrence' },
      ],
      impactCostPerMiss: 250,
      penaltyCap: undefined,
      precision: 1,
      bands: [
        { from: 95, to: 99, amount: -1000 },
        { from: 0, to: 95, amount: -5, percent: true },
      ],
      milestones: [{ name: 'Below target', condition: 'compliance < 90' }],
    });
    expect(periodText(body.period!)).toBe('2026-01-01 → 2026-10-01 (Europe/London)');
    expect(bandText({ from: 95, to: 99, amount: -1000 }, 'EUR')).toBe('penalty 1,000 EUR for 95–99 %');
    expect(bandText({ from: 0, to: 95, amount: -5, percent: true })).toBe('penalty 5 % of the value for 0–95 %');
  });
});
