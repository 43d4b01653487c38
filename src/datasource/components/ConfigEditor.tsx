import { t } from '@grafana/i18n';
import React from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, InlineSwitch, Input, RadioButtonGroup } from '@grafana/ui';
import { testIds } from '../../shared/testIds';
import { roleName } from '../../shared/i18n';
import { parseCount } from '../../shared/parse';
import { ConnectorsEditor } from './ConnectorsEditor';
import { StoreEditor } from './StoreEditor';
import { ROLES, type CovenantOptions, type Role } from '../../shared/types';
import { disputeRoleOf } from '../../app/CovenantContext';

export interface ConfigEditorProps extends DataSourcePluginOptionsEditorProps<CovenantOptions> {}

const roleOptions = () => ROLES.map((r) => ({ label: roleName(r), value: r }));
// A Viewer never acts on the ledger.
const disputeRoleOptions = () => ROLES.filter((r) => r !== 'Viewer').map((r) => ({ label: roleName(r), value: r }));

/** The datasource settings page: who may write, the demo connector, query limits. */
export function ConfigEditor({ options, onOptionsChange }: ConfigEditorProps) {
  const jsonData = options.jsonData;
  const update = (patch: Partial<CovenantOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });

  return (
    <>
      <FieldSet label={t('datasource.config-editor.label-access', 'Access')}>
        <Field
          label={t('datasource.config-editor.label-least-change-registry', 'Least role that may change the registry')}
          description={t(
            'datasource.config-editor.description-least-role',
            'Viewers can always read and query. Writes (contracts, KPIs, trackers, agreements, demo reload) need this role or higher.'
          )}
        >
          <div data-testid={testIds.configEditor.writeRole}>
            <RadioButtonGroup<Role>
              options={roleOptions()}
              value={jsonData.writeRole ?? 'Editor'}
              onChange={(writeRole) => update({ writeRole })}
            />
          </div>
        </Field>
        <Field
          label={t(
            'datasource.config-editor.label-least-role-dispute',
            'Least role that may sign off and dispute periods'
          )}
          description={t(
            'datasource.config-editor.description-dispute-role',
            "Signing off, disputing and resolving an agreement's closed periods on the ledger need this role or higher. Unset, it is the write role (at least Editor)."
          )}
        >
          <div data-testid={testIds.configEditor.disputeRole}>
            <RadioButtonGroup<Role>
              options={disputeRoleOptions()}
              value={disputeRoleOf(jsonData)}
              onChange={(disputeRole) => update({ disputeRole })}
            />
          </div>
        </Field>
      </FieldSet>
      <FieldSet label={t('datasource.config-editor.label-connectors', 'Connectors')}>
        <Field
          label={t('datasource.config-editor.label-embedded-demo-connector', 'Embedded demo connector')}
          description={t(
            'datasource.config-editor.description-embedded-demo-connector',
            'Three demo contracts with two years of ticket, uptime, delivery and invoice rows. Needs no setup.'
          )}
        >
          <InlineSwitch
            data-testid={testIds.configEditor.demoEnabled}
            value={!jsonData.demoDisabled}
            onChange={(e) => update({ demoDisabled: !e.currentTarget.checked })}
          />
        </Field>
        <ConnectorsEditor options={options} onOptionsChange={onOptionsChange} />
      </FieldSet>
      <StoreEditor options={options} onOptionsChange={onOptionsChange} />
      <FieldSet label={t('datasource.config-editor.label-limits', 'Limits')}>
        <Field
          label={t('datasource.config-editor.label-query-timeout-seconds', 'Query timeout (seconds)')}
          description={t(
            'datasource.config-editor.description-query-timeout',
            'Each connector query is cancelled after this long. 1 to 600; default 30.'
          )}
        >
          <Input
            data-testid={testIds.configEditor.timeout}
            type="number"
            min={1}
            max={600}
            width={12}
            placeholder={t('datasource.config-editor.placeholder-query-timeout', '30')}
            value={jsonData.queryTimeoutSeconds ?? ''}
            onChange={(e) => update({ queryTimeoutSeconds: parseCount(e.currentTarget.value) })}
          />
        </Field>
        <Field
          label={t('datasource.config-editor.label-maximum-preview-rows', 'Maximum preview rows')}
          description={t(
            'datasource.config-editor.description-connector-preview-returns-default',
            'Most rows a connector preview returns. Default 10000.'
          )}
        >
          <Input
            data-testid={testIds.configEditor.maxRows}
            type="number"
            min={1}
            width={12}
            placeholder={t('datasource.config-editor.placeholder-maximum-preview-rows', '10000')}
            value={jsonData.maxPreviewRows ?? ''}
            onChange={(e) => update({ maxPreviewRows: parseCount(e.currentTarget.value) })}
          />
        </Field>
      </FieldSet>
      <FieldSet label={t('datasource.config-editor.label-cache', 'Closed-bucket cache')}>
        <Field
          label={t('datasource.config-editor.label-cache-enabled', 'Reuse closed buckets')}
          description={t(
            'datasource.config-editor.description-cache-enabled',
            "Repeated queries reuse the figures of buckets that have ended while the connector's watermark is unchanged, and read only the open bucket."
          )}
        >
          <InlineSwitch
            data-testid={testIds.configEditor.cacheEnabled}
            value={!jsonData.cacheDisabled}
            onChange={(e) => update({ cacheDisabled: !e.currentTarget.checked })}
          />
        </Field>
        <Field
          label={t('datasource.config-editor.label-cache-ttl', 'Time to live without a watermark (seconds)')}
          description={t(
            'datasource.config-editor.description-cache-ttl',
            'How long closed buckets are reused when nothing can tell that rows arrived late: HTTP connectors, and SQL KPIs without a watermark column. 0 to 86400; default 60; 0 reuses them only under a watermark. The ledger never reads on this time alone.'
          )}
        >
          <Input
            data-testid={testIds.configEditor.cacheTTL}
            type="number"
            min={0}
            max={86400}
            width={12}
            placeholder={t('datasource.config-editor.placeholder-cache-ttl', '60')}
            disabled={jsonData.cacheDisabled}
            value={jsonData.cacheTTLSeconds ?? ''}
            onChange={(e) => update({ cacheTTLSeconds: parseCount(e.currentTarget.value) })}
          />
        </Field>
      </FieldSet>
    </>
  );
}
