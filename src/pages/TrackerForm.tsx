import React, { useState } from 'react';
import { PluginPage, locationService } from '@grafana/runtime';
import { Field, FieldSet, Input, RadioButtonGroup, Select, Stack, TextLink, useStyles2 } from '@grafana/ui';
import { createRegistry, getRegistry, listAll, updateRegistry, type ApiFailure } from '../shared/api';
import { useLoad } from '../shared/hooks';
import { paths } from '../shared/paths';
import { testIds } from '../shared/testIds';
import {
  CONDITION_OPS,
  INTERVALS,
  METHODS,
  MISSING_POLICIES,
  QueryType,
  type CovenantQuery,
  type KPI,
  type Tracker,
  type TrackerDef,
} from '../shared/types';
import { useCovenant } from '../components/CovenantContext';
import { FrameTable, Preview } from '../components/Preview';
import { TrackerChart } from '../components/TrackerChart';
import { TargetEditor, fromTargetDraft, timeZones, toTargetDraft, type TargetDraft } from '../components/TargetEditor';
import { LoadedView } from '../components/Loaded';
import { FormButtons, FormShell, SaveFailure, TextField, fieldError, parseNumber, useSubmit } from '../components/form';
import { getStyles } from './KpiForm';
import { pageNav } from '../shared/nav';

const METHOD_HELP: Record<string, string> = {
  sum: 'Sum of the values',
  avg: 'Mean of the values',
  count: 'Number of rows',
  min: 'Smallest value',
  max: 'Largest value',
  p50: 'Median (continuous)',
  p90: '90th percentile',
  p95: '95th percentile',
  p99: '99th percentile',
  ratio: '% of values meeting a condition',
  last: 'Latest value',
};

const MISSING_HELP = [
  { label: 'Exclude', value: 'exclude' as const, description: 'Not evaluated (grey)' },
  { label: 'Missed', value: 'missed' as const, description: 'Counts as red' },
  { label: 'Zero', value: 'zero' as const, description: 'Actual taken as 0' },
];

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
  };
}

/** The trackerSeries query that previews a tracker being edited, with its KPI given inline. */
export function trackerPreviewQuery(d: Draft, kpi: KPI | undefined, key: string): CovenantQuery | { notReady: string } {
  if (!kpi) {
    return { notReady: 'Choose a KPI to see the series.' };
  }
  let t: Partial<Tracker>;
  try {
    t = fromDraft(d);
  } catch (e) {
    return { notReady: (e as { data: { error: string } }).data.error };
  }
  const { id: _id, version: _v, ...kpiDef } = kpi;
  const def = { ...t, name: t.name || 'Preview', kpi: kpiDef } as unknown as TrackerDef;
  return { refId: 'preview', queryType: QueryType.TrackerSeries, contract: key, trackers: [def] };
}

/** Create a tracker (no id) or edit one, with a live preview of its series on the KPI's data. */
export function TrackerForm({ id }: { id?: string }) {
  const { ds } = useCovenant();
  const loaded = useLoad(
    async () => ({
      tracker: id ? await getRegistry<Tracker>(ds.uid, 'trackers', id) : undefined,
      kpis: await listAll<KPI>(ds.uid, 'kpis'),
    }),
    [ds.uid, id]
  );
  return (
    <PluginPage pageNav={pageNav(id ? (loaded.value?.tracker?.name ?? id) : 'New tracker')}>
      <LoadedView loaded={loaded} what="the tracker">
        {(v) => <TrackerFormBody tracker={v.tracker} kpis={v.kpis} />}
      </LoadedView>
    </PluginPage>
  );
}

