import { Trans, t } from '@grafana/i18n';
import React, { useState } from 'react';
import type { DataFrame } from '@grafana/data';
import { Alert, Button, EmptyState, Modal, useStyles2 } from '@grafana/ui';
import { getLedger, lastDays, listAll, queryFrames } from '../../shared/api';
import { count } from '../../shared/format';
import { useLoad } from '../../shared/hooks';
import { testIds } from '../../shared/testIds';
import {
  QueryType,
  type Agreement,
  type Assignment,
  type Band,
  type ComplianceResult,
  type Contract,
  type Tracker,
} from '../../shared/types';
import { roleAtLeast, useCovenant } from '../../app/CovenantContext';
import { LoadedView } from '../../components/Loaded';
import { getStyles } from '../../components/RegistryTable';
import { RemovalDialog, useRemoval } from '../../components/Removal';
import { AgreementCard } from './AgreementCard';
import { AgreementForm } from './AgreementForm';
import { periodKindText } from '../../shared/labels';

/** "quarter (Europe/London)", "2026-01-01 → 2026-10-01 (UTC)". */
export function periodText(p: Agreement['period']): string {
  const zone = p.timezone || 'UTC';
  return p.kind === 'custom' ? `${p.from} → ${p.to} (${zone})` : `${periodKindText(p.kind)} (${zone})`;
}

/** "penalty 1,000 for 95–99 %", "penalty 5 % of the value for 0–90 %". */
export function bandText(b: Band, currency?: string): string {
  const values = { from: b.from, to: b.to };
  if (b.percent) {
    const percent = { ...values, percent: Math.abs(b.amount) };
    return b.amount < 0
      ? t('pages.band-text.penalty-percent', 'penalty {{percent}} % of the value for {{from}}–{{to}} %', percent)
      : t('pages.band-text.reward-percent', 'reward {{percent}} % of the value for {{from}}–{{to}} %', percent);
  }
  const amount = { ...values, amount: `${count(Math.abs(b.amount))}${currency ? ` ${currency}` : ''}` };
  return b.amount < 0
    ? t('pages.band-text.penalty-amount', 'penalty {{- amount}} for {{from}}–{{to}} %', amount)
    : t('pages.band-text.reward-amount', 'reward {{- amount}} for {{from}}–{{to}} %', amount);
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
    <LoadedView loaded={data} what={t('pages.agreements-tab.what-the-agreements', 'the agreements')}>
      {(v) => <Agreements contract={contract} {...v} reload={data.reload} />}
    </LoadedView>
  );
}

/** The agreements' figures in the current period (one agreementCompliance query), by agreement id. */
async function loadFigures(uid: string, contractId: string) {
  const frames = await queryFrames(uid, lastDays(1), [
    { refId: 'A', queryType: QueryType.AgreementCompliance, contract: contractId },
  ]);
  const out: Record<string, { result: ComplianceResult; frame: DataFrame }> = {};
  for (const f of frames) {
    const custom = f.meta?.custom as { result?: ComplianceResult; agreementId?: string } | undefined;
    if (custom?.result && custom.agreementId) {
      out[custom.agreementId] = { result: custom.result, frame: f };
    }
  }
  return { figures: out };
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
  const { ds, canWrite, writeRole, canDispute, disputeRole, role } = useCovenant();
  const styles = useStyles2(getStyles);
  const [editing, setEditing] = useState<Agreement | 'new'>();
  const removal = useRemoval<Agreement>('agreements', reload);
  const figures = useLoad(() => loadFigures(ds.uid, contract.id), [ds.uid, contract.id, agreements]);
  const ledger = useLoad(() => getLedger(ds.uid, contract.id), [ds.uid, contract.id, agreements]);
  // Acts on closed periods: for the dispute role; greyed out for other Editors; viewers read only.
  const acts = { visible: roleAtLeast(role, 'Editor'), enabled: canDispute, role: disputeRole };
  const acted = () => {
    ledger.reload();
    figures.reload();
  };
  const trackerName = new Map(trackers.map((t) => [t.id, t.name]));
  const assignmentName = (id: string) => {
    const a = assignments.find((x) => x.id === id);
    return a ? (trackerName.get(a.trackerId) ?? a.trackerId) : id;
  };
  return (
    <div data-testid={testIds.contract.agreements}>
      <div className={styles.toolbar}>
        <p>
          <Trans i18nKey="pages.agreements.compliance-targets-review-periods-trackers-contract">
            Compliance targets over review periods, on trackers of this contract.
          </Trans>
        </p>
        {canWrite ? (
          <Button
            icon="plus"
            onClick={() => setEditing('new')}
            disabled={assignments.length === 0}
            data-testid={testIds.contract.newAgreement}
          >
            <Trans i18nKey="pages.agreements.new-agreement">New agreement</Trans>
          </Button>
        ) : (
          <span className={styles.muted}>
            <Trans i18nKey="pages.agreements.changes-need-role" values={{ role: writeRole }}>
              Changes need the {'{{role}}'} role.
            </Trans>
          </span>
        )}
      </div>
      <RemovalDialog
        removal={removal}
        title={t('pages.agreements.title-delete-agreement', 'Delete agreement')}
        body={(g) =>
          t('pages.agreements.body-delete-agreement', 'Delete “{{- name}}”? Its ledger is kept.', { name: g.name })
        }
        refused={t('pages.agreements.refused-agreement-not-deleted', 'The agreement was not deleted')}
      />
      {figures.state === 'error' && (
        <Alert
          severity="warning"
          title={t(
            'pages.agreements.title-agreements-figures-could-computed',
            "The agreements' figures could not be computed"
          )}
        >
          {figures.failure.message}
        </Alert>
      )}
      {ledger.state === 'error' && (
        <Alert
          severity="warning"
          title={t('pages.agreements.title-the-ledger-could-not-be-read', 'The ledger could not be read')}
        >
          {ledger.failure.message}
        </Alert>
      )}
      {agreements.length === 0 ? (
        <EmptyState
          variant="call-to-action"
          message={t('pages.agreements.empty-no-agreements-yet', 'No agreements yet')}
        >
          <p>
            {assignments.length === 0
              ? t(
                  'pages.agreements.empty-assign-trackers-first',
                  'Assign trackers to the contract first (Trackers tab); an agreement covers some of them.'
                )
              : t(
                  'pages.agreements.empty-what-an-agreement-sets',
                  'An agreement sets a compliance target, e.g. “met 95 % of the days each quarter”, with penalties or rewards.'
                )}
          </p>
        </EmptyState>
      ) : (
        agreements.map((g) => (
          <AgreementCard
            key={g.id}
            agreement={g}
            result={figures.value?.figures[g.id]?.result}
            frame={figures.value?.figures[g.id]?.frame}
            ledger={(ledger.value?.entries ?? []).filter((e) => e.agreementId === g.id)}
            periods={(ledger.value?.periods ?? []).filter((p) => p.agreementId === g.id)}
            assignmentName={assignmentName}
            currency={contract.currency}
            canWrite={canWrite}
            acts={acts}
            onEdit={() => setEditing(g)}
            onDelete={() => removal.ask(g)}
            onActed={acted}
          />
        ))
      )}
      {editing && (
        <Modal
          title={
            editing === 'new'
              ? t('pages.agreements.title-new-agreement', 'New agreement')
              : t('pages.agreements.title-edit', 'Edit {{- name}}', { name: editing.name })
          }
          isOpen
          onDismiss={() => setEditing(undefined)}
        >
          <AgreementForm
            contract={contract}
            agreement={editing === 'new' ? undefined : editing}
            assignments={assignments}
            trackers={trackers}
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
