import { t } from '@grafana/i18n';
import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Field, Input, RadioButtonGroup } from '@grafana/ui';
import type { DataSource } from '../datasource';
import { testIds } from '../../shared/testIds';
import { QueryType, type CovenantOptions, type CovenantQuery, type VariableKind } from '../../shared/types';

const kinds = () => [
  { label: t('datasource.variable-query-editor.kind-contracts', 'Contracts'), value: 'contracts' as VariableKind },
  { label: t('datasource.variable-query-editor.kind-trackers', 'Trackers'), value: 'trackers' as VariableKind },
  { label: t('datasource.variable-query-editor.kind-kpis', 'KPIs'), value: 'kpis' as VariableKind },
];

/** Editor of a template variable on the Covenant datasource: contracts, trackers or KPIs of the registry. */
export function VariableQueryEditor({ query, onChange }: QueryEditorProps<DataSource, CovenantQuery, CovenantOptions>) {
  const kind = query.kind ?? 'contracts';
  const update = (patch: Partial<CovenantQuery>) =>
    onChange({ ...query, queryType: QueryType.Variables, kind, ...patch });
  return (
    <>
      <Field
        label={t('datasource.variable-query-editor.label-list', 'List')}
        description={t(
          'datasource.variable-query-editor.description-list',
          'Names are shown, ids are the values (use them as $contract in trackerSeries).'
        )}
      >
        <div data-testid={testIds.queryEditor.variableKind}>
          <RadioButtonGroup<VariableKind> options={kinds()} value={kind} onChange={(k) => update({ kind: k })} />
        </div>
      </Field>
      {kind === 'trackers' && (
        <Field
          label={t('datasource.variable-query-editor.label-of-contract', 'Of contract')}
          description={t(
            'datasource.variable-query-editor.description-optional-trackers-assigned-contract',
            'Optional: only the trackers assigned to this contract, e.g. $contract.'
          )}
        >
          <Input
            data-testid={testIds.queryEditor.variableContract}
            width={30}
            placeholder={t('datasource.variable-query-editor.placeholder-contract', '$contract')}
            value={query.contract ?? ''}
            onChange={(e) => update({ contract: e.currentTarget.value })}
          />
        </Field>
      )}
    </>
  );
}
