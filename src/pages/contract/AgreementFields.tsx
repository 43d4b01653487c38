import { t } from '@grafana/i18n';
import React from 'react';
import { Checkbox, Field, Input, RadioButtonGroup, Select, Stack } from '@grafana/ui';
import { testIds } from '../../shared/testIds';
import { PERIOD_KINDS, type Assignment, type ComplianceMode, type Tracker } from '../../shared/types';
import { timeZones } from '../../components/TargetEditor';
import { TextField } from '../../components/form';
import type { RegistryFormState } from '../../components/RegistryForm';
import { RowListField, type TextColumn } from '../../components/RowList';
import type { Draft } from './AgreementForm';
import { periodKindText } from '../../shared/labels';

/** The agreement form's field groups, each bound to the form's draft. */
type Props = { form: RegistryFormState<Draft> };

/** How a covered tracker counts, built on render (its words are translated). */
function modes() {
  return [
    {
      label: t('pages.modes.label-time-slices', 'time slices'),
      value: 'timeslice' as ComplianceMode,
      description: t('pages.modes.description-time-slices', 'Met closed buckets'),
    },
    {
      label: t('pages.modes.label-requests', 'requests'),
      value: 'occurrence' as ComplianceMode,
      description: t(
        'pages.modes.description-requests',
        'Met resolved requests (a ratio tracker on a KPI with a status column)'
      ),
    },
  ];
}

/** The review period: its kind and time zone, and the dates of a custom one. */
export function PeriodFields({ form }: Props) {
  const d = form.draft;
  return (
    <>
      <Field label={t('pages.period-fields.label-review-period', 'Review period')} {...form.mark('period')}>
        <Stack gap={1} wrap="wrap">
          <RadioButtonGroup
            options={PERIOD_KINDS.map((k) => ({ label: periodKindText(k), value: k }))}
            value={d.kind}
            onChange={form.set('kind')}
          />
          {/* eslint-disable-next-line @typescript-eslint/no-deprecated */}
          <Select
            aria-label={t('pages.period-fields.aria-label-time-zone', 'Time zone')}
            width={30}
            options={timeZones().map((z) => ({ label: z, value: z }))}
            value={d.timezone}
            onChange={(o) => o?.value && form.set('timezone')(o.value)}
          />
        </Stack>
      </Field>
      {d.kind === 'custom' && (
        <Stack gap={2}>
          <TextField
            label={t('pages.period-fields.label-from', 'From')}
            type="date"
            {...form.text('from', { name: 'period.from' })}
          />
          <TextField
            label={t('pages.period-fields.label-to-exclusive', 'To (exclusive)')}
            type="date"
            {...form.text('to', { name: 'period.to' })}
          />
        </Stack>
      )}
    </>
  );
}

/** The contract's assignments the agreement covers, each with its weight and how it counts. */
export function CoveredTrackersField({
  form,
  assignments,
  trackers,
  assignmentName,
}: Props & {
  assignments: Assignment[];
  trackers: Tracker[];
  assignmentName: (id: string) => string;
}) {
  // Only a ratio tracker's assignment may count requests.
  const isRatio = (a: Assignment) => trackers.find((t) => t.id === a.trackerId)?.method === 'ratio';
  const covered = form.draft.covered;
  const setCovered = form.set('covered');
  const modeOptions = modes();
  return (
    <Field
      label={t(
        'pages.covered-trackers-field.label-trackers-weights-and-how-they-count',
        'Trackers, weights and how they count'
      )}
      {...form.mark('trackers')}
    >
      <Stack direction="column" gap={0.5}>
        {assignments.map((a) => {
          const c = covered[a.id];
          return (
            <Stack key={a.id} gap={1} alignItems="center" wrap="wrap">
              <Checkbox
                label={assignmentName(a.id)}
                value={Boolean(c)}
                onChange={() => {
                  const next = { ...covered };
                  if (c) {
                    delete next[a.id];
                  } else {
                    next[a.id] = { weight: String(a.weight || 1), mode: 'timeslice' };
                  }
                  setCovered(next);
                }}
              />
              {c && (
                <>
                  <Input
                    aria-label={t('pages.covered-trackers-field.aria-label-weight-of', 'Weight of {{- name}}', {
                      name: assignmentName(a.id),
                    })}
                    width={10}
                    value={c.weight}
                    onChange={(e) => setCovered({ ...covered, [a.id]: { ...c, weight: e.currentTarget.value } })}
                  />
                  <RadioButtonGroup
                    size="sm"
                    options={isRatio(a) ? modeOptions : modeOptions.slice(0, 1)}
                    value={c.mode}
                    onChange={(mode) => setCovered({ ...covered, [a.id]: { ...c, mode } })}
                  />
                </>
              )}
            </Stack>
          );
        })}
      </Stack>
    </Field>
  );
}

