import { t, Trans } from '@grafana/i18n';
import React from 'react';
import { css, cx } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { IconButton, useStyles2 } from '@grafana/ui';
import { unescaped } from '../../shared/i18n';
import { testIds } from '../../shared/testIds';
import { indexAtOrBefore } from './draw';
import { hatchBackground, withAlpha, type ChartColors } from './palette';
import { formatValue, signedPct, signedValue } from './format';
import { ragName } from './SeriesHeader';
import {
  at,
  inSpans,
  type ChartAnnotation,
  type ExclusionSpan,
  type TrackerSeries,
} from './transforms';
import { durationText, exclusionReasonText } from '../../shared/labels';

/**
 * The bucket a time starts, in the tracker's time zone (where its calendar buckets are aligned):
 * "Week of 2026-09-28 (Europe/London)", "2026-09 (UTC)", "2026-09-30 14:00 (UTC)".
 */
export function bucketLabel(s: TrackerSeries, time: number, fallbackZone?: string): string {
  const zone = s.timezone ?? fallbackZone;
  const at = (format: string) => dateTimeFormat(time, { timeZone: zone, format });
  const suffix = s.timezone ? ` (${s.timezone})` : '';
  switch (s.interval) {
    case '1d':
      return at('YYYY-MM-DD') + suffix;
    case '1w':
      return t('panels.bucket-label.week-of', 'Week of {{date}}', { date: at('YYYY-MM-DD'), ...unescaped }) + suffix;
    case '1M':
      return at('YYYY-MM') + suffix;
    case '1Q':
      return (
        t('panels.bucket-label.quarter', '{{year}} Q{{quarter}}', {
          year: at('YYYY'),
          quarter: Math.ceil(Number(at('M')) / 3),
          ...unescaped,
        }) + suffix
      );
    case '1Y':
      return at('YYYY') + suffix;
    default:
      return at('YYYY-MM-DD HH:mm') + suffix;
  }
}

/**
 * A span of time as the tooltip names it, in a zone: "2026-03-03 09:00–11:30" within a day,
 * "2026-03-03 09:00 – 2026-03-04 00:00" across midnight (never an ambiguous "00:00–00:00").
 */
export function spanLabel(from: number, to: number, zone?: string): string {
  const f = (time: number, format: string) => dateTimeFormat(time, { timeZone: zone, format });
  const sameDay = f(from, 'YYYY-MM-DD') === f(to, 'YYYY-MM-DD');
  return sameDay
    ? `${f(from, 'YYYY-MM-DD HH:mm')}–${f(to, 'HH:mm')}`
    : `${f(from, 'YYYY-MM-DD HH:mm')} – ${f(to, 'YYYY-MM-DD HH:mm')}`;
}

/** Most exclusions a tooltip lists per tracker; the rest are counted. */
const MAX_EXCLUSIONS = 3;

/**
 * What a tracker's calendar says about the hovered bucket [from, until) and the time `cursor` under
 * the mouse: the exclusions that meet the bucket or hold the cursor, and whether the cursor is
 * outside working hours.
 */
export function calendarAt(
  s: TrackerSeries,
  from: number,
  until: number,
  cursor?: number
): { exclusions: ExclusionSpan[]; offHours: boolean } {
  const sh = s.shading;
  if (!sh) {
    return { exclusions: [], offHours: false };
  }
  const under = cursor !== undefined && Number.isFinite(cursor);
  const exclusions = sh.exclusions.filter(
    (e) => (e.from < until && e.to > from) || (under && e.from <= cursor! && cursor! < e.to)
  );
  return { exclusions, offHours: under && inSpans(sh.off, cursor!) };
}

