import { t, Trans } from '@grafana/i18n';
import React, { useEffect, useRef, useState } from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, Button, Icon, TextLink, useStyles2, type IconName } from '@grafana/ui';
import { testIds } from '../../shared/testIds';
import {
  type ActAttachment,
  isResultEntry,
  type ActFigures,
  type ActItem,
  type LedgerActEntry,
  type LedgerEntry,
  type LedgerPeriod,
  type LedgerResultEntry,
  type PeriodAct,
  type Role,
} from '../../shared/types';
import { getStyles as tableStyles } from '../../components/RegistryTable';
import { fixed, money, pct, periodRange } from '../../shared/format';
import { attachmentUrl } from '../../shared/api';
import { useCovenant } from '../../app/CovenantContext';
import { actorText, exclusionReasonText } from '../../shared/labels';
import { roleName } from '../../shared/i18n';
import { durationText } from '../calendar/draft';
import { complianceBadge } from './AgreementCard';
import {
  bucketLabel,
  groupPeriods,
  itemTime,
  localTime,
  periodDay,
  restatementNumber,
  type PeriodLedger,
} from './periods';

/** A period's lifecycle state as a badge (docs/disputes.md); an unreadable period says so. */
export function periodStateBadge(state: string | undefined): {
  text: string;
  color: 'blue' | 'green' | 'orange' | 'purple' | 'red';
  icon: IconName;
} {
  switch (state) {
    case 'closed':
      return { text: t('pages.period-state.closed', 'Closed'), color: 'blue', icon: 'lock' };
    case 'signed_off':
      return { text: t('pages.period-state.signed-off', 'Signed off'), color: 'green', icon: 'check' };
    case 'disputed':
      return { text: t('pages.period-state.disputed', 'Disputed'), color: 'orange', icon: 'exclamation-triangle' };
    case 'resolved':
      return { text: t('pages.period-state.resolved', 'Resolved'), color: 'purple', icon: 'check-square' };
  }
  return { text: t('pages.period-state.unreadable', 'Unreadable'), color: 'red', icon: 'exclamation-circle' };
}

/** What the user may do on the ledger: act (canAct), see the acts greyed out (visible), or nothing. */
export interface LedgerActions {
  /** Show the act buttons (to users at least Editor; viewers read only). */
  visible: boolean;
  /** The user has the dispute role: the buttons work. */
  enabled: boolean;
  /** The role acts need, for the explanation. */
  role: Role;
  onAct: (period: PeriodLedger, act: PeriodAct) => void;
}

/**
 * The closed periods of an agreement, newest first: each period's lifecycle state, its closes and
 * restatements as they were frozen, and its history of sign-offs, disputes and resolutions (a thread
 * under the period, open while the period is disputed). Users with the dispute role act on a period's
 * latest state from here.
 */
export function LedgerTable({
  entries,
  periods = [],
  currency,
  timeZone,
  assignmentName = (id) => id,
  actions,
}: {
  entries: LedgerEntry[];
  periods?: LedgerPeriod[];
  currency?: string;
  timeZone?: string;
  assignmentName?: (id: string) => string;
  actions?: LedgerActions;
}) {
  const table = useStyles2(tableStyles);
  if (entries.length === 0) {
    return (
      <p>
        <Trans i18nKey="pages.ledger-table.no-period-closed-yet">
          No period has closed yet: the first close comes when the current period ends.
        </Trans>
      </p>
    );
  }
  return (
    <>
      {actions && !actions.enabled && (
        <p className={table.muted} data-testid={testIds.contract.ledgerReadOnly}>
          {t(
            'pages.ledger-table.acts-need-role',
            'Signing off, disputing and resolving a closed period need the {{role}} role.',
            { role: roleName(actions.role) }
          )}
        </p>
      )}
      <table className={table.table} data-testid={testIds.contract.ledger}>
        <thead>
          <tr>
            <th>
              <Trans i18nKey="pages.ledger-table.entry">Entry</Trans>
            </th>
            <th>
              <Trans i18nKey="pages.ledger-table.computed">Computed</Trans>
            </th>
            <th className={table.num}>
              <Trans i18nKey="pages.ledger-table.compliance">Compliance</Trans>
            </th>
            <th>
              <Trans i18nKey="pages.ledger-table.status">Status</Trans>
            </th>
            <th className={table.num}>
              <Trans i18nKey="pages.ledger-table.penalty-reward">Penalty / reward</Trans>
            </th>
            <th>
              <Trans i18nKey="pages.ledger-table.digest">Digest</Trans>
            </th>
          </tr>
        </thead>
        {groupPeriods(entries, periods).map((p) => (
          <PeriodRows
            key={p.start}
            period={p}
            currency={currency}
            timeZone={timeZone}
            assignmentName={assignmentName}
            actions={actions}
          />
        ))}
      </table>
    </>
  );
}

