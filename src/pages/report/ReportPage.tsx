import React, { useState } from 'react';
import { css, Global } from '@emotion/react';
import { css as cx } from '@emotion/css';
import { ThemeContext, createTheme, dateTime, makeTimeRange, type DataFrame, type GrafanaTheme2 } from '@grafana/data';
import { PluginPage, locationService } from '@grafana/runtime';
import { Badge, Button, LinkButton, Select, Stack, useStyles2 } from '@grafana/ui';
import { getReport, queryFrames } from '../../shared/api';
import { useLoad } from '../../shared/hooks';
import { paths } from '../../shared/paths';
import { testIds } from '../../shared/testIds';
import { QueryType, type ContractReport } from '../../shared/types';
import { useCovenant } from '../../components/CovenantContext';
import { LoadedView } from '../../components/Loaded';
import { TrackerChart } from '../../components/TrackerChart';
import { STATUS_BADGE } from '../contract/AgreementCard';
import { currency, money, pct, periodRange } from '../../shared/format';
import { formatValue as figure } from '../../panels/kpitrend/format';
import {
  OBLIGATION_STATUS,
  netFinancial,
  obligationCounts,
  periodLabel,
  quarters,
  renewalRationale,
} from './reportModel';
import { pageNav } from '../../shared/nav';

/** A report is a document: it is drawn in the light theme, whatever Grafana's, so it prints the same. */
const paper = createTheme({ colors: { mode: 'light' } });

/**
 * The contract performance report (six sections, docs/managers.md) for one contract and a quarter: the
 * overview, each obligation On track / At risk / Missed with its figures and trend chart, the money,
 * the risk indicators, the milestones that fired, and the renewal recommendation with its evidence
 * and notice date. Printing it (or the browser's "save as PDF") gives the report alone.
 */
export function ReportPage({ id, search }: { id: string; search: URLSearchParams }) {
  const { ds } = useCovenant();
  const [options] = useState(() => quarters(Date.now(), 8));
  const from = search.get('from') ?? options[0].from;
  const to = search.get('to') ?? options[0].to;
  const report = useLoad(async () => {
    const r = await getReport(ds.uid, id, from, to);
    // The trend of each obligation over the period, as the Tracking tab draws it.
    const range = makeTimeRange(dateTime(from), dateTime(Math.min(Date.parse(to), Date.now())));
    const frames = r.obligations.length
      ? await queryFrames(ds.uid, range, [{ refId: 'A', queryType: QueryType.TrackerSeries, contract: id }])
      : [];
    return { r, frames, range };
  }, [ds.uid, id, from, to]);
  return (
    <PluginPage pageNav={pageNav('Report', { text: report.value?.r.contract.name ?? id, url: paths.contract(id) })}>
      <Global
        styles={css`
          @media print {
            @page {
              size: A4;
              margin: 14mm;
            }
            html,
            body {
              background: white !important;
            }
            body * {
              visibility: hidden;
            }
            .covenant-report,
            .covenant-report * {
              visibility: visible;
            }
            .covenant-report {
              position: absolute;
              left: 0;
              top: 0;
              padding: 0 !important;
              margin: 0 !important;
            }
            .covenant-report .no-print {
              display: none !important;
            }
          }
        `}
      />
      <div className="no-print">
        <Stack gap={1} alignItems="center">
          {/* eslint-disable-next-line @typescript-eslint/no-deprecated */}
          <Select
            aria-label="Period"
            width={24}
            options={options.map((q) => ({ label: q.label, value: q.from + '/' + q.to }))}
            value={from + '/' + to}
            onChange={(o) => {
              const [f, t] = (o?.value ?? '').split('/');
              locationService.partial({ from: f, to: t });
            }}
          />
          <Button icon="file-alt" onClick={() => window.print()} data-testid={testIds.report.print}>
            Print or save as PDF
          </Button>
          <LinkButton variant="secondary" href={paths.contract(id)}>
            Back to the contract
          </LinkButton>
        </Stack>
      </div>
      <LoadedView loaded={report} what="the report">
        {({ r, frames, range }) => (
          <ThemeContext.Provider value={paper}>
            <ReportDocument report={r} frames={frames} range={range} />
          </ThemeContext.Provider>
        )}
      </LoadedView>
    </PluginPage>
  );
}

