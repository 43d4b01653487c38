import { t } from '@grafana/i18n';
import React from 'react';
import { dateTimeFormat, dateTimeForTimeZone } from '@grafana/data';
import { Field, Input, RadioButtonGroup } from '@grafana/ui';
import type { ApiFailure } from '../shared/api';
import { unescaped } from '../shared/i18n';
import { testIds } from '../shared/testIds';
import type { Target } from '../shared/types';
import { fieldError, invalid, parseNumber } from './form';
import { RowList, type TextColumn } from './RowList';

/** A target as typed: a constant, or dated steps (dates are local midnights in the tracker's zone). */
export interface TargetDraft {
  kind: 'constant' | 'schedule';
  constant: string;
  steps: Array<{ from: string; value: string }>;
}

/** IANA time zones the browser knows, UTC first. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  const all = intl.supportedValuesOf?.('timeZone') ?? [];
  return ['UTC', ...all.filter((z) => z !== 'UTC')];
}

/** The draft of a stored target; schedule instants are shown as dates in the zone. */
export function toTargetDraft(t: Target | undefined, zone: string): TargetDraft {
  if (t?.schedule?.length) {
    return {
      kind: 'schedule',
      constant: '',
      steps: t.schedule.map((s) => ({
        from: dateTimeFormat(s.from, { timeZone: zone || 'UTC', format: 'YYYY-MM-DD' }),
        value: String(s.value),
      })),
    };
  }
  return { kind: 'constant', constant: t?.constant === undefined ? '' : String(t.constant), steps: [] };
}

/** The target a draft describes; each date becomes local midnight in the zone. Invalid numbers name their field. */
export function fromTargetDraft(d: TargetDraft, zone: string, field: string): Target {
  if (d.kind === 'constant') {
    return { constant: parseNumber(d.constant, `${field}.constant`, true) };
  }
  if (d.steps.length === 0) {
    invalid(
      `${field}.schedule`,
      t('components.target-editor.error-schedule-empty', 'is empty: add at least one step, or use a constant target')
    );
  }
  return {
    schedule: d.steps.map((s, i) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(s.from)) {
        invalid(
          `${field}.schedule[${i}].from`,
          t('components.target-editor.error-step-not-a-date', 'is not a date: pick the day the target takes effect')
        );
      }
      return {
        from: dateTimeForTimeZone(zone || 'UTC', s.from, 'YYYY-MM-DD').toISOString(),
        value: parseNumber(s.value, `${field}.schedule[${i}].value`, true) as number,
      };
    }),
  };
}

const kinds = () => [
  { label: t('components.target-editor.kind-constant', 'Constant'), value: 'constant' as const },
  {
    label: t('components.target-editor.kind-schedule', 'Schedule'),
    value: 'schedule' as const,
    description: t('components.target-editor.kind-schedule-description', 'Targets that change on given dates'),
  },
];

/** A schedule's steps: the day each takes effect and its value (test ids as the backend names the fields). */
const stepColumns = (field: string): Array<TextColumn<TargetDraft['steps'][number]>> => [
  {
    key: 'from',
    label: t('components.step-columns.label.from', 'from'),
    width: 20,
    type: 'date',
    testId: (i) => testIds.form.field(`${field}.schedule[${i}].from`),
  },
  {
    key: 'value',
    label: t('components.step-columns.label.value', 'value'),
    width: 14,
    testId: (i) => testIds.form.field(`${field}.schedule[${i}].value`),
  },
];

/** Edits a target: a constant, or a schedule of effective-dated steps. */
export function TargetEditor({
  label,
  description,
  name: field,
  value,
  onChange,
  failure,
}: {
  label: string;
  description?: string;
  /** The JSON field of the target, e.g. target or targetOverride. */
  name: string;
  value: TargetDraft;
  onChange: (d: TargetDraft) => void;
  failure?: ApiFailure;
}) {
  const error = fieldError(failure, field);
  return (
    <Field label={label} description={description} invalid={Boolean(error)} error={error}>
      <div data-testid={testIds.form.field(field)}>
        <RadioButtonGroup
          options={kinds()}
          value={value.kind}
          size="sm"
          onChange={(kind) =>
            onChange({
              ...value,
              kind,
              steps:
                kind === 'schedule' && value.steps.length === 0 ? [{ from: '', value: value.constant }] : value.steps,
            })
          }
        />
        {value.kind === 'constant' ? (
          <Input
            aria-label={t('components.target-editor.aria-label-constant', '{{label}}: constant', {
              label,
              ...unescaped,
            })}
            data-testid={testIds.form.field(`${field}.constant`)}
            width={20}
            value={value.constant}
            onChange={(e) => onChange({ ...value, constant: e.currentTarget.value })}
          />
        ) : (
          <RowList
            items={value.steps}
            onChange={(steps) => onChange({ ...value, steps })}
            newItem={() => ({ from: '', value: '' })}
            noun={t('components.target-editor.noun-step', 'step')}
            columns={stepColumns(field)}
          />
        )}
      </div>
    </Field>
  );
}
