import { t, Trans } from '@grafana/i18n';
import React, { useState } from 'react';
import { css, Global } from '@emotion/react';
import { ThemeContext, createTheme, dateTime, makeTimeRange, type DataFrame, type TimeRange } from '@grafana/data';
import { PluginPage, locationService } from '@grafana/runtime';
import { Button, LinkButton, Select, Stack } from '@grafana/ui';
import { getReport, queryFrames } from '../../shared/api';
import { useLoad } from '../../shared/hooks';
import { paths } from '../../shared/paths';
import { testIds } from '../../shared/testIds';
import { QueryType, type ContractReport } from '../../shared/types';
import { useCovenant } from '../../app/CovenantContext';
import { LoadedView } from '../../components/Loaded';
import { periodLabel, quarters } from './reportModel';
import { pageNav } from '../../shared/nav';
import { useReportStyles } from './ReportSection';
import { OverviewSection } from './OverviewSection';
import { ObligationsSection } from './ObligationsSection';
import { FinancialSection } from './FinancialSection';
import { RiskSection } from './RiskSection';
import { IssuesSection } from './IssuesSection';
import { RenewalSection } from './RenewalSection';

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
    <PluginPage
      pageNav={pageNav(t('pages.report-page.nav-report', 'Report'), {
        text: report.value?.r.contract.name ?? id,
        url: paths.contract(id),
      })}
    >
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
            aria-label={t('pages.report-page.aria-label-period', 'Period')}
            width={24}
            options={options.map((q) => ({ label: q.label, value: q.from + '/' + q.to }))}
            value={from + '/' + to}
            onChange={(o) => {
              const [nextFrom, nextTo] = (o?.value ?? '').split('/');
              locationService.partial({ from: nextFrom, to: nextTo });
            }}
          />
          <Button icon="file-alt" onClick={() => window.print()} data-testid={testIds.report.print}>
            <Trans i18nKey="pages.report-page.print-or-save-as-pdf">Print or save as PDF</Trans>
          </Button>
          <LinkButton variant="secondary" href={paths.contract(id)}>
            <Trans i18nKey="pages.report-page.back-to-the-contract">Back to the contract</Trans>
          </LinkButton>
        </Stack>
      </div>
      <LoadedView loaded={report} what={t('pages.report-page.what-the-report', 'the report')}>
        {({ r, frames, range }) => (
          <ThemeContext.Provider value={paper}>
            <ReportDocument report={r} frames={frames} range={range} />
          </ThemeContext.Provider>
        )}
      </LoadedView>
    </PluginPage>
  );
}

/** The report itself: its heading, then the six sections. */
function ReportDocument({
  report: r,
  frames,
  range,
}: {
  report: ContractReport;
  frames: DataFrame[];
  range: TimeRange;
}) {
  const s = useReportStyles();
  const cur = r.contract.currency || 'EUR';
  return (
    <article className={`covenant-report ${s.doc}`} data-testid={testIds.report.page}>
      <header className={s.head}>
        <div className={s.kicker}>
          <Trans i18nKey="pages.report-document.contract-performance-report">Contract performance report</Trans>
        </div>
        <h1 className={s.h1}>{r.contract.name}</h1>
        <div>
          {t('pages.report-document.period-generated', '{{- period}} · generated {{generatedAt}} UTC', {
            period: periodLabel(r.from, r.to),
            generatedAt: r.generatedAt.slice(0, 16).replace('T', ' '),
          })}
        </div>
      </header>
      <OverviewSection contract={r.contract} cur={cur} />
      <ObligationsSection obligations={r.obligations} frames={frames} range={range} />
      <FinancialSection financial={r.financial} cur={cur} />
      <RiskSection risk={r.risk} />
      <IssuesSection issues={r.issues} />
      <RenewalSection renewal={r.renewal} agreements={r.financial.agreements} />
    </article>
  );
}
