import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { formattedValueToString, getValueFormat, type GrafanaTheme2, type PanelProps } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { testIds } from '../../shared/testIds';
import type { KpiTrendOptions } from './types';
import { extentOf, framesToSeries, lastValue, toPath } from './transforms';

const LEGEND_HEIGHT = 28;

/**
 * Draws every numeric series it is given as a line over time. The full
 * actual-vs-target drawing with variance bands and RAG replaces this body later.
 */
export function KpiTrendPanel({ data, width, height, options, timeRange }: PanelProps<KpiTrendOptions>) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const series = useMemo(() => framesToSeries(data.series), [data.series]);
  const extent = useMemo(
    () => extentOf(series, { from: timeRange.from.valueOf(), to: timeRange.to.valueOf() }),
    [series, timeRange]
  );

  if (!extent) {
    return (
      <div className={styles.empty} data-testid={testIds.panel.empty} style={{ width, height }}>
        No numeric series over time to draw. The query must return a time field and at least one number field.
      </div>
    );
  }
  const chartHeight = Math.max(10, height - (options.showLegend ? LEGEND_HEIGHT : 0));
  const colors = theme.visualization.palette;

  return (
    <div data-testid={testIds.panel.root} style={{ width, height }}>
      <svg width={width} height={chartHeight} role="img" aria-label="KPI trend">
        {series.map((s, i) => {
          const color = theme.visualization.getColorByName(colors[i % colors.length]);
          return (
            <g key={s.name + i} data-testid={testIds.panel.series(s.field)}>
              <path d={toPath(s, extent, width, chartHeight)} fill="none" stroke={color} strokeWidth={1.5} />
              {options.showPoints &&
                s.times.map((t, j) =>
                  s.values[j] == null ? null : (
                    <circle
                      key={t}
                      r={2}
                      fill={color}
                      cx={((t - extent.tMin) / (extent.tMax - extent.tMin)) * width}
                      cy={
                        chartHeight -
                        (((s.values[j] as number) - extent.vMin) / (extent.vMax - extent.vMin)) * chartHeight
                      }
                    />
                  )
                )}
            </g>
          );
        })}
      </svg>
      {options.showLegend && (
        <div className={styles.legend}>
          {series.map((s, i) => {
            const v = lastValue(s);
            const text = v == null ? '–' : formattedValueToString(getValueFormat(s.unit ?? 'none')(v, s.decimals));
            return (
              <span key={s.name + i} className={styles.item}>
                <span
                  className={styles.swatch}
                  style={{ background: theme.visualization.getColorByName(colors[i % colors.length]) }}
                />
                {s.name}: {text}
              </span>
            );
          })}
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  empty: css({
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    textAlign: 'center',
    color: theme.colors.text.secondary,
    padding: theme.spacing(2),
  }),
  legend: css({
    display: 'flex',
    gap: theme.spacing(2),
    height: LEGEND_HEIGHT,
    alignItems: 'center',
    overflow: 'hidden',
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  item: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5), whiteSpace: 'nowrap' }),
  swatch: css({ width: 10, height: 3, display: 'inline-block' }),
});
