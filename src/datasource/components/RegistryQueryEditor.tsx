import React from 'react';
import { Field, Input, Stack } from '@grafana/ui';
import type { CovenantQueryEditorProps } from './QueryEditor';
import { testIds } from '../../shared/testIds';

/** The figures each query type can narrow to (one series per frame, for alert rules). */
export const ALERT_FIELDS: Record<string, string[]> = {
  trackerSeries: ['rag', 'consecutive_misses', 'actual', 'variance', 'variance_pct', 'met'],
  agreementCompliance: [
    'status',
    'compliance',
    'projected',
    'required_run_rate',
    'impact_cost',
    'penalty_reward',
    'at_risk_requests',
  ],
};

/**
 * Editor for the registry's query types (contractScorecard, agreementCompliance, portfolio,
 * ledger): the contracts ($contract works, with several values; "*" for all), an agreement, and
 * for alert rules the one figure to keep.
 */
export function RegistryQueryEditor({ query, onChange, onRunQuery }: CovenantQueryEditorProps) {
  const type = query.queryType ?? '';
  const withAgreement = type === 'agreementCompliance' || type === 'ledger';
  const fields = ALERT_FIELDS[type];
  return (
    <Stack gap={2} wrap="wrap">
      <Field
        label="Contract"
        description={
          type === 'portfolio' ? 'Empty or * for every contract' : 'A contract id, $contract, or * for every contract'
        }
      >
        <Input
          data-testid={testIds.queryEditor.contract}
          width={30}
          value={query.contract ?? ''}
          placeholder={type === 'portfolio' ? '*' : '$contract'}
          onChange={(e) => onChange({ ...query, contract: e.currentTarget.value })}
          onBlur={onRunQuery}
        />
      </Field>
      {withAgreement && (
        <Field label="Agreement" description="One agreement's id (optional)">
          <Input
            data-testid={testIds.queryEditor.agreement}
            width={25}
            value={query.agreement ?? ''}
            onChange={(e) => onChange({ ...query, agreement: e.currentTarget.value || undefined })}
            onBlur={onRunQuery}
          />
        </Field>
      )}
      {fields && <FiguresField query={query} onChange={onChange} onRunQuery={onRunQuery} figures={fields} />}
    </Stack>
  );
}

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
