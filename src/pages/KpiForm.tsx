import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage, locationService } from '@grafana/runtime';
import { Field, FieldSet, RadioButtonGroup, Select, TextArea, UnitPicker, useStyles2 } from '@grafana/ui';
import { createRegistry, getRegistry, listConnectors, updateRegistry, type ApiFailure } from '../shared/api';
import { useLoad } from '../shared/hooks';
import { paths } from '../shared/paths';
import { testIds } from '../shared/testIds';
import {
  DEMO_CONNECTOR,
  QueryType,
  type ConnectorInfo,
  type CovenantQuery,
  type Direction,
  type KPI,
} from '../shared/types';
import { useCovenant } from '../components/CovenantContext';
import { FrameTable, Preview } from '../components/Preview';
import { LoadedView } from '../components/Loaded';
import { FormButtons, FormShell, SaveFailure, TextField, fieldError, useSubmit } from '../components/form';
import { pageNav } from '../shared/nav';

const DIRECTION_OPTIONS = [
  { label: 'Higher is better', value: 'higher_is_better' as Direction, description: 'e.g. availability, on-time %' },
  { label: 'Lower is better', value: 'lower_is_better' as Direction, description: 'e.g. response time, defects' },
];

/** A new KPI's starting query on the demo connector. */
export const EXAMPLE_SQL =
  'SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key ORDER BY time';

type Draft = Omit<KPI, 'id' | 'version'> & { id?: string; version?: number };

function emptyKpi(): Draft {
  return { name: '', unit: 'percent', connector: DEMO_CONNECTOR, rawSql: EXAMPLE_SQL, direction: 'higher_is_better' };
}

/** The KPI as sent: the query fields of the connector's kind only, blanks dropped. */
export function kpiBody(d: Draft, sql: boolean): Draft {
  const out: Draft = { ...d, name: d.name.trim() };
  for (const k of sql
    ? (['path', 'rowsPath', 'timeField', 'valueField', 'keyField'] as const)
    : (['rawSql'] as const)) {
    delete out[k];
  }
  for (const k of Object.keys(out) as Array<keyof Draft>) {
    if (out[k] === '') {
      delete out[k];
    }
  }
  return out;
}

/** The connectorPreview query of a KPI being edited. */
export function kpiPreviewQuery(d: Draft, sql: boolean, key: string): CovenantQuery | { notReady: string } {
  if (sql && !d.rawSql?.trim()) {
    return { notReady: 'Write the query to see its rows.' };
  }
  const body = kpiBody(d, sql);
  return {
    refId: 'preview',
    queryType: QueryType.ConnectorPreview,
    connector: body.connector,
    rawSql: body.rawSql,
    ...(sql
      ? {}
      : {
          path: body.path,
          rowsPath: body.rowsPath,
          timeField: body.timeField,
          valueField: body.valueField,
          keyField: body.keyField,
        }),
    key,
    limit: 200,
  } as CovenantQuery;
}

/** Create a KPI (no id) or edit one, with its connector query and a live preview of the rows it returns. */
export function KpiForm({ id }: { id?: string }) {
  const { ds } = useCovenant();
  const loaded = useLoad(
    async () => ({
      kpi: id ? await getRegistry<KPI>(ds.uid, 'kpis', id) : undefined,
      connectors: await listConnectors(ds.uid),
    }),
    [ds.uid, id]
  );
  return (
    <PluginPage pageNav={pageNav(id ? (loaded.value?.kpi?.name ?? id) : 'New KPI')}>
      <LoadedView loaded={loaded} what="the KPI">
        {(v) => <KpiFormBody kpi={v.kpi} connectors={v.connectors} />}
      </LoadedView>
    </PluginPage>
  );
}

