import { t } from '@grafana/i18n';
import React, { useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import type { AbsoluteTimeRange, DataFrame, GrafanaTheme2 } from '@grafana/data';
import type { TimeZone } from '@grafana/schema';
import { IconButton, useStyles2, useTheme2 } from '@grafana/ui';
import { unescaped } from '../../shared/i18n';
import { testIds } from '../../shared/testIds';
import { chartColors, seriesColor } from './palette';
import { HEADER_HEIGHT, SeriesHeader } from './SeriesHeader';
import { SeriesTable } from './SeriesTable';
import { Tooltip } from './Tooltip';
import { TrendChart, type Crosshair, type TrendChartProps } from './TrendChart';
import { annotationsOf, at, prepare, shadingLegend, type ChartAnnotation, type TrackerSeries } from './transforms';
import { ShadingCaption } from './ShadingCaption';
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
  /** The dashboard's annotations (a panel's data.annotations): drawn as lines, named in the tooltip. */
  annotations?: DataFrame[];
  /**
   * A line under the charts saying what the calendar shading means, when something is shaded (the
   * app's charts; a panel explains it in its tooltip). It is not part of `height`: it adds its own
   * line (or two, when narrow) below.
   */
  caption?: boolean;
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
  annotations: annotationFrames,
  caption,
}: KpiTrendChartProps) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const [syncKey] = useState(() => `covenant-kpitrend-${++charts}`);
  const { fixedTarget, direction, tolerance } = options;
  const prepared = useMemo(
    () => prepare(frames, { fixedTarget, direction, tolerance }),
    [frames, fixedTarget, direction, tolerance]
  );
  const colors = useMemo(() => chartColors(theme, options.ragPalette), [theme, options.ragPalette]);
  const annotations = useMemo(() => annotationsOf(annotationFrames), [annotationFrames]);
  const { from, to } = timeRange;
  const onZoom = zoomTo && ((f: number, until: number) => zoomTo({ from: f, to: until }));
  const overlaySeries = 'series' in prepared ? prepared.series : undefined;
  const overlayColors = useMemo(
    () => (overlaySeries ?? []).map((_, i) => seriesColor(theme, i)),
    [overlaySeries, theme]
  );
  const singleColor = useMemo(() => [colors.actual], [colors]);
  // One list per tracker for the small multiples, kept between renders so a hover does not rebuild the charts.
  const singles = useMemo(() => (overlaySeries ?? []).map((s) => [s]), [overlaySeries]);
  const legend = useMemo(
    () => (caption && options.showShading && overlaySeries ? shadingLegend(overlaySeries, from, to) : undefined),
    [caption, options.showShading, overlaySeries, from, to]
  );

  if ('message' in prepared) {
    return (
      <div className={styles.empty} data-testid={testIds.panel.empty} style={{ width, height }}>
        {prepared.message}
      </div>
    );
  }
  const { series } = prepared;
  const below = legend ? <ShadingCaption legend={legend} /> : null;
  const chart = (key: string, list: TrackerSeries[], h: number, lineColors: string[]) => (
    <ChartCell
      cellKey={key}
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
      timeZone={timeZone}
      annotations={annotations}
    />
  );

  if (options.layout === 'overlay' || series.length === 1) {
    const headers = options.showLegend ? series.length * HEADER_HEIGHT : 0;
    const lineColors = series.length === 1 ? singleColor : overlayColors;
    return (
      <div data-testid={testIds.panel.root} style={{ width, height: below ? undefined : height }}>
        {options.showLegend &&
          series.map((s, i) => (
            <SeriesHeader key={s.key} s={s} colors={colors} swatch={series.length > 1 ? lineColors[i] : undefined} />
          ))}
        {chart('overlay', series, Math.max(60, height - headers), lineColors)}
        {below}
      </div>
    );
  }

  const each = Math.max(MIN_CHART, Math.floor(height / series.length) - (options.showLegend ? HEADER_HEIGHT : 0));
  const multiples = series.map((s, i) => (
    <div key={s.key}>
      {options.showLegend && <SeriesHeader s={s} colors={colors} />}
      {chart(s.key, singles[i], each, singleColor)}
    </div>
  ));
  if (!below) {
    return (
      <div data-testid={testIds.panel.root} className={styles.scroll} style={{ width, height }}>
        {multiples}
      </div>
    );
  }
  return (
    <div data-testid={testIds.panel.root} style={{ width, height: below ? undefined : height }}>
      <div className={styles.scroll} style={{ width, height }}>
        {multiples}
      </div>
      {below}
    </div>
  );
}

/** A chart of the panel: what its TrendChart draws, its key, and the tooltip's zone and events. */
type ChartCellProps = Pick<
  TrendChartProps,
  | 'series'
  | 'width'
  | 'height'
  | 'from'
  | 'to'
  | 'options'
  | 'colors'
  | 'lineColors'
  | 'syncKey'
  | 'crosshair'
  | 'onZoom'
> & {
  cellKey: string;
  timeZone?: TimeZone;
  annotations: ChartAnnotation[];
};

