import React, { useState } from 'react';
import {
  Button,
  Checkbox,
  EmptyState,
  Field,
  IconButton,
  Input,
  Modal,
  RadioButtonGroup,
  Select,
  Stack,
  useStyles2,
} from '@grafana/ui';
import { createRegistry, listAll, updateRegistry } from '../../shared/api';
import { useLoad } from '../../shared/hooks';
import { testIds } from '../../shared/testIds';
import { PERIOD_KINDS, type Agreement, type Assignment, type Contract, type Tracker } from '../../shared/types';
import { useCovenant } from '../../components/CovenantContext';
import { LoadedView } from '../../components/Loaded';
import { getStyles } from '../../components/RegistryTable';
import { RemovalDialog, useRemoval } from '../../components/Removal';
import { timeZones } from '../../components/TargetEditor';
import { SaveFailure, TextField, fieldError, parseNumber, useSubmit } from '../../components/form';

/** "quarter (Europe/London)", "2026-01-01 → 2026-10-01 (UTC)". */
export function periodText(p: Agreement['period']): string {
  const zone = p.timezone || 'UTC';
  return p.kind === 'custom' ? `${p.from} → ${p.to} (${zone})` : `${p.kind} (${zone})`;
}

/** "penalty 1,000 for 95–99 %". */
export function bandText(b: { from: number; to: number; amount: number }): string {
  const kind = b.amount < 0 ? 'penalty' : 'reward';
  return `${kind} ${Math.abs(b.amount).toLocaleString('en')} for ${b.from}–${b.to} %`;
}

/** A contract's agreements: compliance targets over review periods on some of its trackers. */
export function AgreementsTab({ contract }: { contract: Contract }) {
  const { ds } = useCovenant();
  const data = useLoad(
    async () => ({
      agreements: await listAll<Agreement>(ds.uid, 'agreements', { contractId: contract.id }),
      assignments: await listAll<Assignment>(ds.uid, 'assignments', { contractId: contract.id }),
      trackers: await listAll<Tracker>(ds.uid, 'trackers'),
    }),
    [ds.uid, contract.id]
  );
  return (
    <LoadedView loaded={data} what="the agreements">
      {(v) => <Agreements contract={contract} {...v} reload={data.reload} />}
    </LoadedView>
  );
}

