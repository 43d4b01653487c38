import { t, Trans } from '@grafana/i18n';
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { Field, FieldSet, RadioButtonGroup, UnitPicker, useStyles2 } from '@grafana/ui';
import { getRegistry, listAll, listConnectors } from '../shared/api';
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
import { useCovenant } from '../app/CovenantContext';
import { FrameTable, Preview } from '../components/Preview';
import { SelectField, TextField } from '../components/form';
import { SqlEditor } from '../components/SqlEditor';
import { RegistryForm, RegistryFormPage, useRegistryForm, type RegistryFormState } from '../components/RegistryForm';
import { pageNav } from '../shared/nav';
import { CalendarSelect, type CalendarChoice } from '../components/CalendarSelect';

/** The direction choices, built on render (their words are translated). */
function directionOptions() {
  return [
    {
      label: t('pages.direction-options.label-higher-is-better', 'Higher is better'),
      value: 'higher_is_better' as Direction,
      description: t('pages.direction-options.description-higher-is-better', 'e.g. availability, on-time %'),
    },
    {
      label: t('pages.direction-options.label-lower-is-better', 'Lower is better'),
      value: 'lower_is_better' as Direction,
      description: t('pages.direction-options.description-lower-is-better', 'e.g. response time, defects'),
    },
  ];
}

/** A new KPI's starting query on the demo connector. */
export const EXAMPLE_SQL =
  'SELECT time, uptime_pct AS value FROM uptime WHERE $__timeFilter(time) AND contract = $__key ORDER BY time';

/** The row fields an HTTP connector reads when none is given (models.ConnectorQuery); field names, not prose. */
const DEFAULT_TIME_FIELD = 'time';
const DEFAULT_VALUE_FIELD = 'value';

type Draft = Omit<KPI, 'id' | 'version'> & { id?: string; version?: number };

function emptyKpi(): Draft {
  return { name: '', unit: 'percent', connector: DEMO_CONNECTOR, rawSql: EXAMPLE_SQL, direction: 'higher_is_better' };
}

/** The KPI as sent: the query fields of the connector's kind only, blanks dropped. */
export function kpiBody(d: Draft, sql: boolean): Draft {
  const out: Draft = { ...d, name: d.name.trim() };
  for (const k of sql
    ? (['path', 'rowsPath', 'timeField', 'valueField', 'keyField'] as const)
    : (['rawSql', 'watermarkColumn'] as const)) {
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
    return { notReady: t('pages.kpi-preview-query.not-ready-write-query', 'Write the query to see its rows.') };
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
          // A business-time KPI's rows have an end instead of a value.
          endField: body.businessTime ? body.endField || 'end' : undefined,
        }),
    key,
    limit: 200,
  } as CovenantQuery;
}

/** Create a KPI (no id) or edit one, with its connector query and a live preview of the rows it returns. */
export function KpiForm({ id }: { id?: string }) {
  const { ds } = useCovenant();
  return (
    <RegistryFormPage
      what={t('pages.kpi-form.what-the-kpi', 'the KPI')}
      load={async () => ({
        kpi: id ? await getRegistry<KPI>(ds.uid, 'kpis', id) : undefined,
        connectors: await listConnectors(ds.uid),
        calendars: await listAll<CalendarChoice>(ds.uid, 'calendars'),
      })}
      deps={[ds.uid, id]}
      nav={(v) => pageNav(id ? (v?.kpi?.name ?? id) : t('pages.kpi-form.nav-new-kpi', 'New KPI'))}
    >
      {(v) => <KpiFormBody kpi={v.kpi} connectors={v.connectors} calendars={v.calendars} />}
    </RegistryFormPage>
  );
}

/** Whether a connector answers SQL (an unknown one is taken to). */
const isSql = (connectors: ConnectorInfo[], name: string) => connectors.find((c) => c.name === name)?.sql ?? true;

