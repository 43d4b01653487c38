import { t } from '@grafana/i18n';
import React from 'react';
import type { ContractReport } from '../../shared/types';
import { ReportSection } from './ReportSection';

/** 4. The risk indicators: runs of misses, obligations missed, open requests, agreements at risk or breached. */
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
      </ul>
    </ReportSection>
  );
}