const COLUMNS = 6;

/** One period: a header with its state, history toggle and acts; its results; its thread. */
function PeriodRows({
  period: p,
  currency,
  timeZone,
  assignmentName,
  actions,
}: {
  period: PeriodLedger;
  currency?: string;
  timeZone?: string;
  assignmentName: (id: string) => string;
  actions?: LedgerActions;
}) {
  const styles = useStyles2(getStyles);
  const table = useStyles2(tableStyles);
  const state = p.lifecycle?.state;
  // The thread is collapsed unless the period is disputed, until the user opens or closes it; it opens
  // when the period's state changes (an act just landed), to show the act.
  const [opened, setOpened] = useState<boolean>();
  const open = opened ?? state === 'disputed';
  const seen = useRef(state);
  useEffect(() => {
    if (seen.current !== state && seen.current !== undefined) {
      setOpened(true);
    }
    seen.current = state;
  }, [state]);
  const acts = p.entries.filter((e): e is LedgerActEntry => !isResultEntry(e));
  const day = periodDay(p.start, timeZone);
  const badge = periodStateBadge(state);
  return (
    <tbody data-testid={testIds.contract.ledgerPeriod(day)}>
      <tr className={styles.periodRow}>
        <td colSpan={COLUMNS}>
          <div className={styles.periodHead}>
            <strong>{periodRange({ start: p.start, end: p.end }, timeZone)}</strong>
            {state !== undefined && (
              <span title={state.startsWith('unreadable') ? state : undefined}>
                <Badge
                  text={badge.text}
                  color={badge.color}
                  icon={badge.icon}
                  data-testid={testIds.contract.periodState(day)}
                />
              </span>
            )}
            {acts.length > 0 && (
              <Button
                size="sm"
                variant="secondary"
                fill="text"
                icon={open ? 'angle-down' : 'angle-right'}
                aria-expanded={open}
                onClick={() => setOpened(!open)}
                data-testid={testIds.contract.periodHistory(day)}
              >
                {t('pages.ledger-table.history', 'History ({{count}})', { count: acts.length })}
              </Button>
            )}
            {actions?.visible && <PeriodActButtons period={p} day={day} actions={actions} />}
          </div>
        </td>
      </tr>
      {p.entries.map((e) =>
        isResultEntry(e) ? (
          <ResultRows key={e.seq} period={p} entry={e} currency={currency} />
        ) : open ? (
          <tr key={e.seq} data-testid={testIds.contract.ledgerAct(e.seq)}>
            <td colSpan={COLUMNS} className={styles.threadCell}>
              <ActView entry={e} period={p} currency={currency} timeZone={timeZone} assignmentName={assignmentName} />
            </td>
          </tr>
        ) : null
      )}
      {!open && acts.length > 0 && (
        <tr>
          <td colSpan={COLUMNS} className={cx(table.muted, styles.threadCell)}>
            {lastActText(acts[acts.length - 1], timeZone)}
          </td>
        </tr>
      )}
    </tbody>
  );
}

/** The latest act of a collapsed thread, in a line: "Signed off by Dana (dana) · 2026-03-02 10:15". */
function lastActText(e: LedgerActEntry, timeZone?: string): string {
  return t('pages.ledger-thread.latest', '{{- act}} by {{- who}} · {{when}}', {
    act: actTitle(e),
    who: actorText(e.snapshot.by),
    when: localTime(Date.parse(e.computedAt), timeZone),
  });
}

