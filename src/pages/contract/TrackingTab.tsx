import { t, Trans } from '@grafana/i18n';
import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import {
  dateTime,
  rangeUtil,
  type AbsoluteTimeRange,
  type DataFrame,
  type GrafanaTheme2,
  type TimeRange,
} from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { Alert, EmptyState, LinkButton, LoadingPlaceholder, TextLink, TimeRangePicker, useStyles2 } from '@grafana/ui';
import { queryFrames } from '../../shared/api';
import { useLoad } from '../../shared/hooks';
import { paths } from '../../shared/paths';
import { testIds } from '../../shared/testIds';
import { QueryType, type Contract } from '../../shared/types';
import { useCovenant } from '../../app/CovenantContext';
import { TrackerChart } from '../../components/TrackerChart';

const DEFAULT_FROM = 'now-90d';
const DEFAULT_TO = 'now';

/** The time range in the page's URL (?from=&to=, relative like now-90d or epoch ms), else the last 90 days. */
export function rangeFromSearch(search: URLSearchParams): TimeRange {
  const raw = { from: search.get('from') || DEFAULT_FROM, to: search.get('to') || DEFAULT_TO };
  const asTime = (s: string) => (/^\d+$/.test(s) ? dateTime(Number(s)) : s);
  const range = rangeUtil.convertRawToRange({ from: asTime(raw.from), to: asTime(raw.to) });
  if (!range.from.isValid() || !range.to.isValid() || range.to.valueOf() <= range.from.valueOf()) {
    return rangeUtil.convertRawToRange({ from: DEFAULT_FROM, to: DEFAULT_TO });
  }
  return range;
}

/** Every tracker of the contract as a trend chart drawn by the Covenant panel, over a range the user picks. */
export function TrackingTab({ contract, search }: { contract: Contract; search: URLSearchParams }) {
  const { ds } = useCovenant();
  const styles = useStyles2(getStyles);
  const rangeKey = `${search.get('from') ?? ''}|${search.get('to') ?? ''}`;
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const range = useMemo(() => rangeFromSearch(search), [rangeKey]);
  const frames = useLoad(
    () => queryFrames(ds.uid, range, [{ refId: 'A', queryType: QueryType.TrackerSeries, contract: contract.id }]),
    [ds.uid, contract.id, contract.version, range]
  );
  const setRange = (r: TimeRange) =>
    locationService.partial({
      from: typeof r.raw.from === 'string' ? r.raw.from : String(r.from.valueOf()),
      to: typeof r.raw.to === 'string' ? r.raw.to : String(r.to.valueOf()),
    });
  const shift = (dir: -1 | 1) => {
    const span = range.to.valueOf() - range.from.valueOf();
    locationService.partial({
      from: String(range.from.valueOf() + dir * span),
      to: String(range.to.valueOf() + dir * span),
    });
  };
  const zoomOut = () => {
    const span = range.to.valueOf() - range.from.valueOf();
    locationService.partial({
      from: String(range.from.valueOf() - span / 2),
      to: String(range.to.valueOf() + span / 2),
    });
  };

  return (
    <div data-testid={testIds.contract.tracking}>
      <div className={styles.toolbar}>
        <TimeRangePicker
          value={range}
          onChange={setRange}
          onChangeTimeZone={() => {}}
          onMoveBackward={() => shift(-1)}
          onMoveForward={() => shift(1)}
          onZoom={zoomOut}
        />
      </div>
      {frames.state === 'loading' && !frames.value && (
        <LoadingPlaceholder text={t('pages.tracking-tab.text-computing-the-trackers', 'Computing the trackers…')} />
      )}
      {frames.state === 'error' && (
        <Alert
          severity="error"
          title={t('pages.tracking-tab.title-the-trackers-could-not-be-computed', 'The trackers could not be computed')}
        >
          {frames.failure.message}
        </Alert>
      )}
      {frames.value && frames.value.length === 0 && (
        <EmptyState
          variant="call-to-action"
          message={t('pages.tracking-tab.empty-no-trackers-yet', 'No trackers on this contract yet')}
        >
          <div data-testid={testIds.contract.trackingEmpty}>
            <p>
              <Trans i18nKey="pages.tracking-tab.assign-trackers-contract-their-trends">
                Assign trackers to the contract to see their trends here.
              </Trans>
            </p>
            <LinkButton icon="plus" href={paths.contract(contract.id, 'trackers')}>
              <Trans i18nKey="pages.tracking-tab.assign-a-tracker">Assign a tracker</Trans>
            </LinkButton>
          </div>
        </EmptyState>
      )}
      <div className={styles.charts}>
        {frames.value?.map((f, i) => (
          <TrackerCard
            key={i}
            frame={f}
            range={range}
            onZoom={(r) => locationService.partial({ from: String(r.from), to: String(r.to) })}
          />
        ))}
      </div>
    </div>
  );
}

function TrackerCard({
  frame,
  range,
  onZoom,
}: {
  frame: DataFrame;
  range: TimeRange;
  onZoom: (r: AbsoluteTimeRange) => void;
}) {
  const styles = useStyles2(getStyles);
  const labels = frame.fields.find((f) => f.name === 'actual')?.labels ?? {};
  const trackerId = labels.trackerId ?? frame.name ?? '';
  return (
    <section
      className={styles.card}
      aria-label={labels.tracker ?? frame.name}
      data-testid={testIds.contract.chart(trackerId)}
    >
      <header className={styles.cardHeader}>
        <TextLink href={paths.tracker(trackerId)} inline={false} weight="medium">
          {labels.tracker ?? frame.name ?? trackerId}
        </TextLink>
        <span className={styles.muted}>{labels.kpi}</span>
      </header>
      <TrackerChart frames={[frame]} range={range} height={240} onZoom={onZoom} />
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  toolbar: css({ display: 'flex', justifyContent: 'flex-end', marginBottom: theme.spacing(2) }),
  charts: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(480px, 1fr))',
    gap: theme.spacing(2),
  }),
  card: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(1.5),
    background: theme.colors.background.primary,
    minWidth: 0,
  }),
  cardHeader: css({
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'baseline',
    marginBottom: theme.spacing(1),
    flexWrap: 'wrap',
  }),
  figures: css({ marginLeft: 'auto', fontVariantNumeric: 'tabular-nums' }),
  muted: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
