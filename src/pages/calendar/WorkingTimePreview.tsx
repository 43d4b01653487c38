import { t } from '@grafana/i18n';
import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Alert, Field, Input, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { apiFailure, previewCalendar, type ApiFailure } from '../../shared/api';
import { useDebounced, useLoad } from '../../shared/hooks';
import { roleName } from '../../shared/i18n';
import { exclusionReasonText, weekdayText } from '../../shared/labels';
import { testIds } from '../../shared/testIds';
import type { Calendar, CalendarPreview, CalendarPreviewDay } from '../../shared/types';
import { useCovenant } from '../../app/CovenantContext';
import { calendarBody, durationText, knownZone, type CalendarDraft } from './draft';
import { getPreviewBoxStyles } from '../../components/Preview';

/** How many days the preview shows. */
export const PREVIEW_DAYS = 14;

/** Today's date (YYYY-MM-DD) in a zone (UTC when the browser does not know it). */
export function todayIn(zone: string, now = Date.now()): string {
  return dateTimeFormat(now, { timeZone: knownZone(zone) ? zone : 'UTC', format: 'YYYY-MM-DD' });
}

/** An instant's wall-clock time in a zone; the end of a day (the next midnight) reads 24:00. */
function clock(instant: string, zone: string, day: string, end = false): string {
  const ms = Date.parse(instant);
  const timeZone = knownZone(zone) ? zone : 'UTC';
  const text = dateTimeFormat(ms, { timeZone, format: 'HH:mm' });
  return end && text === '00:00' && dateTimeFormat(ms, { timeZone, format: 'YYYY-MM-DD' }) !== day ? '24:00' : text;
}

/** A day's working windows as local times, "08:00–12:00, 13:00–18:00", or a dash. */
function windowsText(day: CalendarPreviewDay, zone: string): string {
  if (day.windows.length === 0) {
    return '–';
  }
  return day.windows.map((w) => `${clock(w.From, zone, day.date)}–${clock(w.To, zone, day.date, true)}`).join(', ');
}

/** What is sent: the draft as a calendar, or why it cannot be (an exclusion's time that cannot be read). */
type Request = { body: Partial<Calendar> } | { failure: ApiFailure };

/** What the backend answered: the preview, or why there is none. */
type Outcome = { preview: CalendarPreview } | { failure: ApiFailure };

function request(draft: CalendarDraft): Request {
  try {
    const body = calendarBody(draft);
    delete body.id;
    delete body.version;
    // The preview needs no name; a new calendar previews before it has one.
    return { body: { ...body, name: body.name || 'preview' } };
  } catch (err) {
    return { failure: apiFailure(err) };
  }
}

/**
 * The working time of the calendar being edited over the next 14 days (from a day the user may pick),
 * as the backend computes it: per local day its working time, windows, holiday and exclusions, and the
 * total. It follows the draft a moment after typing stops; while the draft is not a valid calendar it
 * shows the backend's message (and the field it names), which onFailure passes to the form.
 */
export function WorkingTimePreview({
  draft,
  onFailure,
}: {
  draft: CalendarDraft;
  onFailure: (failure?: ApiFailure) => void;
}) {
  const { ds, canWrite, writeRole } = useCovenant();
  const styles = useStyles2(getStyles);
  const [from, setFrom] = useState(() => todayIn(draft.timezone));
  const sent = useDebounced(
    useMemo(() => JSON.stringify(request(draft)), [draft]),
    400
  );
  // The outcome, not a throw: while the next one loads, the last preview or refusal stays on screen.
  const result = useLoad(async (): Promise<Outcome | undefined> => {
    if (!canWrite) {
      return undefined;
    }
    const r = JSON.parse(sent) as Request;
    if ('failure' in r) {
      onFailure(r.failure);
      return { failure: r.failure };
    }
    try {
      const preview = await previewCalendar(ds.uid, r.body, from || undefined, PREVIEW_DAYS);
      onFailure(undefined);
      return { preview };
    } catch (err) {
      const failure = apiFailure(err);
      onFailure(failure);
      return { failure };
    }
  }, [ds.uid, sent, from, canWrite]);
  const outcome = result.value;

  const title = t('pages.working-time-preview.title', 'Working time, {{days}} days', { days: PREVIEW_DAYS });
  return (
    <section className={styles.box} aria-label={title} data-testid={testIds.calendar.preview}>
      <h3 className={styles.title}>{title}</h3>
      <Field
        label={t('pages.working-time-preview.label-from', 'From')}
        description={t('pages.working-time-preview.description-from', "The first day, in the calendar's time zone")}
      >
        <Input
          type="date"
          width={20}
          value={from}
          data-testid={testIds.calendar.previewFrom}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
      </Field>
      {!canWrite && (
        <p className={styles.muted}>
          {t('pages.working-time-preview.needs-role', 'The preview needs the {{role}} role.', {
            role: roleName(writeRole),
          })}
        </p>
      )}
      {result.state === 'loading' && !result.value && canWrite && (
        <LoadingPlaceholder text={t('pages.working-time-preview.computing', 'Computing…')} />
      )}
      {result.state === 'error' && <PreviewFailure failure={result.failure} />}
      {outcome && 'failure' in outcome && <PreviewFailure failure={outcome.failure} />}
      {outcome && 'preview' in outcome && <PreviewTable preview={outcome.preview} />}
    </section>
  );
}

