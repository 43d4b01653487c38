import React, { useState } from 'react';
import { Checkbox, Field, Input, RadioButtonGroup, Select, Stack } from '@grafana/ui';
import { createRegistry, updateRegistry } from '../../shared/api';
import { testIds } from '../../shared/testIds';
import {
  PERIOD_KINDS,
  type Agreement,
  type Assignment,
  type ComplianceMode,
  type Contract,
  type Tracker,
} from '../../shared/types';
import { useCovenant } from '../../components/CovenantContext';
import { timeZones } from '../../components/TargetEditor';
import { ModalButtons, SaveFailure, TextField, fieldError, parseNumber, useSubmit } from '../../components/form';
import { RowList } from '../../components/RowList';

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

const MODES = [
  { label: 'time slices', value: 'timeslice' as ComplianceMode, description: 'Met closed buckets' },
  {
    label: 'requests',
    value: 'occurrence' as ComplianceMode,
    description: 'Met resolved requests (a ratio tracker on a KPI with a status column)',
  },
];

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
  const { ds } = useCovenant();
  const [d, setD] = useState<Draft>(() => toDraft(g, assignments));
  const set =
    <K extends keyof Draft>(k: K) =>
    (v: Draft[K]) =>
      setD((prev) => ({ ...prev, [k]: v }));
  const { saving, failure, submit } = useSubmit(() => {
    const body = agreementBody(d, contract.id, g);
    return g
      ? updateRegistry<Agreement>(ds.uid, 'agreements', body as Agreement)
      : createRegistry<Agreement>(ds.uid, 'agreements', body);
  }, onDone);
  const err = (f: string) => fieldError(failure, f);
  const isRatio = (assignmentId: string) => {
    const a = assignments.find((x) => x.id === assignmentId);
    return trackers.find((t) => t.id === a?.trackerId)?.method === 'ratio';
  };
  return (
    <form
      aria-label={g ? `Edit ${g.name}` : 'New agreement'}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <TextField label="Name" name="name" value={d.name} onChange={set('name')} failure={failure} required />
      <Field label="Review period" invalid={Boolean(err('period'))} error={err('period')}>
        <Stack gap={1} wrap="wrap">
          <RadioButtonGroup
            options={PERIOD_KINDS.map((k) => ({ label: k, value: k }))}
            value={d.kind}
            onChange={set('kind')}
          />
          {/* eslint-disable-next-line @typescript-eslint/no-deprecated */}
          <Select
            aria-label="Time zone"
            width={30}
            options={timeZones().map((z) => ({ label: z, value: z }))}
            value={d.timezone}
            onChange={(o) => o?.value && set('timezone')(o.value)}
          />
        </Stack>
      </Field>
      {d.kind === 'custom' && (
        <Stack gap={2}>
          <TextField
            label="From"
            name="period.from"
            type="date"
            value={d.from}
            onChange={set('from')}
            failure={failure}
          />
          <TextField
            label="To (exclusive)"
            name="period.to"
            type="date"
            value={d.to}
            onChange={set('to')}
            failure={failure}
          />
        </Stack>
      )}
      <TextField
        label="Compliance target (%)"
        name="complianceTarget"
        description="The share of closed buckets (or resolved requests) that must be met over the period"
        value={d.target}
        onChange={set('target')}
        failure={failure}
        width={12}
      />
      <Field label="Trackers, weights and how they count" invalid={Boolean(err('trackers'))} error={err('trackers')}>
        <Stack direction="column" gap={0.5}>
          {assignments.map((a) => {
            const c = d.covered[a.id];
            return (
              <Stack key={a.id} gap={1} alignItems="center" wrap="wrap">
                <Checkbox
                  label={assignmentName(a.id)}
                  value={Boolean(c)}
                  onChange={() => {
                    const next = { ...d.covered };
                    if (c) {
                      delete next[a.id];
                    } else {
                      next[a.id] = { weight: String(a.weight || 1), mode: 'timeslice' };
                    }
                    set('covered')(next);
                  }}
                />
                {c && (
                  <>
                    <Input
                      aria-label={`Weight of ${assignmentName(a.id)}`}
                      width={10}
                      value={c.weight}
                      onChange={(e) =>
                        set('covered')({ ...d.covered, [a.id]: { ...c, weight: e.currentTarget.value } })
                      }
                    />
                    <RadioButtonGroup
                      size="sm"
                      options={isRatio(a.id) ? MODES : MODES.slice(0, 1)}
                      value={c.mode}
                      onChange={(mode) => set('covered')({ ...d.covered, [a.id]: { ...c, mode } })}
                    />
                  </>
                )}
              </Stack>
            );
          })}
        </Stack>
      </Field>
      <Stack gap={2}>
        <TextField
          label="Impact cost per miss"
          name="impactCostPerMiss"
          value={d.impact}
          onChange={set('impact')}
          failure={failure}
          width={16}
        />
        <TextField
          label="Penalty cap"
          name="penaltyCap"
          description="0 or empty: no cap"
          value={d.cap}
          onChange={set('cap')}
          failure={failure}
          width={16}
        />
        <TextField
          label="Precision"
          name="precision"
          description="Decimals compliance is stated at (rounded half up); empty: 2"
          value={d.precision}
          onChange={set('precision')}
          failure={failure}
          width={16}
        />
      </Stack>
      <Field
        label="Penalty and reward bands"
        description="Compliance from–to %, contiguous: 95–99 then 99–100, or as contracts write them at the precision, 92–94.99 then 95–98.99 (an upper edge that no band starts at is included). A negative amount is a penalty, a positive one a reward; % makes it a share of the contract's value."
        invalid={Boolean(err('bands'))}
        error={err('bands')}
      >
        <RowList
          items={d.bands}
          onChange={set('bands')}
          newItem={(last) => ({ from: last?.to ?? '', to: '', amount: '', percent: false })}
          noun="band"
        >
          {(b, i, setBand) => (
            <>
              <Input
                aria-label={`Band ${i + 1}: from %`}
                width={10}
                value={b.from}
                onChange={(e) => setBand({ from: e.currentTarget.value })}
              />
              <Input
                aria-label={`Band ${i + 1}: to %`}
                width={10}
                value={b.to}
                onChange={(e) => setBand({ to: e.currentTarget.value })}
              />
              <Input
                aria-label={`Band ${i + 1}: amount`}
                width={14}
                value={b.amount}
                onChange={(e) => setBand({ amount: e.currentTarget.value })}
              />
              <Checkbox
                label="% of value"
                value={b.percent}
                onChange={(e) => setBand({ percent: e.currentTarget.checked })}
              />
            </>
          )}
        </RowList>
      </Field>
      <Field
        label="Milestones"
        description="Checked at each evaluation, e.g. compliance < 95, status = at_risk, consecutive_misses >= 3, at_risk_requests > 0"
        invalid={Boolean(err('milestones'))}
        error={err('milestones')}
      >
        <RowList
          items={d.milestones}
          onChange={set('milestones')}
          newItem={() => ({ name: '', condition: '' })}
          noun="milestone"
        >
          {(m, i, setMilestone) => (
            <>
              <Input
                aria-label={`Milestone ${i + 1}: name`}
                width={24}
                value={m.name}
                onChange={(e) => setMilestone({ name: e.currentTarget.value })}
              />
              <Input
                aria-label={`Milestone ${i + 1}: condition`}
                data-testid={testIds.form.field(`milestones[${i}].condition`)}
                width={30}
                value={m.condition}
                onChange={(e) => setMilestone({ condition: e.currentTarget.value })}
              />
            </>
          )}
        </RowList>
      </Field>
      <SaveFailure failure={failure} />
      <ModalButtons saving={saving} label="Save agreement" onCancel={onCancel} />
    </form>
  );
}
