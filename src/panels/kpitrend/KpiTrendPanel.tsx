import React, { useMemo } from 'react';
import { DashboardCursorSync, type PanelProps } from '@grafana/data';
import { usePanelContext } from '@grafana/ui';
import { KpiTrendChart } from './KpiTrendChart';
import type { KpiTrendOptions } from './types';

/**
 * The KPI trend panel: KpiTrendChart with what a dashboard gives a panel. Its query's frames, size,
 * options, time range and zone; a drag zooms the dashboard (onChangeTimeRange); with the dashboard's
 * shared crosshair on (graph tooltip: shared crosshair or shared tooltip), its cursor follows the
 * other panels' through the panel's event bus, and theirs follow it; the dashboard's annotations are
 * drawn on every chart.
 */
export function KpiTrendPanel({
  data,
  width,
  height,
  options,
  timeRange,
  timeZone,
  onChangeTimeRange,
  eventBus,
}: PanelProps<KpiTrendOptions>) {
  const { sync } = usePanelContext();
  const crosshair = useMemo(
    () =>
      eventBus
        ? { eventBus, shared: () => (sync?.() ?? DashboardCursorSync.Off) !== DashboardCursorSync.Off }
        : undefined,
    [eventBus, sync]
  );
  return (
    <KpiTrendChart
      frames={data.series}
      options={options}
      width={width}
      height={height}
      timeRange={{ from: timeRange.from.valueOf(), to: timeRange.to.valueOf() }}
      timeZone={timeZone}
      onZoom={onChangeTimeRange}
      crosshair={crosshair}
      annotations={data.annotations}
    />
  );
}