function Agreements({
  contract,
  agreements,
  assignments,
  trackers,
  reload,
}: {
  contract: Contract;
  agreements: Agreement[];
  assignments: Assignment[];
  trackers: Tracker[];
  reload: () => void;
}) {
  const { canWrite, writeRole } = useCovenant();
  const styles = useStyles2(getStyles);
  const [editing, setEditing] = useState<Agreement | 'new'>();
  const removal = useRemoval<Agreement>('agreements', reload);
  const trackerName = new Map(trackers.map((t) => [t.id, t.name]));
  const assignmentName = (id: string) => {
    const a = assignments.find((x) => x.id === id);
    return a ? (trackerName.get(a.trackerId) ?? a.trackerId) : id;
  };
  return (
    <div data-testid={testIds.contract.agreements}>
      <div className={styles.toolbar}>
        <p>Compliance targets over review periods, on trackers of this contract.</p>
        {canWrite ? (
          <Button
            icon="plus"
            onClick={() => setEditing('new')}
            disabled={assignments.length === 0}
            data-testid={testIds.contract.newAgreement}
          >
            New agreement
          </Button>
        ) : (
          <span className={styles.muted}>Changes need the {writeRole} role.</span>
        )}
      </div>
      <RemovalDialog
        removal={removal}
        title="Delete agreement"
        body={(g) => `Delete “${g.name}”?`}
        refused="The agreement was not deleted"
      />
      {agreements.length === 0 ? (
        <EmptyState variant="call-to-action" message="No agreements yet">
          <p>
            {assignments.length === 0
              ? 'Assign trackers to the contract first (Trackers tab); an agreement covers some of them.'
              : 'An agreement sets a compliance target, e.g. “met 95 % of the days each quarter”, with penalties or rewards.'}
          </p>
        </EmptyState>
      ) : (
        <table className={styles.table}>
          <thead>
            <tr>
              <th>Agreement</th>
              <th>Review period</th>
              <th className={styles.num}>Target</th>
              <th>Trackers (weight)</th>
              <th>Impact cost per miss</th>
              <th>Penalties and rewards</th>
              {canWrite && <th aria-label="Actions" />}
            </tr>
          </thead>
          <tbody>
            {agreements.map((g) => (
              <tr key={g.id} data-testid={testIds.contract.agreement(g.id)}>
                <td>{g.name}</td>
                <td>{periodText(g.period)}</td>
                <td className={styles.num}>{g.complianceTarget} %</td>
                <td>{g.trackers.map((t) => `${assignmentName(t.assignmentId)} (${t.weight})`).join(', ')}</td>
                <td>{g.impactCostPerMiss ? g.impactCostPerMiss.toLocaleString('en') : ''}</td>
                <td>
                  {(g.bands ?? []).map(bandText).join('; ')}
                  {g.penaltyCap ? ` · cap ${g.penaltyCap.toLocaleString('en')}` : ''}
                </td>
                {canWrite && (
                  <td className={styles.actions}>
                    <IconButton name="pen" tooltip="Edit" onClick={() => setEditing(g)} />
                    <IconButton name="trash-alt" tooltip="Delete" onClick={() => removal.ask(g)} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && (
        <Modal
          title={editing === 'new' ? 'New agreement' : `Edit ${editing.name}`}
          isOpen
          onDismiss={() => setEditing(undefined)}
        >
          <AgreementForm
            contract={contract}
            agreement={editing === 'new' ? undefined : editing}
            assignments={assignments}
            assignmentName={assignmentName}
            onDone={() => {
              setEditing(undefined);
              reload();
            }}
            onCancel={() => setEditing(undefined)}
          />
        </Modal>
      )}
    </div>
  );
}

interface Draft {
  name: string;
  kind: Agreement['period']['kind'];
  timezone: string;
  from: string;
  to: string;
  target: string;
  weights: Record<string, string>;
  impact: string;
  cap: string;
  bands: Array<{ from: string; to: string; amount: string }>;
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
    trackers: Object.entries(d.weights).map(([assignmentId, w], i) => ({
      assignmentId,
      weight: parseNumber(w, `trackers[${i}].weight`, true) as number,
    })),
    impactCostPerMiss: parseNumber(d.impact, 'impactCostPerMiss'),
    penaltyCap: parseNumber(d.cap, 'penaltyCap'),
    bands: d.bands.map((b, i) => ({
      from: parseNumber(b.from, `bands[${i}].from`, true) as number,
      to: parseNumber(b.to, `bands[${i}].to`, true) as number,
      amount: parseNumber(b.amount, `bands[${i}].amount`, true) as number,
    })),
  };
}

function AgreementForm({
  contract,
  agreement: g,
  assignments,
  assignmentName,
  onDone,
  onCancel,
}: {
  contract: Contract;
  agreement?: Agreement;
  assignments: Assignment[];
  assignmentName: (id: string) => string;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { ds } = useCovenant();
  const [d, setD] = useState<Draft>(() => ({
    name: g?.name ?? '',
    kind: g?.period.kind ?? 'quarter',
    timezone: g?.period.timezone ?? 'UTC',
    from: g?.period.from ?? '',
    to: g?.period.to ?? '',
    target: String(g?.complianceTarget ?? 95),
    weights: Object.fromEntries(
      (g?.trackers ?? assignments.map((a) => ({ assignmentId: a.id, weight: a.weight }))).map((t) => [
        t.assignmentId,
        String(t.weight),
      ])
    ),
    impact: g?.impactCostPerMiss ? String(g.impactCostPerMiss) : '',
    cap: g?.penaltyCap ? String(g.penaltyCap) : '',
    bands: (g?.bands ?? []).map((b) => ({ from: String(b.from), to: String(b.to), amount: String(b.amount) })),
  }));
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
  const setBand = (i: number, k: 'from' | 'to' | 'amount', v: string) =>
    set('bands')(d.bands.map((b, j) => (j === i ? { ...b, [k]: v } : b)));
  return (
    <form
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
        description="Share of closed buckets that must be met over the period"
        value={d.target}
        onChange={set('target')}
        failure={failure}
        width={12}
      />
      <Field label="Trackers and weights" invalid={Boolean(err('trackers'))} error={err('trackers')}>
        <Stack direction="column" gap={0.5}>
          {assignments.map((a) => {
            const on = d.weights[a.id] !== undefined;
            return (
              <Stack key={a.id} gap={1} alignItems="center">
                <Checkbox
                  label={assignmentName(a.id)}
                  value={on}
                  onChange={() => {
                    const next = { ...d.weights };
                    if (on) {
                      delete next[a.id];
                    } else {
                      next[a.id] = String(a.weight || 1);
                    }
                    set('weights')(next);
                  }}
                />
                {on && (
                  <Input
                    aria-label={`Weight of ${assignmentName(a.id)}`}
                    width={10}
                    value={d.weights[a.id]}
                    onChange={(e) => set('weights')({ ...d.weights, [a.id]: e.currentTarget.value })}
                  />
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
          value={d.cap}
          onChange={set('cap')}
          failure={failure}
          width={16}
        />
      </Stack>
      <Field
        label="Penalty and reward bands"
        description="Compliance from–to % (contiguous); a negative amount is a penalty, a positive one a reward"
        invalid={Boolean(err('bands'))}
        error={err('bands')}
      >
        <Stack direction="column" gap={0.5}>
          {d.bands.map((b, i) => (
            <Stack key={i} gap={1} alignItems="center">
              <Input
                aria-label={`Band ${i + 1}: from %`}
                width={10}
                value={b.from}
                onChange={(e) => setBand(i, 'from', e.currentTarget.value)}
              />
              <Input
                aria-label={`Band ${i + 1}: to %`}
                width={10}
                value={b.to}
                onChange={(e) => setBand(i, 'to', e.currentTarget.value)}
              />
              <Input
                aria-label={`Band ${i + 1}: amount`}
                width={14}
                value={b.amount}
                onChange={(e) => setBand(i, 'amount', e.currentTarget.value)}
              />
              <IconButton
                name="trash-alt"
                tooltip={`Remove band ${i + 1}`}
                onClick={() => set('bands')(d.bands.filter((_, j) => j !== i))}
              />
            </Stack>
          ))}
          <div>
            <Button
              size="sm"
              variant="secondary"
              icon="plus"
              onClick={() =>
                set('bands')([...d.bands, { from: d.bands[d.bands.length - 1]?.to ?? '', to: '', amount: '' }])
              }
            >
              Add band
            </Button>
          </div>
        </Stack>
      </Field>
      <SaveFailure failure={failure} />
      <Modal.ButtonRow>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={saving} data-testid={testIds.form.save}>
          {saving ? 'Saving…' : 'Save agreement'}
        </Button>
      </Modal.ButtonRow>
    </form>
  );
}
