import { t, Trans } from '@grafana/i18n';
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
  const evidence = (e: ContractReport['renewal']['evidence'][number]) => ({
    period: periodRange(e.period, zones[e.agreementId]?.timezone),
    compliance: pct(e.compliance),
    target: pct(e.target),
    status: complianceBadge(e.status)?.text ?? e.status,
  });
  return (
    <ReportSection
      name="renewal"
      title={t('pages.renewal-section.title-renewal-and-decision-implications', '6. Renewal and decision implications')}
    >
      <p>
        <Trans i18nKey="pages.renewal-section.recommendation">Recommendation:</Trans>{' '}
        <Badge text={renewal.signal} color={RENEWAL_BADGE[renewal.signal as keyof typeof RENEWAL_BADGE] ?? 'blue'} />
      </p>
      <p>{renewalRationale(renewal)}</p>
      {renewal.evidence.length > 0 && (
        <ul>
          {renewal.evidence.map((e, i) => (
            <li key={i}>
              {e.agreementId in zones
                ? t(
                    'pages.renewal-section.evidence-agreement',
                    '{{- agreement}}, {{period}}: {{compliance}} against {{target}} — {{- status}}',
                    { ...evidence(e), agreement: zones[e.agreementId].name }
                  )
                : t(
                    'pages.renewal-section.evidence',
                    '{{period}}: {{compliance}} against {{target}} — {{- status}}',
                    evidence(e)
                  )}
            </li>
          ))}
        </ul>
      )}
      <p>
        {renewal.renewalDate
          ? t(
              'pages.renewal-section.renewal-and-notice',
              'Renewal on {{renewalDate}}; notice must be given by {{noticeBy}}.',
              { renewalDate: renewal.renewalDate, noticeBy: renewal.noticeBy }
            )
          : t('pages.renewal-section.no-renewal-date', 'The contract has no renewal date.')}
      </p>
    </ReportSection>
  );
}
