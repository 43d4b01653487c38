import React from 'react';
import { Field, Input, Stack } from '@grafana/ui';
import type { CovenantQueryEditorProps } from './QueryEditor';
import { ALERT_FIELDS, FiguresField } from './FiguresField';
import { testIds } from '../../shared/testIds';
import { QueryType } from '../../shared/types';

/**
 * Editor for the registry's query types (contractScorecard, agreementCompliance, portfolio,
 * ledger): the contracts ($contract works, with several values; "*" for all), an agreement, and
 * for alert rules the one figure to keep.
 */
export function RegistryQueryEditor({ query, onChange, onRunQuery }: CovenantQueryEditorProps) {
  const type = query.queryType ?? '';
  const withAgreement = type === QueryType.AgreementCompliance || type === QueryType.Ledger;
  const fields = ALERT_FIELDS[type];
  return (
    <Stack gap={2} wrap="wrap">
      <Field
        label="Contract"
        description={
          type === QueryType.Portfolio
            ? 'Empty or * for every contract'
            : 'A contract id, $contract, or * for every contract'
        }
      >
        <Input
          data-testid={testIds.queryEditor.contract}
          width={30}
          value={query.contract ?? ''}
          placeholder={type === QueryType.Portfolio ? '*' : '$contract'}
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
