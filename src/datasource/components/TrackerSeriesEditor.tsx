import { t } from '@grafana/i18n';
import React, { useState } from 'react';
import { Alert, Field, Input, RadioButtonGroup, Stack } from '@grafana/ui';
import { CodeField } from './CodeField';
import type { CovenantQueryEditorProps } from './QueryEditor';
import { ALERT_FIELDS, FiguresField } from './FiguresField';
import { ContractField, RegistryMultiPicker } from './RegistryPicker';
import { unescaped } from '../../shared/i18n';
import { testIds } from '../../shared/testIds';
import { EXAMPLE_TRACKER, QueryType, type TrackerDef } from '../../shared/types';

/** Parses the trackers text: a JSON array of trackers, or one tracker object. */
export function parseTrackers(text: string): { trackers?: TrackerDef[]; error?: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return {
      error: t('datasource.tracker-series-editor.error-not-valid-json', 'Not valid JSON: {{message}}', {
        message: (e as Error).message,
        ...unescaped,
      }),
    };
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((x) => typeof x !== 'object' || x === null)) {
    return {
      error: t('datasource.tracker-series-editor.error-not-trackers', 'Give a tracker object, or an array of them.'),
    };
  }
  return { trackers: list as TrackerDef[] };
}

/**
 * Editor for trackerSeries: a registry contract (or $contract) and, optionally, some of its
 * trackers (or $tracker); or trackers given inline as JSON with the key bound to $__key. The
 * backend names any wrong field.
 */
export function TrackerSeriesEditor({ query, onChange, onRunQuery, datasource }: CovenantQueryEditorProps) {
  const [text, setText] = useState(() => JSON.stringify(query.trackers ?? [EXAMPLE_TRACKER], null, 2));
  const [error, setError] = useState<string>();
  const [source, setSource] = useState<Source>(query.trackers?.length ? 'inline' : 'registry');

  const changeSource = (next: Source) => {
    setSource(next);
    if (next === 'registry') {
      setError(undefined);
      onChange({ ...query, trackers: undefined });
      onRunQuery();
      return;
    }
    const parsed = parseTrackers(text);
    setError(parsed.error);
    onChange({ ...query, trackers: parsed.trackers });
    onRunQuery();
  };

  const apply = () => {
    const parsed = parseTrackers(text);
    setError(parsed.error);
    if (parsed.trackers) {
      onChange({ ...query, trackers: parsed.trackers });
      onRunQuery();
    }
  };

  const registry = source === 'registry';
  return (
    <>
      <SourcePicker value={source} onChange={changeSource} />
      <Stack gap={2} wrap="wrap">
        {registry ? (
          <>
            <ContractField
              uid={datasource.uid}
              description={t(
                'datasource.tracker-series-editor.description-assigned-trackers-drawn-contract-works-several',
                'Its assigned trackers are drawn; $contract works, with several values'
              )}
              value={query.contract}
              onPick={(contract) => {
                onChange({ ...query, contract });
                onRunQuery();
              }}
            />
            <Field
              label={t('datasource.tracker-series-editor.label-trackers', 'Trackers')}
              description={t(
                'datasource.tracker-series-editor.description-these-empty-tracker-works',
                'Only these (all when empty); $tracker works'
              )}
            >
              <RegistryMultiPicker
                uid={datasource.uid}
                kind="trackers"
                testId={testIds.queryEditor.trackerIds}
                placeholder={t('datasource.tracker-series-editor.placeholder-all', 'all')}
                values={query.trackerIds ?? []}
                onChange={(ids) => {
                  onChange({ ...query, trackerIds: ids.length ? ids : undefined });
                  onRunQuery();
                }}
              />
            </Field>
          </>
        ) : (
          <Field
            label={t('datasource.tracker-series-editor.label-contract-key', 'Contract key')}
            description={t(
              'datasource.tracker-series-editor.description-contract-key',
              "Bound to $__key in each KPI's SQL; dashboard variables such as $contract work"
            )}
          >
            <Input
              data-testid={testIds.queryEditor.contract}
              width={30}
              value={query.contract ?? ''}
              placeholder={t('datasource.tracker-series-editor.placeholder-contract-key', 'acme-it')}
              onChange={(e) => onChange({ ...query, contract: e.currentTarget.value })}
              onBlur={onRunQuery}
            />
          </Field>
        )}
        <FiguresField
          query={query}
          onChange={onChange}
          onRunQuery={onRunQuery}
          figures={ALERT_FIELDS[QueryType.TrackerSeries]}
        />
      </Stack>
      {!registry && (
        <>
          <CodeField
            label={t('datasource.tracker-series-editor.label-trackers-json', 'Trackers (JSON)')}
            description={t(
              'datasource.tracker-series-editor.description-trackers-json',
              'name, kpi {name, unit, rawSql, direction}, method, interval, timezone, target {constant | schedule}, tolerance, missing'
            )}
            testId={testIds.queryEditor.trackers}
            rows={12}
            value={text}
            onChange={setText}
            onCommit={apply}
          />
          {error && (
            <Alert
              severity="error"
              title={t('datasource.tracker-series-editor.title-trackers-not-applied', 'Trackers not applied')}
              data-testid={testIds.queryEditor.trackersError}
            >
              {error}
            </Alert>
          )}
        </>
      )}
    </>
  );
}

type Source = 'registry' | 'inline';

const sources = () => [
  {
    label: t('datasource.source-picker.source-registry', 'Registry'),
    value: 'registry' as Source,
    description: t('datasource.source-picker.source-registry-description', "A contract's assigned trackers"),
  },
  {
    label: t('datasource.source-picker.source-inline', 'Inline'),
    value: 'inline' as Source,
    description: t('datasource.source-picker.source-inline-description', 'Trackers given here as JSON'),
  },
];

function SourcePicker({ value, onChange }: { value: Source; onChange: (s: Source) => void }) {
  return (
    <Field label={t('datasource.source-picker.label-trackers-from', 'Trackers from')}>
      <div data-testid={testIds.queryEditor.source}>
        <RadioButtonGroup<Source> options={sources()} value={value} onChange={onChange} />
      </div>
    </Field>
  );
}
