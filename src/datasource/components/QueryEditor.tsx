import { t } from '@grafana/i18n';
import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Field, Select } from '@grafana/ui';
import type { DataSource } from '../datasource';
import { testIds } from '../../shared/testIds';
import {
  DEFAULT_PREVIEW,
  QUERY_TYPES,
  QueryType,
  queryTypeOf,
  type CovenantOptions,
  type CovenantQuery,
  type PanelQueryType,
} from '../../shared/types';
import { AnnotationsEditor } from './AnnotationsEditor';
import { ConnectorPreviewEditor } from './ConnectorPreviewEditor';
import { RegistryQueryEditor } from './RegistryQueryEditor';
import { TrackerSeriesEditor } from './TrackerSeriesEditor';

export type CovenantQueryEditorProps = QueryEditorProps<DataSource, CovenantQuery, CovenantOptions>;

const queryTypeLabels = (): Record<PanelQueryType, { label: string; description: string }> => ({
  [QueryType.TrackerSeries]: {
    label: t('datasource.query-editor.type-tracker-series', 'Tracker series'),
    description: t(
      'datasource.query-editor.type-tracker-series-description',
      'Actual vs target, variance and RAG per bucket'
    ),
  },
  [QueryType.ContractScorecard]: {
    label: t('datasource.query-editor.type-contract-scorecard', 'Contract scorecard'),
    description: t(
      'datasource.query-editor.type-contract-scorecard-description',
      'A row per tracker: value, target, RAG, trend, compliance'
    ),
  },
  [QueryType.AgreementCompliance]: {
    label: t('datasource.query-editor.type-agreement-compliance', 'Agreement compliance'),
    description: t(
      'datasource.query-editor.type-agreement-compliance-description',
      'Compliance through the review period: status, projection, run-rate, costs'
    ),
  },
  [QueryType.Portfolio]: {
    label: t('datasource.query-editor.type-portfolio', 'Portfolio'),
    description: t(
      'datasource.query-editor.type-portfolio-description',
      'A row per contract: classification, renewal signal; the compliance rate'
    ),
  },
  [QueryType.Ledger]: {
    label: t('datasource.query-editor.type-ledger', 'Ledger'),
    description: t('datasource.query-editor.type-ledger-description', 'Closed review periods and restatements'),
  },
  [QueryType.Annotations]: {
    label: t('datasource.query-editor.type-annotations', 'Annotations'),
    description: t(
      'datasource.query-editor.type-annotations-description',
      'Events to mark on charts: closes, restatements, milestones, RAG changes, renewal'
    ),
  },
  [QueryType.ConnectorPreview]: {
    label: t('datasource.query-editor.type-connector-preview', 'Connector preview'),
    description: t('datasource.query-editor.type-connector-preview-description', 'The raw rows of a connector query'),
  },
});

const queryTypeOptions = () => {
  const labels = queryTypeLabels();
  return QUERY_TYPES.map((value) => ({ value, ...labels[value] }));
};

/** The query editor: a query type picker and one small editor per query type. */
export function QueryEditor(props: CovenantQueryEditorProps) {
  const { query, onChange } = props;
  const queryType = queryTypeOf(query);
  return (
    <>
      <Field label={t('datasource.query-editor.label-query-type', 'Query type')}>
        <div data-testid={testIds.queryEditor.queryType}>
          {/* Select, not Combobox: Combobox is missing before Grafana 11.3 and grafanaDependency starts at 11.2. */}
          {/* eslint-disable-next-line @typescript-eslint/no-deprecated */}
          <Select
            width={30}
            options={queryTypeOptions()}
            value={queryType}
            onChange={(v) => {
              if (!v.value) {
                return;
              }
              // A connector preview starts from an example on the demo connector.
              const start = v.value === QueryType.ConnectorPreview && !query.rawSql ? DEFAULT_PREVIEW : {};
              onChange({ ...start, ...query, queryType: v.value });
            }}
          />
        </div>
      </Field>
      {queryType === QueryType.ConnectorPreview && <ConnectorPreviewEditor {...props} />}
      {queryType === QueryType.TrackerSeries && <TrackerSeriesEditor {...props} />}
      {queryType === QueryType.Annotations && <AnnotationsEditor {...props} />}
      {queryType !== QueryType.TrackerSeries &&
        queryType !== QueryType.ConnectorPreview &&
        queryType !== QueryType.Annotations && <RegistryQueryEditor {...props} />}
    </>
  );
}
