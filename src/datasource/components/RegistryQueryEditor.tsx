import { t } from '@grafana/i18n';
import React from 'react';
import { Field, Stack } from '@grafana/ui';
import type { CovenantQueryEditorProps } from './QueryEditor';
import { ALERT_FIELDS, FiguresField } from './FiguresField';
import { ContractField, RegistryPicker } from './RegistryPicker';
import { testIds } from '../../shared/testIds';
import { QueryType } from '../../shared/types';

/**
 * Editor for the registry's query types (contractScorecard, agreementCompliance, portfolio,
 * ledger): the contracts ($contract works, with several values; "*" for all), an agreement, and
 * for alert rules the figures to keep.
 */
export function RegistryQueryEditor({ query, onChange, onRunQuery, datasource }: CovenantQueryEditorProps) {
  const type = query.queryType ?? '';
  const withAgreement = type === QueryType.AgreementCompliance || type === QueryType.Ledger;
  const fields = ALERT_FIELDS[type];
  const set = (patch: Partial<typeof query>) => {
    onChange({ ...query, ...patch });
    onRunQuery();
  };
  return (
    <Stack gap={2} wrap="wrap">
      <ContractField
        uid={datasource.uid}
        description={
          type === QueryType.Portfolio
            ? t('datasource.registry-query-editor.description-portfolio-contracts', 'Empty for every contract')
            : t('datasource.registry-query-editor.description-contracts', 'A contract, $contract, or every contract')
        }
        placeholder={
          type === QueryType.Portfolio
            ? t('datasource.registry-query-editor.placeholder-every-contract', 'every contract')
            : undefined
        }
        value={query.contract}
        onPick={(contract) => set({ contract })}
      />
      {withAgreement && (
        <Field
          label={t('datasource.registry-query-editor.label-agreement', 'Agreement')}
          description={t(
            'datasource.registry-query-editor.description-one-agreement-optional',
            'One agreement (optional)'
          )}
        >
          <RegistryPicker
            uid={datasource.uid}
            kind="agreements"
            contract={query.contract}
            testId={testIds.queryEditor.agreement}
            width={30}
            placeholder={t(
              'datasource.registry-query-editor.placeholder-all-of-the-contracts',
              "all of the contract's"
            )}
            value={query.agreement}
            onChange={(agreement) => set({ agreement })}
          />
        </Field>
      )}
      {fields && <FiguresField query={query} onChange={onChange} onRunQuery={onRunQuery} figures={fields} />}
    </Stack>
  );
}