/** Why there is no preview: the field the backend named and its message, or the failure. */
function PreviewFailure({ failure }: { failure: ApiFailure }) {
  const styles = useStyles2(getStyles);
  const field = failure.field;
  const message =
    field && failure.message.startsWith(field + ': ') ? failure.message.slice(field.length + 2) : failure.message;
  return (
    <Alert
      severity="warning"
      title={
        field
          ? t('pages.preview-failure.title-not-valid', 'Not a valid calendar yet')
          : t('pages.preview-failure.title-failed', 'The preview failed')
      }
      data-testid={testIds.form.previewError}
    >
      {field && <code className={styles.field}>{field}</code>} {message}
    </Alert>
  );
}

/** The preview's days, one row each, and their total. */
function PreviewTable({ preview }: { preview: CalendarPreview }) {
  const styles = useStyles2(getStyles);
  const zone = preview.timezone;
  return (
    <table className={styles.table}>
      <thead>
        <tr>
          <th>{t('pages.preview-table.header-date', 'Date')}</th>
          <th>{t('pages.preview-table.header-day', 'Day')}</th>
          <th className={styles.num}>{t('pages.preview-table.header-working', 'Working time')}</th>
          <th>{t('pages.preview-table.header-windows', 'Windows')}</th>
          <th>{t('pages.preview-table.header-notes', 'Holiday, exclusions')}</th>
        </tr>
      </thead>
      <tbody>
        {preview.days.map((d) => (
          <tr
            key={d.date}
            data-testid={testIds.calendar.previewDay(d.date)}
            className={d.working ? undefined : styles.off}
          >
            <td className={styles.nowrap}>{d.date}</td>
            <td className={styles.nowrap}>{weekdayText(d.weekday)}</td>
            <td className={styles.num}>{durationText(d.working)}</td>
            <td>{windowsText(d, zone)}</td>
            <td>
              <DayNotes day={d} zone={zone} />
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th colSpan={2}>{t('pages.preview-table.total', 'Total')}</th>
          <th className={styles.num} data-testid={testIds.calendar.previewTotal}>
            {durationText(preview.total)}
          </th>
          <th colSpan={2} />
        </tr>
      </tfoot>
    </table>
  );
}

/** A day's holiday and the exclusions met in it, with their local times and reasons. */
function DayNotes({ day, zone }: { day: CalendarPreviewDay; zone: string }) {
  const styles = useStyles2(getStyles);
  return (
    <>
      {day.holiday && <div className={styles.holiday}>{day.holiday}</div>}
      {(day.excluded ?? []).map((e, i) => (
        <div key={i} className={styles.excluded}>
          {t('pages.day-notes.excluded', '{{from}}–{{to}} {{- reason}}', {
            from: clock(e.from, zone, day.date),
            to: clock(e.to, zone, day.date, true),
            reason: exclusionReasonText(e.reason),
          })}
          {e.note && (
            <span className={styles.muted}> {t('pages.day-notes.note', '({{- note}})', { note: e.note })}</span>
          )}
        </div>
      ))}
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  ...getPreviewBoxStyles(theme),
  field: css({ marginRight: theme.spacing(0.5) }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    fontSize: theme.typography.bodySmall.fontSize,
    fontVariantNumeric: 'tabular-nums',
    'th, td': {
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      textAlign: 'left',
      verticalAlign: 'top',
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
    tfoot: { th: { color: theme.colors.text.primary } },
  }),
  num: css({ textAlign: 'right', whiteSpace: 'nowrap' }),
  nowrap: css({ whiteSpace: 'nowrap' }),
  off: css({ color: theme.colors.text.secondary }),
  holiday: css({ color: theme.colors.warning.text }),
  excluded: css({ color: theme.colors.error.text }),
});