/** The buttons of the acts the period's state allows. */
function PeriodActButtons({ period: p, day, actions }: { period: PeriodLedger; day: string; actions: LedgerActions }) {
  const styles = useStyles2(getStyles);
  const state = p.lifecycle?.state;
  const needRole = actions.enabled
    ? undefined
    : t('pages.ledger-table.needs-role', 'Needs the {{role}} role', { role: roleName(actions.role) });
  const noInputs = !p.result?.snapshot.inputs
    ? t(
        'pages.ledger-table.no-inputs',
        "This period's result was written before Covenant kept its inputs: its items cannot be named"
      )
    : undefined;
  const button = (act: PeriodAct, label: string, icon: IconName, why?: string) => (
    <Button
      size="sm"
      variant={act === 'signoff' ? 'primary' : 'secondary'}
      icon={icon}
      disabled={Boolean(needRole ?? why)}
      title={needRole ?? why}
      onClick={() => actions.onAct(p, act)}
      data-testid={testIds.contract.periodAct(day, act)}
    >
      {label}
    </Button>
  );
  if (state === 'closed') {
    return (
      <span className={styles.actions}>
        {button('signoff', t('pages.ledger-table.sign-off', 'Sign off'), 'check')}
        {button('dispute', t('pages.ledger-table.dispute', 'Dispute'), 'exclamation-triangle', noInputs)}
      </span>
    );
  }
  if (state === 'disputed') {
    return (
      <span className={styles.actions}>
        {button('resolve', t('pages.ledger-table.resolve', 'Resolve'), 'check-square')}
      </span>
    );
  }
  return null;
}

/** A close or restatement: its figures as frozen, and the calendar exclusions it applied. */
function ResultRows({
  period: p,
  entry: e,
  currency,
}: {
  period: PeriodLedger;
  entry: LedgerResultEntry;
  currency?: string;
}) {
  const table = useStyles2(tableStyles);
  const r = e.snapshot.result;
  const badge = complianceBadge(r.status);
  const excluded = e.snapshot.exclusions ?? [];
  return (
    <>
      <tr data-testid={testIds.contract.ledgerResult(e.seq)}>
        <td>
          {e.kind === 'close'
            ? t('pages.ledger-table.entry-close', 'close')
            : t('pages.ledger-table.entry-restatement', 'restatement {{number}}', {
                number: restatementNumber(p, e),
              })}
        </td>
        <td>{e.computedAt.slice(0, 16).replace('T', ' ')}</td>
        <td className={table.num}>{pct(r.compliance)}</td>
        <td>
          <Badge text={badge?.text ?? r.status} color={badge?.color ?? 'blue'} />
        </td>
        <td className={table.num}>{money(r.penaltyReward, currency)}</td>
        <td>
          <code title={e.digest}>{e.digest.slice(0, 10)}</code>
        </td>
      </tr>
      {excluded.length > 0 && (
        <tr data-testid={testIds.contract.ledgerExclusions}>
          <td />
          <td colSpan={COLUMNS - 1} className={table.muted}>
            {t('pages.ledger-table.excluded', 'Excluded:')}{' '}
            {excluded.map((x, i) => (
              <span key={i}>
                {i > 0 && '; '}
                {t(
                  'pages.ledger-table.exclusion',
                  '{{- reason}} {{from}} – {{to}} ({{working}} of working time{{- note}})',
                  {
                    reason: exclusionReasonText(x.reason),
                    from: x.from.slice(0, 16).replace('T', ' '),
                    to: x.to.slice(0, 16).replace('T', ' '),
                    working: durationText(x.workingSeconds),
                    note: x.note ? `, ${x.note}` : '',
                  }
                )}
              </span>
            ))}
          </td>
        </tr>
      )}
    </>
  );
}

/** "Signed off", "Disputed", "Resolved: upheld", "Resolved: restated". */
function actTitle(e: LedgerActEntry): string {
  switch (e.kind) {
    case 'signoff':
      return t('pages.ledger-thread.signed-off', 'Signed off');
    case 'dispute':
      return t('pages.ledger-thread.disputed', 'Disputed');
    case 'resolution':
      return e.snapshot.outcome === 'restated'
        ? t('pages.ledger-thread.resolved-restated', 'Resolved: restated')
        : t('pages.ledger-thread.resolved-upheld', 'Resolved: result upheld');
  }
  return e.kind;
}

