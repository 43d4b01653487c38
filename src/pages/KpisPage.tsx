import { t, Trans } from '@grafana/i18n';
import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { paths } from '../shared/paths';
import type { KPI } from '../shared/types';
import { RegistryTable, type Column } from '../components/RegistryTable';

/** A KPI's direction in words: "higher is better". */
export function directionText(direction: string): string {
  switch (direction) {
    case 'higher_is_better':
      return t('pages.direction-text.higher-is-better', 'higher is better');
    case 'lower_is_better':
      return t('pages.direction-text.lower-is-better', 'lower is better');
    default:
      return direction.replace(/_/g, ' ');
  }
}

/** The KPI table's columns (built on render: their headings are translated). */
function kpiColumns(): Array<Column<KPI>> {
  return [
    { header: t('pages.kpi-columns.header-kpi', 'KPI'), cell: (k) => k.name, sub: (k) => k.description },
    { header: t('pages.kpi-columns.header-unit', 'Unit'), cell: (k) => k.unit },
    { header: t('pages.kpi-columns.header-direction', 'Direction'), cell: (k) => directionText(k.direction) },
    { header: t('pages.kpi-columns.header-connector', 'Connector'), cell: (k) => k.connector },
    { header: t('pages.kpi-columns.header-owner', 'Owner'), cell: (k) => k.owner },
  ];
}

/** The registry's KPIs: what each measures and where its rows come from. */
export function KpisPage() {
  return (
    <PluginPage>
      <RegistryTable<KPI>
        kind="kpis"
        words={{
          search: t('pages.kpis-page.search', 'Search KPIs by name'),
          create: t('pages.kpis-page.create', 'New KPI'),
          remove: t('pages.kpis-page.remove', 'Delete KPI'),
          notRemoved: t('pages.kpis-page.not-removed', 'The KPI was not deleted'),
          loading: t('pages.kpis-page.loading', 'Loading KPIs…'),
          failed: t('pages.kpis-page.failed', 'Could not load the KPIs'),
          none: t('pages.kpis-page.none', 'No KPIs yet'),
          noMatch: t('pages.kpis-page.no-match', 'No KPI matches'),
          noNameContains: (search) =>
            t('pages.kpis-page.no-name-contains', 'No KPI name contains “{{- search}}”.', { search }),
        }}
        columns={kpiColumns()}
        href={(k) => paths.kpi(k.id)}
        createHref={paths.newKpi}
        deletable
        emptyHint={
          <p>
            <Trans i18nKey="pages.kpis-page.empty-hint">
              A KPI is a measure computed from a connector&apos;s rows, e.g. availability from an uptime table. Create
              one with <b>New KPI</b>; the embedded demo connector needs no setup.
            </Trans>
          </p>
        }
      />
    </PluginPage>
  );
}
