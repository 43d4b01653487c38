import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Field, Select } from '@grafana/ui';
import type { DataSource } from '../datasource';
import { testIds } from '../../shared/testIds';
import { QUERY_TYPES, type CovenantOptions, type CovenantQuery, type QueryType } from '../../shared/types';
import { ConnectorPreviewEditor } from './ConnectorPreviewEditor';
import { RegistryQueryEditor } from './RegistryQueryEditor';
import { TrackerSeriesEditor } from './TrackerSeriesEditor';

export type CovenantQueryEditorProps = QueryEditorProps<DataSource, CovenantQuery, CovenantOptions>;

const queryTypeLabels: Record<QueryType, { label: string; description: string }> = {
  trackerSeries: { label: 'Tracker series', description: 'Actual vs target, variance and RAG per bucket' },
  contractScorecard: {
    label: 'Contract scorecard',
    description: 'A row per tracker: value, target, RAG, trend, compliance',
  },
  agreementCompliance: {
    label: 'Agreement compliance',
    description: 'Compliance through the review period: status, projection, run-rate, costs',
  },
  portfolio: {
    label: 'Portfolio',
    description: 'A row per contract: classification, renewal signal; the compliance rate',
  },
  ledger: { label: 'Ledger', description: 'Closed review periods and restatements' },
  connectorPreview: { label: 'Connector preview', description: 'The raw rows of a connector query' },
};

const queryTypeOptions = QUERY_TYPES.map((value) => ({ value, ...queryTypeLabels[value] }));

/** The query editor: a query type picker and one small editor per query type. */
export function QueryEditor(props: CovenantQueryEditorProps) {
  const { query, onChange } = props;
  const queryType = query.queryType ?? 'connectorPreview';
  return (
    <>
      <Field label="Query type">
        <div data-testid={testIds.queryEditor.queryType}>
          {/* Select, not Combobox: Combobox is missing before Grafana 11.3 and grafanaDependency starts at 11.2. */}
          {/* eslint-disable-next-line @typescript-eslint/no-deprecated */}
          <Select
            width={30}
            options={queryTypeOptions}
            value={queryType}
            onChange={(v) => v.value && onChange({ ...query, queryType: v.value })}
          />
        </div>
      </Field>
      {queryType === 'connectorPreview' && <ConnectorPreviewEditor {...props} />}
      {queryType === 'trackerSeries' && <TrackerSeriesEditor {...props} />}
      {queryType !== 'trackerSeries' && queryType !== 'connectorPreview' && <RegistryQueryEditor {...props} />}
    </>
  );
}
