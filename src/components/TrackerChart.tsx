import React from 'react';
import {
  LoadingState,
  getDefaultTimeRange,
  type AbsoluteTimeRange,
  type DataFrame,
  type FieldConfigSource,
  type PanelProps,
  type TimeRange,
} from '@grafana/data';
import { useWidth } from '../shared/hooks';
import { KpiTrendPanel } from '../panels/kpitrend/KpiTrendPanel';
import { defaultOptions, type KpiTrendOptions } from '../panels/kpitrend/types';

const noFieldConfig: FieldConfigSource = { defaults: {}, overrides: [] };
const noop = () => {};

/** Props for the Covenant panel drawn outside a dashboard, as a dashboard would pass them. */
export function panelProps(
  frames: DataFrame[],
  range: TimeRange | undefined,
  width: number,
  height: number,
  onZoom: (r: AbsoluteTimeRange) => void = noop,
  options: KpiTrendOptions = defaultOptions
): PanelProps<KpiTrendOptions> {
  const timeRange = range ?? getDefaultTimeRange();
  return {
    id: 0,
    data: { series: frames, state: LoadingState.Done, timeRange },
    timeRange,
    timeZone: 'browser',
    options,
    transparent: false,
    width,
    height,
    fieldConfig: noFieldConfig,
    renderCounter: 0,
    title: '',
    eventBus: undefined as unknown as PanelProps['eventBus'],
    onOptionsChange: noop,
    onFieldConfigChange: noop,
    replaceVariables: (s: string) => s,
    onChangeTimeRange: onZoom,
  };
}

/** Tracker frames drawn by the Covenant KPI trend panel, as wide as its container; a drag zooms to its range. */
export function TrackerChart({
  frames,
  range,
  height,
  onZoom,
  options,
}: {
  frames: DataFrame[];
  range?: TimeRange;
  height: number;
  onZoom?: (r: AbsoluteTimeRange) => void;
  /** The panel's options (default: the panel's defaults); kept stable by the caller. */
  options?: KpiTrendOptions;
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  return (
    <div ref={ref} style={{ width: '100%', height }}>
      {width > 0 && <KpiTrendPanel {...panelProps(frames, range, width, height, onZoom, options)} />}
    </div>
  );
}
