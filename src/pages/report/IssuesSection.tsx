import { t, Trans } from '@grafana/i18n';
import React from 'react';
import type { ContractReport } from '../../shared/types';
import { ReportSection, ReportTable } from './ReportSection';

/** 5. The milestones that fired in the period: first and last time, and whether they still hold. */
export function IssuesSection({ issues }: { issues: ContractReport['issues'] }) {
  return (
    <ReportSection
      name="issues"
      title={t('pages.issues-section.title-issues-and-escalations', '5. Issues and escalations')}
    >
      {issues.length === 0 ? (
        <p>
          <Trans i18nKey="pages.issues-section.milestone-triggered-period">
            No milestone was triggered in the period.
          </Trans>
        </p>
      ) : (
        <ReportTable
          columns={[
            t('pages.issues-section.column-agreement', 'Agreement'),
            t('pages.issues-section.column-milestone', 'Milestone'),
            t('pages.issues-section.column-condition', 'Condition'),
            t('pages.issues-section.column-first', 'First'),
            t('pages.issues-section.column-last', 'Last'),
            t('pages.issues-section.column-now', 'Now'),
          ]}
        >
          {issues.map((i) => (
            <tr key={`${i.agreement}/${i.milestone}`}>
              <td>{i.agreement}</td>
              <td>{i.milestone}</td>
              <td>
                <code>{i.condition}</code>
              </td>
              <td>{i.first.slice(0, 10)}</td>
              <td>{i.last.slice(0, 10)}</td>
              <td>
                {i.active
                  ? t('pages.issues-section.now-still-holds', 'still holds')
                  : t('pages.issues-section.now-cleared', 'cleared')}
              </td>
            </tr>
          ))}
        </ReportTable>
      )}
    </ReportSection>
  );
}
