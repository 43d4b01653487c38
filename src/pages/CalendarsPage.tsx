import { t, Trans } from '@grafana/i18n';
import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { paths } from '../shared/paths';
import type { Calendar } from '../shared/types';
import { RegistryTable, type Column } from '../components/RegistryTable';
import { durationText, weeklyMinutes } from './calendar/draft';

/** The calendar table's columns (built on render: their headings are translated). */
function calendarColumns(): Array<Column<Calendar>> {
  return [
    {
      header: t('pages.calendar-columns.header-calendar', 'Calendar'),
      cell: (c) => c.name,
      sub: (c) => c.description,
    },
    { header: t('pages.calendar-columns.header-time-zone', 'Time zone'), cell: (c) => c.timezone },
    {
      header: t('pages.calendar-columns.header-weekly-hours', 'Working hours a week'),
      cell: (c) => durationText(weeklyMinutes(c.hours ?? []) * 60),
      numeric: true,
    },
    {
      header: t('pages.calendar-columns.header-holidays', 'Holidays'),
      cell: (c) => c.holidays?.length ?? 0,
      numeric: true,
    },
    {
      header: t('pages.calendar-columns.header-exclusions', 'Exclusions'),
      cell: (c) => c.exclusions?.length ?? 0,
      numeric: true,
    },
  ];
}

/** The registry's service calendars: the business hours, holidays and exclusions time is counted in. */
export function CalendarsPage() {
  return (
    <PluginPage>
      <RegistryTable<Calendar>
        kind="calendars"
        words={{
          search: t('pages.calendars-page.search', 'Search calendars by name'),
          create: t('pages.calendars-page.create', 'New calendar'),
          remove: t('pages.calendars-page.remove', 'Delete calendar'),
          notRemoved: t('pages.calendars-page.not-removed', 'The calendar was not deleted'),
          loading: t('pages.calendars-page.loading', 'Loading calendars…'),
          failed: t('pages.calendars-page.failed', 'Could not load the calendars'),
          none: t('pages.calendars-page.none', 'No calendars yet'),
          noMatch: t('pages.calendars-page.no-match', 'No calendar matches'),
          noNameContains: (search) =>
            t('pages.calendars-page.no-name-contains', 'No calendar name contains “{{- search}}”.', { search }),
        }}
        columns={calendarColumns()}
        href={(c) => paths.editCalendar(c.id)}
        createHref={paths.newCalendar}
        deletable
        emptyHint={
          <p>
            <Trans i18nKey="pages.calendars-page.empty-hint">
              A service calendar says when time counts: its business hours in a time zone, less holidays and exclusions
              such as announced maintenance. Create one with <b>New calendar</b>; holidays can be imported from an .ics
              file.
            </Trans>
          </p>
        }
      />
    </PluginPage>
  );
}