function KpiFormBody({
  kpi,
  connectors,
  calendars,
}: {
  kpi?: KPI;
  connectors: ConnectorInfo[];
  calendars: CalendarChoice[];
}) {
  const styles = useStyles2(getStyles);
  const form = useRegistryForm<Draft, KPI>({
    kind: 'kpis',
    stored: kpi,
    initial: () => kpi ?? emptyKpi(),
    body: (d) => kpiBody(d, isSql(connectors, d.connector)),
    onSaved: () => locationService.push(paths.kpis),
  });
  const sql = isSql(connectors, form.draft.connector);
  return (
    <div className={styles.layout}>
      <RegistryForm
        form={form}
        label={
          kpi
            ? t('pages.kpi-form-body.label-edit', 'Edit {{- name}}', { name: kpi.name })
            : t('pages.kpi-form-body.label-new-kpi', 'New KPI')
        }
        writes={t('pages.kpi-form-body.writes-kpis', 'KPIs')}
        buttons={{
          label: kpi
            ? t('pages.kpi-form-body.button-save-kpi', 'Save KPI')
            : t('pages.kpi-form-body.button-create-kpi', 'Create KPI'),
          cancelHref: paths.kpis,
        }}
      >
        <KpiFields
          form={form}
          title={
            kpi
              ? t('pages.kpi-form-body.title-edit-kpi', 'Edit KPI {{- name}}', { name: kpi.name })
              : t('pages.kpi-form-body.label-new-kpi', 'New KPI')
          }
        />
        <ConnectorQueryFields form={form} connectors={connectors} />
        <BusinessTimeFields form={form} calendars={calendars} />
      </RegistryForm>
      <Preview
        title={t('pages.kpi-form-body.title-rows-the-query-returns', 'Rows the query returns')}
        query={(key) => kpiPreviewQuery(form.draft, sql, key)}
        defaultDays={7}
        defaultKey="acme-it"
        fieldPrefix={/^$/}
        onFailure={form.setPreviewFailure}
      >
        {(frames) =>
          frames[0] ? (
            <FrameTable frame={frames[0]} max={50} />
          ) : (
            <p>
              <Trans i18nKey="pages.kpi-form-body.no-rows">No rows.</Trans>
            </p>
          )
        }
      </Preview>
    </div>
  );
}

/** What the KPI is: name, description, owner, unit and direction. */
function KpiFields({ form, title }: { form: RegistryFormState<Draft>; title: string }) {
  return (
    <FieldSet label={title}>
      <TextField label={t('pages.kpi-fields.label-name', 'Name')} width={50} required {...form.text('name')} />
      <TextField
        label={t('pages.kpi-fields.label-description', 'Description')}
        width={70}
        {...form.text('description')}
      />
      <TextField label={t('pages.kpi-fields.label-owner', 'Owner')} width={40} {...form.text('owner')} />
      <Field
        label={t('pages.kpi-fields.label-unit', 'Unit')}
        description={t('pages.kpi-fields.description-how-values-are-shown', 'How values are shown')}
        {...form.mark('unit')}
      >
        <div data-testid={testIds.form.field('unit')}>
          <UnitPicker value={form.draft.unit} onChange={(u) => form.set('unit')(u ?? '')} width={40} />
        </div>
      </Field>
      <Field label={t('pages.kpi-fields.label-direction', 'Direction')} {...form.mark('direction')}>
        <div data-testid={testIds.form.field('direction')}>
          <RadioButtonGroup
            options={directionOptions()}
            value={form.draft.direction}
            onChange={form.set('direction')}
          />
        </div>
      </Field>
    </FieldSet>
  );
}

type BusinessUnit = NonNullable<KPI['businessTime']>['unit'];

/** The units a business-time KPI may count in, built on render (their words are translated). */
function businessUnitOptions(): Array<{ label: string; value: BusinessUnit }> {
  return [
    { label: t('pages.business-time-fields.unit-seconds', 'Seconds'), value: 's' },
    { label: t('pages.business-time-fields.unit-minutes', 'Minutes'), value: 'm' },
    { label: t('pages.business-time-fields.unit-hours', 'Hours'), value: 'h' },
  ];
}

/**
 * Whether the KPI measures durations in business time: none (the query's value is the figure), or a
 * service calendar and a unit (the query returns time and end; the value is the working time between).
 */
function BusinessTimeFields({ form, calendars }: { form: RegistryFormState<Draft>; calendars: CalendarChoice[] }) {
  const bt = form.draft.businessTime;
  return (
    <FieldSet label={t('pages.business-time-fields.label-business-time', 'Business time')}>
      <Field
        htmlFor="covenant-businessTime-calendarId"
        label={t('pages.business-time-fields.label-calendar', 'Measure durations on a service calendar')}
        description={t(
          'pages.business-time-fields.description-calendar',
          "The query then returns time (the start) and end instead of value; each row's value is the working time between them on the calendar"
        )}
        {...form.mark('businessTime.calendarId', 'businessTime')}
      >
        <div data-testid={testIds.form.field('businessTime.calendarId')}>
          <CalendarSelect
            inputId="covenant-businessTime-calendarId"
            calendars={calendars}
            value={bt?.calendarId}
            placeholder={t('pages.business-time-fields.placeholder-calendar', 'None: the query returns the value')}
            onChange={(id) => form.set('businessTime')(id ? { calendarId: id, unit: bt?.unit ?? 'm' } : undefined)}
          />
        </div>
      </Field>
      {bt && (
        <Field label={t('pages.business-time-fields.label-unit', 'Counted in')} {...form.mark('businessTime.unit')}>
          <div data-testid={testIds.form.field('businessTime.unit')}>
            <RadioButtonGroup
              options={businessUnitOptions()}
              value={bt.unit}
              onChange={(unit) => form.set('businessTime')({ ...bt, unit })}
            />
          </div>
        </Field>
      )}
    </FieldSet>
  );
}

