import { t, Trans } from '@grafana/i18n';
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Field, FieldValidationMessage, IconButton, Input, Stack, useStyles2 } from '@grafana/ui';
import type { ApiFailure } from '../../shared/api';
import { unescaped } from '../../shared/i18n';
import { weekdayText } from '../../shared/labels';
import { testIds } from '../../shared/testIds';
import { WEEKDAYS, type CalendarHours } from '../../shared/types';
import { fieldError } from '../../components/form';
import { allWeekHours, durationText, insertWindow, weekdayHours, weeklyMinutes } from './draft';

/**
 * A calendar's weekly working hours as a grid: a row per weekday (Monday first) with that day's
 * windows, each a from and a to on the local wall clock, added and removed per day; presets for
 * Mon–Fri 08:00–18:00 and 24/7. The hours stay one list (in the order the backend numbers them), so
 * its message for hours[i] is shown at that window.
 */
export function WeekGrid({
  value,
  onChange,
  failure,
  field = 'hours',
  label,
}: {
  value: CalendarHours[];
  onChange: (hours: CalendarHours[]) => void;
  failure?: ApiFailure;
  /** The field the hours are (hours, or hoursFrom[k].hours of a dated change): errors and test ids follow it. */
  field?: string;
  label?: string;
}) {
  const styles = useStyles2(getStyles);
  // Test ids of the main grid keep their short form; a dated change's carry its field.
  const id = (s: string) => (field === 'hours' ? s : `${field}-${s}`);
  // The list as a whole (empty, too many windows); a window's own message is shown at it.
  const listError = failure?.field === field ? fieldError(failure, field) : undefined;
  const set = (i: number, patch: Partial<CalendarHours>) =>
    onChange(value.map((h, j) => (j === i ? { ...h, ...patch } : h)));
  const weekly = weeklyMinutes(value);
  return (
    <Field
      label={label ?? t('pages.week-grid.label-working-hours', 'Working hours')}
      description={t(
        'pages.week-grid.description-working-hours',
        "Local times (HH:MM) in the calendar's time zone. A window that ends at or before its start runs past midnight; 24:00 is the end of the day."
      )}
      invalid={Boolean(listError)}
      error={listError}
    >
      {/* A fragment: Field gives its one child invalid, which a div would pass on to the DOM. */}
      <>
        <Stack gap={1}>
          <Button
            size="sm"
            variant="secondary"
            data-testid={testIds.calendar.preset(id('weekdays'))}
            onClick={() => onChange(weekdayHours())}
          >
            <Trans i18nKey="pages.week-grid.preset-weekdays">Mon–Fri 08:00–18:00</Trans>
          </Button>
          <Button
            size="sm"
            variant="secondary"
            data-testid={testIds.calendar.preset(id('always'))}
            onClick={() => onChange(allWeekHours())}
          >
            <Trans i18nKey="pages.week-grid.preset-always">24/7</Trans>
          </Button>
        </Stack>
        <table className={styles.grid}>
          <tbody>
            {WEEKDAYS.map((day) => {
              const windows = value.map((h, i) => ({ h, i })).filter(({ h }) => h.day === day);
              const dayName = weekdayText(day);
              return (
                <tr key={day} data-testid={testIds.calendar.day(id(day))}>
                  <th scope="row" className={styles.day}>
                    {dayName}
                  </th>
                  <td>
                    <Stack direction="column" gap={0.5}>
                      {windows.length === 0 && (
                        <span className={styles.closed}>
                          <Trans i18nKey="pages.week-grid.closed">No working hours</Trans>
                        </span>
                      )}
                      {windows.map(({ h, i }, k) => {
                        const error = fieldError(failure, `${field}[${i}]`);
                        const at = failure?.field ?? '';
                        const label = (end: string) =>
                          t('pages.week-grid.aria-label-window-end', '{{day}} window {{n}}: {{end}}', {
                            day: dayName,
                            n: k + 1,
                            end,
                            ...unescaped,
                          });
                        return (
                          <div key={i}>
                            <Stack gap={0.5} alignItems="center">
                              <Input
                                width={9}
                                value={h.from}
                                placeholder={t('pages.week-grid.placeholder-time', 'HH:MM')}
                                aria-label={label(t('pages.week-grid.from', 'from'))}
                                data-testid={testIds.form.field(`${field}[${i}].from`)}
                                invalid={Boolean(error) && !at.endsWith('.to')}
                                onChange={(e) => set(i, { from: e.currentTarget.value.trim() })}
                              />
                              <span aria-hidden>–</span>
                              <Input
                                width={9}
                                value={h.to}
                                placeholder={t('pages.week-grid.placeholder-time', 'HH:MM')}
                                aria-label={label(t('pages.week-grid.to', 'to'))}
                                data-testid={testIds.form.field(`${field}[${i}].to`)}
                                invalid={Boolean(error) && !at.endsWith('.from')}
                                onChange={(e) => set(i, { to: e.currentTarget.value.trim() })}
                              />
                              <IconButton
                                name="times"
                                tooltip={t('pages.week-grid.tooltip-remove-window', 'Remove {{day}} window {{n}}', {
                                  day: dayName,
                                  n: k + 1,
                                  ...unescaped,
                                })}
                                data-testid={testIds.calendar.removeWindow(id(String(i)))}
                                onClick={() => onChange(value.filter((_, j) => j !== i))}
                              />
                            </Stack>
                            {error && <FieldValidationMessage>{error}</FieldValidationMessage>}
                          </div>
                        );
                      })}
                    </Stack>
                  </td>
                  <td className={styles.add}>
                    <IconButton
                      name="plus"
                      tooltip={t('pages.week-grid.tooltip-add-window', 'Add a window on {{day}}', {
                        day: dayName,
                        ...unescaped,
                      })}
                      data-testid={testIds.calendar.addWindow(id(day))}
                      onClick={() =>
                        onChange(
                          insertWindow(
                            value,
                            windows.length === 0 ? { day, from: '08:00', to: '18:00' } : { day, from: '', to: '' }
                          )
                        )
                      }
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div
          className={styles.weekly}
          data-testid={field === 'hours' ? testIds.calendar.weekly : `${testIds.calendar.weekly}-${field}`}
        >
          {t('pages.week-grid.weekly-total', '{{- hours}} a week', { hours: durationText(weekly * 60) })}
        </div>
      </>
    </Field>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({
    marginTop: theme.spacing(1),
    borderCollapse: 'collapse',
    'th, td': {
      padding: theme.spacing(0.5, 1, 0.5, 0),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      verticalAlign: 'top',
    },
  }),
  day: css({
    width: theme.spacing(8),
    paddingTop: theme.spacing(1),
    fontWeight: theme.typography.fontWeightMedium,
    textAlign: 'left',
  }),
  closed: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    lineHeight: theme.spacing(4),
  }),
  add: css({ width: 1, paddingTop: theme.spacing(1) }),
  weekly: css({
    marginTop: theme.spacing(1),
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