/** The bucket starts of a chart's series, in order, each once. */
function bucketTimes(series: TrackerSeries[]): ArrayLike<number> {
  if (series.length === 1) {
    return series[0].times;
  }
  const all = new Set<number>();
  for (const s of series) {
    for (let i = 0; i < s.times.length; i++) {
      all.add(s.times[i]);
    }
  }
  return Array.from(all).sort((a, b) => a - b);
}

/** The last bucket a series judged (its RAG is set), else the last one: where the keyboard starts. */
function lastJudged(series: TrackerSeries[], times: ArrayLike<number>): number {
  for (let i = times.length - 1; i >= 0; i--) {
    if (series.some((s) => s.times[i] === times[i] && at(s.rag, i) !== null)) {
      return i;
    }
  }
  return times.length - 1;
}

/**
 * One chart with its tooltip, reachable without a mouse: the chart takes the keyboard's focus and
 * the arrow keys walk its buckets (Home and End: the first and last; Escape closes the tooltip); a
 * click pins the tooltip so its links can be followed; a button swaps the chart for a table of
 * its figures.
 */
function ChartCell(props: ChartCellProps) {
  const { cellKey, series, width, height, colors, timeZone } = props;
  const styles = useStyles2(getStyles);
  const [hover, setHover] = useState<{ time: number; left: number; top: number; at?: number }>();
  const [pinned, setPinned] = useState(false);
  const [focusIdx, setFocusIdx] = useState<number | null>(null);
  const [table, setTable] = useState(false);
  const down = useRef<number>();
  const times = useMemo(() => bucketTimes(series), [series]);
  const focusTime = focusIdx === null ? null : (times[focusIdx] ?? null);

  const onHover = (time: number | null, left: number, top: number, at?: number) => {
    if (pinned && focusIdx === null) {
      return; // a pinned tooltip stays where it was clicked
    }
    setHover(time === null ? undefined : { time, left, top, at });
  };
  const close = () => {
    setPinned(false);
    setFocusIdx(null);
    setHover(undefined);
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.target !== e.currentTarget || times.length === 0) {
      return;
    }
    const last = times.length - 1;
    const start = focusIdx ?? lastJudged(series, times);
    const next: Record<string, number> = {
      ArrowLeft: focusIdx === null ? start : Math.max(0, start - 1),
      ArrowRight: focusIdx === null ? start : Math.min(last, start + 1),
      Home: 0,
      End: last,
    };
    if (e.key in next) {
      e.preventDefault();
      setFocusIdx(next[e.key]);
      setPinned(true);
    } else if (e.key === 'Escape') {
      close();
    }
  };
  const names = series.map((s) => s.name).join(', ');
  return (
    <div className={styles.chart} style={{ height }}>
      <IconButton
        className={styles.toggle}
        name={table ? 'chart-line' : 'table'}
        size="sm"
        aria-pressed={table}
        tooltip={
          table
            ? t('panels.chart-cell.tooltip-show-chart', 'Show the chart')
            : t('panels.chart-cell.tooltip-show-table', 'Show the figures as a table')
        }
        data-testid={testIds.panel.tableToggle(cellKey)}
        onClick={() => {
          close();
          setTable((shown) => !shown);
        }}
      />
      {table ? (
        <SeriesTable series={series} height={height} timeZone={timeZone} />
      ) : (
        <div
          tabIndex={0}
          role="group"
          aria-roledescription={t('panels.chart-cell.aria-roledescription-chart', 'chart')}
          aria-label={t(
            'panels.chart-cell.aria-label-chart',
            '{{names}}: actual against target per bucket. Arrow keys read each bucket, Escape closes; the table button lists them all.',
            { names, ...unescaped }
          )}
          className={styles.focusable}
          onKeyDown={onKeyDown}
          onBlur={(e) => {
            if (!e.currentTarget.contains(e.relatedTarget as Node | null)) {
              close();
            }
          }}
          onMouseDown={(e) => {
            down.current = e.clientX;
          }}
          onClick={(e) => {
            // A click on the chart, not the end of a drag (a zoom), pins the tooltip or lets it go.
            const onTooltip = (e.target as HTMLElement).closest('[role="tooltip"]');
            if (!onTooltip && down.current !== undefined && Math.abs(e.clientX - down.current) < 4 && hover) {
              setPinned((p) => !p);
            }
          }}
        >
          <TrendChart
            series={series}
            width={width}
            height={height}
            from={props.from}
            to={props.to}
            options={props.options}
            colors={colors}
            lineColors={props.lineColors}
            syncKey={props.syncKey}
            crosshair={props.crosshair}
            onZoom={props.onZoom}
            onHover={onHover}
            focusTime={focusTime}
            annotations={props.annotations}
            testId={testIds.panel.chart(cellKey)}
          />
          {hover && (
            <Tooltip
              series={series}
              time={hover.time}
              cursor={hover.at}
              left={hover.left}
              top={hover.top}
              width={width}
              height={height}
              colors={colors}
              timeZone={timeZone}
              pinned={pinned}
              onClose={close}
              annotations={props.annotations}
            />
          )}
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
  chart: css({ position: 'relative' }),
  toggle: css({ position: 'absolute', top: 0, right: theme.spacing(0.5), zIndex: 3 }),
  focusable: css({
    position: 'relative',
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: -2 },
  }),
  scroll: css({ overflowY: 'auto', overflowX: 'hidden' }),
});
