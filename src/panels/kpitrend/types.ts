/** How several trackers share the panel. */
export type Layout = 'multiples' | 'overlay';
/** RAG colours: Grafana's green/orange/red, or a palette told apart with any colour vision. */
export type RagPalette = 'standard' | 'colorblind';
export type Direction = 'higher_is_better' | 'lower_is_better';

/** Options of the KPI trend panel. */
export interface KpiTrendOptions {
  /** One chart per tracker (small multiples), or every tracker on one chart. */
  layout: Layout;
  /** Shade the area between actual and target: favourable or unfavourable. */
  showBand: boolean;
  /**
   * For trackers on a service calendar: shade the time outside working hours, and hatch the
   * calendar's exclusions (maintenance, force majeure, customer-caused).
   */
  showShading: boolean;
  /** A strip of RAG colours under the chart, one cell per bucket. */
  showRagStrip: boolean;
  /** RAG-coloured dots on the actual line (drawn when there is room for them). */
  showPoints: boolean;
  /** The header above each chart: current value, target, variance, RAG, trend. */
  showLegend: boolean;
  ragPalette: RagPalette;
  /** For frames without a target field (any time series): the target to compare with. */
  fixedTarget?: number;
  /** For frames without Covenant's metadata: which way is better. */
  direction: Direction;
  /** For frames without RAG: how far below target is still amber (same unit as the values). */
  tolerance: number;
}

export const defaultOptions: KpiTrendOptions = {
  layout: 'multiples',
  showBand: true,
  showShading: true,
  showRagStrip: true,
  showPoints: true,
  showLegend: true,
  ragPalette: 'standard',
  direction: 'higher_is_better',
  tolerance: 0,
};
