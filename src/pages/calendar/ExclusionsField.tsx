import { t } from '@grafana/i18n';
import React from 'react';
import { Field, Input, Select } from '@grafana/ui';
import type { ApiFailure } from '../../shared/api';
import { unescaped } from '../../shared/i18n';
import { exclusionReasonText } from '../../shared/labels';
import { testIds } from '../../shared/testIds';
import { EXCLUSION_REASONS, type ExclusionReason } from '../../shared/types';
import { RowList } from '../../components/RowList';
import { listMessage, type ExclusionDraft } from './draft';

/**
 * A calendar's exclusions: spans that are not working time (maintenance, force majeure, caused by the
 * customer), each from and to a local date and time in the calendar's time zone, with a note.
 */
export function ExclusionsField({
  value,
  onChange,
  failure,
  timezone,
}: {
  value: ExclusionDraft[];
  onChange: (exclusions: ExclusionDraft[]) => void;
  failure?: ApiFailure;
  /** The calendar's zone, which the times are read in. */
  timezone: string;
}) {
  const error = listMessage(failure, 'exclusions', (n, message) =>
    t('pages.exclusions-field.row-error', 'Exclusion {{n}}: {{- message}}', { n, message })
  );
  const noun = t('pages.exclusions-field.noun-exclusion', 'exclusion');
  const row = noun.charAt(0).toUpperCase() + noun.slice(1);
  const reasons = EXCLUSION_REASONS.map((r) => ({ label: exclusionReasonText(r), value: r }));
  return (
    <Field
      label={t('pages.exclusions-field.label-exclusions', 'Exclusions')}
      description={t(
        'pages.exclusions-field.description-exclusions',
        'Spans that do not count as working time, from and to in local time ({{- timezone}}).',
        { timezone: timezone || 'UTC' }
      )}
      invalid={Boolean(error)}
      error={error}
    >
      <>
        <RowList<ExclusionDraft>
          items={value}
          onChange={onChange}
          newItem={() => ({ from: '', to: '', reason: 'maintenance', note: '' })}
          noun={noun}
          columns={[
            {
              key: 'from',
              label: t('pages.exclusions-field.column-from', 'from'),
              width: 26,
              type: 'datetime-local',
              testId: (i) => testIds.form.field(`exclusions[${i}].from`),
            },
            {
              key: 'to',
              label: t('pages.exclusions-field.column-to', 'to'),
              width: 26,
              type: 'datetime-local',
              testId: (i) => testIds.form.field(`exclusions[${i}].to`),
            },
          ]}
        >
          {(item, i, set) => (
            <>
              <div data-testid={testIds.form.field(`exclusions[${i}].reason`)}>
                {/* eslint-disable-next-line @typescript-eslint/no-deprecated */}
                <Select<ExclusionReason>
                  width={24}
                  aria-label={t('pages.exclusions-field.aria-label-reason', '{{row}} {{n}}: reason', {
                    row,
                    n: i + 1,
                    ...unescaped,
                  })}
                  options={reasons}
                  value={item.reason}
                  onChange={(o) => o?.value && set({ reason: o.value })}
                />
              </div>
              <Input
                width={30}
                placeholder={t('pages.exclusions-field.placeholder-note', 'Note (optional)')}
                aria-label={t('pages.exclusions-field.aria-label-note', '{{row}} {{n}}: note', {
                  row,
                  n: i + 1,
                  ...unescaped,
                })}
                data-testid={testIds.form.field(`exclusions[${i}].note`)}
                value={item.note}
                onChange={(e) => set({ note: e.currentTarget.value })}
              />
            </>
          )}
        </RowList>
      </>
    </Field>
  );
}
