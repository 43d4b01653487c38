import { t, Trans } from '@grafana/i18n';
import React from 'react';
import { Checkbox, Field, FieldSet, Input, RadioButtonGroup, Select, Stack, TextLink } from '@grafana/ui';
import { paths } from '../shared/paths';
import { testIds } from '../shared/testIds';
import { CONDITION_OPS, INTERVALS, METHODS, type KPI } from '../shared/types';
import { TargetEditor, timeZones } from '../components/TargetEditor';
import { SelectField, TextField } from '../components/form';
import type { RegistryFormState } from '../components/RegistryForm';
import type { Draft } from './TrackerForm';
import { directionText } from './KpisPage';
import { CalendarSelect, type CalendarChoice } from '../components/CalendarSelect';

/** The tracker form's field groups, each bound to the form's draft. */
type Props = { form: RegistryFormState<Draft> };

/** What a method computes, in words (the method's name itself is the registry's). */
function methodHelp(method: string): string | undefined {
  switch (method) {
    case 'sum':
      return t('pages.method-help.sum', 'Sum of the values');
    case 'avg':
      return t('pages.method-help.avg', 'Mean of the values');
    case 'count':
      return t('pages.method-help.count', 'Number of rows');
    case 'min':
      return t('pages.method-help.min', 'Smallest value');
    case 'max':
      return t('pages.method-help.max', 'Largest value');
    case 'p50':
      return t('pages.method-help.p50', 'Median (continuous)');
    case 'p90':
      return t('pages.method-help.p90', '90th percentile');
    case 'p95':
      return t('pages.method-help.p95', '95th percentile');
    case 'p99':
      return t('pages.method-help.p99', '99th percentile');
    case 'ratio':
      return t('pages.method-help.ratio', '% of values meeting a condition');
    case 'last':
      return t('pages.method-help.last', 'Latest value');
    default:
      return undefined;
  }
}

/** The missing-data policies, built on render (their words are translated). */
function missingOptions() {
  return [
    {
      label: t('pages.missing-options.label-exclude', 'Exclude'),
      value: 'exclude' as const,
      description: t('pages.missing-options.description-exclude', 'Not evaluated (grey)'),
    },
    {
      label: t('pages.missing-options.label-missed', 'Missed'),
      value: 'missed' as const,
      description: t('pages.missing-options.description-missed', 'Counts as red'),
    },
    {
      label: t('pages.missing-options.label-zero', 'Zero'),
      value: 'zero' as const,
      description: t('pages.missing-options.description-zero', 'Actual taken as 0'),
    },
  ];
}

const INTERVAL_OPTIONS = INTERVALS.map((i) => ({ label: i, value: i }));

/** How the tolerance is given, built on render (its words are translated). */
function toleranceKinds() {
  return [
    { label: t('pages.tolerance-kinds.label-absolute', 'absolute'), value: false },
    { label: t('pages.tolerance-kinds.label-percent-of-target', '% of target'), value: true },
  ];
}

/** The tracker's name and the KPI it computes (or, with no KPI yet, a link to create one). */
export function TrackerKpiFields({ form, kpis, title }: Props & { kpis: KPI[]; title: string }) {
  return (
    <FieldSet label={title}>
      <TextField label={t('pages.tracker-kpi-fields.label-name', 'Name')} width={50} required {...form.text('name')} />
      {kpis.length === 0 ? (
        <Field
          htmlFor="covenant-kpiId"
          label={t('pages.tracker-kpi-fields.label-kpi', 'KPI')}
          required
          {...form.mark('kpiId', 'kpi')}
        >
          <span>
            <Trans i18nKey="pages.tracker-kpi-fields.no-kpi-yet">
              No KPI yet: <TextLink href={paths.newKpi}>create a KPI</TextLink> first.
            </Trans>
          </span>
        </Field>
      ) : (
        <SelectField
          label={t('pages.tracker-kpi-fields.label-kpi', 'KPI')}
          name="kpiId"
          fields={['kpiId', 'kpi']}
          description={t(
            'pages.tracker-kpi-fields.description-measure-tracker-computes-bucket',
            'The measure this tracker computes per bucket'
          )}
          required
          width={50}
          placeholder={t('pages.tracker-kpi-fields.placeholder-choose-a-kpi', 'Choose a KPI')}
          options={kpis.map((k) => ({
            label: k.name,
            value: k.id,
            description: `${k.connector} · ${directionText(k.direction)}`,
          }))}
          value={form.draft.kpiId || null}
          onChange={form.set('kpiId')}
          failure={form.marked}
        />
      )}
    </FieldSet>
  );
}

/**
 * How buckets are computed: the method (and a ratio's condition), the interval, its time zone, missing
 * data, and the service calendar that decides which buckets are evaluated.
 */
