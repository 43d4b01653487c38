import { t, Trans } from '@grafana/i18n';
import React from 'react';
import { locationService } from '@grafana/runtime';
import { useStyles2 } from '@grafana/ui';
import { getRegistry, listAll } from '../shared/api';
import { paths } from '../shared/paths';
import {
  MISSING_POLICIES,
  QueryType,
  type CovenantQuery,
  type KPI,
  type Tracker,
  type TrackerDef,
} from '../shared/types';
import { useCovenant } from '../app/CovenantContext';
import { FrameTable, Preview } from '../components/Preview';
import { TrackerChart } from '../components/TrackerChart';
import { fromTargetDraft, toTargetDraft, type TargetDraft } from '../components/TargetEditor';
import { parseNumber } from '../components/form';
import { RegistryForm, RegistryFormPage, useRegistryForm } from '../components/RegistryForm';
import { ComputationFields, TargetFields, TrackerKpiFields } from './TrackerFields';
import type { CalendarChoice } from '../components/CalendarSelect';
import { getStyles } from './KpiForm';
import { pageNav } from '../shared/nav';

/** The tracker form's fields as typed. */
export interface Draft {
  name: string;
  kpiId: string;
  method: string;
  op: string;
  threshold: string;
  interval: string;
  timezone: string;
  target: TargetDraft;
  tolerance: string;
  tolerancePercent: boolean;
  missing: (typeof MISSING_POLICIES)[number];
  trendWindow: string;
  decimals: string;
  calendarId: string;
  workingTimeOnly: boolean;
}

const str = (v?: number) => (v === undefined || v === null ? '' : String(v));

export function toDraft(t?: Tracker): Draft {
  const zone = t?.timezone || 'UTC';
  return {
    name: t?.name ?? '',
    kpiId: t?.kpiId ?? '',
    method: t?.method ?? 'avg',
    op: t?.condition?.op ?? '<=',
    threshold: str(t?.condition?.threshold),
    interval: t?.interval ?? '1d',
    timezone: zone,
    target: toTargetDraft(t?.target, zone),
    tolerance: str(t?.tolerance?.value ?? 0),
    tolerancePercent: Boolean(t?.tolerance?.percent),
    missing: t?.missing ?? 'exclude',
    trendWindow: str(t?.trendWindow),
    decimals: str(t?.decimals),
    calendarId: t?.calendarId ?? '',
    workingTimeOnly: Boolean(t?.workingTimeOnly),
  };
}

/** The tracker a draft describes (numbers checked here, the rest by the backend). */
export function fromDraft(d: Draft, base?: Tracker): Partial<Tracker> {
  return {
    ...(base ? { id: base.id, version: base.version } : {}),
    name: d.name.trim(),
    kpiId: d.kpiId,
    method: d.method,
    condition:
      d.method === 'ratio'
        ? { op: d.op, threshold: parseNumber(d.threshold, 'condition.threshold', true) as number }
        : undefined,
    interval: d.interval,
    timezone: d.timezone,
    target: fromTargetDraft(d.target, d.timezone, 'target'),
    tolerance: { value: parseNumber(d.tolerance, 'tolerance.value') ?? 0, percent: d.tolerancePercent },
    missing: d.missing,
    trendWindow: parseNumber(d.trendWindow, 'trendWindow'),
    decimals: parseNumber(d.decimals, 'decimals'),
    calendarId: d.calendarId || undefined,
    workingTimeOnly: d.calendarId && d.workingTimeOnly ? true : undefined,
  };
}