const actIcon: Record<LedgerActEntry['kind'], IconName> = {
  signoff: 'check',
  dispute: 'exclamation-triangle',
  resolution: 'check-square',
};

/** One act of a period's thread: who, when, the comment, and what it names. */
function ActView({
  entry: e,
  period: p,
  currency,
  timeZone,
  assignmentName,
}: {
  entry: LedgerActEntry;
  period: PeriodLedger;
  currency?: string;
  timeZone?: string;
  assignmentName: (id: string) => string;
}) {
  const styles = useStyles2(getStyles);
  const a = e.snapshot;
  const trackerName = (id: string) => {
    const named = assignmentName(id);
    if (named !== id) {
      return named;
    }
    // Else the name the result gave it.
    for (const r of p.entries) {
      const found = isResultEntry(r) ? r.snapshot.result.trackers?.find((x) => x.assignmentId === id) : undefined;
      if (found?.name) {
        return found.name;
      }
    }
    return id;
  };
  return (
    <div className={styles.act}>
      <div className={styles.actHead}>
        <Icon name={actIcon[e.kind]} />
        <strong>{actTitle(e)}</strong>
        <span className={styles.muted}>
          {t('pages.ledger-thread.by-when', 'by {{- who}} · {{when}}', {
            who: actorText(a.by),
            when: localTime(Date.parse(e.computedAt), timeZone),
          })}
        </span>
      </div>
      {a.comment && <p className={styles.comment}>{a.comment}</p>}
      {e.kind === 'dispute' && (a.items?.length ?? 0) > 0 && (
        <ItemList
          title={t('pages.ledger-thread.disputed-items', 'Disputed items')}
          items={a.items ?? []}
          exclusions={false}
          trackerName={trackerName}
          timeZone={timeZone}
          testId={testIds.contract.actItems(e.seq)}
        />
      )}
      {e.kind === 'resolution' && a.outcome === 'restated' && (
        <>
          <ItemList
            title={t('pages.ledger-thread.agreed-exclusions', 'Agreed exclusions')}
            items={a.exclusions ?? []}
            exclusions
            trackerName={trackerName}
            timeZone={timeZone}
            testId={testIds.contract.actItems(e.seq)}
          />
          {a.before && a.after && (
            <BeforeAfter
              before={a.before}
              after={a.after}
              currency={currency}
              testId={testIds.contract.actFigures(e.seq)}
            />
          )}
        </>
      )}
      {(a.attachments?.length ?? 0) > 0 && (
        <Attachments files={a.attachments ?? []} testId={testIds.contract.actFiles(e.seq)} />
      )}
    </div>
  );
}

