import { t } from '@grafana/i18n';
import React from 'react';
import { Badge } from '@grafana/ui';
import type { ContractReport } from '../../shared/types';
import { pct, periodRange } from '../../shared/format';
import { complianceBadge } from '../contract/AgreementCard';
import { renewalRationale } from './reportModel';
import { ReportSection } from './ReportSection';

const RENEWAL_BADGE = { renew: 'green', renegotiate: 'orange', exit: 'red' } as const;

/** 6. The renewal recommendation, the agreements' periods it rests on, and the notice date. */
export function RenewalSection({
  renewal,
  agreements,
}: {
  renewal: ContractReport['renewal'];
  /** The report's agreements: each one's name and the zone its periods are dated in. */
  agreements: ContractReport['financial']['agreements'];
}) {
  const zones = Object.fromEntries(agreements.map((a) => [a.agreementId, a]));
  return (
    <ReportSection
      name="renewal"
      title={t('pages.renewal-section.title-renewal-and-decision-implications', '6. Renewal and decision implications')}
    >
      <p>
        Recommendation:{' '}
        <Badge text={renewal.signal} color={RENEWAL_BADGE[renewal.signal as keyof typeof RENEWAL_BADGE] ?? 'blue'} />
      </p>
      <p>{renewalRationale(renewal)}</p>
      {renewal.evidence.length > 0 && (
        <ul>
          {renewal.evidence.map((e, i) => (
            <li key={i}>
              {e.agreementId in zones ? `${zones[e.agreementId].name}, ` : ''}
              {periodRange(e.period, zones[e.agreementId]?.timezone)}: {pct(e.compliance)} against {pct(e.target)} —{' '}
              {complianceBadge(e.status)?.text ?? e.status}
            </li>
          ))}
        </ul>
      )}
      <p>
        {renewal.renewalDate
          ? `Renewal on ${renewal.renewalDate}; notice must be given by ${renewal.noticeBy}.`
          : 'The contract has no renewal date.'}
      </p>
    </ReportSection>
  );
}
