import React from 'react';
import { Field, Input } from '@grafana/ui';
import type { CovenantQueryEditorProps } from './QueryEditor';
import { testIds } from '../../shared/testIds';
import { QueryType } from '../../shared/types';

/** The figures each query type can narrow to (one series per frame, for alert rules). */
export const ALERT_FIELDS: Record<string, string[]> = {
  [QueryType.TrackerSeries]: ['rag', 'consecutive_misses', 'actual', 'variance', 'variance_pct', 'met'],
  [QueryType.AgreementCompliance]: [
    'status',
    'compliance',
    'projected',
    'required_run_rate',
    'impact_cost',
    'penalty_reward',
    'at_risk_requests',
  ],
};

type FiguresFieldProps = Pick<CovenantQueryEditorProps, 'query' | 'onChange' | 'onRunQuery'> & { figures: string[] };

/** The figures to keep (query.fields), comma-separated: one series per frame for alert rules. */
export function FiguresField({ query, onChange, onRunQuery, figures }: FiguresFieldProps) {
  return (
    <Field label="Only the figure" description={`For alert rules: ${figures.join(', ')}`}>
      <Input
        data-testid={testIds.queryEditor.fields}
        width={22}
        value={(query.fields ?? []).join(',')}
        placeholder="all"
        onChange={(e) => {
          const list = e.currentTarget.value
            .split(',')
            .map((f) => f.trim())
            .filter(Boolean);
          onChange({ ...query, fields: list.length ? list : undefined });
        }}
        onBlur={onRunQuery}
      />
    </Field>
  );
}