function ReportDocument({
  report: r,
  frames,
  range,
}: {
  report: ContractReport;
  frames: DataFrame[];
  range: ReturnType<typeof makeTimeRange>;
}) {
  const s = useStyles2(getStyles);
  const c = r.contract;
  const cur = c.currency || 'EUR';
  const counts = obligationCounts(r.obligations);
  const frameOf = (trackerId: string) => frames.find((f) => f.fields.some((x) => x.labels?.trackerId === trackerId));
  const renewalBadge = { renew: 'green', renegotiate: 'orange', exit: 'red' } as const;
  // Each agreement's name and the zone its periods are dated in.
  const zones = Object.fromEntries(r.financial.agreements.map((a) => [a.agreementId, a]));
  return (
    <article className={`covenant-report ${s.doc}`} data-testid={testIds.report.page}>
      <header className={s.head}>
        <div className={s.kicker}>Contract performance report</div>
        <h1 className={s.h1}>{c.name}</h1>
        <div>
          {periodLabel(r.from, r.to)} · generated {r.generatedAt.slice(0, 16).replace('T', ' ')} UTC
        </div>
      </header>

      <section className={s.section} data-testid={testIds.report.section('overview')}>
        <h2 className={s.h2}>1. Contract and party overview</h2>
        <dl className={s.facts}>
          {(
            [
              ['Contract', c.name],
              ['Counterparty', c.counterparty],
              ['Owner', c.owner || '–'],
              ['Term', c.startDate || c.endDate ? `${c.startDate ?? '…'} → ${c.endDate ?? '…'}` : '–'],
              ['Value', c.value ? currency(c.value, cur) : '–'],
              ['Status', c.status],
            ] as Array<[string, string]>
          ).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section className={s.section} data-testid={testIds.report.section('obligations')}>
        <h2 className={s.h2}>2. Obligation and KPI status</h2>
        <p>
          {counts.on_track} on track, {counts.at_risk} at risk, {counts.missed} missed
          {counts.no_data ? `, ${counts.no_data} without data` : ''}.
        </p>
        <table className={s.table}>
          <thead>
            <tr>
              <th>Obligation</th>
              <th>Status</th>
              <th className={s.num}>Latest</th>
              <th className={s.num}>Target</th>
              <th className={s.num}>Variance</th>
              <th className={s.num}>Met in period</th>
              <th>Trend</th>
            </tr>
          </thead>
          <tbody>
            {r.obligations.map((o) => {
              const st = OBLIGATION_STATUS[o.status];
              return (
                <tr key={o.trackerId}>
                  <td>
                    <b>{o.tracker}</b>
                    <div className={s.muted}>
                      {o.kpi}
                      {o.clause ? ` · ${o.clause}` : ''}
                    </div>
                  </td>
                  <td className={s.nowrap}>
                    <Badge text={st.text} color={st.color} />
                  </td>
                  <td className={s.num}>{figure(o.actual, o.unit, 2)}</td>
                  <td className={s.num}>{figure(o.target, o.unit, 2)}</td>
                  <td className={s.num}>
                    {o.variancePct === null ? '–' : `${o.variancePct > 0 ? '+' : ''}${o.variancePct.toFixed(2)} %`}
                  </td>
                  <td className={s.num}>
                    {pct(o.compliance)} ({o.met}/{o.met + o.missed})
                  </td>
                  <td>{o.trend || '–'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div className={s.charts}>
          {r.obligations.map((o) => {
            const f = frameOf(o.trackerId);
            return f ? (
              <figure key={o.trackerId} className={s.figure}>
                <figcaption>{o.tracker}</figcaption>
                <TrackerChart frames={[f]} range={range} height={140} />
              </figure>
            ) : null;
          })}
        </div>
      </section>

      <section className={s.section} data-testid={testIds.report.section('financial')}>
        <h2 className={s.h2}>3. Financial performance</h2>
        <dl className={s.facts}>
          {(
            [
              ['Impact cost of misses', money(r.financial.impactCost, cur)],
              ['Penalties', money(r.financial.penalties, cur)],
              ['Credits (rewards)', money(r.financial.credits, cur)],
              ['Net effect', money(netFinancial(r.financial), cur)],
              ['Value at stake', money(r.financial.valueAtStake, cur)],
            ] as Array<[string, string]>
          ).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
        <table className={s.table}>
          <thead>
            <tr>
              <th>Agreement</th>
              <th>Review period</th>
              <th className={s.num}>Compliance</th>
              <th className={s.num}>Target</th>
              <th>Status</th>
              <th className={s.num}>Penalty / reward</th>
            </tr>
          </thead>
          <tbody>
            {r.financial.agreements.map((a) => (
              <tr key={a.agreementId}>
                <td>{a.name}</td>
                <td>
                  {periodRange(a.result.period, a.timezone)} {a.final ? '(final)' : '(so far)'}
                </td>
                <td className={s.num}>{pct(a.result.compliance)}</td>
                <td className={s.num}>{pct(a.result.target)}</td>
                <td>{STATUS_BADGE[a.result.status]?.text ?? a.result.status}</td>
                <td className={s.num}>{money(a.result.penaltyReward, cur)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className={s.section} data-testid={testIds.report.section('risk')}>
        <h2 className={s.h2}>4. Risk and compliance indicators</h2>
        <ul>
          <li>
            Longest run of misses: {r.risk.maxConsecutiveMisses} bucket{r.risk.maxConsecutiveMisses === 1 ? '' : 's'}
          </li>
          <li>
            Obligations missed at last measure:{' '}
            {r.risk.trackersMissing.length ? r.risk.trackersMissing.join(', ') : 'none'}
          </li>
          <li>Requests open and past their goal: {r.risk.atRiskRequests}</li>
          <li>Agreements at risk: {r.risk.agreementsAtRisk.length ? r.risk.agreementsAtRisk.join(', ') : 'none'}</li>
          <li>
            Agreements breached: {r.risk.agreementsBreached.length ? r.risk.agreementsBreached.join(', ') : 'none'}
          </li>
        </ul>
      </section>

      <section className={s.section} data-testid={testIds.report.section('issues')}>
        <h2 className={s.h2}>5. Issues and escalations</h2>
        {r.issues.length === 0 ? (
          <p>No milestone was triggered in the period.</p>
        ) : (
          <table className={s.table}>
            <thead>
              <tr>
                <th>Agreement</th>
                <th>Milestone</th>
                <th>Condition</th>
                <th>First</th>
                <th>Last</th>
                <th>Now</th>
              </tr>
            </thead>
            <tbody>
              {r.issues.map((i) => (
                <tr key={`${i.agreement}/${i.milestone}`}>
                  <td>{i.agreement}</td>
                  <td>{i.milestone}</td>
                  <td>
                    <code>{i.condition}</code>
                  </td>
                  <td>{i.first.slice(0, 10)}</td>
                  <td>{i.last.slice(0, 10)}</td>
                  <td>{i.active ? 'still holds' : 'cleared'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className={s.section} data-testid={testIds.report.section('renewal')}>
        <h2 className={s.h2}>6. Renewal and decision implications</h2>
        <p>
          Recommendation:{' '}
          <Badge
            text={r.renewal.signal}
            color={renewalBadge[r.renewal.signal as keyof typeof renewalBadge] ?? 'blue'}
          />
        </p>
        <p>{renewalRationale(r.renewal)}</p>
        {r.renewal.evidence.length > 0 && (
          <ul>
            {r.renewal.evidence.map((e, i) => (
              <li key={i}>
                {e.agreementId in zones ? `${zones[e.agreementId].name}, ` : ''}
                {periodRange(e.period, zones[e.agreementId]?.timezone)}: {pct(e.compliance)} against {pct(e.target)} —{' '}
                {STATUS_BADGE[e.status]?.text ?? e.status}
              </li>
            ))}
          </ul>
        )}
        <p>
          {r.renewal.renewalDate
            ? `Renewal on ${r.renewal.renewalDate}; notice must be given by ${r.renewal.noticeBy}.`
            : 'The contract has no renewal date.'}
        </p>
      </section>
    </article>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  // The width of an A4 page's text (182 mm at 96 dpi), on screen as on paper, so the charts fit.
  doc: cx({
    background: theme.colors.background.primary,
    color: theme.colors.text.primary,
    padding: theme.spacing(3),
    width: 688,
    boxSizing: 'content-box',
    marginTop: theme.spacing(2),
    WebkitPrintColorAdjust: 'exact',
    printColorAdjust: 'exact',
  }),
  head: cx({
    borderBottom: `2px solid ${theme.colors.text.primary}`,
    paddingBottom: theme.spacing(1),
    marginBottom: theme.spacing(2),
  }),
  kicker: cx({
    textTransform: 'uppercase',
    letterSpacing: 1,
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  h1: cx({ margin: 0 }),
  h2: cx({ fontSize: theme.typography.h4.fontSize, marginTop: theme.spacing(2) }),
  section: cx({ breakInside: 'avoid-page', marginBottom: theme.spacing(2) }),
  facts: cx({
    display: 'grid',
    gridTemplateColumns: 'repeat(3, minmax(0, 1fr))',
    gap: theme.spacing(1, 3),
    dt: { color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize },
    dd: { margin: 0 },
  }),
  table: cx({
    width: '100%',
    borderCollapse: 'collapse',
    margin: theme.spacing(1, 0),
    'th, td': {
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.medium}`,
      textAlign: 'left',
      verticalAlign: 'top',
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  num: cx({ textAlign: 'right !important' as 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }),
  nowrap: cx({ whiteSpace: 'nowrap' }),
  muted: cx({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  charts: cx({ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: theme.spacing(1) }),
  figure: cx({
    margin: 0,
    breakInside: 'avoid',
    figcaption: { fontSize: theme.typography.bodySmall.fontSize, color: theme.colors.text.secondary },
  }),
});
