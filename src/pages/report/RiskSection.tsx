import { t } from '@grafana/i18n';
import React from 'react';
import type { ContractReport } from '../../shared/types';
import { ReportSection } from './ReportSection';
import { testIds } from '../../shared/testIds';
import { periodRange } from '../../shared/format';
import { actorText } from '../../shared/labels';

/** 4. The risk indicators: runs of misses, obligations missed, open requests, agreements at risk or breached, open disputes. */
export function RiskSection({ risk }: { risk: ContractReport['risk'] }) {
  const list = (names: string[]) => (names.length ? names.join(', ') : t('pages.risk-section.none', 'none'));
  return (
    <ReportSection
      name="risk"
      title={t('pages.risk-section.title-risk-and-compliance-indicators', '4. Risk and compliance indicators')}
    >
      <ul>
        <li>
          {t('pages.risk-section.longest-run-of-misses', 'Longest run of misses: {{count}} buckets', {
            count: risk.maxConsecutiveMisses,
            defaultValue_one: 'Longest run of misses: {{count}} bucket',
          })}
        </li>
        <li>
          {t('pages.risk-section.obligations-missed', 'Obligations missed at last measure: {{- names}}', {
            names: list(risk.trackersMissing),
          })}
        </li>
        <li>
          {t('pages.risk-section.requests-open-past-goal', 'Requests open and past their goal: {{requests}}', {
            requests: risk.atRiskRequests,
          })}
        </li>
        <li>
          {t('pages.risk-section.agreements-at-risk', 'Agreements at risk: {{- names}}', {
            names: list(risk.agreementsAtRisk),
          })}
        </li>
        <li>
          {t('pages.risk-section.agreements-breached', 'Agreements breached: {{- names}}', {
            names: list(risk.agreementsBreached),
          })}
        </li>
        <li data-testid={testIds.report.openDisputes}>
          {risk.openDisputes.length === 0
            ? t('pages.risk-section.open-disputes-none', 'Open disputes: none')
            : t('pages.risk-section.open-disputes', 'Open disputes:')}
          {risk.openDisputes.length > 0 && (
            <ul>
              {risk.openDisputes.map((d) => (
                <li key={`${d.agreement}-${d.periodStart}`}>
                  {t(
                    'pages.risk-section.open-dispute',
                    '{{- agreement}}, {{period}}: disputed by {{- by}} on {{since}} ({{items}} items){{- comment}}',
                    {
                      agreement: d.agreement,
                      period: periodRange({ start: d.periodStart, end: d.periodEnd }),
                      by: actorText(d.by),
                      since: d.since.slice(0, 10),
                      items: d.items,
                      comment: d.comment ? `: ${d.comment}` : '',
                    }
                  )}
                </li>
              ))}
            </ul>
          )}
        </li>
      </ul>
    </ReportSection>
  );
}
