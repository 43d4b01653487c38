import { Trans, t } from '@grafana/i18n';
import React from 'react';
import { css } from '@emotion/css';
import type { DataFrame, GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Badge, EmptyState, Stack, TextLink, useStyles2 } from '@grafana/ui';
import { lastDays, queryFrames } from '../shared/api';
import { useLoad } from '../shared/hooks';
import { paths } from '../shared/paths';
import { testIds } from '../shared/testIds';
import { QueryType, type ComplianceStatus } from '../shared/types';
import { useCovenant } from '../app/CovenantContext';
import { LoadedView } from '../components/Loaded';
import { getStyles as tableStyles } from '../components/RegistryTable';
import { complianceBadge } from './contract/AgreementCard';
import { pct } from '../shared/format';
import { statusText } from '../shared/labels';

/** A contract's performance classification as a badge: its words and colour (an unknown one as it is, blue). */
function classBadge(classification: string): { text: string; color: 'green' | 'blue' | 'orange' | 'red' | 'purple' } {
  switch (classification) {
    case 'actual':
      return { text: t('pages.class-badge.actual', 'Actual'), color: 'green' };
    case 'substantial':
      return { text: t('pages.class-badge.substantial', 'Substantial'), color: 'blue' };
    case 'partial':
      return { text: t('pages.class-badge.partial', 'Partial'), color: 'orange' };
    case 'breach':
      return { text: t('pages.class-badge.breach', 'Breach'), color: 'red' };
    case 'unmeasured':
      return { text: t('pages.class-badge.unmeasured', 'Unmeasured'), color: 'purple' };
    default:
      return { text: classification, color: 'blue' };
  }
}

const SIGNAL_BADGE: Record<string, 'green' | 'orange' | 'red' | 'blue'> = {
  renew: 'green',
  renegotiate: 'orange',
  exit: 'red',
};

/** One contract of the portfolio, as the portfolio query's table gives it. */
export interface PortfolioRow {
  contract: string;
  name: string;
  counterparty: string;
  status: string;
  classification: string;
  compliance: number | null;
  agreementStatus: string;
  renewalDate: number | null;
  noticeBy: number | null;
  signal: string;
  window: string;
  /** Closed periods of the contract under an open dispute. */
  openDisputes: number;
}

/** The rows and the contract compliance rate of a portfolio query's frames. */
export function portfolioRows(frames: DataFrame[]): {
  rows: PortfolioRow[];
  rate: number | null;
  active: number;
  nonCompliant: number;
  unmeasured: number;
  disputed: number;
} {
  const table = frames.find((f) => f.name === 'portfolio');
  const summary = frames.find((f) => f.name === 'portfolio summary');
  const col = (name: string) => table?.fields.find((f) => f.name === name)?.values ?? [];
  const rows: PortfolioRow[] = [];
  for (let i = 0; i < (table?.length ?? 0); i++) {
    rows.push({
      contract: col('contract')[i],
      name: col('name')[i],
      counterparty: col('counterparty')[i],
      status: col('status')[i],
      classification: col('classification')[i],
      compliance: col('compliance')[i] ?? null,
      agreementStatus: col('agreement_status')[i],
      renewalDate: col('renewal_date')[i] ?? null,
      noticeBy: col('notice_by')[i] ?? null,
      signal: col('renewal_signal')[i],
      window: col('renewal_window')[i],
      openDisputes: col('open_disputes')[i] ?? 0,
    });
  }
  const get = (name: string) => summary?.fields.find((f) => f.name === name)?.values[0];
  return {
    rows,
    rate: get('contract_compliance_rate') ?? null,
    active: get('active') ?? 0,
    nonCompliant: get('non_compliant') ?? 0,
    unmeasured: get('unmeasured') ?? 0,
    disputed: get('disputed') ?? 0,
  };
}

/** What a cell shows when there is no value: a dash, not words. */
const NONE = '–';

const date = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().slice(0, 10));