function KpiFormBody({ kpi, connectors }: { kpi?: KPI; connectors: ConnectorInfo[] }) {
  const { ds, canWrite, writeRole } = useCovenant();
  const styles = useStyles2(getStyles);
  const [d, setD] = useState<Draft>(() => kpi ?? emptyKpi());
  const [previewFailure, setPreviewFailure] = useState<ApiFailure>();
  const set =
    <K extends keyof Draft>(k: K) =>
    (v: Draft[K]) =>
      setD((prev) => ({ ...prev, [k]: v }));
  const conn = connectors.find((c) => c.name === d.connector);
  const sql = conn?.sql ?? true;
  const { saving, failure, submit } = useSubmit(
    () =>
      kpi
        ? updateRegistry<KPI>(ds.uid, 'kpis', kpiBody(d, sql) as KPI)
        : createRegistry<KPI>(ds.uid, 'kpis', kpiBody(d, sql) as Partial<KPI>),
    () => locationService.push(paths.kpis)
  );
  // The save's failure, else the preview's, marks the field at fault.
  const shown = failure ?? previewFailure;
  const connectorOptions = connectors.map((c) => ({ label: `${c.name} (${c.type})`, value: c.name }));
  if (d.connector && !conn) {
    connectorOptions.push({ label: `${d.connector} (not configured)`, value: d.connector });
  }
  const err = (f: string) => fieldError(shown, f);

  return (
    <div className={styles.layout}>
      <FormShell
        label={kpi ? `Edit ${kpi.name}` : 'New KPI'}
        onSubmit={submit}
        readOnly={canWrite ? undefined : `Creating and changing KPIs needs the ${writeRole} role.`}
      >
        <FieldSet label={kpi ? `Edit KPI ${kpi.name}` : 'New KPI'}>
          <TextField
            label="Name"
            name="name"
            value={d.name}
            onChange={set('name')}
            failure={failure}
            width={50}
            required
          />
          <TextField
            label="Description"
            name="description"
            value={d.description ?? ''}
            onChange={set('description')}
            failure={failure}
            width={70}
          />
          <TextField
            label="Owner"
            name="owner"
            value={d.owner ?? ''}
            onChange={set('owner')}
            failure={failure}
            width={40}
          />
          <Field label="Unit" description="How values are shown" invalid={Boolean(err('unit'))} error={err('unit')}>
            <div data-testid={testIds.form.field('unit')}>
              <UnitPicker value={d.unit} onChange={(u) => set('unit')(u ?? '')} width={40} />
            </div>
          </Field>
          <Field label="Direction" invalid={Boolean(err('direction'))} error={err('direction')}>
            <div data-testid={testIds.form.field('direction')}>
              <RadioButtonGroup options={DIRECTION_OPTIONS} value={d.direction} onChange={set('direction')} />
            </div>
          </Field>
        </FieldSet>
        <FieldSet label="Connector query">
          <Field
            htmlFor="covenant-connector"
            label="Connector"
            description="Connectors are set up on the datasource's settings page"
            invalid={Boolean(err('connector'))}
            error={err('connector')}
          >
            <Select
              inputId="covenant-connector"
              data-testid={testIds.form.field('connector')}
              width={40}
              options={connectorOptions}
              value={d.connector}
              onChange={(o) => o?.value && set('connector')(o.value)}
            />
          </Field>
          {sql ? (
            <Field
              label="SQL"
              description="Returns the columns time and value; macros $__timeFilter(column), $__timeFrom, $__timeTo and $__key (the contract key) are bound as parameters"
              invalid={Boolean(err('rawSql'))}
              error={err('rawSql')}
              required
            >
              <TextArea
                id="covenant-rawSql"
                data-testid={testIds.form.field('rawSql')}
                className={styles.code}
                rows={5}
                value={d.rawSql ?? ''}
                onChange={(e) => set('rawSql')(e.currentTarget.value)}
              />
            </Field>
          ) : (
            <>
              <TextField
                label="Path"
                name="path"
                description="Appended to the connector's URL; may use $__timeFrom, $__timeTo and $__key"
                value={d.path ?? ''}
                onChange={set('path')}
                failure={shown}
                width={70}
              />
              {conn?.type === 'http-json' && (
                <TextField
                  label="Rows path"
                  name="rowsPath"
                  description="Dot path of the array of rows; empty for a top-level array"
                  value={d.rowsPath ?? ''}
                  onChange={set('rowsPath')}
                  failure={shown}
                  width={40}
                />
              )}
              <TextField
                label="Time field"
                name="timeField"
                placeholder="time"
                value={d.timeField ?? ''}
                onChange={set('timeField')}
                failure={shown}
                width={30}
              />
              <TextField
                label="Value field"
                name="valueField"
                placeholder="value"
                value={d.valueField ?? ''}
                onChange={set('valueField')}
                failure={shown}
                width={30}
              />
              <TextField
                label="Key field"
                name="keyField"
                description="The contract key of a row; empty if the path already selects one contract"
                value={d.keyField ?? ''}
                onChange={set('keyField')}
                failure={shown}
                width={30}
              />
            </>
          )}
        </FieldSet>
        <SaveFailure failure={failure} />
        <FormButtons
          saving={saving}
          disabled={!canWrite}
          cancelHref={paths.kpis}
          label={kpi ? 'Save KPI' : 'Create KPI'}
        />
      </FormShell>
      <Preview
        title="Rows the query returns"
        query={(key) => kpiPreviewQuery(d, sql, key)}
        defaultDays={7}
        defaultKey="acme-it"
        fieldPrefix={/^$/}
        onFailure={setPreviewFailure}
      >
        {(frames) => (frames[0] ? <FrameTable frame={frames[0]} max={50} /> : <p>No rows.</p>)}
      </Preview>
    </div>
  );
}

export const getStyles = (theme: GrafanaTheme2) => ({
  layout: css({
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)',
    gap: theme.spacing(3),
    alignItems: 'start',
    [theme.breakpoints.down('lg')]: { gridTemplateColumns: 'minmax(0, 1fr)' },
  }),
  code: css({ fontFamily: theme.typography.fontFamilyMonospace }),
});
