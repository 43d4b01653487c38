import { t } from '@grafana/i18n';
import React from 'react';
import type { Agreement, Assignment, ComplianceMode, Contract, Tracker } from '../../shared/types';
import { TextField, parseNumber } from '../../components/form';
import { RegistryForm, useRegistryForm } from '../../components/RegistryForm';
import { CostFields, CoveredTrackersField, OutcomeFields, PeriodFields } from './AgreementFields';

/** The agreement form's fields as typed. */
export interface Draft {
  name: string;
  kind: Agreement['period']['kind'];
  timezone: string;
  from: string;
  to: string;
  target: string;
  /** Covered assignments: weight and mode. */
  covered: Record<string, { weight: string; mode: ComplianceMode }>;
  impact: string;
  cap: string;
  precision: string;
  bands: Array<{ from: string; to: string; amount: string; percent: boolean }>;
  milestones: Array<{ name: string; condition: string }>;
}

/** The draft of a stored agreement, or of a new one covering every assignment. */
export function toDraft(g: Agreement | undefined, assignments: Assignment[]): Draft {
  const covered = g?.trackers ?? assignments.map((a) => ({ assignmentId: a.id, weight: a.weight, mode: undefined }));
  return {
    name: g?.name ?? '',
    kind: g?.period.kind ?? 'quarter',
    timezone: g?.period.timezone ?? 'UTC',
    from: g?.period.from ?? '',
    to: g?.period.to ?? '',
    target: String(g?.complianceTarget ?? 95),
    covered: Object.fromEntries(
      covered.map((t) => [t.assignmentId, { weight: String(t.weight || 1), mode: t.mode ?? 'timeslice' }])
    ),
    impact: g?.impactCostPerMiss ? String(g.impactCostPerMiss) : '',
    cap: g?.penaltyCap ? String(g.penaltyCap) : '',
    precision: g?.precision === undefined ? '' : String(g.precision),
    bands: (g?.bands ?? []).map((b) => ({
      from: String(b.from),
      to: String(b.to),
      amount: String(b.amount),
      percent: Boolean(b.percent),
    })),
    milestones: g?.milestones ?? [],
  };
}

/** The agreement a draft describes (numbers checked here, the rest by the backend). */
export function agreementBody(d: Draft, contractId: string, base?: Agreement): Partial<Agreement> {
  return {
    ...(base ? { id: base.id, version: base.version } : {}),
    name: d.name.trim(),
    contractId,
    period: {
      kind: d.kind,
      timezone: d.timezone || undefined,
      ...(d.kind === 'custom' ? { from: d.from, to: d.to } : {}),
    },
    complianceTarget: parseNumber(d.target, 'complianceTarget', true) as number,
    trackers: Object.entries(d.covered).map(([assignmentId, c], i) => ({
      assignmentId,
      weight: parseNumber(c.weight, `trackers[${i}].weight`, true) as number,
      ...(c.mode === 'occurrence' ? { mode: c.mode } : {}),
    })),
    impactCostPerMiss: parseNumber(d.impact, 'impactCostPerMiss'),
    penaltyCap: parseNumber(d.cap, 'penaltyCap'),
    precision: parseNumber(d.precision, 'precision'),
    bands: d.bands.map((b, i) => ({
      from: parseNumber(b.from, `bands[${i}].from`, true) as number,
      to: parseNumber(b.to, `bands[${i}].to`, true) as number,
      amount: parseNumber(b.amount, `bands[${i}].amount`, true) as number,
      ...(b.percent ? { percent: true } : {}),
    })),
    milestones: d.milestones.filter((m) => m.name.trim() || m.condition.trim()),
  };
}

/** Create or edit an agreement: period, target, covered trackers (weight, mode), costs, bands, milestones. */
export function AgreementForm({
  contract,
  agreement: g,
  assignments,
  trackers,
  assignmentName,
  onDone,
  onCancel,
}: {
  contract: Contract;
  agreement?: Agreement;
  assignments: Assignment[];
  trackers: Tracker[];
  assignmentName: (id: string) => string;
  onDone: () => void;
  onCancel: () => void;
}) {
  const form = useRegistryForm<Draft, Agreement>({
    kind: 'agreements',
    stored: g,
    initial: () => toDraft(g, assignments),
    body: (d) => agreementBody(d, contract.id, g),
    onSaved: onDone,
  });
  return (
    <RegistryForm
      form={form}
      label={
        g
          ? t('pages.agreement-form.label-edit', 'Edit {{- name}}', { name: g.name })
          : t('pages.agreement-form.label-new-agreement', 'New agreement')
      }
      buttons={{ label: t('pages.agreement-form.label.save-agreement', 'Save agreement'), onCancel }}
    >
      <TextField label={t('pages.agreement-form.label-name', 'Name')} required {...form.text('name')} />
      <PeriodFields form={form} />
      <TextField
        label={t('pages.agreement-form.label-compliance-target', 'Compliance target (%)')}
        description={t(
          'pages.agreement-form.description-compliance-target',
          'The share of closed buckets (or resolved requests) that must be met over the period'
        )}
        width={12}
        {...form.text('target', { name: 'complianceTarget' })}
      />
      <CoveredTrackersField form={form} assignments={assignments} trackers={trackers} assignmentName={assignmentName} />
      <CostFields form={form} />
      <OutcomeFields form={form} />
    </RegistryForm>
  );
}
