import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { paths } from '../shared/paths';
import type { KPI } from '../shared/types';
import { RegistryTable, type Column } from '../components/RegistryTable';

const columns: Array<Column<KPI>> = [
  { header: 'KPI', cell: (k) => k.name, sub: (k) => k.description },
  { header: 'Unit', cell: (k) => k.unit },
  { header: 'Direction', cell: (k) => k.direction.replace(/_/g, ' ') },
  { header: 'Connector', cell: (k) => k.connector },
  { header: 'Owner', cell: (k) => k.owner },
];

/** The registry's KPIs: what each measures and where its rows come from. */
export function KpisPage() {
  return (
    <PluginPage>
      <RegistryTable<KPI>
        kind="kpis"
        noun="KPI"
        columns={columns}
        href={(k) => paths.kpi(k.id)}
        createHref={paths.newKpi}
        deletable
        emptyHint={
          <p>
            A KPI is a measure computed from a connector&apos;s rows, e.g. availability from an uptime table. Create one
            with <b>New KPI</b>; the embedded demo connector needs no setup.
          </p>
        }
      />
    </PluginPage>
  );
}