/** An act's evidence files, each a download by its content's hash. */
function Attachments({ files, testId }: { files: ActAttachment[]; testId: string }) {
  const styles = useStyles2(getStyles);
  const { ds } = useCovenant();
  return (
    <div data-testid={testId}>
      <div className={styles.muted}>{t('pages.ledger-thread.evidence-files', 'Evidence files')}</div>
      <ul className={styles.items}>
        {files.map((f) => (
          <li key={f.sha256}>
            <TextLink href={attachmentUrl(ds.uid, f.sha256)} external={false} inline>
              {f.name}
            </TextLink>{' '}
            <span className={styles.muted} title={f.sha256}>
              {t('pages.ledger-thread.file-facts', '{{size}} · SHA-256 {{hash}}…', {
                size: fileSize(f.size),
                hash: f.sha256.slice(0, 12),
              })}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A file's size as people read it: "812 B", "12.4 KB", "3.1 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) {
    return t('pages.file-size.bytes', '{{n}} B', { n: bytes });
  }
  if (bytes < 1024 * 1024) {
    return t('pages.file-size.kb', '{{n}} KB', { n: fixed(bytes / 1024, 1) });
  }
  return t('pages.file-size.mb', '{{n}} MB', { n: fixed(bytes / (1024 * 1024), 1) });
}

/** A dispute's items or a resolution's exclusions: tracker, bucket or request, reason, note. */
function ItemList({
  title,
  items,
  exclusions,
  trackerName,
  timeZone,
  testId,
}: {
  title: string;
  items: ActItem[];
  exclusions: boolean;
  trackerName: (id: string) => string;
  timeZone?: string;
  testId: string;
}) {
  const styles = useStyles2(getStyles);
  return (
    <div data-testid={testId}>
      <div className={styles.muted}>{title}</div>
      <ul className={styles.items}>
        {items.map((it, i) => {
          const at = itemTime(it);
          const what =
            at === undefined
              ? t('pages.ledger-thread.whole-tracker', 'the whole tracker')
              : it.bucket
                ? bucketLabel(at, timeZone)
                : t('pages.ledger-thread.request-at', 'request opened {{when}}', { when: localTime(at, timeZone) });
          return (
            <li key={i}>
              {t('pages.ledger-thread.item', '{{- tracker}}, {{- what}}: {{- reason}}{{- note}}', {
                tracker: trackerName(it.assignmentId),
                what,
                reason: exclusions ? exclusionReasonText(it.reason) : it.reason,
                note: it.note ? ` (${it.note})` : '',
              })}
              {it.evidence && (
                <span className={styles.muted} title={it.evidence.digest}>
                  {' · '}
                  {it.evidence.changed
                    ? t(
                        'pages.ledger-thread.evidence-changed',
                        '{{count}} rows cited; they have changed since the close',
                        {
                          count: it.evidence.rows,
                          defaultValue_one: '{{count}} row cited; it has changed since the close',
                        }
                      )
                    : t('pages.ledger-thread.evidence-same', '{{count}} rows cited, as at the close', {
                        count: it.evidence.rows,
                        defaultValue_one: '{{count}} row cited, as at the close',
                      })}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** A restatement's headline figures before → after. */
function BeforeAfter({
  before,
  after,
  currency,
  testId,
}: {
  before: ActFigures;
  after: ActFigures;
  currency?: string;
  testId: string;
}) {
  const styles = useStyles2(getStyles);
  const status = (f: ActFigures) => {
    const b = complianceBadge(f.status);
    return <Badge text={b?.text ?? f.status} color={b?.color ?? 'blue'} />;
  };
  const rows: Array<[string, React.ReactNode, React.ReactNode]> = [
    [t('pages.ledger-thread.figure-compliance', 'Compliance'), pct(before.compliance), pct(after.compliance)],
    [t('pages.ledger-thread.figure-status', 'Status'), status(before), status(after)],
    [
      t('pages.ledger-thread.figure-penalty-reward', 'Penalty / reward'),
      money(before.penaltyReward, currency),
      money(after.penaltyReward, currency),
    ],
    [t('pages.ledger-thread.figure-missed', 'Missed'), String(before.missed), String(after.missed)],
  ];
  return (
    <div data-testid={testId}>
      <div className={styles.muted}>{t('pages.ledger-thread.before-after', 'Before → after the restatement')}</div>
      <table className={styles.figures}>
        <tbody>
          {rows.map(([k, b, a]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td>{b}</td>
              <td aria-hidden>→</td>
              <td>{a}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  periodRow: css({ background: theme.colors.background.secondary }),
  periodHead: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), flexWrap: 'wrap' }),
  actions: css({ marginLeft: 'auto', display: 'flex', gap: theme.spacing(1) }),
  threadCell: css({ paddingLeft: `${theme.spacing(4)} !important` }),
  act: css({
    borderLeft: `3px solid ${theme.colors.border.medium}`,
    paddingLeft: theme.spacing(1.5),
  }),
  actHead: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), flexWrap: 'wrap' }),
  muted: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  comment: css({ margin: theme.spacing(0.5, 0), whiteSpace: 'pre-wrap' }),
  items: css({ margin: theme.spacing(0.5, 0, 1), paddingLeft: theme.spacing(2.5) }),
  figures: css({
    borderCollapse: 'collapse',
    marginTop: theme.spacing(0.5),
    'th, td': { padding: theme.spacing(0.25, 1.5, 0.25, 0), border: 'none', fontVariantNumeric: 'tabular-nums' },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightRegular },
  }),
});
