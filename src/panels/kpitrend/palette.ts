import type { GrafanaTheme2 } from '@grafana/data';
import type { RagPalette } from './types';

/** Okabe–Ito colours, told apart with any colour vision: blue (met), orange (amber), vermillion (missed). */
const COLORBLIND = ['#0072B2', '#E69F00', '#D55E00'];

/** The colours of a chart: RAG by code (green, amber, red), the band's two sides, the lines. */
export interface ChartColors {
  rag: [string, string, string];
  favourable: string;
  unfavourable: string;
  actual: string;
  target: string;
  axis: string;
  grid: string;
  provisional: string;
  unevaluated: string;
  /** Time outside the calendar's working hours: a neutral wash behind the series. */
  offHours: string;
  /** A calendar's exclusions: a light tint, and the hatch over it. */
  excluded: string;
  excludedHatch: string;
}

/** A colour with an alpha, from a #rrggbb or rgb() colour. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (hex) {
    const n = parseInt(hex[1], 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const rgb = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(color);
  return rgb ? `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})` : color;
}

/** The chart colours for a theme and RAG palette; series colours (overlay) come from the theme's palette. */
export function chartColors(theme: GrafanaTheme2, palette: RagPalette): ChartColors {
  const named = (n: string) => theme.visualization.getColorByName(n);
  const rag: [string, string, string] =
    palette === 'colorblind'
      ? [COLORBLIND[0], COLORBLIND[1], COLORBLIND[2]]
      : [named('green'), named('orange'), named('red')];
  return {
    rag,
    favourable: withAlpha(rag[0], theme.isDark ? 0.28 : 0.22),
    unfavourable: withAlpha(rag[2], theme.isDark ? 0.32 : 0.24),
    actual: theme.colors.text.primary,
    target: theme.colors.text.secondary,
    axis: theme.colors.text.secondary,
    grid: theme.colors.border.weak,
    provisional: withAlpha(theme.colors.text.secondary, theme.isDark ? 0.12 : 0.08),
    unevaluated: theme.colors.text.disabled,
    offHours: withAlpha(theme.colors.text.primary, theme.isDark ? 0.07 : 0.06),
    // Purple: no RAG colour, nor the band's, in either palette.
    excluded: withAlpha(named('purple'), theme.isDark ? 0.12 : 0.08),
    excludedHatch: withAlpha(named('purple'), theme.isDark ? 0.6 : 0.5),
  };
}

/** Line colours of overlaid trackers: none of them green, orange or red, which mean RAG here. */
const OVERLAY = [
  'blue',
  'purple',
  'yellow',
  'dark-blue',
  'dark-purple',
  'dark-yellow',
  'super-light-blue',
  'super-light-purple',
];

/** The line colour of the i-th overlaid tracker. */
export function seriesColor(theme: GrafanaTheme2, i: number): string {
  return theme.visualization.getColorByName(OVERLAY[i % OVERLAY.length]);
}

/** The exclusions' hatch as a CSS background, for swatches that explain the chart's. */
export function hatchBackground(theme: GrafanaTheme2): string {
  const purple = theme.visualization.getColorByName('purple');
  const line = withAlpha(purple, theme.isDark ? 0.75 : 0.65);
  const tint = withAlpha(purple, theme.isDark ? 0.15 : 0.1);
  return `repeating-linear-gradient(-45deg, ${line} 0 1px, ${tint} 1px 4px)`;
}
