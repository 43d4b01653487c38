import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { paths } from '../shared/paths';
import type { Target, Tracker } from '../shared/types';
import { RegistryTable, type Column } from '../components/RegistryTable';

/** A target in a few characters: "99.9", or "2 steps, latest 99.5". */
export function targetText(t?: Target): string {
  if (!t) {
    return '';
  }
  if (t.schedule?.length) {
    return `${t.schedule.length} step${t.schedule.length > 1 ? 's' : ''}, latest ${t.schedule[t.schedule.length - 1].value}`;
  }
  return t.constant === undefined ? '' : String(t.constant);
}

/** A tracker's method, with its ratio condition: "ratio (<= 60)". */
export function methodText(t: Tracker): string {
  return t.method === 'ratio' && t.condition ? `ratio (${t.condition.op} ${t.condition.threshold})` : t.method;
}

const columns: Array<Column<Tracker>> = [
  { header: 'Tracker', cell: (t) => t.name },
  { header: 'KPI', cell: (t) => t.kpiId },
  { header: 'Method', cell: methodText },
  { header: 'Interval', cell: (t) => t.interval },
  { header: 'Time zone', cell: (t) => t.timezone || 'UTC' },
  { header: 'Target', numeric: true, cell: (t) => targetText(t.target) },
];

/** The registry's trackers: a KPI computed per calendar bucket against a target. */
export function TrackersPage() {
  return (
    <PluginPage>
      <RegistryTable<Tracker>
        kind="trackers"
        noun="tracker"
        columns={columns}
        href={(t) => paths.tracker(t.id)}
        createHref={paths.newTracker}
        deletable
        emptyHint={
          <p>
            A tracker computes a KPI per day, week or month against a target, with Red/Amber/Green. Create one with{' '}
            <b>New tracker</b>, then assign it to a contract on the contract&apos;s Trackers tab.
          </p>
        }
      />
    </PluginPage>
  );
}
