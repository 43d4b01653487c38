import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { AbsoluteTimeRange, DataFrame, GrafanaTheme2 } from '@grafana/data';
import type { TimeZone } from '@grafana/schema';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { testIds } from '../../shared/testIds';
import { chartColors, seriesColor } from './palette';
import { HEADER_HEIGHT, SeriesHeader } from './SeriesHeader';
import { Tooltip } from './Tooltip';
import { TrendChart, type Crosshair } from './TrendChart';
import { prepare, type TrackerSeries } from './transforms';
import type { KpiTrendOptions } from './types';

/** The smallest chart of the small multiples; below it, the panel scrolls. */
const MIN_CHART = 110;

let charts = 0;

export interface KpiTrendChartProps {
  /** Covenant tracker frames, or any time series (drawn against the options' fixed target). */
  frames: DataFrame[];
  options: KpiTrendOptions;
  width: number;
  height: number;
  /** The range every chart spans, epoch ms (the dashboard's, or the page's). */
  timeRange: AbsoluteTimeRange;
  /** The zone of the tooltip's times (default: the browser's). */
  timeZone?: TimeZone;
  /** A drag across a chart: the range to zoom to (without it, a drag does nothing). */
  onZoom?: (range: AbsoluteTimeRange) => void;
  /** The dashboard's shared crosshair: only a panel on a dashboard has one. */
  crosshair?: Crosshair;
}

/**
 * Actual vs target per tracker over time: the band between them shaded favourable or unfavourable
 * for the KPI's direction, RAG per bucket (a strip under the chart and coloured points), the open
 * bucket marked provisional, gaps where there is no data; a header with the current figures and
 * trend; a tooltip with every figure of the hovered bucket. Several trackers are drawn as small
 * multiples with one cursor, or overlaid; dragging across a chart zooms (onZoom). With a crosshair,
 * its cursor follows the other panels' and theirs follow it. The KPI trend panel draws this, and so
 * do the app's pages (TrackerChart).
 */
export function KpiTrendChart({
  frames,
  options,
  width,
  height,
  timeRange,
  timeZone = 'browser',
  onZoom: zoomTo,
  crosshair,
}: KpiTrendChartProps) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const [syncKey] = useState(() => `covenant-kpitrend-${++charts}`);
  const [hover, setHover] = useState<{ key: string; time: number; left: number; top: number }>();
  const { fixedTarget, direction, tolerance } = options;
  const prepared = useMemo(
    () => prepare(frames, { fixedTarget, direction, tolerance }),
    [frames, fixedTarget, direction, tolerance]
  );
  const colors = useMemo(() => chartColors(theme, options.ragPalette), [theme, options.ragPalette]);
  const { from, to } = timeRange;
  const onZoom = zoomTo && ((f: number, t: number) => zoomTo({ from: f, to: t }));
  const overlaySeries = 'series' in prepared ? prepared.series : undefined;
  const overlayColors = useMemo(
    () => (overlaySeries ?? []).map((_, i) => seriesColor(theme, i)),
    [overlaySeries, theme]
  );
  const singleColor = useMemo(() => [colors.actual], [colors]);
  // One list per tracker for the small multiples, kept between renders so a hover does not rebuild the charts.
  const singles = useMemo(() => (overlaySeries ?? []).map((s) => [s]), [overlaySeries]);

  if ('message' in prepared) {
    return (
      <div className={styles.empty} data-testid={testIds.panel.empty} style={{ width, height }}>
        {prepared.message}
      </div>
    );
  }
  const { series } = prepared;
  const hoverFor = (key: string) => (time: number | null, left: number, top: number) =>
    setHover(time === null ? undefined : { key, time, left, top });
  const chart = (key: string, list: TrackerSeries[], h: number, lineColors: string[]) => (
    <div className={styles.chart} style={{ height: h }}>
      <TrendChart
        series={list}
        width={width}
        height={h}
        from={from}
        to={to}
        options={options}
        colors={colors}
        lineColors={lineColors}
        syncKey={syncKey}
        crosshair={crosshair}
        onZoom={onZoom}
        onHover={hoverFor(key)}
        testId={testIds.panel.chart(key)}
      />
      {hover?.key === key && (
        <Tooltip
          series={list}
          time={hover.time}
          left={hover.left}
          top={hover.top}
          width={width}
          colors={colors}
          timeZone={timeZone}
        />
      )}
    </div>
  );

  if (options.layout === 'overlay' || series.length === 1) {
    const legend = options.showLegend ? series.length * HEADER_HEIGHT : 0;
    const lineColors = series.length === 1 ? singleColor : overlayColors;
    return (
      <div data-testid={testIds.panel.root} style={{ width, height }}>
        {options.showLegend &&
          series.map((s, i) => (
            <SeriesHeader key={s.key} s={s} colors={colors} swatch={series.length > 1 ? lineColors[i] : undefined} />
          ))}
        {chart('overlay', series, Math.max(60, height - legend), lineColors)}
      </div>
    );
  }

  const each = Math.max(MIN_CHART, Math.floor(height / series.length) - (options.showLegend ? HEADER_HEIGHT : 0));
  return (
    <div data-testid={testIds.panel.root} className={styles.scroll} style={{ width, height }}>
      {series.map((s, i) => (
        <div key={s.key}>
          {options.showLegend && <SeriesHeader s={s} colors={colors} />}
          {chart(s.key, singles[i], each, singleColor)}
        </div>
      ))}
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
  chart: css({ position: 'relative' }),
  scroll: css({ overflowY: 'auto', overflowX: 'hidden' }),
});
