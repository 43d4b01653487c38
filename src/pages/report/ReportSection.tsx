import React from 'react';
import { css as cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { testIds } from '../../shared/testIds';

/** One numbered section of the report, e.g. "3. Financial performance" (its test id from name). */
export function ReportSection({ name, title, children }: { name: string; title: string; children: React.ReactNode }) {
  const s = useReportStyles();
  return (
    <section className={s.section} data-testid={testIds.report.section(name)}>
      <h2 className={s.h2}>{title}</h2>
      {children}
    </section>
  );
}

/** Labelled figures in a grid: [label, value] pairs. */
export function Facts({ facts }: { facts: Array<[string, string]> }) {
  const s = useReportStyles();
  return (
    <dl className={s.facts}>
      {facts.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A report table's column heading; { num } for a column of figures (right-aligned). */
export type Column = string | { num: string };

/** A table of the report: its headings, and the rows as children. */
export function ReportTable({ columns, children }: { columns: Column[]; children: React.ReactNode }) {
  const s = useReportStyles();
  return (
    <table className={s.table}>
      <thead>
        <tr>
          {columns.map((c) =>
            typeof c === 'string' ? (
              <th key={c}>{c}</th>
            ) : (
              <th key={c.num} className={s.num}>
                {c.num}
              </th>
            )
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** The report's styles, in the theme it is drawn in (light, whatever Grafana's). */
export const useReportStyles = () => useStyles2(getStyles);

const getStyles = (theme: GrafanaTheme2) => ({
  // The width of an A4 page's text (182 mm at 96 dpi), on screen as on paper, so the charts fit.
  doc: cx({
    background: theme.colors.background.primary,
    color: theme.colors.text.primary,
    padding: theme.spacing(3),
    width: 688,
    boxSizing: 'content-box',
    marginTop: theme.spacing(2),
    WebkitPrintColorAdjust: 'exact',
    printColorAdjust: 'exact',
  }),
  head: cx({
    borderBottom: `2px solid ${theme.colors.text.primary}`,
    paddingBottom: theme.spacing(1),
    marginBottom: theme.spacing(2),
  }),
  kicker: cx({
    textTransform: 'uppercase',
    letterSpacing: 1,
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  h1: cx({ margin: 0 }),
  h2: cx({ fontSize: theme.typography.h4.fontSize, marginTop: theme.spacing(2) }),
  section: cx({ breakInside: 'avoid-page', marginBottom: theme.spacing(2) }),
  facts: cx({
    display: 'grid',
    gridTemplateColumns: 'repeat(3, minmax(0, 1fr))',
    gap: theme.spacing(1, 3),
    dt: { color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize },
    dd: { margin: 0 },
  }),
  table: cx({
    width: '100%',
    borderCollapse: 'collapse',
    margin: theme.spacing(1, 0),
    'th, td': {
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.medium}`,
      textAlign: 'left',
      verticalAlign: 'top',
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  num: cx({ textAlign: 'right !important' as 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }),
  nowrap: cx({ whiteSpace: 'nowrap' }),
  muted: cx({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  charts: cx({ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: theme.spacing(1) }),
  figure: cx({
    margin: 0,
    breakInside: 'avoid',
    figcaption: { fontSize: theme.typography.bodySmall.fontSize, color: theme.colors.text.secondary },
  }),
});