/** Every figure of the hovered bucket, for each tracker of the chart that has that bucket. */
export function Tooltip({
  series,
  time,
  left,
  top,
  width,
  height,
  colors,
  timeZone,
  pinned,
  onClose,
  annotations = [],
  cursor,
}: {
  series: TrackerSeries[];
  time: number;
  /** The time under the mouse (or the keyboard's bucket): what the calendar's shading there says. */
  cursor?: number;
  left: number;
  top: number;
  width: number;
  /** The chart's height: the box stays within it. */
  height?: number;
  colors: ChartColors;
  timeZone?: string;
  /** Pinned by a click (or the keyboard): it stays, its links can be followed, and it has a close button. */
  pinned?: boolean;
  onClose?: () => void;
  /** The dashboard's annotations: those in the hovered bucket are listed. */
  annotations?: ChartAnnotation[];
}) {
  const styles = useStyles2(getStyles);
  const rows = series
    .map((s) => ({ s, i: indexAtOrBefore(s.times, time) }))
    .filter(({ s, i }) => i >= 0 && s.times[i] === time);
  if (rows.length === 0) {
    return null;
  }
  // The events in the hovered bucket: from its start to the next bucket's (the last runs to the range's end).
  const next = Math.min(...rows.map(({ s, i }) => (i + 1 < s.times.length ? s.times[i + 1] : Infinity)));
  const events = annotations.filter((a) => a.time >= time && a.time < next);
  // Keep the box inside the chart: to the left of the cursor on the right half, above it on the
  // lower half, and no taller than the room there (it scrolls, so a pinned one's links stay reachable).
  const x = left > width / 2 ? { right: width - left + 12 } : { left: left + 12 };
  const y =
    height === undefined
      ? { top: top + 8 }
      : top > height / 2
        ? { bottom: height - top + 8, maxHeight: top - 8 }
        : { top: top + 8, maxHeight: height - top - 16 };
  const style = { ...x, ...y };
  return (
    <div
      className={cx(styles.box, pinned && styles.pinned)}
      style={style}
      data-testid={testIds.panel.tooltip}
      role="tooltip"
      aria-live="polite"
    >
      <div className={styles.head}>
        <span className={styles.time}>{bucketLabel(rows[0].s, time, timeZone)}</span>
        {pinned && onClose && (
          <IconButton
            name="times"
            size="sm"
            aria-label={t('panels.tooltip.aria-label-close-the-tooltip', 'Close the tooltip')}
            onClick={onClose}
          />
        )}
      </div>
      {events.length > 0 && (
        <ul
          className={styles.events}
          aria-label={t('panels.tooltip.aria-label-events-in-this-bucket', 'Events in this bucket')}
        >
          {events.map((a, k) => (
            <li key={k}>
              <span className={styles.dot} style={{ background: a.color ?? colors.target }} />
              {a.title}
            </li>
          ))}
        </ul>
      )}
      {rows.map(({ s, i }) => {
        const rag = at(s.rag, i);
        const misses = at(s.misses, i);
        const working = s.working ? at(s.working, i) : null;
        const until = i + 1 < s.times.length ? s.times[i + 1] : (s.shading?.end ?? Infinity);
        const cal = calendarAt(s, time, until, cursor);
        const zone = s.timezone ?? (timeZone === 'browser' ? undefined : timeZone);
        const fmt = (v: unknown) => formatValue(v, s.unit, s.decimals);
        return (
          <table key={s.key} className={styles.table}>
            <caption>
              {s.openBucket !== undefined && s.times[i] >= s.openBucket
                ? t('panels.tooltip.caption-provisional', '{{name}} — provisional (bucket still open)', {
                    name: s.name,
                    ...unescaped,
                  })
                : s.name}
            </caption>
            <tbody>
              {/* What the calendar's shading here is, first: a small chart's tooltip may scroll. */}
              {cal.offHours && cal.exclusions.length === 0 && (
                <tr>
                  <td colSpan={2} className={styles.note}>
                    <span className={cx(styles.swatch, styles.offSwatch)} />
                    {s.shading?.calendarName
                      ? t('panels.tooltip.outside-working-hours-of', 'Outside the working hours of {{calendar}}', {
                          calendar: s.shading.calendarName,
                          ...unescaped,
                        })
                      : t('panels.tooltip.outside-working-hours', 'Outside working hours')}
                  </td>
                </tr>
              )}
              {cal.exclusions.slice(0, MAX_EXCLUSIONS).map((e, k) => (
                <tr key={`x${k}`} data-testid={testIds.panel.tooltipExclusion}>
                  <td colSpan={2} className={styles.note}>
                    <span className={cx(styles.swatch, styles.hatchSwatch)} />
                    {e.note
                      ? t('panels.tooltip.excluded-with-note', 'Excluded: {{reason}} — {{note}}', {
                          reason: exclusionReasonText(e.reason),
                          note: e.note,
                          ...unescaped,
                        })
                      : t('panels.tooltip.excluded', 'Excluded: {{reason}}', {
                          reason: exclusionReasonText(e.reason),
                          ...unescaped,
                        })}
                    <div className={styles.when}>{spanLabel(e.from, e.to, zone)}</div>
                  </td>
                </tr>
              ))}
              {cal.exclusions.length > MAX_EXCLUSIONS && (
                <tr>
                  <td colSpan={2} className={styles.note}>
                    {t('panels.tooltip.more-exclusions', 'and {{count}} more exclusions', {
                      count: cal.exclusions.length - MAX_EXCLUSIONS,
                    })}
                  </td>
                </tr>
              )}
              <tr>
                <th>
                  <Trans i18nKey="panels.tooltip.actual">Actual</Trans>
                </th>
                <td>{fmt(s.actual[i])}</td>
              </tr>
              <tr>
                <th>
                  <Trans i18nKey="panels.tooltip.target">Target</Trans>
                </th>
                <td>{fmt(s.target[i])}</td>
              </tr>
              <tr>
                <th>
                  <Trans i18nKey="panels.tooltip.variance">Variance</Trans>
                </th>
                <td>
                  {t('panels.tooltip.variance-value', '{{variance}} ({{variancePct}})', {
                    variance: signedValue(s.variance[i], s.unit, s.decimals),
                    variancePct: signedPct(s.variancePct[i]),
                    ...unescaped,
                  })}
                </td>
              </tr>
              <tr>
                <th>
                  <Trans i18nKey="panels.tooltip.rag">RAG</Trans>
                </th>
                <td style={{ color: rag === null ? undefined : colors.rag[rag] }}>
                  {rag === null ? t('panels.tooltip.not-evaluated', 'not evaluated') : ragName(rag)}
                </td>
              </tr>
              {misses !== null && (
                <tr>
                  <th>
                    <Trans i18nKey="panels.tooltip.misses-in-a-row">Misses in a row</Trans>
                  </th>
                  <td>{misses}</td>
                </tr>
              )}
              {working !== null && (
                <tr>
                  <th>
                    <Trans i18nKey="panels.tooltip.working-time">Working time</Trans>
                  </th>
                  <td>{durationText(working)}</td>
                </tr>
              )}
              {s.links.map((l) => (
                <tr key={l.url}>
                  <td colSpan={2} className={styles.link}>
                    <a href={l.url} tabIndex={pinned ? 0 : -1}>
                      {l.title}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({
    position: 'absolute',
    zIndex: 2,
    pointerEvents: 'none',
    // background.elevated is newer than Grafana 11.2, the oldest the plugin runs on: there the box
    // would be transparent, and the chart (its bands, the calendar's hatch) would show through.
    background: theme.colors.background.elevated || theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.medium}`,
    boxShadow: theme.shadows.z2,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(1),
    fontSize: theme.typography.bodySmall.fontSize,
    minWidth: 180,
    overflowY: 'auto',
  }),
  pinned: css({ pointerEvents: 'auto' }),
  events: css({ listStyle: 'none', margin: theme.spacing(0, 0, 0.5), padding: 0, maxWidth: 320 }),
  dot: css({
    display: 'inline-block',
    width: 8,
    height: 8,
    borderRadius: '50%',
    marginRight: theme.spacing(0.5),
  }),
  head: css({ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: theme.spacing(1) }),
  time: css({ fontWeight: theme.typography.fontWeightMedium, marginBottom: theme.spacing(0.5) }),
  note: css({
    textAlign: 'left !important' as 'left',
    whiteSpace: 'normal',
    maxWidth: 320,
    paddingBottom: theme.spacing(0.5),
  }),
  when: css({ color: theme.colors.text.secondary, paddingLeft: 14 }),
  swatch: css({
    display: 'inline-block',
    width: 10,
    height: 10,
    marginRight: 4,
    verticalAlign: 'middle',
    border: `1px solid ${theme.colors.border.medium}`,
  }),
  offSwatch: css({ background: withAlpha(theme.colors.text.primary, theme.isDark ? 0.2 : 0.15) }),
  hatchSwatch: css({ background: hatchBackground(theme) }),
  link: css({
    textAlign: 'left !important' as 'left',
    paddingTop: theme.spacing(0.5),
    a: { color: theme.colors.text.link },
  }),
  table: css({
    width: '100%',
    caption: { textAlign: 'left', captionSide: 'top', color: theme.colors.text.secondary },
    th: { textAlign: 'left', fontWeight: 'normal', color: theme.colors.text.secondary, paddingRight: theme.spacing(2) },
    td: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
  }),
});
