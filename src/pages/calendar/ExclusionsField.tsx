import { t } from '@grafana/i18n';
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Field, Input, Select, useStyles2 } from '@grafana/ui';
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
  const styles = useStyles2(getStyles);
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
        >
          {(item, i, set) => {
            const label = (column: string) =>
              t('pages.exclusions-field.aria-label-column', '{{row}} {{n}}: {{column}}', {
                row,
                n: i + 1,
                column,
                ...unescaped,
              });
            const time = (key: 'from' | 'to', column: string) => (
              <Input
                type="datetime-local"
                width={26}
                className={styles.fixed}
                aria-label={label(column)}
                data-testid={testIds.form.field(`exclusions[${i}].${key}`)}
                value={item[key]}
                onChange={(e) => set({ [key]: e.currentTarget.value })}
              />
            );
            // The row's inputs wrap (the note first) when the form is narrow.
            return (
              <div className={styles.row}>
                {time('from', t('pages.exclusions-field.column-from', 'from'))}
                {time('to', t('pages.exclusions-field.column-to', 'to'))}
                <div className={styles.fixed} data-testid={testIds.form.field(`exclusions[${i}].reason`)}>
                  {/* eslint-disable-next-line @typescript-eslint/no-deprecated */}
                  <Select<ExclusionReason>
                    width={22}
                    aria-label={label(t('pages.exclusions-field.column-reason', 'reason'))}
                    options={reasons}
                    value={item.reason}
                    onChange={(o) => o?.value && set({ reason: o.value })}
                  />
                </div>
                <div className={styles.note}>
                  <Input
                    placeholder={t('pages.exclusions-field.placeholder-note', 'Note (optional)')}
                    aria-label={label(t('pages.exclusions-field.column-note', 'note'))}
                    data-testid={testIds.form.field(`exclusions[${i}].note`)}
                    value={item.note}
                    onChange={(e) => set({ note: e.currentTarget.value })}
                  />
                </div>
              </div>
            );
          }}
        </RowList>
      </>
    </Field>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1), flex: '1 1 auto', minWidth: 0 }),
  fixed: css({ flex: '0 0 auto' }),
  note: css({ flex: '1 1 160px', minWidth: 160 }),
});
