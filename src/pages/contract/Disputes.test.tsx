import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ContractPage } from './ContractPage';
import { disputeItems, toRow } from './PeriodActs';
import { bucketTime, requestTime } from './periods';
import { callsTo, fakeFetch, type Answer, type Req } from '../../test/backend';
import { renderPage } from '../../test/render';
import { pick } from '../../test/select';
import { testIds } from '../../shared/testIds';
import type {
  ActSnapshot,
  Agreement,
  Assignment,
  ComplianceResult,
  Contract,
  LedgerEntry,
  LedgerPeriod,
  ResultSnapshot,
  Tracker,
} from '../../shared/types';

let mockFetch = fakeFetch([]);

jest.mock('@grafana/runtime', () =>
  jest.requireActual('../../test/runtime').mockRuntime({ fetch: (r: never) => mockFetch(r) })
);

// The lifecycle of closed periods on the Agreements tab (docs/disputes.md): each period's state, its
// thread of sign-offs, disputes and resolutions, and the acts for the dispute role.

const contract: Contract = {
  id: 'acme-it',
  version: 1,
  name: 'Acme IT managed services',
  counterparty: 'Acme Corp',
  status: 'active',
  currency: 'EUR',
} as Contract;
const trackers: Tracker[] = [
  { id: 'daily-availability', version: 1, name: 'Daily availability' } as Tracker,
  { id: 'responses', version: 1, name: 'Responses within 60 min' } as Tracker,
];
const assignments: Assignment[] = [
  { id: 'acme-avail', version: 1, contractId: 'acme-it', trackerId: 'daily-availability', key: 'acme', weight: 3 },
  { id: 'acme-resp', version: 1, contractId: 'acme-it', trackerId: 'responses', key: 'acme', weight: 1 },
];
const sla: Agreement = {
  id: 'sla',
  version: 1,
  name: 'Service levels',
  contractId: 'acme-it',
  period: { kind: 'month', timezone: 'Europe/London' },
  complianceTarget: 90,
  trackers: [
    { assignmentId: 'acme-avail', weight: 3 },
    { assignmentId: 'acme-resp', weight: 1, mode: 'occurrence' },
  ],
} as Agreement;
const page = <T,>(items: T[]): Answer => ({ data: { items, total: items.length, limit: 500, offset: 0 } });

const DAY = 86400;
/** Unix seconds of a UTC midnight (London is on GMT in these months). */
const midnight = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 1000;
/** A request opened 2026-03-04 10:30:00.123456 UTC, in unix nanoseconds. */
const REQUEST_NS = 1772620200123456000;

const figures = (compliance: number, status: string, penaltyReward: number) =>
  ({ compliance, status, penaltyReward, impactCost: 0, missed: 2 }) as ActSnapshot['before'];

function result(start: string, end: string, compliance: number, status = 'compliant'): ResultSnapshot {
  const from = Date.parse(start) / 1000;
  return {
    result: { compliance, status, penaltyReward: 0, trackers: [] } as unknown as ComplianceResult,
    versions: {},
    inputs: {
      trackers: [
        {
          assignment: 'acme-avail',
          key: 'acme',
          mode: 'timeslice',
          weight: 3,
          def: { interval: '1d', kpi: { unit: 'percent' } },
          buckets: [
            [from, 99.95],
            [from + DAY, 97.1],
            [from + 2 * DAY, 96.5],
            [from + 3 * DAY, null],
          ],
        },
        {
          assignment: 'acme-resp',
          key: 'acme',
          mode: 'occurrence',
          weight: 1,
          def: { kpi: { unit: 'm' } },
          requests: [
            [REQUEST_NS, 45, false],
            [REQUEST_NS + 3600e9, null, true],
          ],
        },
      ],
    },
  };
}

const who = { login: 'dana', name: 'Dana Whitfield' };
let seqs: Record<string, number> = {};
function entry(start: string, end: string, kind: LedgerEntry['kind'], snapshot: object, at: string): LedgerEntry {
  seqs[start] = (seqs[start] ?? 0) + 1;
  return {
    agreementId: 'sla',
    contractId: 'acme-it',
    periodStart: start,
    periodEnd: end,
    seq: seqs[start],
    kind,
    computedAt: at,
    digest: `digest-${start}-${seqs[start]}`,
    snapshot,
    actor: kind === 'close' ? 'covenant-evaluator' : 'dana',
  } as LedgerEntry;
}

