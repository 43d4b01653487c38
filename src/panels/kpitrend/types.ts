/** Options of the KPI trend panel. */
export interface KpiTrendOptions {
  /** Draw a dot at every point as well as the line. */
  showPoints: boolean;
  /** Show the legend with each series' latest value. */
  showLegend: boolean;
}

export const defaultOptions: KpiTrendOptions = { showPoints: false, showLegend: true };