function TrackerFormBody({ tracker, kpis }: { tracker?: Tracker; kpis: KPI[] }) {
  const { ds, canWrite, writeRole } = useCovenant();
  const styles = useStyles2(getStyles);
  const [d, setD] = useState<Draft>(() => toDraft(tracker));
  const [previewFailure, setPreviewFailure] = useState<ApiFailure>();
  const set =
    <K extends keyof Draft>(k: K) =>
    (v: Draft[K]) =>
      setD((prev) => ({ ...prev, [k]: v }));
  const { saving, failure, submit } = useSubmit(
    () =>
      tracker
        ? updateRegistry<Tracker>(ds.uid, 'trackers', fromDraft(d, tracker) as Tracker)
        : createRegistry<Tracker>(ds.uid, 'trackers', fromDraft(d)),
    () => locationService.push(paths.trackers)
  );
  const shown = failure ?? previewFailure;
  const err = (...f: string[]) => fieldError(shown, ...f);
  const kpi = kpis.find((k) => k.id === d.kpiId);
  const zones = timeZones();

  return (
    <div className={styles.layout}>
      <FormShell
        label={tracker ? `Edit ${tracker.name}` : 'New tracker'}
        onSubmit={submit}
        readOnly={canWrite ? undefined : `Creating and changing trackers needs the ${writeRole} role.`}
      >
        <FieldSet label={tracker ? `Edit tracker ${tracker.name}` : 'New tracker'}>
          <TextField
            label="Name"
            name="name"
            value={d.name}
            onChange={set('name')}
            failure={failure}
            width={50}
            required
          />
          <Field
            htmlFor="covenant-kpiId"
            label="KPI"
            description={kpis.length === 0 ? undefined : 'The measure this tracker computes per bucket'}
            invalid={Boolean(err('kpiId', 'kpi'))}
            error={err('kpiId', 'kpi')}
            required
          >
            {kpis.length === 0 ? (
              <span>
                No KPI yet: <TextLink href={paths.newKpi}>create a KPI</TextLink> first.
              </span>
            ) : (
              <Select
                inputId="covenant-kpiId"
                data-testid={testIds.form.field('kpiId')}
                width={50}
                placeholder="Choose a KPI"
                options={kpis.map((k) => ({
                  label: k.name,
                  value: k.id,
                  description: `${k.connector} · ${k.direction.replace(/_/g, ' ')}`,
                }))}
                value={d.kpiId || null}
                onChange={(o) => o?.value && set('kpiId')(o.value)}
              />
            )}
          </Field>
        </FieldSet>
        <FieldSet label="Computation">
          <Field htmlFor="covenant-method" label="Method" invalid={Boolean(err('method'))} error={err('method')}>
            <Select
              inputId="covenant-method"
              data-testid={testIds.form.field('method')}
              width={40}
              options={METHODS.map((m) => ({ label: m, value: m, description: METHOD_HELP[m] }))}
              value={d.method}
              onChange={(o) => o?.value && set('method')(o.value)}
            />
          </Field>
          {d.method === 'ratio' && (
            <Field
              label="Condition"
              description="A value counts towards the ratio when it passes this test, e.g. ≤ 60"
              invalid={Boolean(err('condition'))}
              error={err('condition')}
            >
              <Stack gap={1}>
                <Select
                  aria-label="Condition operator"
                  width={10}
                  options={CONDITION_OPS.map((o) => ({ label: o, value: o }))}
                  value={d.op}
                  onChange={(o) => o?.value && set('op')(o.value)}
                />
                <Input
                  aria-label="Condition threshold"
                  data-testid={testIds.form.field('condition.threshold')}
                  width={15}
                  value={d.threshold}
                  onChange={(e) => set('threshold')(e.currentTarget.value)}
                />
              </Stack>
            </Field>
          )}
          <Field
            label="Interval"
            description="Calendar buckets, aligned in the time zone"
            invalid={Boolean(err('interval'))}
            error={err('interval')}
          >
            <div data-testid={testIds.form.field('interval')}>
              <RadioButtonGroup
                options={INTERVALS.map((i) => ({ label: i, value: i }))}
                value={d.interval}
                onChange={set('interval')}
              />
            </div>
          </Field>
          <Field
            htmlFor="covenant-timezone"
            label="Time zone"
            invalid={Boolean(err('timezone'))}
            error={err('timezone')}
          >
            <Select
              inputId="covenant-timezone"
              data-testid={testIds.form.field('timezone')}
              width={40}
              options={zones.map((z) => ({ label: z, value: z }))}
              value={d.timezone}
              allowCustomValue
              onChange={(o) => o?.value && set('timezone')(o.value)}
            />
          </Field>
          <Field label="Missing data" invalid={Boolean(err('missing'))} error={err('missing')}>
            <RadioButtonGroup options={MISSING_HELP} value={d.missing} onChange={set('missing')} />
          </Field>
        </FieldSet>
        <FieldSet label="Target">
          <TargetEditor
            label="Target"
            description={
              kpi
                ? `${kpi.direction === 'lower_is_better' ? 'At most' : 'At least'} this value meets the target`
                : undefined
            }
            name="target"
            value={d.target}
            onChange={set('target')}
            failure={shown}
          />
          <Field
            label="Amber tolerance"
            description="A miss within this distance of the target is amber, beyond it red"
            invalid={Boolean(err('tolerance'))}
            error={err('tolerance')}
          >
            <Stack gap={1}>
              <Input
                aria-label="Tolerance"
                data-testid={testIds.form.field('tolerance.value')}
                width={15}
                value={d.tolerance}
                onChange={(e) => set('tolerance')(e.currentTarget.value)}
              />
              <RadioButtonGroup
                options={[
                  { label: 'absolute', value: false },
                  { label: '% of target', value: true },
                ]}
                value={d.tolerancePercent}
                onChange={set('tolerancePercent')}
              />
            </Stack>
          </Field>
          <TextField
            label="Trend window"
            name="trendWindow"
            description="Closed buckets the trend is fitted over (default 6)"
            value={d.trendWindow}
            onChange={set('trendWindow')}
            failure={shown}
            width={10}
          />
          <TextField
            label="Decimals"
            name="decimals"
            value={d.decimals}
            onChange={set('decimals')}
            failure={failure}
            width={10}
          />
        </FieldSet>
        <SaveFailure failure={failure} />
        <FormButtons
          saving={saving}
          disabled={!canWrite}
          cancelHref={paths.trackers}
          label={tracker ? 'Save tracker' : 'Create tracker'}
        />
      </FormShell>
      <Preview
        title="Series on the KPI's data"
        query={(key) => trackerPreviewQuery(d, kpi, key)}
        defaultDays={90}
        defaultKey="acme-it"
        fieldPrefix={/^trackers\[0\]\./}
        onFailure={setPreviewFailure}
      >
        {(frames, range) =>
          frames[0] ? (
            <>
              <TrackerChart frames={frames} range={range} height={220} />
              <FrameTable frame={frames[0]} max={12} fromEnd fields={['time', 'actual', 'target', 'variance', 'rag']} />
            </>
          ) : (
            <p>No series.</p>
          )
        }
      </Preview>
    </div>
  );
}
