import { Trans, t } from '@grafana/i18n';
import React, { useState } from 'react';
import { Alert, Button, EmptyState, Field, IconButton, Modal, Switch, TextLink, useStyles2 } from '@grafana/ui';
import { listAll } from '../../shared/api';
import { useLoad } from '../../shared/hooks';
import { paths } from '../../shared/paths';
import { testIds } from '../../shared/testIds';
import type { Assignment, Contract, Tracker } from '../../shared/types';
import { useCovenant } from '../../app/CovenantContext';
import { LoadedView } from '../../components/Loaded';
import { getStyles } from '../../components/RegistryTable';
import { RemovalDialog, useRemoval } from '../../components/Removal';
import { TargetEditor, fromTargetDraft, toTargetDraft, type TargetDraft } from '../../components/TargetEditor';
import { SelectField, TextField, parseNumber } from '../../components/form';
import { RegistryForm, useRegistryForm } from '../../components/RegistryForm';
import { methodText, targetText } from '../TrackersPage';

/** The trackers mapped to a contract: assign, edit (key, weight, target override, clause) and unassign. */
export function AssignmentsTab({ contract }: { contract: Contract }) {
  const { ds } = useCovenant();
  const data = useLoad(
    async () => ({
      assignments: await listAll<Assignment>(ds.uid, 'assignments', { contractId: contract.id }),
      trackers: await listAll<Tracker>(ds.uid, 'trackers'),
    }),
    [ds.uid, contract.id]
  );
  return (
    <LoadedView loaded={data} what={t('pages.assignments-tab.what-the-contracts-trackers', "the contract's trackers")}>
      {(v) => <Assignments contract={contract} {...v} reload={data.reload} />}
    </LoadedView>
  );
}

