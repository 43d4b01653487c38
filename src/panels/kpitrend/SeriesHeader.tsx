import { Trans, t } from '@grafana/i18n';
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { unescaped } from '../../shared/i18n';
import { testIds } from '../../shared/testIds';
import type { ChartColors } from './palette';
import { formatValue, signedPct, signedValue } from './format';
import { at, currentIndex, improving, type TrackerSeries } from './transforms';

/** A RAG value as the user reads it: 0 Green, 1 Amber, 2 Red. */
export function ragName(rag: number): string {
  switch (rag) {
    case 0:
      return t('panels.rag.green', 'Green');
    case 1:
      return t('panels.rag.amber', 'Amber');
    default:
      return t('panels.rag.red', 'Red');
  }
}
export const HEADER_HEIGHT = 26;

/**
 * A tracker's name with its current value, target, variance (absolute and %), RAG and trend; kept
 * as it is while only the panel's size changes.
 */
export const SeriesHeader = React.memo(function SeriesHeader({
  s,
  colors,
  swatch,
}: {
  s: TrackerSeries;
  colors: ChartColors;
  swatch?: string;
}) {
  const styles = useStyles2(getStyles);
  const i = currentIndex(s);
  const rag = i >= 0 ? at(s.rag, i) : null;
  const provisional = i >= 0 && s.openBucket !== undefined && s.times[i] >= s.openBucket;
  const better = improving(s);
  return (
    <div className={styles.header} data-testid={testIds.panel.header(s.key)}>
      {swatch && <span className={styles.swatch} style={{ background: swatch }} />}
      <span className={styles.name} title={s.labels.kpi ? `${s.name} (${s.labels.kpi})` : s.name}>
        {s.name}
      </span>
      {i >= 0 && (
        <span className={styles.figures}>
          <b>{formatValue(s.actual[i], s.unit, s.decimals)}</b>
          {provisional && (
            <span className={styles.muted}>
              {' '}
              <Trans i18nKey="panels.series-header.provisional">(provisional)</Trans>
            </span>
          )}
          <span className={styles.muted}>
            {' '}
            {t('panels.series-header.target-value', 'target {{target}}', {
              target: formatValue(s.target[i], s.unit, s.decimals),
              ...unescaped,
            })}
          </span>
          <span className={styles.muted}>
            {' '}
            {t('panels.series-header.variance-value', 'Δ {{variance}} ({{variancePct}})', {
              variance: signedValue(s.variance[i], s.unit, s.decimals),
              variancePct: signedPct(s.variancePct[i]),
              ...unescaped,
            })}
          </span>
          {rag !== null && (
            <span
              className={styles.badge}
              style={{ background: colors.rag[rag] }}
              data-testid={testIds.panel.rag(s.key)}
            >
              {ragName(rag)}
            </span>
          )}
          {better !== undefined && (
            <span
              className={styles.trend}
              title={
                better
                  ? t('panels.series-header.title-improving', 'Improving over the last closed buckets')
                  : t('panels.series-header.title-deteriorating', 'Deteriorating over the last closed buckets')
              }
              style={{ color: better ? colors.rag[0] : colors.rag[2] }}
            >
              {better
                ? t('panels.series-header.trend-improving', '▲ improving')
                : t('panels.series-header.trend-deteriorating', '▼ deteriorating')}
            </span>
          )}
        </span>
      )}
    </div>
  );
});

const getStyles = (theme: GrafanaTheme2) => ({
  header: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    height: HEADER_HEIGHT,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  swatch: css({ width: 12, height: 3, flex: 'none' }),
  name: css({ fontWeight: theme.typography.fontWeightMedium, overflow: 'hidden', textOverflow: 'ellipsis' }),
  figures: css({
    marginLeft: 'auto',
    fontVariantNumeric: 'tabular-nums',
    display: 'flex',
    gap: theme.spacing(0.75),
    alignItems: 'center',
  }),
  muted: css({ color: theme.colors.text.secondary }),
  badge: css({
    color: '#fff',
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(0, 0.75),
    fontWeight: theme.typography.fontWeightMedium,
    textShadow: '0 0 2px rgba(0,0,0,0.6)',
  }),
  trend: css({ fontWeight: theme.typography.fontWeightMedium }),
});
