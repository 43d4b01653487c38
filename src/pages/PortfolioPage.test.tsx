import React from 'react';
import { screen } from '@testing-library/react';
import { PortfolioPage } from './PortfolioPage';
import { callsTo, fakeFetch } from '../test/backend';
import { renderPage } from '../test/render';
import { testIds } from '../shared/testIds';

let mockFetch = fakeFetch([]);

jest.mock('@grafana/runtime', () =>
  jest.requireActual('../test/runtime').mockRuntime({ fetch: (r: never) => mockFetch(r) })
);

const col = (name: string, type: string, values: unknown[]) => ({ name, type, values });

/** A portfolio answer as /api/ds/query gives it: the table and the summary frame. */
function answer() {
  const fields = [
    col('contract', 'string', ['acme-it', 'globex', 'idle']),
    col('name', 'string', ['Acme IT', 'Globex freight', 'Idle']),
    col('counterparty', 'string', ['Acme Corp', 'Globex', 'Nobody']),
    col('status', 'string', ['active', 'active', 'active']),
    col('classification', 'string', ['breach', 'substantial', 'unmeasured']),
    col('compliance', 'number', [80.5, 96.25, null]),
    col('agreement_status', 'string', ['breached', 'compliant', '']),
    col('renewal_date', 'time', [Date.UTC(2027, 0, 31), Date.UTC(2028, 0, 31), null]),
    col('notice_by', 'time', [Date.UTC(2026, 11, 2), Date.UTC(2027, 11, 2), null]),
    col('renewal_signal', 'string', ['exit', 'renew', 'insufficient history']),
    col('renewal_window', 'string', ['open', 'not yet', 'no renewal date']),
    col('open_disputes', 'number', [2, 0, 0]),
  ];
  const frame = (name: string, fs: Array<{ name: string; type: string; values: unknown[] }>) => ({
    schema: { name, fields: fs.map(({ name, type }) => ({ name, type })) },
    data: { values: fs.map((f) => f.values) },
  });
  return {
    data: {
      results: {
        A: {
          status: 200,
          frames: [
            frame('portfolio', fields),
            frame('portfolio summary', [
              // Three active contracts, one not compliant, one unmeasured: (3 − 1) / 3.
              col('contract_compliance_rate', 'number', [200 / 3]),
              col('active', 'number', [3]),
              col('non_compliant', 'number', [1]),
              col('unmeasured', 'number', [1]),
              col('disputed', 'number', [1]),
            ]),
          ],
        },
      },
    },
  };
}

describe('PortfolioPage', () => {
  it('lists every contract with its performance, and shows the renewal signal once its window is open', async () => {
    // The rate is over every active contract; the unmeasured ones are shown beside it.
    mockFetch = fakeFetch([['POST /api/ds/query', answer()]]);
    renderPage(<PortfolioPage />);
    expect(await screen.findByTestId(testIds.portfolio.rate)).toHaveTextContent('66.7 %');
    expect(screen.getByTestId(testIds.portfolio.rate)).toHaveTextContent('3 active, 1 not compliant');
    expect(screen.getByTestId(testIds.portfolio.rate)).toHaveTextContent('1 unmeasured');
    const acme = screen.getByTestId(testIds.portfolio.row('acme-it'));
    expect(acme).toHaveTextContent('Breach');
    expect(acme).toHaveTextContent('80.5 %');
    expect(acme).toHaveTextContent('Breached');
    expect(acme).toHaveTextContent('exit');
    expect(acme).toHaveTextContent('2026-12-02');
    expect(acme).toHaveTextContent('2 disputed');
    expect(screen.getByTestId(testIds.portfolio.disputed)).toHaveTextContent(
      '1 contract has a closed period under open dispute'
    );
    expect(screen.getByTestId(testIds.portfolio.row('idle'))).toHaveTextContent('Unmeasured');
    const globex = screen.getByTestId(testIds.portfolio.row('globex'));
    expect(globex).toHaveTextContent('Substantial');
    expect(globex).toHaveTextContent('renew · window opens 2027-09-03');
    expect(globex).not.toHaveTextContent('disputed');
    expect(callsTo(mockFetch, 'POST', '/api/ds/query')[0].data).toMatchObject({
      queries: [{ queryType: 'portfolio' }],
    });
  });
});
