import { t } from '@grafana/i18n';
import React from 'react';
import type { DataSourceSettings } from '@grafana/data';
import { Field, FieldSet, Input, RadioButtonGroup } from '@grafana/ui';
import { testIds } from '../../shared/testIds';
import { parseCount } from '../../shared/parse';
import type { CovenantOptions } from '../../shared/types';
import { SecretField } from './SecretField';

type Options = DataSourceSettings<CovenantOptions>;
type StoreType = NonNullable<CovenantOptions['storeType']>;
type PG = NonNullable<CovenantOptions['storePostgres']>;

const storeTypes = () => [
  {
    label: t('datasource.store-editor.store-type-sqlite', 'SQLite file'),
    value: 'sqlite' as StoreType,
    description: t(
      'datasource.store-editor.store-type-sqlite-description',
      'One file per datasource on the Grafana server'
    ),
  },
  {
    label: t('datasource.store-editor.store-type-postgres', 'PostgreSQL'),
    value: 'postgres' as StoreType,
    description: t('datasource.store-editor.store-type-postgres-description', 'Shared by every Grafana server (HA)'),
  },
];

const PASSWORD_KEY = 'store.password';

/** Where the registry (contracts, KPIs, trackers, agreements) is kept. */
export function StoreEditor({ options, onOptionsChange }: { options: Options; onOptionsChange: (o: Options) => void }) {
  const jsonData = options.jsonData;
  const type = jsonData.storeType ?? 'sqlite';
  const pg = jsonData.storePostgres ?? {};
  const update = (patch: Partial<CovenantOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });
  const setPG = (patch: Partial<PG>) => update({ storePostgres: { ...pg, ...patch } });
  const pgText = (field: 'host' | 'database' | 'user', label: string, description: string) => (
    <Field label={label} description={description}>
      <Input
        data-testid={testIds.configEditor.storeField(field)}
        width={40}
        value={pg[field] ?? ''}
        onChange={(e) => setPG({ [field]: e.currentTarget.value })}
      />
    </Field>
  );

  return (
    <FieldSet label={t('datasource.store-editor.label-registry-storage', 'Registry storage')}>
      <Field
        label={t('datasource.store-editor.label-store', 'Store')}
        description={t(
          'datasource.store-editor.description-store',
          'Changing it starts an empty registry there: export the registry first to keep it.'
        )}
      >
        <div data-testid={testIds.configEditor.storeType}>
          <RadioButtonGroup<StoreType>
            options={storeTypes()}
            value={type}
            onChange={(storeType) => update({ storeType })}
          />
        </div>
      </Field>
      {type === 'sqlite' && (
        <Field
          label={t('datasource.store-editor.label-folder', 'Folder')}
          description={t(
            'datasource.store-editor.description-folder',
            "Absolute folder on the Grafana server. Empty: [plugin.covenant-kpi-datasource] store_dir in grafana.ini, else Grafana's data folder."
          )}
        >
          <Input
            data-testid={testIds.configEditor.storePath}
            width={60}
            placeholder={t('datasource.store-editor.placeholder-folder', '/var/lib/grafana/covenant')}
            value={jsonData.storePath ?? ''}
            onChange={(e) => update({ storePath: e.currentTarget.value || undefined })}
          />
        </Field>
      )}
      {type === 'postgres' && (
        <>
          {pgText(
            'host',
            t('datasource.store-editor.label-host', 'Host'),
            t('datasource.store-editor.description-host', 'PostgreSQL server every Grafana server can reach.')
          )}
          <Field label={t('datasource.store-editor.label-port', 'Port')}>
            <Input
              data-testid={testIds.configEditor.storeField('port')}
              type="number"
              width={12}
              placeholder={t('datasource.store-editor.placeholder-port', '5432')}
              value={pg.port ?? ''}
              onChange={(e) => setPG({ port: parseCount(e.currentTarget.value) })}
            />
          </Field>
          {pgText(
            'database',
            t('datasource.store-editor.label-database', 'Database'),
            t(
              'datasource.store-editor.description-database',
              'Covenant creates its tables there (migrations run on start).'
            )
          )}
          {pgText(
            'user',
            t('datasource.store-editor.label-user', 'User'),
            t('datasource.store-editor.description-user', 'Needs to create tables and write to them.')
          )}
          <SecretField
            options={options}
            onOptionsChange={onOptionsChange}
            secretKey={PASSWORD_KEY}
            label={t('datasource.store-editor.label-password', 'Password')}
            description={t(
              'datasource.store-editor.description-stored-encrypted-grafana-never-browser',
              'Stored encrypted by Grafana; never sent back to the browser.'
            )}
            testId={testIds.configEditor.storeField('password')}
          />
        </>
      )}
    </FieldSet>
  );
}