const DEC = ['2025-12-01T00:00:00Z', '2026-01-01T00:00:00Z'] as const;
const JAN = ['2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'] as const;
const FEB = ['2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z'] as const;
const MAR = ['2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'] as const;

/** Four periods: December disputed, January resolved by a restatement, February signed off, March closed. */
function ledger() {
  seqs = {};
  const entries = [
    entry(...DEC, 'close', result(...DEC, 88, 'breached'), '2026-01-01T00:05:00Z'),
    entry(
      ...DEC,
      'dispute',
      {
        by: who,
        result: 1,
        comment: 'The outage on the 3rd was the customer’s change.',
        items: [
          {
            assignmentId: 'acme-avail',
            bucket: bucketTime(midnight(2025, 12, 3)),
            reason: 'outage not ours',
            note: 'INC-1',
            evidence: { rows: 24, digest: 'ab12', actual: 95.5, atClose: 95.5, changed: false },
          },
          { assignmentId: 'acme-resp', reason: 'the queue was misrouted' },
        ],
        attachments: [{ sha256: 'f'.repeat(64), name: 'firewall-log.txt', type: 'text/plain', size: 12700 }],
      },
      '2026-01-10T09:30:00Z'
    ),
    entry(...JAN, 'close', result(...JAN, 85, 'breached'), '2026-02-01T00:05:00Z'),
    entry(
      ...JAN,
      'dispute',
      {
        by: who,
        result: 1,
        comment: 'Planned maintenance',
        items: [{ assignmentId: 'acme-avail', bucket: bucketTime(midnight(2026, 1, 5)), reason: 'maintenance' }],
      },
      '2026-02-03T10:00:00Z'
    ),
    entry(...JAN, 'restatement', result(...JAN, 92), '2026-02-10T11:00:00Z'),
    entry(
      ...JAN,
      'resolution',
      {
        by: { login: 'lee', name: 'Lee Park' },
        result: 3,
        dispute: 2,
        outcome: 'restated',
        comment: 'Agreed at the review',
        exclusions: [
          {
            assignmentId: 'acme-avail',
            bucket: bucketTime(midnight(2026, 1, 5)),
            reason: 'maintenance',
            note: 'CHG-9',
          },
        ],
        before: figures(85, 'breached', -5000),
        after: figures(92, 'compliant', 0),
      },
      '2026-02-10T11:00:00Z'
    ),
    entry(...FEB, 'close', result(...FEB, 95), '2026-03-01T00:05:00Z'),
    entry(...FEB, 'signoff', { by: { login: 'lee' }, result: 1, comment: 'Fine' }, '2026-03-02T08:00:00Z'),
    entry(...MAR, 'close', result(...MAR, 89, 'breached'), '2026-04-01T00:05:00Z'),
  ];
  const state = (p: readonly [string, string], s: string, extra: Partial<LedgerPeriod> = {}): LedgerPeriod => ({
    agreementId: 'sla',
    contractId: 'acme-it',
    periodStart: p[0],
    periodEnd: p[1],
    state: s,
    result: 1,
    ...extra,
  });
  const periods = [
    state(DEC, 'disputed', { dispute: 2 }),
    state(JAN, 'resolved', { result: 3 }),
    state(FEB, 'signed_off'),
    state(MAR, 'closed'),
  ];
  return { entries, periods };
}

function routes(extra: Array<[string, Answer | ((req: Req) => Answer)]> = []) {
  return fakeFetch([
    ...extra,
    ['GET registry/contracts/acme-it', { data: contract }],
    ['GET registry/agreements', page([sla])],
    ['GET registry/assignments', page(assignments)],
    ['GET registry/trackers', page(trackers)],
    ['POST /api/ds/query', { data: { results: { A: { status: 200, frames: [] } } } }],
    ['GET ledger', { data: ledger() }],
  ]);
}

const open = (opts?: { role?: string; disputeRole?: string }) =>
  renderPage(<ContractPage id="acme-it" tab="agreements" search={new URLSearchParams()} />, opts);
const period = (day: string) => within(screen.getByTestId(testIds.contract.ledgerPeriod(day)));