/** The connector and its query: SQL, or for an HTTP connector a path and the fields of its rows. */
function ConnectorQueryFields({ form, connectors }: { form: RegistryFormState<Draft>; connectors: ConnectorInfo[] }) {
  const { ds } = useCovenant();
  const d = form.draft;
  const conn = connectors.find((c) => c.name === d.connector);
  const options = connectors.map((c) => ({ label: `${c.name} (${c.type})`, value: c.name }));
  if (d.connector && !conn) {
    options.push({
      label: t('pages.connector-query-fields.option-not-configured', '{{- connector}} (not configured)', {
        connector: d.connector,
      }),
      value: d.connector,
    });
  }
  return (
    <FieldSet label={t('pages.connector-query-fields.label-connector-query', 'Connector query')}>
      <SelectField
        label={t('pages.connector-query-fields.label-connector', 'Connector')}
        name="connector"
        description={t(
          'pages.connector-query-fields.description-connectors-datasources-settings',
          "Connectors are set up on the datasource's settings page"
        )}
        width={40}
        options={options}
        value={d.connector}
        onChange={form.set('connector')}
        failure={form.marked}
      />
      {isSql(connectors, d.connector) ? (
        <Field
          label={t('pages.connector-query-fields.label-sql', 'SQL')}
          description={t(
            'pages.connector-query-fields.description-sql',
            'Returns the columns time and value; macros $__timeFilter(column), $__timeFrom, $__timeTo and $__key (the contract key) are bound as parameters. Ctrl+Space completes macros, tables and columns'
          )}
          required
          {...form.mark('rawSql')}
        >
          <SqlEditor
            testId={testIds.form.field('rawSql')}
            rows={5}
            value={d.rawSql ?? ''}
            onChange={(text) => form.set('rawSql')(text)}
            onCommit={(text) => form.set('rawSql')(text)}
            datasourceUid={ds.uid}
            connector={d.connector}
          />
        </Field>
      ) : null}
      {isSql(connectors, d.connector) ? (
        <TextField
          label={t('pages.connector-query-fields.label-watermark-column', 'Watermark column (optional)')}
          description={t(
            'pages.connector-query-fields.description-watermark-column',
            "A column the query returns that changes whenever a row is added or changed, e.g. updated_at. Repeated queries then reuse the figures of closed buckets until its maximum or the row count changes; without it they are reused for the datasource's cache time to live."
          )}
          placeholder={t('pages.connector-query-fields.placeholder-watermark-column', 'updated_at')}
          width={30}
          {...form.text('watermarkColumn')}
        />
      ) : (
        <HttpQueryFields form={form} rowsPath={conn?.type === 'http-json'} />
      )}
    </FieldSet>
  );
}

/** An HTTP connector's query: the path, where the rows are (JSON) and their time, value and key fields. */
function HttpQueryFields({ form, rowsPath }: { form: RegistryFormState<Draft>; rowsPath: boolean }) {
  // The preview runs these as typed, so its failure marks them too.
  const field = (key: 'path' | 'rowsPath' | 'timeField' | 'valueField' | 'keyField') =>
    form.text(key, { preview: true });
  return (
    <>
      <TextField
        label={t('pages.http-query-fields.label-path', 'Path')}
        description={t(
          'pages.http-query-fields.description-path',
          "Appended to the connector's URL; may use $__timeFrom, $__timeTo and $__key"
        )}
        width={70}
        {...field('path')}
      />
      {rowsPath && (
        <TextField
          label={t('pages.http-query-fields.label-rows-path', 'Rows path')}
          description={t(
            'pages.http-query-fields.description-rows-path',
            'Dot path of the array of rows; empty for a top-level array'
          )}
          width={40}
          {...field('rowsPath')}
        />
      )}
      <TextField
        label={t('pages.http-query-fields.label-time-field', 'Time field')}
        placeholder={DEFAULT_TIME_FIELD}
        width={30}
        {...field('timeField')}
      />
      <TextField
        label={t('pages.http-query-fields.label-value-field', 'Value field')}
        placeholder={DEFAULT_VALUE_FIELD}
        width={30}
        {...field('valueField')}
      />
      <TextField
        label={t('pages.http-query-fields.label-key-field', 'Key field')}
        description={t(
          'pages.http-query-fields.description-key-field',
          'The contract key of a row; empty if the path already selects one contract'
        )}
        width={30}
        {...field('keyField')}
      />
    </>
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
});
