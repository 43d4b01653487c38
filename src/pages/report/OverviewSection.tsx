import { t } from '@grafana/i18n';
import React from 'react';
import type { Contract } from '../../shared/types';
import { currency } from '../../shared/format';
import { Facts, ReportSection } from './ReportSection';
import { statusText } from '../../shared/labels';

/** 1. The contract and its parties: name, counterparty, owner, term, value and status. */
export function OverviewSection({ contract: c, cur }: { contract: Contract; cur: string }) {
  return (
    <ReportSection
      name="overview"
      title={t('pages.overview-section.title-contract-and-party-overview', '1. Contract and party overview')}
    >
      <Facts
        facts={[
          [t('pages.overview-section.fact-contract', 'Contract'), c.name],
          [t('pages.overview-section.fact-counterparty', 'Counterparty'), c.counterparty],
          [t('pages.overview-section.fact-owner', 'Owner'), c.owner || '–'],
          [
            t('pages.overview-section.fact-term', 'Term'),
            c.startDate || c.endDate ? `${c.startDate ?? '…'} → ${c.endDate ?? '…'}` : '–',
          ],
          [t('pages.overview-section.fact-value', 'Value'), c.value ? currency(c.value, cur) : '–'],
          [t('pages.overview-section.fact-status', 'Status'), statusText(c.status)],
        ]}
      />
    </ReportSection>
  );
}
