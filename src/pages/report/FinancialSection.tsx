import { t } from '@grafana/i18n';
import React from 'react';
import type { ContractReport } from '../../shared/types';
import { money, pct, periodRange } from '../../shared/format';
import { complianceBadge } from '../contract/AgreementCard';
import { netFinancial } from './reportModel';
import { Facts, ReportSection, ReportTable, useReportStyles } from './ReportSection';

/** 3. The money over the report's range, then each agreement and review period with its result. */
export function FinancialSection({ financial: f, cur }: { financial: ContractReport['financial']; cur: string }) {
  const s = useReportStyles();
  return (
    <ReportSection
      name="financial"
      title={t('pages.financial-section.title-financial-performance', '3. Financial performance')}
    >
      <Facts
        facts={[
          ['Impact cost of misses', money(f.impactCost, cur)],
          ['Penalties', money(f.penalties, cur)],
          ['Credits (rewards)', money(f.credits, cur)],
          ['Net effect', money(netFinancial(f), cur)],
          ['Value at stake', money(f.valueAtStake, cur)],
        ]}
      />
      <ReportTable
        columns={[
          'Agreement',
          'Review period',
          { num: 'Compliance' },
          { num: 'Target' },
          'Status',
          { num: 'Penalty / reward' },
        ]}
      >
        {f.agreements.map((a) => (
          <tr key={a.agreementId}>
            <td>{a.name}</td>
            <td>
              {periodRange(a.result.period, a.timezone)} {a.final ? '(final)' : '(so far)'}
            </td>
            <td className={s.num}>{pct(a.result.compliance)}</td>
            <td className={s.num}>{pct(a.result.target)}</td>
            <td>{complianceBadge(a.result.status)?.text ?? a.result.status}</td>
            <td className={s.num}>{money(a.result.penaltyReward, cur)}</td>
          </tr>
        ))}
      </ReportTable>
    </ReportSection>
  );
}
