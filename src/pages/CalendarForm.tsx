import { t } from '@grafana/i18n';
import React from 'react';
import { locationService } from '@grafana/runtime';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { FieldSet, useStyles2 } from '@grafana/ui';
import { getRegistry } from '../shared/api';
import { pageNav } from '../shared/nav';
import { paths } from '../shared/paths';
import type { Calendar } from '../shared/types';
import { useCovenant } from '../app/CovenantContext';
import { SelectField, TextField } from '../components/form';
import { RegistryForm, RegistryFormPage, useRegistryForm, type RegistryFormState } from '../components/RegistryForm';
import { timeZones } from '../components/TargetEditor';
import { calendarBody, emptyCalendar, toCalendarDraft, type CalendarDraft } from './calendar/draft';
import { ExclusionsField } from './calendar/ExclusionsField';
import { HolidaysField } from './calendar/HolidaysField';
import { HoursChangesField } from './calendar/HoursChangesField';
import { WeekGrid } from './calendar/WeekGrid';
import { WorkingTimePreview } from './calendar/WorkingTimePreview';

/** Create a service calendar (no id) or edit one, with a preview of its working time over the next 14 days. */
export function CalendarForm({ id }: { id?: string }) {
  const { ds } = useCovenant();
  return (
    <RegistryFormPage
      what={t('pages.calendar-form.what-the-calendar', 'the calendar')}
      load={async () => (id ? await getRegistry<Calendar>(ds.uid, 'calendars', id) : undefined)}
      deps={[ds.uid, id]}
      nav={(c) => pageNav(id ? (c?.name ?? id) : t('pages.calendar-form.nav-new-calendar', 'New calendar'))}
    >
      {(c) => <CalendarFormBody calendar={c} />}
    </RegistryFormPage>
  );
}

function CalendarFormBody({ calendar }: { calendar?: Calendar }) {
  const styles = useStyles2(getStyles);
  const form = useRegistryForm<CalendarDraft, Calendar>({
    kind: 'calendars',
    stored: calendar,
    initial: () => (calendar ? toCalendarDraft(calendar) : emptyCalendar()),
    body: calendarBody,
    onSaved: () => locationService.push(paths.calendars),
  });
  return (
    <div className={styles.layout}>
      <RegistryForm
        form={form}
        label={
          calendar
            ? t('pages.calendar-form-body.label-edit', 'Edit {{- name}}', { name: calendar.name })
            : t('pages.calendar-form-body.label-new', 'New calendar')
        }
        writes={t('pages.calendar-form-body.writes-calendars', 'calendars')}
        buttons={{
          label: calendar
            ? t('pages.calendar-form-body.button-save', 'Save calendar')
            : t('pages.calendar-form-body.button-create', 'Create calendar'),
          cancelHref: paths.calendars,
        }}
      >
        <CalendarFields form={form} />
        <FieldSet label={t('pages.calendar-form-body.label-business-hours', 'Business hours')}>
          <WeekGrid value={form.draft.hours} onChange={form.set('hours')} failure={form.marked} />
          <HoursChangesField
            value={form.draft.hoursFrom}
            onChange={form.set('hoursFrom')}
            base={form.draft.hours}
            failure={form.marked}
          />
        </FieldSet>
        <FieldSet label={t('pages.calendar-form-body.label-days-off', 'Holidays and exclusions')}>
          <HolidaysField value={form.draft.holidays} onChange={form.set('holidays')} failure={form.marked} />
          <ExclusionsField
            value={form.draft.exclusions}
            onChange={form.set('exclusions')}
            failure={form.marked}
            timezone={form.draft.timezone}
          />
        </FieldSet>
      </RegistryForm>
      <WorkingTimePreview draft={form.draft} onFailure={form.setPreviewFailure} />
    </div>
  );
}

/** What the calendar is: its name, description and time zone. */
function CalendarFields({ form }: { form: RegistryFormState<CalendarDraft> }) {
  const zone = form.draft.timezone;
  const zones = timeZones();
  return (
    <FieldSet label={t('pages.calendar-fields.label-calendar', 'Calendar')}>
      <TextField label={t('pages.calendar-fields.label-name', 'Name')} width={50} required {...form.text('name')} />
      <TextField
        label={t('pages.calendar-fields.label-description', 'Description')}
        width={70}
        {...form.text('description')}
      />
      <SelectField
        label={t('pages.calendar-fields.label-time-zone', 'Time zone')}
        description={t(
          'pages.calendar-fields.description-time-zone',
          'The IANA time zone the working hours, holidays and exclusions are in'
        )}
        name="timezone"
        width={40}
        required
        options={(zone && !zones.includes(zone) ? [zone, ...zones] : zones).map((z) => ({ label: z, value: z }))}
        value={zone}
        allowCustomValue
        onChange={form.set('timezone')}
        failure={form.marked}
      />
    </FieldSet>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  // The form (its rows of exclusions are wide) beside a narrower preview; one column on smaller screens.
  layout: css({
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 3fr) minmax(0, 2fr)',
    gap: theme.spacing(3),
    alignItems: 'start',
    [theme.breakpoints.down('lg')]: { gridTemplateColumns: 'minmax(0, 1fr)' },
  }),
});
