import { t, Trans } from '@grafana/i18n';
import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { paths } from '../shared/paths';
import type { Target, Tracker } from '../shared/types';
import { RegistryTable, type Column } from '../components/RegistryTable';

/** A target in a few characters: "99.9", or "2 steps, latest 99.5". */
export function targetText(target?: Target): string {
  if (!target) {
    return '';
  }
  if (target.schedule?.length) {
    return t('pages.target-text.steps', '{{count}} steps, latest {{- latest}}', {
      count: target.schedule.length,
      latest: target.schedule[target.schedule.length - 1].value,
      defaultValue_one: '{{count}} step, latest {{- latest}}',
    });
  }
  return target.constant === undefined ? '' : String(target.constant);
}

/** A tracker's method, with its ratio condition: "ratio (<= 60)". */
export function methodText(t: Tracker): string {
  return t.method === 'ratio' && t.condition ? `ratio (${t.condition.op} ${t.condition.threshold})` : t.method;
}

/** The tracker table's columns (built on render: their headings are translated). */
function trackerColumns(): Array<Column<Tracker>> {
  return [
    { header: t('pages.tracker-columns.header-tracker', 'Tracker'), cell: (tracker) => tracker.name },
    { header: t('pages.tracker-columns.header-kpi', 'KPI'), cell: (tracker) => tracker.kpiId },
    { header: t('pages.tracker-columns.header-method', 'Method'), cell: methodText },
    { header: t('pages.tracker-columns.header-interval', 'Interval'), cell: (tracker) => tracker.interval },
    { header: t('pages.tracker-columns.header-time-zone', 'Time zone'), cell: (tracker) => tracker.timezone || 'UTC' },
    {
      header: t('pages.tracker-columns.header-target', 'Target'),
      numeric: true,
      cell: (tracker) => targetText(tracker.target),
    },
  ];
}

/** The registry's trackers: a KPI computed per calendar bucket against a target. */
export function TrackersPage() {
  return (
    <PluginPage>
      <RegistryTable<Tracker>
        kind="trackers"
        words={{
          search: t('pages.trackers-page.search', 'Search trackers by name'),
          create: t('pages.trackers-page.create', 'New tracker'),
          remove: t('pages.trackers-page.remove', 'Delete tracker'),
          notRemoved: t('pages.trackers-page.not-removed', 'The tracker was not deleted'),
          loading: t('pages.trackers-page.loading', 'Loading trackers…'),
          failed: t('pages.trackers-page.failed', 'Could not load the trackers'),
          none: t('pages.trackers-page.none', 'No trackers yet'),
          noMatch: t('pages.trackers-page.no-match', 'No tracker matches'),
          noNameContains: (search) =>
            t('pages.trackers-page.no-name-contains', 'No tracker name contains “{{- search}}”.', { search }),
        }}
        columns={trackerColumns()}
        href={(tracker) => paths.tracker(tracker.id)}
        createHref={paths.newTracker}
        deletable
        emptyHint={
          <p>
            <Trans i18nKey="pages.trackers-page.empty-hint">
              A tracker computes a KPI per day, week or month against a target, with Red/Amber/Green. Create one with{' '}
              <b>New tracker</b>, then assign it to a contract on the contract&apos;s Trackers tab.
            </Trans>
          </p>
        }
      />
    </PluginPage>
  );
}
