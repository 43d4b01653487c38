import { t } from '@grafana/i18n';
import React from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { unescaped } from '../../shared/i18n';
import { exclusionReasonText } from '../../shared/labels';
import { testIds } from '../../shared/testIds';
import { hatchBackground, withAlpha } from './palette';
import type { ShadingLegend } from './transforms';

/**
 * A line under a chart saying what its calendar shading means: "Shaded: outside working hours
 * (UK office) · Hatched: excluded (Maintenance, Customer caused)", with a swatch of each.
 */
export function ShadingCaption({ legend }: { legend: ShadingLegend }) {
  const styles = useStyles2(getStyles);
  const calendars = legend.calendars.join(', ');
  const reasons = legend.reasons.map(exclusionReasonText).join(', ');
  return (
    <div className={styles.caption} data-testid={testIds.panel.shadingCaption}>
      {legend.offHours && (
        <span className={styles.item}>
          <span className={cx(styles.swatch, styles.off)} />
          {calendars
            ? t('panels.shading-caption.off-hours-of', 'Shaded: outside working hours ({{calendars}})', {
                calendars,
                ...unescaped,
              })
            : t('panels.shading-caption.off-hours', 'Shaded: outside working hours')}
        </span>
      )}
      {legend.reasons.length > 0 && (
        <span className={styles.item}>
          <span className={cx(styles.swatch, styles.hatch)} />
          {t('panels.shading-caption.excluded', 'Hatched: excluded ({{reasons}})', { reasons, ...unescaped })}
        </span>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  caption: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(0.25, 2),
    padding: theme.spacing(0.25, 0),
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    paddingLeft: 58, // under the plot, past the value axis
  }),
  item: css({ display: 'inline-flex', alignItems: 'center', whiteSpace: 'nowrap' }),
  swatch: css({
    display: 'inline-block',
    width: 12,
    height: 10,
    marginRight: theme.spacing(0.5),
    border: `1px solid ${theme.colors.border.medium}`,
  }),
  off: css({ background: withAlpha(theme.colors.text.primary, theme.isDark ? 0.2 : 0.15) }),
  hatch: css({ background: hatchBackground(theme) }),
});