function Assignments({
  contract,
  assignments,
  trackers,
  reload,
}: {
  contract: Contract;
  assignments: Assignment[];
  trackers: Tracker[];
  reload: () => void;
}) {
  const { canWrite, writeRole } = useCovenant();
  const styles = useStyles2(getStyles);
  const [editing, setEditing] = useState<Assignment | 'new'>();
  const removal = useRemoval<Assignment>('assignments', reload);
  const byId = new Map(trackers.map((t) => [t.id, t]));

  return (
    <div data-testid={testIds.contract.assignments}>
      <div className={styles.toolbar}>
        <p>
          <Trans i18nKey="pages.assignments.intro">
            Trackers measured for this contract. The key selects the contract&apos;s rows in each KPI&apos;s data
            ($__key).
          </Trans>
        </p>
        {canWrite ? (
          <Button
            icon="plus"
            onClick={() => setEditing('new')}
            data-testid={testIds.contract.assign}
            disabled={trackers.length === 0}
          >
            <Trans i18nKey="pages.assignments.assign-tracker">Assign tracker</Trans>
          </Button>
        ) : (
          <span className={styles.muted}>
            <Trans i18nKey="pages.assignments.changes-need-role" values={{ role: writeRole }}>
              Changes need the {'{{role}}'} role.
            </Trans>
          </span>
        )}
      </div>
      <RemovalDialog
        removal={removal}
        title={t('pages.assignments.title-unassign-tracker', 'Unassign tracker')}
        body={(a) =>
          t(
            'pages.assignments.body-unassign-tracker',
            'Stop tracking “{{- name}}” for this contract? Agreements that cover it must drop it first.',
            { name: byId.get(a.trackerId)?.name ?? a.trackerId }
          )
        }
        confirmText={t('pages.assignments.confirmText-unassign', 'Unassign')}
        refused={t('pages.assignments.refused-not-unassigned', 'Not unassigned')}
      />
      {trackers.length === 0 && (
        <Alert severity="info" title={t('pages.assignments.title-no-trackers-yet', 'No trackers yet')}>
          <Trans i18nKey="pages.assignments.define-kpi-and-tracker-first">
            Define a KPI and a tracker first: <TextLink href={paths.newTracker}>new tracker</TextLink>.
          </Trans>
        </Alert>
      )}
      {assignments.length === 0 ? (
        <EmptyState
          variant="call-to-action"
          message={t('pages.assignments.empty-no-trackers-assigned', 'No trackers assigned')}
        >
          <p>
            <Trans i18nKey="pages.assignments.empty-assign-a-tracker">
              Assign a tracker to follow it on the Tracking tab and count it in agreements.
            </Trans>
          </p>
        </EmptyState>
      ) : (
        <table className={styles.table}>
          <thead>
            <tr>
              <th>
                <Trans i18nKey="pages.assignments.tracker">Tracker</Trans>
              </th>
              <th>
                <Trans i18nKey="pages.assignments.method">Method</Trans>
              </th>
              <th>
                <Trans i18nKey="pages.assignments.key">Key</Trans>
              </th>
              <th className={styles.num}>
                <Trans i18nKey="pages.assignments.weight">Weight</Trans>
              </th>
              <th>
                <Trans i18nKey="pages.assignments.target">Target</Trans>
              </th>
              <th>
                <Trans i18nKey="pages.assignments.clause">Clause</Trans>
              </th>
              {canWrite && <th aria-label={t('pages.assignments.aria-label-actions', 'Actions')} />}
            </tr>
          </thead>
          <tbody>
            {assignments.map((a) => {
              const tracker = byId.get(a.trackerId);
              return (
                <tr key={a.id} data-testid={testIds.contract.assignment(a.id)}>
                  <td>
                    <TextLink href={paths.tracker(a.trackerId)} inline={false}>
                      {tracker?.name ?? a.trackerId}
                    </TextLink>
                  </td>
                  <td>
                    {tracker
                      ? t('pages.assignments.method-per-interval', '{{- method}} per {{- interval}}', {
                          method: methodText(tracker),
                          interval: tracker.interval,
                        })
                      : ''}
                  </td>
                  <td>
                    <code>{a.key}</code>
                  </td>
                  <td className={styles.num}>{a.weight}</td>
                  <td>
                    {a.targetOverride
                      ? t('pages.assignments.target-override', '{{- target}} (override)', {
                          target: targetText(a.targetOverride),
                        })
                      : targetText(tracker?.target)}
                  </td>
                  <td>{a.clause}</td>
                  {canWrite && (
                    <td className={styles.actions}>
                      <IconButton
                        name="pen"
                        tooltip={t('pages.assignments.tooltip-edit', 'Edit')}
                        data-testid={testIds.contract.editAssignment(a.id)}
                        onClick={() => setEditing(a)}
                      />
                      <IconButton
                        name="times"
                        tooltip={t('pages.assignments.tooltip-unassign', 'Unassign')}
                        data-testid={testIds.contract.unassign(a.id)}
                        onClick={() => removal.ask(a)}
                      />
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {editing && (
        <Modal
          title={
            editing === 'new'
              ? t('pages.assignments.title-assign-a-tracker', 'Assign a tracker')
              : t('pages.assignments.title-edit-the-assignment', 'Edit the assignment')
          }
          isOpen
          onDismiss={() => setEditing(undefined)}
        >
          <AssignmentForm
            contract={contract}
            assignment={editing === 'new' ? undefined : editing}
            trackers={
              editing === 'new' ? trackers.filter((t) => !assignments.some((a) => a.trackerId === t.id)) : trackers
            }
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
  trackerId: string;
  key: string;
  weight: string;
  override: boolean;
  target: TargetDraft;
  clause: string;
}

/** The assignment a draft describes. */
export function assignmentBody(d: Draft, contractId: string, zone: string, base?: Assignment): Partial<Assignment> {
  return {
    ...(base ? { id: base.id, version: base.version } : {}),
    contractId,
    trackerId: d.trackerId,
    key: d.key.trim(),
    weight: parseNumber(d.weight, 'weight') ?? 1,
    targetOverride: d.override ? fromTargetDraft(d.target, zone, 'targetOverride') : undefined,
    clause: d.clause.trim() || undefined,
  };
}

function AssignmentForm({
  contract,
  assignment,
  trackers,
  onDone,
  onCancel,
}: {
  contract: Contract;
  assignment?: Assignment;
  trackers: Tracker[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const zoneOf = (trackerId?: string) => trackers.find((t) => t.id === trackerId)?.timezone;
  const form = useRegistryForm<Draft, Assignment>({
    kind: 'assignments',
    stored: assignment,
    initial: () => ({
      trackerId: assignment?.trackerId ?? '',
      key: assignment?.key ?? contract.id,
      weight: String(assignment?.weight ?? 1),
      override: Boolean(assignment?.targetOverride),
      target: toTargetDraft(assignment?.targetOverride, zoneOf(assignment?.trackerId) ?? 'UTC'),
      clause: assignment?.clause ?? '',
    }),
    body: (d) => assignmentBody(d, contract.id, zoneOf(d.trackerId) || 'UTC', assignment),
    onSaved: onDone,
  });
  const d = form.draft;
  return (
    <RegistryForm
      form={form}
      buttons={{
        label: assignment
          ? t('pages.assignment-form.button-save', 'Save')
          : t('pages.assignment-form.button-assign', 'Assign'),
        onCancel,
      }}
    >
      <SelectField
        label={t('pages.assignment-form.label-tracker', 'Tracker')}
        name="trackerId"
        required
        disabled={Boolean(assignment)}
        placeholder={t('pages.assignment-form.placeholder-choose-a-tracker', 'Choose a tracker')}
        options={trackers.map((tracker) => ({
          label: tracker.name,
          value: tracker.id,
          description: t(
            'pages.assignment-form.option-description',
            '{{- method}} per {{- interval}}, target {{- target}}',
            { method: methodText(tracker), interval: tracker.interval, target: targetText(tracker.target) }
          ),
        }))}
        value={d.trackerId || null}
        onChange={form.set('trackerId')}
        failure={form.failure}
      />
      <TextField
        label={t('pages.assignment-form.label-key', 'Key')}
        description={t(
          'pages.assignment-form.description-key',
          "The contract's value in the KPI's key column (bound to $__key)"
        )}
        required
        {...form.text('key')}
      />
      <TextField
        label={t('pages.assignment-form.label-weight', 'Weight')}
        description={t(
          'pages.assignment-form.description-in-agreements-covering-several-trackers',
          'In agreements covering several trackers'
        )}
        width={12}
        {...form.text('weight')}
      />
      <Field
        label={t(
          'pages.assignment-form.label-override-trackers-target-contract',
          "Override the tracker's target for this contract"
        )}
      >
        <Switch
          value={d.override}
          onChange={(e) => form.set('override')(e.currentTarget.checked)}
          data-testid={testIds.form.field('override')}
        />
      </Field>
      {d.override && (
        <TargetEditor
          label={t('pages.assignment-form.label-target-for-this-contract', 'Target for this contract')}
          {...form.bind('target', { name: 'targetOverride' })}
        />
      )}
      <TextField
        label={t('pages.assignment-form.label-clause', 'Clause')}
        description={t(
          'pages.assignment-form.description-where-contract-obligation-schedule',
          'Where the contract sets this obligation, e.g. Schedule 2 §3.1'
        )}
        {...form.text('clause')}
      />
    </RegistryForm>
  );
}
