import { t } from '@grafana/i18n';
import React from 'react';
import type { ContractReport } from '../../shared/types';
import { ReportSection } from './ReportSection';

/** 4. The risk indicators: runs of misses, obligations missed, open requests, agreements at risk or breached. */
export function RiskSection({ risk }: { risk: ContractReport['risk'] }) {
  return (
    <ReportSection
      name="risk"
      title={t('pages.risk-section.title-risk-and-compliance-indicators', '4. Risk and compliance indicators')}
    >
      <ul>
        <li>
          Longest run of misses: {risk.maxConsecutiveMisses} bucket{risk.maxConsecutiveMisses === 1 ? '' : 's'}
        </li>
        <li>
          Obligations missed at last measure: {risk.trackersMissing.length ? risk.trackersMissing.join(', ') : 'none'}
        </li>
        <li>Requests open and past their goal: {risk.atRiskRequests}</li>
        <li>Agreements at risk: {risk.agreementsAtRisk.length ? risk.agreementsAtRisk.join(', ') : 'none'}</li>
        <li>Agreements breached: {risk.agreementsBreached.length ? risk.agreementsBreached.join(', ') : 'none'}</li>
      </ul>
    </ReportSection>
  );
}