describe('the lifecycle of closed periods', () => {
  it('shows each period’s state and its thread, open for a disputed period', async () => {
    mockFetch = routes();
    open();
    // The ledger opens by itself: a period is disputed.
    expect(await screen.findByTestId(testIds.contract.periodState('2025-12-01'))).toHaveTextContent('Disputed');
    expect(screen.getByTestId(testIds.contract.periodState('2026-01-01'))).toHaveTextContent('Resolved');
    expect(screen.getByTestId(testIds.contract.periodState('2026-02-01'))).toHaveTextContent('Signed off');
    expect(screen.getByTestId(testIds.contract.periodState('2026-03-01'))).toHaveTextContent('Closed');
    // Newest period first.
    const days = [...screen.getByTestId(testIds.contract.ledger).querySelectorAll('tbody')].map((b) =>
      b.getAttribute('data-testid')
    );
    expect(days).toEqual(
      ['2026-03-01', '2026-02-01', '2026-01-01', '2025-12-01'].map((d) => testIds.contract.ledgerPeriod(d))
    );

    // The disputed period's thread is open: who, when (London), the comment and the items.
    const dispute = period('2025-12-01').getByTestId(testIds.contract.ledgerAct(2));
    expect(dispute).toHaveTextContent('Disputedby Dana Whitfield (dana) · 2026-01-10 09:30');
    expect(dispute).toHaveTextContent('The outage on the 3rd was the customer’s change.');
    expect(within(dispute).getByTestId(testIds.contract.actItems(2))).toHaveTextContent(
      'Daily availability, 2025-12-03: outage not ours (INC-1) · 24 rows cited, as at the close' +
        'Responses within 60 min, the whole tracker: the queue was misrouted'
    );
    // Its evidence file, a download by its hash.
    const files = within(dispute).getByTestId(testIds.contract.actFiles(2));
    expect(files).toHaveTextContent('firewall-log.txt 12.4 KB · SHA-256 ffffffffffff…');
    expect(within(files).getByRole('link', { name: 'firewall-log.txt' })).toHaveAttribute(
      'href',
      `/api/datasources/uid/covenant/resources/ledger/attachments/${'f'.repeat(64)}`
    );

    // The others are collapsed to their latest act.
    expect(period('2026-02-01').queryByTestId(testIds.contract.ledgerAct(2))).toBeNull();
    expect(period('2026-02-01').getByText('Signed off by lee · 2026-03-02 08:00')).toBeInTheDocument();
    const jan = period('2026-01-01');
    expect(jan.getByText('Resolved: restated by Lee Park (lee) · 2026-02-10 11:00')).toBeInTheDocument();
    expect(jan.getByTestId(testIds.contract.ledgerResult(3))).toHaveTextContent('restatement 1');
    fireEvent.click(jan.getByTestId(testIds.contract.periodHistory('2026-01-01')));
    expect(jan.getByTestId(testIds.contract.ledgerAct(2))).toHaveTextContent('Planned maintenance');
    const resolution = jan.getByTestId(testIds.contract.ledgerAct(4));
    expect(resolution).toHaveTextContent('Resolved: restatedby Lee Park (lee)');
    expect(resolution).toHaveTextContent('Agreed at the review');
    expect(within(resolution).getByTestId(testIds.contract.actItems(4))).toHaveTextContent(
      'Daily availability, 2026-01-05: Maintenance (CHG-9)'
    );
    const ba = within(resolution).getByTestId(testIds.contract.actFigures(4));
    expect(ba).toHaveTextContent('Compliance85.0 %→92.0 %');
    expect(ba).toHaveTextContent('StatusBreached→Compliant');
    expect(ba).toHaveTextContent('Penalty / reward-€5,000→€0');

    // Acts on the latest state only.
    expect(screen.getByTestId(testIds.contract.periodAct('2026-03-01', 'signoff'))).toBeEnabled();
    expect(screen.getByTestId(testIds.contract.periodAct('2026-03-01', 'dispute'))).toBeEnabled();
    expect(screen.getByTestId(testIds.contract.periodAct('2025-12-01', 'resolve'))).toBeEnabled();
    expect(screen.queryByTestId(testIds.contract.periodAct('2026-02-01', 'signoff'))).toBeNull();
    expect(screen.queryByTestId(testIds.contract.periodAct('2026-01-01', 'dispute'))).toBeNull();
  });

  it('disputes a closed period: buckets and a request, sent as items; then reads the ledger again', async () => {
    // Once the dispute is recorded, the ledger says March is disputed.
    let reads = 0;
    const disputed = () => {
      const l = ledger();
      const march = entry(
        ...MAR,
        'dispute',
        { by: who, result: 1, comment: 'Recorded', items: [] },
        '2026-04-02T10:00:00Z'
      );
      return {
        entries: [...l.entries, march],
        periods: l.periods.map((p) => (p.periodStart === MAR[0] ? { ...p, state: 'disputed', dispute: 2 } : p)),
      };
    };
    mockFetch = routes([
      ['POST ledger/sla/2026-03-01/dispute', { status: 201, data: { entries: [] } }],
      ['GET ledger', () => ({ data: ++reads === 1 ? ledger() : disputed() })],
    ]);
    open();
    fireEvent.click(await screen.findByTestId(testIds.contract.periodAct('2026-03-01', 'dispute')));
    const dialog = within(await screen.findByRole('dialog'));
    fireEvent.change(dialog.getByTestId(testIds.form.field('comment')), {
      target: { value: 'Two days were the customer’s network' },
    });
    // The first covered tracker is picked; its buckets show their day (London) and actual.
    fireEvent.click(dialog.getByLabelText('2026-03-03 · 96.50%'));
    fireEvent.click(dialog.getByLabelText('2026-03-02 · 97.10%'));
    expect(dialog.getByLabelText('2026-03-04 · no data')).not.toBeChecked();
    expect(dialog.getByText('Buckets (2 picked)')).toBeInTheDocument();
    fireEvent.change(dialog.getByLabelText('Item 1: reason'), { target: { value: 'customer network' } });
    fireEvent.change(dialog.getByLabelText('Item 1: note'), { target: { value: 'INC-7' } });

    fireEvent.click(dialog.getByTestId(testIds.periodActs.addItem));
    await pick(testIds.form.field('items[1].assignmentId'), 'Responses within 60 min');
    await pick(testIds.form.field('items[1].request'), '2026-03-04 10:30 · 45.00 min');
    fireEvent.change(dialog.getByLabelText('Item 2: reason'), { target: { value: 'misrouted' } });
    fireEvent.click(dialog.getByTestId(testIds.form.save));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const sent = callsTo(mockFetch, 'POST', 'ledger/sla/2026-03-01/dispute');
    expect(sent).toHaveLength(1);
    expect(sent[0].data).toEqual({
      comment: 'Two days were the customer’s network',
      items: [
        // Bucket items cite their rows unless the row's box is cleared.
        {
          assignmentId: 'acme-avail',
          bucket: '2026-03-02T00:00:00Z',
          reason: 'customer network',
          note: 'INC-7',
          cite: true,
        },
        {
          assignmentId: 'acme-avail',
          bucket: '2026-03-03T00:00:00Z',
          reason: 'customer network',
          note: 'INC-7',
          cite: true,
        },
        { assignmentId: 'acme-resp', request: '2026-03-04T10:30:00.123456Z', reason: 'misrouted' },
      ],
    });
    // The ledger and the figures are read again; the period's new state shows, its thread open.
    await waitFor(() => expect(callsTo(mockFetch, 'GET', 'ledger?contractId=acme-it')).toHaveLength(2));
    expect(callsTo(mockFetch, 'POST', '/api/ds/query')).toHaveLength(2);
    await waitFor(() =>
      expect(screen.getByTestId(testIds.contract.periodState('2026-03-01'))).toHaveTextContent('Disputed')
    );
    expect(period('2026-03-01').getByTestId(testIds.contract.ledgerAct(2))).toHaveTextContent('Recorded');
    expect(screen.getByTestId(testIds.contract.periodAct('2026-03-01', 'resolve'))).toBeEnabled();
  });

  it('resolves a dispute restated: the disputed buckets as exclusions, with an agreed reason', async () => {
    mockFetch = routes([['POST ledger/sla/2025-12-01/resolve', { status: 201, data: { entries: [] } }]]);
    open();
    fireEvent.click(await screen.findByTestId(testIds.contract.periodAct('2025-12-01', 'resolve')));
    const dialog = within(await screen.findByRole('dialog'));
    expect(dialog.getByText('Disputed by Dana Whitfield (dana) · 2026-01-10 09:30')).toBeInTheDocument();
    fireEvent.change(dialog.getByTestId(testIds.form.field('comment')), { target: { value: 'Agreed' } });
    // A whole tracker cannot be excluded; the bucket is, once it has an agreed reason.
    expect(dialog.getByLabelText('Exclude Responses within 60 min, the whole tracker')).toBeDisabled();
    expect(dialog.getByLabelText('Exclude Daily availability, 2025-12-03')).toBeChecked();
    await pick(testIds.form.field('exclusions[0].reason'), 'Customer caused');
    fireEvent.click(dialog.getByTestId(testIds.form.save));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(callsTo(mockFetch, 'POST', 'ledger/sla/2025-12-01/resolve')[0].data).toEqual({
      comment: 'Agreed',
      dispute: 2,
      outcome: 'restated',
      exclusions: [
        { assignmentId: 'acme-avail', bucket: '2025-12-03T00:00:00Z', reason: 'customer_caused', note: 'INC-1' },
      ],
    });
  });

  it('shows a refused dispute at the item it names, and keeps what was typed', async () => {
    mockFetch = routes([
      [
        'POST ledger/sla/2026-03-01/dispute',
        { status: 400, data: { error: 'items[1].reason: is empty: say why', field: 'items[1].reason' } },
      ],
    ]);
    open();
    fireEvent.click(await screen.findByTestId(testIds.contract.periodAct('2026-03-01', 'dispute')));
    const dialog = within(await screen.findByRole('dialog'));
    fireEvent.change(dialog.getByTestId(testIds.form.field('comment')), { target: { value: 'x' } });
    fireEvent.click(dialog.getByLabelText('2026-03-01 · 99.95%'));
    fireEvent.click(dialog.getByLabelText('2026-03-02 · 97.10%'));
    fireEvent.click(dialog.getByTestId(testIds.form.save));
    // items[1] is the second bucket of the form's first item: the message names the form's item (from 0).
    expect(await dialog.findByText('is empty: say why')).toBeInTheDocument();
    expect(dialog.getByTestId(testIds.form.error)).toHaveTextContent('items[0].reason: is empty: say why');
    expect(dialog.getByTestId(testIds.form.error)).toHaveTextContent('The field “items[0].reason” is marked below.');
    expect(dialog.getByLabelText('2026-03-02 · 97.10%')).toBeChecked();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('says why a sign-off was refused (409)', async () => {
    mockFetch = routes([
      [
        'POST ledger/sla/2026-03-01/signoff',
        {
          status: 409,
          data: { error: 'period: the period is already signed off: its result is final', field: 'period' },
        },
      ],
    ]);
    open();
    fireEvent.click(await screen.findByTestId(testIds.contract.periodAct('2026-03-01', 'signoff')));
    const dialog = within(await screen.findByRole('dialog'));
    expect(
      dialog.getByText(/Signing off accepts the period’s result as final: compliance 89.0 %, Breached/)
    ).toBeInTheDocument();
    fireEvent.change(dialog.getByTestId(testIds.form.field('comment')), { target: { value: 'ok' } });
    fireEvent.click(dialog.getByTestId(testIds.form.save));
    const error = await dialog.findByTestId(testIds.form.error);
    expect(error).toHaveTextContent('the period is already signed off');
    expect(error).toHaveTextContent("The period's state does not allow this act");
    expect(callsTo(mockFetch, 'POST', 'ledger/sla/2026-03-01/signoff')[0].data).toEqual({ comment: 'ok' });
  });

  it('is read only for a viewer, and greyed out below the dispute role', async () => {
    mockFetch = routes();
    const { unmount } = open({ role: 'Viewer' });
    expect(await screen.findByTestId(testIds.contract.periodState('2026-03-01'))).toHaveTextContent('Closed');
    expect(screen.getByTestId(testIds.contract.ledgerAct(2))).toHaveTextContent('Disputed');
    expect(screen.queryByTestId(testIds.contract.periodAct('2026-03-01', 'signoff'))).toBeNull();
    expect(screen.queryByTestId(testIds.contract.periodAct('2025-12-01', 'resolve'))).toBeNull();
    expect(screen.getByTestId(testIds.contract.ledgerReadOnly)).toHaveTextContent(
      'Signing off, disputing and resolving a closed period need the Editor role.'
    );
    unmount();

    open({ role: 'Editor', disputeRole: 'Admin' });
    const signOff = await screen.findByTestId(testIds.contract.periodAct('2026-03-01', 'signoff'));
    expect(signOff).toBeDisabled();
    expect(signOff).toHaveAttribute('title', 'Needs the Admin role');
    expect(screen.getByTestId(testIds.contract.ledgerReadOnly)).toHaveTextContent('need the Admin role');
  });
});

describe('a dispute with evidence', () => {
  it('uploads the files picked and names them by hash; a bucket may leave its rows uncited', async () => {
    const sha = 'a'.repeat(64);
    mockFetch = routes([
      [
        'POST ledger/attachments',
        (r) => ({
          status: 201,
          data: { sha256: sha, name: (r.data as { name: string }).name, type: 'text/plain', size: 3 },
        }),
      ],
      ['POST ledger/sla/2026-03-01/dispute', { status: 201, data: { entries: [] } }],
    ]);
    open();
    fireEvent.click(await screen.findByTestId(testIds.contract.periodAct('2026-03-01', 'dispute')));
    const dialog = within(await screen.findByRole('dialog'));
    fireEvent.change(dialog.getByTestId(testIds.form.field('comment')), { target: { value: 'See the log' } });
    fireEvent.click(dialog.getByLabelText('2026-03-02 · 97.10%'));
    fireEvent.click(dialog.getByTestId(testIds.form.field('items[0].cite')));
    fireEvent.change(dialog.getByLabelText('Item 1: reason'), { target: { value: 'customer network' } });
    const log = new File(['log'], 'log.txt', { type: 'text/plain' });
    fireEvent.change(dialog.getByTestId(testIds.periodActs.files), { target: { files: [log] } });
    expect(await dialog.findByText('log.txt')).toBeInTheDocument();
    expect(callsTo(mockFetch, 'POST', 'ledger/attachments')[0].data).toEqual({
      name: 'log.txt',
      type: 'text/plain',
      content: 'bG9n',
    });
    fireEvent.click(dialog.getByTestId(testIds.form.save));
    await waitFor(() => expect(callsTo(mockFetch, 'POST', 'ledger/sla/2026-03-01/dispute')).toHaveLength(1));
    expect(callsTo(mockFetch, 'POST', 'ledger/sla/2026-03-01/dispute')[0].data).toEqual({
      comment: 'See the log',
      items: [{ assignmentId: 'acme-avail', bucket: '2026-03-02T00:00:00Z', reason: 'customer network' }],
      attachments: [{ sha256: sha }],
    });
  });

  it('refuses a file over 4 MiB before uploading it', async () => {
    mockFetch = routes();
    open();
    fireEvent.click(await screen.findByTestId(testIds.contract.periodAct('2026-03-01', 'dispute')));
    const dialog = within(await screen.findByRole('dialog'));
    const big = new File([new Uint8Array(4 * 1024 * 1024 + 1)], 'dump.bin');
    fireEvent.change(dialog.getByTestId(testIds.periodActs.files), { target: { files: [big] } });
    expect(
      await dialog.findByText('dump.bin is larger than 4 MiB: attach a smaller file, or a link in the comment')
    ).toBeInTheDocument();
    expect(callsTo(mockFetch, 'POST', 'ledger/attachments')).toHaveLength(0);
  });
});

describe('what the acts send', () => {
  it('names buckets and requests in RFC 3339, a request to the microsecond', () => {
    expect(bucketTime(midnight(2026, 3, 2))).toBe('2026-03-02T00:00:00Z');
    expect(requestTime(REQUEST_NS)).toBe('2026-03-04T10:30:00.123456Z');
    expect(requestTime(1772620200000000000)).toBe('2026-03-04T10:30:00Z');
    expect(requestTime(1772620200500000000)).toBe('2026-03-04T10:30:00.5Z');
  });

  it('sends one item per bucket, and maps an item back to its row', () => {
    const { items, rowOf } = disputeItems([
      { assignmentId: 'a', scope: 'whole', buckets: [], reason: ' r ', note: '', cite: true },
      { assignmentId: 'b', scope: 'buckets', buckets: [200, 100], reason: 'x', note: 'n', cite: true },
      { assignmentId: 'c', scope: 'buckets', buckets: [300], reason: 'y', note: '', cite: false },
    ]);
    // Only bucket items cite rows, and only when their row asks to.
    expect(items).toEqual([
      { assignmentId: 'a', reason: 'r' },
      { assignmentId: 'b', bucket: bucketTime(100), reason: 'x', note: 'n', cite: true },
      { assignmentId: 'b', bucket: bucketTime(200), reason: 'x', note: 'n', cite: true },
      { assignmentId: 'c', bucket: bucketTime(300), reason: 'y' },
    ]);
    expect(rowOf).toEqual([0, 1, 1, 2]);
    expect(toRow({ message: 'items[2].bucket: no', field: 'items[2].bucket' }, 'items', rowOf)).toEqual({
      message: 'items[1].bucket: no',
      field: 'items[1].bucket',
    });
    expect(toRow({ message: 'comment: empty', field: 'comment' }, 'items', rowOf)?.field).toBe('comment');
  });
});
