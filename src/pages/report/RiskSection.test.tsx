import React from 'react';
import { render, screen } from '@testing-library/react';
import { RiskSection } from './RiskSection';
import { testIds } from '../../shared/testIds';
import type { ContractReport } from '../../shared/types';

const risk = (openDisputes: ContractReport['risk']['openDisputes']): ContractReport['risk'] => ({
  maxConsecutiveMisses: 0,
  trackersMissing: [],
  atRiskRequests: 0,
  agreementsAtRisk: [],
  agreementsBreached: [],
  openDisputes,
});

describe('RiskSection', () => {
  it('lists each open dispute with its period, who and when', () => {
    render(
      <RiskSection
        risk={risk([
          {
            agreement: 'Service levels',
            periodStart: '2026-01-01T00:00:00Z',
            periodEnd: '2026-02-01T00:00:00Z',
            since: '2026-03-15T12:30:00Z',
            by: { login: 'dana', name: 'Dana Whitfield' },
            comment: 'Two outages were not ours',
            items: 2,
          },
        ])}
      />
    );
    expect(screen.getByTestId(testIds.report.openDisputes)).toHaveTextContent(
      'Open disputes:Service levels, 2026-01-01 – 2026-01-31: disputed by Dana Whitfield (dana) on 2026-03-15 (2 items): Two outages were not ours'
    );
  });

  it('says none when no period is disputed', () => {
    render(<RiskSection risk={risk([])} />);
    expect(screen.getByTestId(testIds.report.openDisputes)).toHaveTextContent('Open disputes: none');
  });
});
