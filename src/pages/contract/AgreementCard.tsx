import { t, Trans } from '@grafana/i18n';
import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { dateTime, makeTimeRange, type DataFrame, type GrafanaTheme2 } from '@grafana/data';
import { Badge, Collapse, IconButton, useStyles2 } from '@grafana/ui';
import { testIds } from '../../shared/testIds';
import type {
  Agreement,
  ComplianceResult,
  ComplianceStatus,
  LedgerEntry,
  LedgerPeriod,
  PeriodAct,
} from '../../shared/types';
import { TrackerChart } from '../../components/TrackerChart';
import { getStyles as tableStyles } from '../../components/RegistryTable';
import { defaultOptions, type KpiTrendOptions } from '../../panels/kpitrend/types';
import { bandText, periodText } from './AgreementsTab';
import { fixed, money, pct, periodRange } from '../../shared/format';
import { LedgerTable, type LedgerActions } from './LedgerTable';
import { PeriodActModal } from './PeriodActs';
import type { PeriodLedger } from './periods';

/** What a figure shows when there is none: a dash, not words. */
const NONE = '–';

/** An agreement's compliance status as a badge: its words and colour (undefined for an unknown status). */
export function complianceBadge(
  status: ComplianceStatus
): { text: string; color: 'green' | 'orange' | 'red' | 'blue' } | undefined {
  switch (status) {
    case 'compliant':
      return { text: t('pages.compliance-badge.compliant', 'Compliant'), color: 'green' };
    case 'at_risk':
      return { text: t('pages.compliance-badge.at-risk', 'At risk'), color: 'orange' };
    case 'breached':
      return { text: t('pages.compliance-badge.breached', 'Breached'), color: 'red' };
    case 'no_data':
      return { text: t('pages.compliance-badge.no-data', 'No data'), color: 'blue' };
    default:
      return undefined;
  }
}

/**
 * One agreement: its definition, its figures in the current review period (docs/figures.md: compliance,
 * status, projection, required run-rate, impact cost, penalty/reward, requests at risk), the
 * covered trackers, a chart of compliance through the period, and its ledger.
 */
