import { t, Trans } from '@grafana/i18n';
import React, { useEffect, useRef, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Field, Stack, useStyles2 } from '@grafana/ui';
import { apiFailure, holidaysFromIcs, type ApiFailure } from '../../shared/api';
import { testIds } from '../../shared/testIds';
import type { CalendarHoliday } from '../../shared/types';
import { useCovenant } from '../../app/CovenantContext';
import { fieldError } from '../../components/form';
import { RowList } from '../../components/RowList';
import { listMessage, mergeHolidays } from './draft';

/** What the last .ics import did: from which file, how many holidays it added and skipped. */
interface Imported {
  file: string;
  added: number;
  skipped: number;
}

/**
 * A calendar's holidays: a row per local date with its name, and an import of an iCalendar file
 * (.ics), whose all-day events the backend reads; they are merged by date, a date already listed
 * keeping its row. The backend's refusal of the file is shown under the field.
 */
export function HolidaysField({
  value,
  onChange,
  failure,
}: {
  value: CalendarHoliday[];
  onChange: (holidays: CalendarHoliday[]) => void;
  failure?: ApiFailure;
}) {
  const { ds, canWrite } = useCovenant();
  const styles = useStyles2(getStyles);
  const file = useRef<HTMLInputElement>(null);
  // The list as it is when the import answers (the user may have typed meanwhile).
  const latest = useRef(value);
  useEffect(() => {
    latest.current = value;
  }, [value]);
  const [importing, setImporting] = useState(false);
  const [imported, setImported] = useState<Imported>();
  const [importFailure, setImportFailure] = useState<{ file: string; failure: ApiFailure }>();

  const onFile = async (f: File) => {
    setImporting(true);
    setImported(undefined);
    setImportFailure(undefined);
    try {
      const merged = mergeHolidays(latest.current, await holidaysFromIcs(ds.uid, await f.text()));
      onChange(merged.holidays);
      setImported({ file: f.name, added: merged.added, skipped: merged.skipped });
    } catch (err) {
      setImportFailure({ file: f.name, failure: apiFailure(err) });
    } finally {
      setImporting(false);
    }
  };

  const error = importFailure
    ? t('pages.holidays-field.import-failed', '{{- file}} was not imported: {{- message}}', {
        file: importFailure.file,
        message: fieldError(importFailure.failure, 'ics') ?? importFailure.failure.message,
      })
    : listMessage(failure, 'holidays', (n, message) =>
        t('pages.holidays-field.row-error', 'Holiday {{n}}: {{- message}}', { n, message })
      );
  const noun = t('pages.holidays-field.noun-holiday', 'holiday');
  return (
    <Field
      label={t('pages.holidays-field.label-holidays', 'Holidays')}
      description={t(
        'pages.holidays-field.description-holidays',
        'Local dates on which no working window starts. Import a calendar file (.ics) of public holidays to add its all-day events; dates already listed are kept.'
      )}
      invalid={Boolean(error)}
      error={error}
    >
      <>
        <RowList<CalendarHoliday>
          items={value}
          onChange={onChange}
          newItem={() => ({ date: '', name: '' })}
          noun={noun}
          columns={[
            {
              key: 'date',
              label: t('pages.holidays-field.column-date', 'date'),
              width: 20,
              type: 'date',
              testId: (i) => testIds.form.field(`holidays[${i}].date`),
            },
            {
              key: 'name',
              label: t('pages.holidays-field.column-name', 'name'),
              width: 36,
              testId: (i) => testIds.form.field(`holidays[${i}].name`),
            },
          ]}
        />
        <Stack gap={1} alignItems="center">
          <input
            ref={file}
            type="file"
            hidden
            accept=".ics,text/calendar"
            aria-label={t('pages.holidays-field.aria-label-ics-file', 'Calendar file (.ics)')}
            data-testid={testIds.calendar.icsFile}
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              if (f) {
                onFile(f);
              }
            }}
          />
          <Button
            size="sm"
            variant="secondary"
            icon={importing ? 'spinner' : 'upload'}
            disabled={importing || !canWrite}
            data-testid={testIds.calendar.icsImport}
            onClick={() => {
              if (file.current) {
                // The same file may be chosen again (after editing it).
                file.current.value = '';
                file.current.click();
              }
            }}
          >
            <Trans i18nKey="pages.holidays-field.import-ics">Import .ics</Trans>
          </Button>
          {imported && (
            <span className={styles.muted} data-testid={testIds.calendar.icsResult}>
              {t(
                'pages.holidays-field.imported',
                '{{- file}}: holidays added: {{added}}; dates already listed: {{skipped}}.',
                { ...imported }
              )}
            </span>
          )}
        </Stack>
      </>
    </Field>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  muted: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
