import { t } from '@grafana/i18n';
import React from 'react';
import type { ContractReport } from '../../shared/types';
import { money, pct, periodRange } from '../../shared/format';
import { complianceBadge } from '../contract/AgreementCard';
import { netFinancial } from './reportModel';
import { ledgerStateText } from '../../shared/labels';
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
          [t('pages.financial-section.fact-impact-cost-of-misses', 'Impact cost of misses'), money(f.impactCost, cur)],
          [t('pages.financial-section.fact-penalties', 'Penalties'), money(f.penalties, cur)],
          [t('pages.financial-section.fact-credits-rewards', 'Credits (rewards)'), money(f.credits, cur)],
          [t('pages.financial-section.fact-net-effect', 'Net effect'), money(netFinancial(f), cur)],
          [t('pages.financial-section.fact-value-at-stake', 'Value at stake'), money(f.valueAtStake, cur)],
        ]}
      />
      <ReportTable
        columns={[
          t('pages.financial-section.column-agreement', 'Agreement'),
          t('pages.financial-section.column-review-period', 'Review period'),
          { num: t('pages.financial-section.column-compliance', 'Compliance') },
          { num: t('pages.financial-section.column-target', 'Target') },
          t('pages.financial-section.column-status', 'Status'),
          { num: t('pages.financial-section.column-penalty-reward', 'Penalty / reward') },
        ]}
      >
        {f.agreements.map((a) => (
          <tr key={`${a.agreementId}-${a.result.period.start}`}>
            <td>{a.name}</td>
            <td>
              {a.final && a.state && a.state !== 'closed'
                ? t('pages.financial-section.period-final-state', '{{period}} (final, {{- state}})', {
                    period: periodRange(a.result.period, a.timezone),
                    state: ledgerStateText(a.state),
                  })
                : a.final
                  ? t('pages.financial-section.period-final', '{{period}} (final)', {
                      period: periodRange(a.result.period, a.timezone),
                    })
                  : t('pages.financial-section.period-so-far', '{{period}} (so far)', {
                      period: periodRange(a.result.period, a.timezone),
                    })}
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