/** The trackerSeries query that previews a tracker being edited, with its KPI given inline. */
export function trackerPreviewQuery(d: Draft, kpi: KPI | undefined, key: string): CovenantQuery | { notReady: string } {
  if (!kpi) {
    return { notReady: t('pages.tracker-preview-query.not-ready-choose-kpi', 'Choose a KPI to see the series.') };
  }
  let tracker: Partial<Tracker>;
  try {
    tracker = fromDraft(d);
  } catch (e) {
    return { notReady: (e as { data: { error: string } }).data.error };
  }
  const { id: _id, version: _v, ...kpiDef } = kpi;
  // Until the tracker has a name, the preview's series is labelled "Preview".
  const name = tracker.name || t('pages.tracker-preview-query.default-name', 'Preview');
  const def = { ...tracker, name, kpi: kpiDef } as unknown as TrackerDef;
  return { refId: 'preview', queryType: QueryType.TrackerSeries, contract: key, trackers: [def] };
}

/** Create a tracker (no id) or edit one, with a live preview of its series on the KPI's data. */
export function TrackerForm({ id }: { id?: string }) {
  const { ds } = useCovenant();
  return (
    <RegistryFormPage
      what={t('pages.tracker-form.what-the-tracker', 'the tracker')}
      load={async () => ({
        tracker: id ? await getRegistry<Tracker>(ds.uid, 'trackers', id) : undefined,
        kpis: await listAll<KPI>(ds.uid, 'kpis'),
        calendars: await listAll<CalendarChoice>(ds.uid, 'calendars'),
      })}
      deps={[ds.uid, id]}
      nav={(v) => pageNav(id ? (v?.tracker?.name ?? id) : t('pages.tracker-form.nav-new-tracker', 'New tracker'))}
    >
      {(v) => <TrackerFormBody tracker={v.tracker} kpis={v.kpis} calendars={v.calendars} />}
    </RegistryFormPage>
  );
}

function TrackerFormBody({
  tracker,
  kpis,
  calendars,
}: {
  tracker?: Tracker;
  kpis: KPI[];
  calendars: CalendarChoice[];
}) {
  const styles = useStyles2(getStyles);
  const form = useRegistryForm<Draft, Tracker>({
    kind: 'trackers',
    stored: tracker,
    initial: () => toDraft(tracker),
    body: (d) => fromDraft(d, tracker),
    onSaved: () => locationService.push(paths.trackers),
  });
  const kpi = kpis.find((k) => k.id === form.draft.kpiId);
  return (
    <div className={styles.layout}>
      <RegistryForm
        form={form}
        label={
          tracker
            ? t('pages.tracker-form-body.label-edit', 'Edit {{- name}}', { name: tracker.name })
            : t('pages.tracker-form-body.label-new-tracker', 'New tracker')
        }
        writes={t('pages.tracker-form-body.writes-trackers', 'trackers')}
        buttons={{
          label: tracker
            ? t('pages.tracker-form-body.button-save-tracker', 'Save tracker')
            : t('pages.tracker-form-body.button-create-tracker', 'Create tracker'),
          cancelHref: paths.trackers,
        }}
      >
        <TrackerKpiFields
          form={form}
          kpis={kpis}
          title={
            tracker
              ? t('pages.tracker-form-body.title-edit-tracker', 'Edit tracker {{- name}}', { name: tracker.name })
              : t('pages.tracker-form-body.label-new-tracker', 'New tracker')
          }
        />
        <ComputationFields form={form} calendars={calendars} />
        <TargetFields form={form} kpi={kpi} />
      </RegistryForm>
      <Preview
        title={t('pages.tracker-form-body.title-series-on-the-kpis-data', "Series on the KPI's data")}
        query={(key) => trackerPreviewQuery(form.draft, kpi, key)}
        defaultDays={90}
        defaultKey="acme-it"
        fieldPrefix={/^trackers\[0\]\./}
        onFailure={form.setPreviewFailure}
      >
        {(frames, range) =>
          frames[0] ? (
            <>
              <TrackerChart frames={frames} range={range} height={220} />
              <FrameTable frame={frames[0]} max={12} fromEnd fields={['time', 'actual', 'target', 'variance', 'rag']} />
            </>
          ) : (
            <p>
              <Trans i18nKey="pages.tracker-form-body.no-series">No series.</Trans>
            </p>
          )
        }
      </Preview>
    </div>
  );
}
