import { t } from '@grafana/i18n';
import React, { useState } from 'react';
import { css } from '@emotion/css';
import {
  FieldType,
  dateTime,
  formattedValueToString,
  getValueFormat,
  type DataFrame,
  type GrafanaTheme2,
  type TimeRange,
} from '@grafana/data';
import { Alert, Field, Input, LoadingPlaceholder, RadioButtonGroup, Stack, useStyles2 } from '@grafana/ui';
import { lastDays, queryFrames, type ApiFailure } from '../shared/api';
import { useDebounced, useLoad } from '../shared/hooks';
import { testIds } from '../shared/testIds';
import type { CovenantQuery } from '../shared/types';
import { useCovenant } from '../app/CovenantContext';
import { queryFailure } from './form';

/** Preview ranges: the last N days, ending now. */
const ranges = () => [
  { label: t('components.preview.range-7-days', '7 days'), value: 7 },
  { label: t('components.preview.range-30-days', '30 days'), value: 30 },
  { label: t('components.preview.range-90-days', '90 days'), value: 90 },
  { label: t('components.preview.range-1-year', '1 year'), value: 365 },
];

type Outcome = { kind: 'notReady'; text: string } | { kind: 'frames'; frames: DataFrame[]; range: TimeRange };

export interface PreviewProps {
  title: string;
  /** The query to preview for a contract key, or a reason it cannot run yet. */
  query: (key: string) => CovenantQuery | { notReady: string };
  defaultDays: number;
  defaultKey: string;
  /** The backend's field paths to strip, e.g. /^trackers\[0\]\./, so the form can mark its own fields. */
  fieldPrefix: RegExp;
  /** Shows the failure on the form too (a wrong field is marked there). */
  onFailure?: (f?: ApiFailure) => void;
  children: (frames: DataFrame[], range: TimeRange) => React.ReactNode;
}

/**
 * A live preview beside a form: runs the form's query through Grafana's /api/ds/query (as a
 * dashboard would) a moment after typing stops, for a contract key and a range the user picks.
 */
export function Preview({ title, query, defaultDays, defaultKey, fieldPrefix, onFailure, children }: PreviewProps) {
  const { ds } = useCovenant();
  const styles = useStyles2(getStyles);
  const [key, setKey] = useState(defaultKey);
  const [days, setDays] = useState(defaultDays);
  const q = query(key);
  const text = useDebounced(JSON.stringify(q), 600);
  const result = useLoad(async (): Promise<Outcome> => {
    const parsed = JSON.parse(text) as CovenantQuery | { notReady: string };
    if ('notReady' in parsed) {
      return { kind: 'notReady', text: parsed.notReady };
    }
    const range = lastDays(days);
    try {
      const frames = await queryFrames(ds.uid, range, [{ ...parsed, refId: 'preview' }]);
      onFailure?.(undefined);
      return { kind: 'frames', frames, range };
    } catch (err) {
      const f = queryFailure({ message: (err as Error).message ?? String(err) }, fieldPrefix);
      onFailure?.(f);
      throw { message: f.message, data: { field: f.field, error: f.message } };
    }
  }, [ds.uid, text, days]);

  return (
    <section className={styles.box} aria-label={title} data-testid={testIds.form.preview}>
      <h3 className={styles.title}>{title}</h3>
      <Stack gap={2}>
        <Field
          label={t('components.preview.label-contract-key', 'Contract key')}
          description={t('components.preview.description-bound-to-key', 'Bound to $__key')}
        >
          <Input
            id="covenant-preview-key"
            data-testid={testIds.form.field('preview-key')}
            width={20}
            value={key}
            onChange={(e) => setKey(e.currentTarget.value)}
          />
        </Field>
        <Field
          label={t('components.preview.label-range', 'Range')}
          description={t('components.preview.description-up-to-now', 'Up to now')}
        >
          <RadioButtonGroup options={ranges()} value={days} onChange={setDays} size="sm" />
        </Field>
      </Stack>
      {result.state === 'loading' && <LoadingPlaceholder text={t('components.preview.text-running', 'Running…')} />}
      {result.state === 'error' && (
        <Alert
          severity="warning"
          title={t('components.preview.title-the-preview-failed', 'The preview failed')}
          data-testid={testIds.form.previewError}
        >
          {result.failure.message}
        </Alert>
      )}
      {result.state === 'ready' && result.value.kind === 'notReady' && (
        <p className={styles.muted}>{result.value.text}</p>
      )}
      {result.state === 'ready' && result.value.kind === 'frames' && children(result.value.frames, result.value.range)}
    </section>
  );
}

/** Formats one cell of a frame: times as ISO, numbers with the field's unit. */
function cellText(frame: DataFrame, fieldIndex: number, row: number): string {
  const field = frame.fields[fieldIndex];
  const v = field.values[row];
  if (v === null || v === undefined) {
    return '–';
  }
  if (field.type === FieldType.time) {
    return dateTime(v as number).toISOString();
  }
  if (field.type === FieldType.number) {
    return formattedValueToString(
      getValueFormat(field.config.unit ?? 'none')(v as number, field.config.decimals ?? undefined)
    );
  }
  return String(v);
}

/** The rows of a frame as a small table: the first `max` rows (or the last, with fromEnd). */
export function FrameTable({
  frame,
  max,
  fromEnd,
  fields,
}: {
  frame: DataFrame;
  max: number;
  fromEnd?: boolean;
  fields?: string[];
}) {
  const styles = useStyles2(getStyles);
  const cols = frame.fields.map((f, i) => ({ f, i })).filter(({ f }) => !fields || fields.includes(f.name));
  const n = frame.length;
  const rows = Array.from({ length: Math.min(n, max) }, (_, k) => (fromEnd ? n - Math.min(n, max) + k : k));
  return (
    <div className={styles.scroll}>
      <table className={styles.table}>
        <thead>
          <tr>
            {cols.map(({ f }) => (
              <th key={f.name}>{f.config.displayName ?? f.name}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r}>
              {cols.map(({ f, i }) => (
                <td key={f.name}>{cellText(frame, i, r)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className={styles.muted}>
        {n === 0
          ? t('components.frame-table.no-rows', 'No rows in this range for this key.')
          : fromEnd
            ? t('components.frame-table.rows-shown-latest', '{{shown}} of {{total}} rows (the latest)', {
                shown: rows.length,
                total: n,
              })
            : t('components.frame-table.rows-shown', '{{shown}} of {{total}} rows', { shown: rows.length, total: n })}
      </div>
    </div>
  );
}

/** The box a live preview beside a form is drawn in, its title and its quiet text (shared by the previews). */
export const getPreviewBoxStyles = (theme: GrafanaTheme2) => ({
  box: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(2),
    background: theme.colors.background.secondary,
    minWidth: 0,
  }),
  title: css({ fontSize: theme.typography.h5.fontSize, marginBottom: theme.spacing(1) }),
  muted: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});

const getStyles = (theme: GrafanaTheme2) => ({
  ...getPreviewBoxStyles(theme),
  scroll: css({ overflowX: 'auto', maxHeight: 360, overflowY: 'auto' }),
  table: css({
    borderCollapse: 'collapse',
    fontSize: theme.typography.bodySmall.fontSize,
    fontVariantNumeric: 'tabular-nums',
    'th, td': {
      padding: theme.spacing(0.25, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      textAlign: 'left',
    },
    th: {
      color: theme.colors.text.secondary,
      position: 'sticky',
      top: 0,
      background: theme.colors.background.secondary,
    },
  }),
});
