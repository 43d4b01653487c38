import React from 'react';
import { getDefaultTimeRange, type AbsoluteTimeRange, type DataFrame, type TimeRange } from '@grafana/data';
import { useWidth } from '../shared/hooks';
import { KpiTrendChart } from '../panels/kpitrend/KpiTrendChart';
import { defaultOptions, type KpiTrendOptions } from '../panels/kpitrend/types';

/**
 * Tracker frames drawn as the Covenant KPI trend panel draws them (its KpiTrendChart), as wide as
 * the container; a drag zooms to its range. There is no dashboard here, so no shared crosshair.
 * A tracker on a service calendar has its non-working time and exclusions shaded, as in the
 * panel, and a caption line under the chart saying so (below the chart's height).
 */
export function TrackerChart({
  frames,
  range,
  height,
  onZoom,
  options = defaultOptions,
}: {
  frames: DataFrame[];
  /** The range the chart spans (default: Grafana's default range, the last 6 hours). */
  range?: TimeRange;
  height: number;
  onZoom?: (r: AbsoluteTimeRange) => void;
  /** The panel's options (default: the panel's defaults); kept stable by the caller. */
  options?: KpiTrendOptions;
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const { from, to } = range ?? getDefaultTimeRange();
  return (
    <div ref={ref} style={{ width: '100%', minHeight: height }}>
      {width > 0 && (
        <KpiTrendChart
          frames={frames}
          options={options}
          width={width}
          height={height}
          timeRange={{ from: from.valueOf(), to: to.valueOf() }}
          onZoom={onZoom}
          caption
        />
      )}
    </div>
  );
}