/** Every contract with its performance this period and its renewal signal. */
export function PortfolioPage() {
  const { ds } = useCovenant();
  const styles = useStyles2(getStyles);
  const table = useStyles2(tableStyles);
  const data = useLoad(
    async () => portfolioRows(await queryFrames(ds.uid, lastDays(1), [{ refId: 'A', queryType: QueryType.Portfolio }])),
    [ds.uid]
  );
  return (
    <PluginPage>
      <div data-testid={testIds.portfolio.page}>
        <LoadedView loaded={data} what={t('pages.portfolio-page.what-the-portfolio', 'the portfolio')}>
          {({ rows, rate, active, nonCompliant, unmeasured, disputed }) =>
            rows.length === 0 ? (
              <EmptyState
                variant="call-to-action"
                message={t('pages.portfolio-page.empty-no-contracts-yet', 'No contracts yet')}
              >
                <p>
                  <Trans i18nKey="pages.portfolio-page.create-contracts-agreements-their-performance">
                    Create contracts and agreements to see their performance here.
                  </Trans>
                </p>
              </EmptyState>
            ) : (
              <>
                <div className={styles.summary} data-testid={testIds.portfolio.rate}>
                  <span className={styles.big}>{pct(rate)}</span>
                  <span>
                    <Trans i18nKey="pages.portfolio-page.rate-summary" values={{ active, nonCompliant, unmeasured }}>
                      contract compliance rate: {'{{active}}'} active, {'{{nonCompliant}}'} not compliant (partial or
                      breach) this period, {'{{unmeasured}}'} unmeasured (no agreement with data yet: counted as active,
                      not as non-compliant)
                    </Trans>
                  </span>
                </div>
                {disputed > 0 && (
                  <p data-testid={testIds.portfolio.disputed}>
                    {t('pages.portfolio-page.disputed', '{{count}} contracts have a closed period under open dispute', {
                      count: disputed,
                      defaultValue_one: '{{count}} contract has a closed period under open dispute',
                    })}
                  </p>
                )}
                <table className={table.table} data-testid={testIds.portfolio.table}>
                  <thead>
                    <tr>
                      <th>
                        <Trans i18nKey="pages.portfolio-page.contract">Contract</Trans>
                      </th>
                      <th>
                        <Trans i18nKey="pages.portfolio-page.counterparty">Counterparty</Trans>
                      </th>
                      <th>
                        <Trans i18nKey="pages.portfolio-page.status">Status</Trans>
                      </th>
                      <th>
                        <Trans i18nKey="pages.portfolio-page.performance">Performance</Trans>
                      </th>
                      <th className={table.num}>
                        <Trans i18nKey="pages.portfolio-page.compliance">Compliance</Trans>
                      </th>
                      <th>
                        <Trans i18nKey="pages.portfolio-page.agreements">Agreements</Trans>
                      </th>
                      <th>
                        <Trans i18nKey="pages.portfolio-page.renewal">Renewal</Trans>
                      </th>
                      <th>
                        <Trans i18nKey="pages.portfolio-page.notice-by">Notice by</Trans>
                      </th>
                      <th>
                        <Trans i18nKey="pages.portfolio-page.renewal-signal">Renewal signal</Trans>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => {
                      const cls = classBadge(r.classification);
                      const st = complianceBadge(r.agreementStatus as ComplianceStatus);
                      return (
                        <tr key={r.contract} data-testid={testIds.portfolio.row(r.contract)}>
                          <td>
                            <TextLink href={paths.contract(r.contract, 'agreements')} inline={false} weight="medium">
                              {r.name}
                            </TextLink>
                          </td>
                          <td>{r.counterparty}</td>
                          <td>{statusText(r.status)}</td>
                          <td>
                            <Badge text={cls.text} color={cls.color} />
                          </td>
                          <td className={table.num}>{pct(r.compliance)}</td>
                          <td>
                            <Stack gap={0.5} wrap="wrap">
                              {st ? <Badge text={st.text} color={st.color} /> : NONE}
                              {r.openDisputes > 0 && (
                                <Badge
                                  text={t('pages.portfolio-page.open-disputes', '{{count}} disputed', {
                                    count: r.openDisputes,
                                  })}
                                  color="orange"
                                  icon="exclamation-triangle"
                                />
                              )}
                            </Stack>
                          </td>
                          <td>{date(r.renewalDate)}</td>
                          <td>{date(r.noticeBy)}</td>
                          <td>
                            {r.window === 'open' ? (
                              <Badge text={r.signal} color={SIGNAL_BADGE[r.signal] ?? 'blue'} />
                            ) : (
                              <span
                                className={table.muted}
                                title={t(
                                  'pages.portfolio-page.title-signal-comes-forward-before-notice',
                                  'The signal comes forward 90 days before the notice date'
                                )}
                              >
                                {r.signal}
                                {r.window === 'not yet' && r.noticeBy !== null
                                  ? ` · ${t('pages.portfolio-page.window-opens', 'window opens {{date}}', {
                                      date: date(r.noticeBy - 90 * 86400000),
                                    })}`
                                  : ` · ${r.window}`}
                              </span>
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </>
            )
          }
        </LoadedView>
      </div>
    </PluginPage>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  summary: css({ display: 'flex', alignItems: 'baseline', gap: theme.spacing(2), marginBottom: theme.spacing(2) }),
  big: css({ fontSize: theme.typography.h2.fontSize, fontVariantNumeric: 'tabular-nums' }),
});
