import { t } from '@grafana/i18n';
import React from 'react';
import type { DataFrame, TimeRange } from '@grafana/data';
import { Badge } from '@grafana/ui';
import type { ReportObligation } from '../../shared/types';
import { TrackerChart } from '../../components/TrackerChart';
import { fixed, pct } from '../../shared/format';
import { formatValue as figure } from '../../panels/kpitrend/format';
import { obligationCounts, obligationStatus } from './reportModel';
import { ReportSection, ReportTable, useReportStyles } from './ReportSection';

/** What a cell shows when there is no value: a dash, not words. */
const NONE = '–';

/** 2. Each obligation On track / At risk / Missed with its figures, then its trend over the period. */
export function ObligationsSection({
  obligations,
  frames,
  range,
}: {
  obligations: ReportObligation[];
  frames: DataFrame[];
  range: TimeRange;
}) {
  const s = useReportStyles();
  const counts = obligationCounts(obligations);
  const frameOf = (trackerId: string) => frames.find((f) => f.fields.some((x) => x.labels?.trackerId === trackerId));
  return (
    <ReportSection
      name="obligations"
      title={t('pages.obligations-section.title-obligation-and-kpi-status', '2. Obligation and KPI status')}
    >
      <p>
        {counts.no_data
          ? t(
              'pages.obligations-section.counts-with-no-data',
              '{{onTrack}} on track, {{atRisk}} at risk, {{missed}} missed, {{noData}} without data.',
              { onTrack: counts.on_track, atRisk: counts.at_risk, missed: counts.missed, noData: counts.no_data }
            )
          : t('pages.obligations-section.counts', '{{onTrack}} on track, {{atRisk}} at risk, {{missed}} missed.', {
              onTrack: counts.on_track,
              atRisk: counts.at_risk,
              missed: counts.missed,
            })}
      </p>
      <ReportTable
        columns={[
          t('pages.obligations-section.column-obligation', 'Obligation'),
          t('pages.obligations-section.column-status', 'Status'),
          { num: t('pages.obligations-section.column-latest', 'Latest') },
          { num: t('pages.obligations-section.column-target', 'Target') },
          { num: t('pages.obligations-section.column-variance', 'Variance') },
          { num: t('pages.obligations-section.column-met-in-period', 'Met in period') },
          t('pages.obligations-section.column-trend', 'Trend'),
        ]}
      >
        {obligations.map((o) => {
          const st = obligationStatus(o.status);
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
                {o.variancePct === null ? NONE : `${fixed(o.variancePct, 2, { sign: true })} %`}
              </td>
              <td className={s.num}>
                {pct(o.compliance)} ({o.met}/{o.met + o.missed})
              </td>
              <td>{o.trend || NONE}</td>
            </tr>
          );
        })}
      </ReportTable>
      <div className={s.charts}>
        {obligations.map((o) => {
          const f = frameOf(o.trackerId);
          return f ? (
            <figure key={o.trackerId} className={s.figure}>
              <figcaption>{o.tracker}</figcaption>
              <TrackerChart frames={[f]} range={range} height={140} />
            </figure>
          ) : null;
        })}
      </div>
    </ReportSection>
  );
}
