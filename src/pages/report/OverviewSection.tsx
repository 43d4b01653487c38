import { t } from '@grafana/i18n';
import React from 'react';
import type { Contract } from '../../shared/types';
import { currency } from '../../shared/format';
import { Facts, ReportSection } from './ReportSection';

/** 1. The contract and its parties: name, counterparty, owner, term, value and status. */
export function OverviewSection({ contract: c, cur }: { contract: Contract; cur: string }) {
  return (
    <ReportSection
      name="overview"
      title={t('pages.overview-section.title-contract-and-party-overview', '1. Contract and party overview')}
    >
      <Facts
        facts={[
          ['Contract', c.name],
          ['Counterparty', c.counterparty],
          ['Owner', c.owner || '–'],
          ['Term', c.startDate || c.endDate ? `${c.startDate ?? '…'} → ${c.endDate ?? '…'}` : '–'],
          ['Value', c.value ? currency(c.value, cur) : '–'],
          ['Status', c.status],
        ]}
      />
    </ReportSection>
  );
}
