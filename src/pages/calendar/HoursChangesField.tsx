import { t, Trans } from '@grafana/i18n';
import React from 'react';
import { Button, Field, IconButton, Input, Stack } from '@grafana/ui';
import type { ApiFailure } from '../../shared/api';
import { testIds } from '../../shared/testIds';
import type { CalendarHours } from '../../shared/types';
import { fieldError } from '../../components/form';
import { WeekGrid } from './WeekGrid';

type Change = { from: string; hours: CalendarHours[] };

/**
 * Dated changes of the weekly hours: each change's hours apply to the windows that start on its date
 * or later, until the next change, so a change of opening hours does not rewrite the figures of the
 * days before it. Each change has a date and a week grid of its own.
 */
export function HoursChangesField({
  value,
  onChange,
  base,
  failure,
}: {
  value: Change[];
  onChange: (changes: Change[]) => void;
  /** The hours a new change starts from: the last change's, else the calendar's own. */
  base: CalendarHours[];
  failure?: ApiFailure;
}) {
  const set = (k: number, patch: Partial<Change>) => onChange(value.map((c, j) => (j === k ? { ...c, ...patch } : c)));
  const listError = failure?.field === 'hoursFrom' ? fieldError(failure, 'hoursFrom') : undefined;
  return (
    <Field
      label={t('pages.hours-changes-field.label', 'Changes of hours')}
      description={t(
        'pages.hours-changes-field.description',
        'New working hours from a date on, keeping the hours above for the days before it (so past figures stay as they were). List changes by date.'
      )}
      invalid={Boolean(listError)}
      error={listError}
    >
      <>
        {value.map((c, k) => {
          const dateError = fieldError(failure, `hoursFrom[${k}].from`);
          return (
            <div key={k} data-testid={testIds.calendar.hoursChange(k)}>
              <Stack gap={1} alignItems="center">
                <Field
                  label={t('pages.hours-changes-field.label-from', 'From')}
                  invalid={Boolean(dateError)}
                  error={dateError}
                >
                  <Input
                    type="date"
                    width={20}
                    value={c.from}
                    data-testid={testIds.form.field(`hoursFrom[${k}].from`)}
                    onChange={(e) => set(k, { from: e.currentTarget.value })}
                  />
                </Field>
                <IconButton
                  name="trash-alt"
                  tooltip={t('pages.hours-changes-field.remove', 'Remove the change from {{date}}', { date: c.from })}
                  onClick={() => onChange(value.filter((_, j) => j !== k))}
                />
              </Stack>
              <WeekGrid
                field={`hoursFrom[${k}].hours`}
                label={t('pages.hours-changes-field.label-hours', 'Working hours from {{date}}', {
                  date: c.from || '…',
                })}
                value={c.hours}
                onChange={(hours) => set(k, { hours })}
                failure={failure}
              />
            </div>
          );
        })}
        <Button
          size="sm"
          variant="secondary"
          icon="plus"
          data-testid={testIds.calendar.addHoursChange}
          onClick={() =>
            onChange([...value, { from: '', hours: (value.at(-1)?.hours ?? base).map((h) => ({ ...h })) }])
          }
        >
          <Trans i18nKey="pages.hours-changes-field.add">Change the hours from a date</Trans>
        </Button>
      </>
    </Field>
  );
}
