import React from 'react';
import { render, screen } from '@testing-library/react';
import { LedgerTable } from './LedgerTable';
import { testIds } from '../../shared/testIds';
import type { ComplianceResult, LedgerResultEntry, ResultSnapshot } from '../../shared/types';

const entry = (exclusions?: ResultSnapshot['exclusions']): LedgerResultEntry => ({
  agreementId: 'g',
  contractId: 'c',
  periodStart: '2026-05-01T00:00:00+01:00',
  periodEnd: '2026-06-01T00:00:00+01:00',
  seq: 1,
  kind: 'close',
  computedAt: '2026-06-01T01:00:00Z',
  digest: 'abcdef0123456789',
  snapshot: {
    result: { compliance: 95, status: 'compliant', penaltyReward: 0 } as unknown as ComplianceResult,
    versions: {},
    exclusions,
  },
  actor: 'covenant',
});

describe('LedgerTable', () => {
  it('lists the exclusions a closed period applied, with their working time and note', () => {
    render(
      <LedgerTable
        entries={[
          entry([
            {
              assignment: 'a',
              calendar: 'uk-office',
              from: '2026-05-13T09:00:00+01:00',
              to: '2026-05-13T11:00:00+01:00',
              reason: 'maintenance',
              note: 'CHG-1042',
              workingSeconds: 7200,
            },
            {
              assignment: 'a',
              calendar: 'uk-office',
              from: '2026-05-16T00:00:00+01:00',
              to: '2026-05-17T00:00:00+01:00',
              reason: 'customer_caused',
              workingSeconds: 0,
            },
          ]),
        ]}
      />
    );
    const row = screen.getByTestId(testIds.contract.ledgerExclusions);
    expect(row).toHaveTextContent(
      'Excluded: Maintenance 2026-05-13 09:00 – 2026-05-13 11:00 (2 h of working time, CHG-1042); ' +
        'Customer caused 2026-05-16 00:00 – 2026-05-17 00:00 (0 h of working time)'
    );
  });

  it('adds no row for a period without exclusions', () => {
    render(<LedgerTable entries={[entry()]} />);
    expect(screen.getByTestId(testIds.contract.ledger)).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.contract.ledgerExclusions)).toBeNull();
  });
});