/** What misses cost: the impact cost per miss, the penalty cap, and the precision compliance is stated at. */
export function CostFields({ form }: Props) {
  return (
    <Stack gap={2}>
      <TextField
        label={t('pages.cost-fields.label-impact-cost-per-miss', 'Impact cost per miss')}
        width={16}
        {...form.text('impact', { name: 'impactCostPerMiss' })}
      />
      <TextField
        label={t('pages.cost-fields.label-penalty-cap', 'Penalty cap')}
        description={t('pages.cost-fields.description-or-empty-no-cap', '0 or empty: no cap')}
        width={16}
        {...form.text('cap', { name: 'penaltyCap' })}
      />
      <TextField
        label={t('pages.cost-fields.label-precision', 'Precision')}
        description={t(
          'pages.cost-fields.description-decimals-compliance-stated-rounded-empty',
          'Decimals compliance is stated at (rounded half up); empty: 2'
        )}
        width={16}
        {...form.text('precision')}
      />
    </Stack>
  );
}

/** A band's inputs, built on render (their labels are translated). */
function bandColumns(): Array<TextColumn<Draft['bands'][number]>> {
  return [
    { key: 'from', label: t('pages.band-columns.label-from', 'from %'), width: 10 },
    { key: 'to', label: t('pages.band-columns.label-to', 'to %'), width: 10 },
    { key: 'amount', label: t('pages.band-columns.label-amount', 'amount'), width: 14 },
  ];
}

/** A milestone's inputs, built on render (their labels are translated). */
function milestoneColumns(): Array<TextColumn<Draft['milestones'][number]>> {
  return [
    { key: 'name', label: t('pages.milestone-columns.label-name', 'name'), width: 24 },
    {
      key: 'condition',
      label: t('pages.milestone-columns.label-condition', 'condition'),
      width: 30,
      testId: (i) => testIds.form.field(`milestones[${i}].condition`),
    },
  ];
}

/**
 * What compliance leads to: the penalty and reward bands (compliance from–to % and an amount, or a % of
 * the contract's value), and the milestones, named conditions checked at each evaluation.
 */
export function OutcomeFields({ form }: Props) {
  return (
    <>
      <RowListField
        label={t('pages.outcome-fields.label-penalty-and-reward-bands', 'Penalty and reward bands')}
        description={t(
          'pages.outcome-fields.description-bands',
          "Compliance from–to %, contiguous: 95–99 then 99–100, or as contracts write them at the precision, 92–94.99 then 95–98.99 (an upper edge that no band starts at is included). A negative amount is a penalty, a positive one a reward; % makes it a share of the contract's value."
        )}
        noun={t('pages.outcome-fields.noun-band', 'band')}
        newItem={(last) => ({ from: last?.to ?? '', to: '', amount: '', percent: false })}
        columns={bandColumns()}
        {...form.bind('bands')}
      >
        {(b, _, setBand) => (
          <Checkbox
            label={t('pages.outcome-fields.label-of-value', '% of value')}
            value={b.percent}
            onChange={(e) => setBand({ percent: e.currentTarget.checked })}
          />
        )}
      </RowListField>
      <RowListField
        label={t('pages.outcome-fields.label-milestones', 'Milestones')}
        description={t(
          'pages.outcome-fields.description-milestones',
          'Checked at each evaluation, e.g. compliance < 95, status = at_risk, consecutive_misses >= 3, at_risk_requests > 0'
        )}
        noun={t('pages.outcome-fields.noun-milestone', 'milestone')}
        newItem={() => ({ name: '', condition: '' })}
        columns={milestoneColumns()}
        {...form.bind('milestones')}
      />
    </>
  );
}
