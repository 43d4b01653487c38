import { Trans, t } from '@grafana/i18n';
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { unescaped } from '../../shared/i18n';
import { testIds } from '../../shared/testIds';
import { formatValue, signedPct, signedValue } from './format';
import { ragName } from './SeriesHeader';
import { bucketLabel } from './Tooltip';
import { at, type TrackerSeries } from './transforms';

/**
 * The chart's figures as a table, newest bucket first: what a screen reader or a keyboard user
 * reads instead of the canvas (and anyone who wants the numbers).
 */
export function SeriesTable({
  series,
  height,
  timeZone,
}: {
  series: TrackerSeries[];
  height: number;
  timeZone?: string;
}) {
  const styles = useStyles2(getStyles);
  return (
    <div
      className={styles.scroll}
      style={{ height }}
      tabIndex={0}
      role="region"
      aria-label={t('panels.series-table.aria-label-figures-per-bucket', '{{names}}: figures per bucket', {
        names: series.map((s) => s.name).join(', '),
        ...unescaped,
      })}
      data-testid={testIds.panel.table}
    >
      {series.map((s) => (
        <table key={s.key} className={styles.table}>
          <caption>{s.name}</caption>
          <thead>
            <tr>
              <th scope="col">
                <Trans i18nKey="panels.series-table.bucket">Bucket</Trans>
              </th>
              <th scope="col">
                <Trans i18nKey="panels.series-table.actual">Actual</Trans>
              </th>
              <th scope="col">
                <Trans i18nKey="panels.series-table.target">Target</Trans>
              </th>
              <th scope="col">
                <Trans i18nKey="panels.series-table.variance">Variance</Trans>
              </th>
              <th scope="col">
                <Trans i18nKey="panels.series-table.rag">RAG</Trans>
              </th>
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: s.times.length }, (_, k) => s.times.length - 1 - k).map((i) => {
              const rag = at(s.rag, i);
              const open = s.openBucket !== undefined && s.times[i] >= s.openBucket;
              return (
                <tr key={s.times[i]}>
                  <th scope="row">
                    {open
                      ? t('panels.series-table.bucket-open', '{{bucket}} (open)', {
                          bucket: bucketLabel(s, s.times[i], timeZone),
                          ...unescaped,
                        })
                      : bucketLabel(s, s.times[i], timeZone)}
                  </th>
                  <td>{formatValue(s.actual[i], s.unit, s.decimals)}</td>
                  <td>{formatValue(s.target[i], s.unit, s.decimals)}</td>
                  <td>
                    {t('panels.series-table.variance-value', '{{variance}} ({{variancePct}})', {
                      variance: signedValue(s.variance[i], s.unit, s.decimals),
                      variancePct: signedPct(s.variancePct[i]),
                      ...unescaped,
                    })}
                  </td>
                  <td>
                    {rag === null
                      ? t('panels.series-table.not-evaluated', 'not evaluated')
                      : open
                        ? t('panels.series-table.rag-provisional', '{{rag}} (provisional)', {
                            rag: ragName(rag),
                            ...unescaped,
                          })
                        : ragName(rag)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  scroll: css({ overflow: 'auto', padding: theme.spacing(0.5, 1) }),
  table: css({
    width: '100%',
    fontSize: theme.typography.bodySmall.fontSize,
    marginBottom: theme.spacing(1),
    caption: { textAlign: 'left', captionSide: 'top', fontWeight: theme.typography.fontWeightMedium },
    th: { textAlign: 'left', fontWeight: 'normal', color: theme.colors.text.secondary, paddingRight: theme.spacing(2) },
    td: { textAlign: 'right', fontVariantNumeric: 'tabular-nums', paddingLeft: theme.spacing(1) },
    'tbody tr:nth-of-type(odd)': { background: theme.colors.background.secondary },
  }),
});