export function ComputationFields({ form, calendars }: Props & { calendars: CalendarChoice[] }) {
  const d = form.draft;
  return (
    <FieldSet label={t('pages.computation-fields.label-computation', 'Computation')}>
      <SelectField
        label={t('pages.computation-fields.label-method', 'Method')}
        name="method"
        width={40}
        options={METHODS.map((m) => ({ label: m, value: m, description: methodHelp(m) }))}
        value={d.method}
        onChange={form.set('method')}
        failure={form.marked}
      />
      {d.method === 'ratio' && (
        <Field
          label={t('pages.computation-fields.label-condition', 'Condition')}
          description={t(
            'pages.computation-fields.description-condition',
            'A value counts towards the ratio when it passes this test, e.g. ≤ 60'
          )}
          {...form.mark('condition')}
        >
          <Stack gap={1}>
            {/* eslint-disable-next-line @typescript-eslint/no-deprecated */}
            <Select
              aria-label={t('pages.computation-fields.aria-label-condition-operator', 'Condition operator')}
              width={10}
              options={CONDITION_OPS.map((o) => ({ label: o, value: o }))}
              value={d.op}
              onChange={(o) => o?.value && form.set('op')(o.value)}
            />
            <Input
              aria-label={t('pages.computation-fields.aria-label-condition-threshold', 'Condition threshold')}
              width={15}
              {...form.input('threshold', 'condition.threshold')}
            />
          </Stack>
        </Field>
      )}
      <Field
        label={t('pages.computation-fields.label-interval', 'Interval')}
        description={t(
          'pages.computation-fields.description-calendar-buckets-aligned',
          'Calendar buckets, aligned in the time zone'
        )}
        {...form.mark('interval')}
      >
        <div data-testid={testIds.form.field('interval')}>
          <RadioButtonGroup options={INTERVAL_OPTIONS} value={d.interval} onChange={form.set('interval')} />
        </div>
      </Field>
      <SelectField
        label={t('pages.computation-fields.label-time-zone', 'Time zone')}
        name="timezone"
        width={40}
        options={timeZones().map((z) => ({ label: z, value: z }))}
        value={d.timezone}
        allowCustomValue
        onChange={form.set('timezone')}
        failure={form.marked}
      />
      <Field label={t('pages.computation-fields.label-missing-data', 'Missing data')} {...form.mark('missing')}>
        <RadioButtonGroup options={missingOptions()} value={d.missing} onChange={form.set('missing')} />
      </Field>
      <Field
        htmlFor="covenant-calendarId"
        label={t('pages.tracker-fields.label-calendar', 'Service calendar')}
        description={t(
          'pages.tracker-fields.description-calendar',
          'Buckets without working time on this calendar (weekends, holidays, exclusions) are not evaluated'
        )}
        {...form.mark('calendarId')}
      >
        <div data-testid={testIds.form.field('calendarId')}>
          <CalendarSelect
            inputId="covenant-calendarId"
            calendars={calendars}
            value={d.calendarId}
            placeholder={t('pages.tracker-fields.placeholder-calendar', 'None: every bucket is evaluated')}
            onChange={(id) => {
              form.set('calendarId')(id ?? '');
              if (!id) {
                form.set('workingTimeOnly')(false);
              }
            }}
          />
        </div>
      </Field>
      <Field
        description={t(
          'pages.tracker-fields.description-working-time-only',
          'For availability during business hours: rows outside working time, on holidays or in exclusions are left out of every bucket'
        )}
        {...form.mark('workingTimeOnly')}
      >
        <Checkbox
          data-testid={testIds.form.field('workingTimeOnly')}
          label={t('pages.tracker-fields.label-working-time-only', 'Count only rows in working time')}
          value={d.workingTimeOnly}
          disabled={!d.calendarId}
          onChange={(e) => form.set('workingTimeOnly')(e.currentTarget.checked)}
        />
      </Field>
    </FieldSet>
  );
}

/** How the KPI's direction reads the target: "At least this value meets the target". */
const targetMeets = (kpi: KPI) =>
  kpi.direction === 'lower_is_better'
    ? t('pages.target-meets.at-most', 'At most this value meets the target')
    : t('pages.target-meets.at-least', 'At least this value meets the target');

/** What the tracker aims at: the target (constant or scheduled), the amber tolerance, the trend and the decimals. */
export function TargetFields({ form, kpi }: Props & { kpi?: KPI }) {
  const d = form.draft;
  return (
    <FieldSet label={t('pages.target-fields.label-target', 'Target')}>
      <TargetEditor
        label={t('pages.target-fields.label-target', 'Target')}
        description={kpi && targetMeets(kpi)}
        {...form.bind('target', { preview: true })}
      />
      <Field
        label={t('pages.target-fields.label-amber-tolerance', 'Amber tolerance')}
        description={t(
          'pages.target-fields.description-amber-tolerance',
          'A miss within this distance of the target is amber, beyond it red'
        )}
        {...form.mark('tolerance')}
      >
        <Stack gap={1}>
          <Input
            aria-label={t('pages.target-fields.aria-label-tolerance', 'Tolerance')}
            width={15}
            {...form.input('tolerance', 'tolerance.value')}
          />
          <RadioButtonGroup
            options={toleranceKinds()}
            value={d.tolerancePercent}
            onChange={form.set('tolerancePercent')}
          />
        </Stack>
      </Field>
      <TextField
        label={t('pages.target-fields.label-trend-window', 'Trend window')}
        description={t(
          'pages.target-fields.description-closed-buckets-trend-fitted-default',
          'Closed buckets the trend is fitted over (default 6)'
        )}
        width={10}
        {...form.text('trendWindow', { preview: true })}
      />
      <TextField label={t('pages.target-fields.label-decimals', 'Decimals')} width={10} {...form.text('decimals')} />
    </FieldSet>
  );
}