export function AgreementCard({
  agreement: g,
  result,
  frame,
  ledger,
  periods = [],
  assignmentName,
  currency,
  canWrite,
  acts,
  onEdit,
  onDelete,
  onActed,
}: {
  agreement: Agreement;
  result?: ComplianceResult;
  frame?: DataFrame;
  ledger: LedgerEntry[];
  /** The lifecycle of the agreement's closed periods. */
  periods?: LedgerPeriod[];
  assignmentName: (id: string) => string;
  currency?: string;
  canWrite: boolean;
  /** Who may sign off, dispute and resolve the closed periods (none: read only). */
  acts?: Omit<LedgerActions, 'onAct'>;
  onEdit: () => void;
  onDelete: () => void;
  /** An act landed on the ledger: read it and the figures again. */
  onActed?: () => void;
}) {
  const styles = useStyles2(getStyles);
  const table = useStyles2(tableStyles);
  // The ledger opens by itself while a period is disputed, until the user opens or closes it.
  const [ledgerOpened, setShowLedger] = useState<boolean>();
  const showLedger = ledgerOpened ?? periods.some((p) => p.state === 'disputed');
  const [acting, setActing] = useState<{ period: PeriodLedger; act: PeriodAct }>();
  const [chartOptions] = useState<KpiTrendOptions>(() => ({
    ...defaultOptions,
    fixedTarget: g.complianceTarget,
    direction: 'higher_is_better',
    showPoints: false,
  }));
  const badge = result ? complianceBadge(result.status) : undefined;
  const zone = g.period.timezone || 'UTC';
  // The chart spans the period so far.
  const chartRange = useMemo(
    () =>
      result
        ? makeTimeRange(
            dateTime(result.period.start),
            dateTime(Math.min(Date.parse(result.period.end), Date.parse(result.asOf)))
          )
        : undefined,
    [result]
  );
  const figures: Array<[string, React.ReactNode, string?]> = result
    ? [
        [
          t('pages.agreement-card.figure-compliance', 'Compliance'),
          pct(result.compliance),
          t('pages.agreement-card.hint-compliance', 'weighted over the covered trackers with data'),
        ],
        [
          result.closed
            ? t('pages.agreement-card.figure-final', 'Final')
            : t('pages.agreement-card.figure-projected', 'Projected'),
          pct(result.closed ? result.compliance : result.projected),
          t('pages.agreement-card.hint-projected', 'at the end of the period, at the recent rate'),
        ],
        [t('pages.agreement-card.figure-target', 'Target'), pct(result.target)],
        [
          t('pages.agreement-card.figure-required-run-rate', 'Required run-rate'),
          result.requiredRunRate === null
            ? NONE
            : result.requiredRunRate > 100
              ? t('pages.agreement-card.run-rate-out-of-reach', 'out of reach')
              : t('pages.agreement-card.run-rate-of-what-remains', '{{rate}} % of what remains', {
                  rate: fixed(result.requiredRunRate, 0),
                }),
          t(
            'pages.agreement-card.hint-required-run-rate',
            'the share of the remaining buckets (or requests) that must be met to end at the target'
          ),
        ],
        [
          t('pages.agreement-card.figure-impact-cost', 'Impact cost'),
          money(result.impactCost, currency),
          t('pages.agreement-card.hint-impact-cost-missed', '{{count}} missed', { count: result.missed }),
        ],
        [
          result.closed
            ? t('pages.agreement-card.figure-penalty-reward', 'Penalty / reward')
            : t('pages.agreement-card.figure-penalty-reward-if-it-ends-so', 'Penalty / reward if it ends so'),
          money(result.penaltyReward, currency),
        ],
        [
          t('pages.agreement-card.figure-requests-at-risk', 'Requests at risk'),
          String(result.atRiskRequests),
          t('pages.agreement-card.hint-requests-at-risk', 'still open and past their goal'),
        ],
      ]
    : [];
  return (
    <section className={styles.card} data-testid={testIds.contract.agreement(g.id)} aria-label={g.name}>
      <header className={styles.header}>
        <h4 className={styles.title}>{g.name}</h4>
        {badge && <Badge text={badge.text} color={badge.color} data-testid={testIds.contract.agreementStatus(g.id)} />}
        <span className={styles.muted}>
          {periodText(g.period)}
          {result
            ? ` · ${
                result.closed
                  ? t('pages.agreement-card.period-closed', '{{period}} (closed)', {
                      period: periodRange(result.period, zone),
                    })
                  : periodRange(result.period, zone)
              }`
            : ''}
        </span>
        {canWrite && (
          <span className={styles.actions}>
            <IconButton
              name="pen"
              tooltip={t('pages.agreement-card.tooltip-edit', 'Edit {{- name}}', { name: g.name })}
              onClick={onEdit}
            />
            <IconButton
              name="trash-alt"
              tooltip={t('pages.agreement-card.tooltip-delete', 'Delete {{- name}}', { name: g.name })}
              onClick={onDelete}
            />
          </span>
        )}
      </header>
      {result ? (
        <dl className={styles.figures} data-testid={testIds.contract.agreementFigures(g.id)}>
          {figures.map(([k, v, hint]) => (
            <div key={k} title={hint}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className={styles.muted}>
          <Trans i18nKey="pages.agreement-card.no-figures-yet">No figures yet.</Trans>
        </p>
      )}
      {result?.milestones?.length ? (
        <div className={styles.milestones}>
          {result.milestones.map((m) => (
            <Badge
              key={m.name}
              icon="exclamation-triangle"
              color="orange"
              text={t('pages.agreement-card.milestone-fired', '{{- name}} ({{- condition}})', {
                name: m.name,
                condition: m.condition,
              })}
            />
          ))}
        </div>
      ) : null}
      <div className={styles.split}>
        <table className={table.table}>
          <thead>
            <tr>
              <th>
                <Trans i18nKey="pages.agreement-card.tracker">Tracker</Trans>
              </th>
              <th>
                <Trans i18nKey="pages.agreement-card.counted-by">Counted by</Trans>
              </th>
              <th className={table.num}>
                <Trans i18nKey="pages.agreement-card.weight">Weight</Trans>
              </th>
              <th className={table.num}>
                <Trans i18nKey="pages.agreement-card.met-missed">Met / missed</Trans>
              </th>
              <th className={table.num}>
                <Trans i18nKey="pages.agreement-card.compliance">Compliance</Trans>
              </th>
              <th className={table.num}>
                <Trans i18nKey="pages.agreement-card.projected">Projected</Trans>
              </th>
            </tr>
          </thead>
          <tbody>
            {(
              result?.trackers ??
              g.trackers.map((t) => ({ assignmentId: t.assignmentId, mode: t.mode ?? 'timeslice', weight: t.weight }))
            ).map((c) => {
              const r = c as Partial<NonNullable<typeof result>['trackers'][number]>;
              return (
                <tr key={c.assignmentId}>
                  <td>{r.name ?? assignmentName(c.assignmentId)}</td>
                  <td>
                    {c.mode === 'occurrence'
                      ? t('pages.agreement-card.counted-by-requests', 'requests')
                      : t('pages.agreement-card.counted-by-time-slices', 'time slices')}
                    {r.atRisk && r.atRisk > 0 ? (
                      <span className={styles.muted}>
                        {' · '}
                        {t('pages.agreement-card.requests-at-risk', '{{count}} at risk', { count: r.atRisk })}
                      </span>
                    ) : null}
                  </td>
                  <td className={table.num}>{c.weight}</td>
                  <td className={table.num}>{r.met === undefined ? NONE : `${r.met} / ${r.missed}`}</td>
                  <td className={table.num}>{pct(r.compliance)}</td>
                  <td className={table.num}>{pct(r.projected)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {frame && (
          <div className={styles.chart}>
            <TrackerChart frames={[frame]} range={chartRange} height={180} options={chartOptions} />
          </div>
        )}
      </div>
      <div className={styles.muted}>
        {(g.bands ?? []).map((b) => bandText(b, currency)).join('; ')}
        {g.penaltyCap
          ? ` · ${t('pages.agreement-card.penalties-capped-at', 'penalties capped at {{- amount}}', {
              amount: money(g.penaltyCap, currency),
            })}`
          : ''}
        {g.impactCostPerMiss
          ? ` · ${t('pages.agreement-card.impact-cost-per-miss', 'impact cost {{- amount}} per miss', {
              amount: money(g.impactCostPerMiss, currency),
            })}`
          : ''}
      </div>
      <Collapse
        label={t('pages.agreement-card.label-ledger', 'Ledger ({{entries}})', { entries: ledger.length })}
        isOpen={showLedger}
        onToggle={() => setShowLedger(!showLedger)}
        collapsible
      >
        <LedgerTable
          entries={ledger}
          periods={periods}
          currency={currency}
          timeZone={zone}
          assignmentName={assignmentName}
          actions={acts && { ...acts, onAct: (period, act) => setActing({ period, act }) }}
        />
      </Collapse>
      {acting && (
        <PeriodActModal
          act={acting.act}
          agreement={g}
          period={acting.period}
          assignmentName={assignmentName}
          currency={currency}
          onCancel={() => setActing(undefined)}
          onDone={() => {
            setActing(undefined);
            onActed?.();
          }}
        />
      )}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  card: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
    background: theme.colors.background.primary,
  }),
  header: css({
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'center',
    flexWrap: 'wrap',
    marginBottom: theme.spacing(1),
  }),
  title: css({ margin: 0 }),
  actions: css({ marginLeft: 'auto' }),
  muted: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  figures: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))',
    gap: theme.spacing(1, 2),
    margin: theme.spacing(1, 0, 2),
    dt: { color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize },
    dd: { margin: 0, fontSize: theme.typography.h4.fontSize, fontVariantNumeric: 'tabular-nums' },
  }),
  milestones: css({ display: 'flex', gap: theme.spacing(1), marginBottom: theme.spacing(1), flexWrap: 'wrap' }),
  split: css({
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(1),
    [theme.breakpoints.down('lg')]: { gridTemplateColumns: 'minmax(0, 1fr)' },
  }),
  chart: css({ minWidth: 0 }),
});
