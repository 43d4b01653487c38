import { Trans, t } from '@grafana/i18n';
import React, { useState } from 'react';
import type { DataSourceSettings, SelectableValue } from '@grafana/data';
import { Alert, Button, Field, FieldSet, Input, Select, Stack } from '@grafana/ui';
import { unescaped } from '../../shared/i18n';
import { testIds } from '../../shared/testIds';
import { parseCount } from '../../shared/parse';
import { errorMessage, testConnector } from '../../shared/api';
import { SecretField } from './SecretField';
import { HTTPSecurityFields, type FieldMakers } from './HTTPSecurityFields';
import {
  CONNECTOR_SECRETS,
  CONNECTOR_TYPES,
  secretKey,
  type ConnectorSecret,
  type ConnectorSettings,
  type ConnectorType,
  type CovenantOptions,
} from '../../shared/types';

type Options = DataSourceSettings<CovenantOptions>;

const typeLabels = (): Record<ConnectorType, string> => ({
  postgres: t('datasource.connectors-editor.type-postgres', 'PostgreSQL'),
  mysql: t('datasource.connectors-editor.type-mysql', 'MySQL / MariaDB'),
  sqlite: t('datasource.connectors-editor.type-sqlite', 'SQLite file'),
  'http-json': t('datasource.connectors-editor.type-http-json', 'HTTP JSON'),
  'http-csv': t('datasource.connectors-editor.type-http-csv', 'HTTP CSV'),
});
const typeOptions = (): Array<SelectableValue<ConnectorType>> => {
  const labels = typeLabels();
  return CONNECTOR_TYPES.map((type) => ({ label: labels[type], value: type }));
};
/** The placeholder of a certificate or key field: how PEM text starts. */
const PEM_PLACEHOLDER = '-----BEGIN CERTIFICATE-----';
const tlsModes: Record<string, string[]> = {
  postgres: ['disable', 'require', 'verify-ca', 'verify-full'],
  mysql: ['false', 'true', 'skip-verify', 'preferred'],
};

/** A short random id that keys a connector's secrets, so that renaming keeps them. */
function newUID(): string {
  return 'c' + Math.random().toString(36).slice(2, 10);
}

interface Props {
  options: Options;
  onOptionsChange: (o: Options) => void;
}

/** The datasource's connectors: where KPI rows come from besides the demo data. */
export function ConnectorsEditor({ options, onOptionsChange }: Props) {
  const connectors = options.jsonData.connectors ?? [];
  const setConnectors = (next: ConnectorSettings[]) =>
    onOptionsChange({ ...options, jsonData: { ...options.jsonData, connectors: next } });
  const change = (i: number, patch: Partial<ConnectorSettings>) =>
    setConnectors(connectors.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const add = () =>
    setConnectors([...connectors, { uid: newUID(), name: `connector-${connectors.length + 1}`, type: 'postgres' }]);
  const remove = (i: number) => {
    const uid = connectors[i].uid;
    // Clear the removed connector's secrets too.
    const secureJsonFields = { ...options.secureJsonFields };
    const secureJsonData = { ...(options.secureJsonData ?? {}) } as Record<string, string>;
    for (const s of CONNECTOR_SECRETS) {
      delete secureJsonData[secretKey(uid, s)];
      if (secureJsonFields[secretKey(uid, s)]) {
        secureJsonFields[secretKey(uid, s)] = false;
        secureJsonData[secretKey(uid, s)] = '';
      }
    }
    onOptionsChange({
      ...options,
      secureJsonFields,
      secureJsonData,
      jsonData: { ...options.jsonData, connectors: connectors.filter((_, j) => j !== i) },
    });
  };
  const hosts = options.jsonData.httpAllowedHosts ?? [];

  return (
    <>
      {connectors.map((c, i) => (
        <ConnectorFields
          key={c.uid}
          index={i}
          c={c}
          options={options}
          onOptionsChange={onOptionsChange}
          change={change}
          remove={remove}
        />
      ))}
      <Button icon="plus" variant="secondary" onClick={add} data-testid={testIds.configEditor.addConnector}>
        <Trans i18nKey="datasource.connectors-editor.add-connector">Add connector</Trans>
      </Button>
      <Field
        label={t('datasource.connectors-editor.label-hosts-http-connectors-may-call', 'Hosts HTTP connectors may call')}
        description={t(
          'datasource.connectors-editor.description-allowed-hosts',
          'Comma-separated host names, e.g. api.example.com, *.corp.example. An HTTP connector whose host is not listed is refused, and so is a redirect to one.'
        )}
      >
        <Input
          data-testid={testIds.configEditor.allowedHosts}
          width={60}
          placeholder={t('datasource.connectors-editor.placeholder-allowed-hosts', 'api.example.com')}
          defaultValue={hosts.join(', ')}
          onBlur={(e) =>
            onOptionsChange({
              ...options,
              jsonData: {
                ...options.jsonData,
                httpAllowedHosts: e.currentTarget.value
                  .split(',')
                  .map((h) => h.trim())
                  .filter((h) => h !== ''),
              },
            })
          }
        />
      </Field>
    </>
  );
}

interface FieldsProps extends Props {
  index: number;
  c: ConnectorSettings;
  change: (i: number, patch: Partial<ConnectorSettings>) => void;
  remove: (i: number) => void;
}

function ConnectorFields({ index: i, c, options, onOptionsChange, change, remove }: FieldsProps) {
  const [result, setResult] = useState<{ ok: boolean; message: string } | undefined>();
  const [testing, setTesting] = useState(false);
  const id = (field: string) => testIds.configEditor.connectorField(i, field);
  const text = (field: keyof ConnectorSettings, label: string, description: string, placeholder = '', width = 40) => (
    <Field label={label} description={description}>
      <Input
        data-testid={id(field)}
        width={width}
        placeholder={placeholder}
        value={(c[field] as string | undefined) ?? ''}
        onChange={(e) => change(i, { [field]: e.currentTarget.value } as Partial<ConnectorSettings>)}
      />
    </Field>
  );
  const num = (field: keyof ConnectorSettings, label: string, description: string, placeholder: string) => (
    <Field label={label} description={description}>
      <Input
        data-testid={id(field)}
        type="number"
        width={12}
        placeholder={placeholder}
        value={(c[field] as number | undefined) ?? ''}
        onChange={(e) => change(i, { [field]: parseCount(e.currentTarget.value) } as Partial<ConnectorSettings>)}
      />
    </Field>
  );
  const secret: FieldMakers['secret'] = (
    name: ConnectorSecret,
    label: string,
    description: string,
    multiline = false
  ) => (
    <SecretField
      options={options}
      onOptionsChange={onOptionsChange}
      secretKey={secretKey(c.uid, name)}
      label={label}
      description={description}
      testId={id(name)}
      multiline={multiline}
      placeholder={multiline ? PEM_PLACEHOLDER : undefined}
    />
  );
  const runTest = async () => {
    setTesting(true);
    try {
      setResult(await testConnector(options.uid, c.name));
    } catch (err) {
      setResult({ ok: false, message: errorMessage(err) });
    } finally {
      setTesting(false);
    }
  };
  const isSQLServer = c.type === 'postgres' || c.type === 'mysql';
  const isHTTP = c.type === 'http-json' || c.type === 'http-csv';
  const tlsMode = c.tlsMode ?? (c.type === 'mysql' ? 'preferred' : 'require');
  const caKey = secretKey(c.uid, 'tlsCACert');
  const hasCA =
    Boolean(options.secureJsonFields?.[caKey]) ||
    Boolean((options.secureJsonData as Record<string, string> | undefined)?.[caKey]);
  // The modes that verify the server's certificate, and so use a CA.
  const verifies = c.type === 'mysql' ? tlsMode === 'true' : tlsMode === 'verify-ca' || tlsMode === 'verify-full';

  return (
    <FieldSet
      label={t('datasource.connector-fields.label-connector', 'Connector: {{name}}', {
        name: c.name || t('datasource.connector-fields.unnamed', '(unnamed)'),
        ...unescaped,
      })}
      data-testid={testIds.configEditor.connector(i)}
    >
      {text(
        'name',
        t('datasource.connector-fields.label-name', 'Name'),
        t(
          'datasource.connector-fields.description-name',
          'How KPIs refer to this connector. Letters, digits, spaces, . _ -'
        )
      )}
      <Field label={t('datasource.connector-fields.label-type', 'Type')}>
        {/* eslint-disable-next-line @typescript-eslint/no-deprecated -- Combobox needs Grafana 11.3+; we support 11.2 */}
        <Select<ConnectorType>
          data-testid={id('type')}
          width={30}
          options={typeOptions()}
          value={c.type}
          onChange={(v) => change(i, { type: v.value ?? 'postgres' })}
        />
      </Field>
      {isSQLServer && (
        <>
          {text(
            'host',
            t('datasource.connector-fields.label-host', 'Host'),
            t(
              'datasource.connector-fields.description-host',
              'Host name or address of the database server (the port goes below).'
            ),
            'db.example.com'
          )}
          {num(
            'port',
            t('datasource.connector-fields.label-port', 'Port'),
            t('datasource.connector-fields.description-port', 'Default 5432 for PostgreSQL, 3306 for MySQL.'),
            c.type === 'mysql' ? '3306' : '5432'
          )}
          {text(
            'database',
            t('datasource.connector-fields.label-database', 'Database'),
            t('datasource.connector-fields.description-database', 'The database the KPI queries read.')
          )}
          {text(
            'user',
            t('datasource.connector-fields.label-user', 'User'),
            t(
              'datasource.connector-fields.description-user',
              'Covenant runs every query read-only; a read-only user is still best.'
            )
          )}
          {secret(
            'password',
            t('datasource.connector-fields.label-password', 'Password'),
            t(
              'datasource.connector-fields.description-password',
              'Stored encrypted by Grafana; never sent back to the browser.'
            )
          )}
          <Field label={t('datasource.connector-fields.label-tls-mode', 'TLS mode')}>
            {/* eslint-disable-next-line @typescript-eslint/no-deprecated -- Combobox needs Grafana 11.3+; we support 11.2 */}
            <Select<string>
              data-testid={id('tlsMode')}
              width={20}
              options={tlsModes[c.type].map((m) => ({ label: m, value: m }))}
              value={tlsMode}
              onChange={(v) => change(i, { tlsMode: v.value })}
            />
          </Field>
          {c.type === 'postgres' &&
            verifies &&
            secret(
              'tlsCACert',
              t('datasource.connector-fields.label-ca-certificate', 'CA certificate'),
              t(
                'datasource.connector-fields.description-ca-certificate-postgres',
                "PEM certificate of the CA that signs the server's certificate; empty trusts the system's CAs. Stored encrypted."
              ),
              true
            )}
          {/* MySQL uses a CA in tlsMode true only, and the settings refuse one with another mode: the field stays
              shown while a CA is set, so that it can be reset. */}
          {c.type === 'mysql' &&
            (verifies || hasCA) &&
            secret(
              'tlsCACert',
              t('datasource.connector-fields.label-ca-certificate', 'CA certificate'),
              verifies
                ? t(
                    'datasource.connector-fields.description-ca-certificate-mysql',
                    "PEM certificate of the CA that signs the server's certificate: tlsMode true then trusts it alone, and checks the host name. Empty trusts the system's CAs. Stored encrypted."
                  )
                : t(
                    'datasource.connector-fields.description-ca-certificate-mysql-refused',
                    "tlsMode {{tlsMode}} does not verify the server's certificate, so the settings refuse a CA: set tlsMode to true to use it, or reset it.",
                    { tlsMode, ...unescaped }
                  ),
              true
            )}
        </>
      )}
      {c.type === 'sqlite' && (
        <>
          {text(
            'path',
            t('datasource.connector-fields.label-file', 'File'),
            t(
              'datasource.connector-fields.description-file',
              'Absolute path of the SQLite file on the Grafana server; opened read-only.'
            ),
            '/var/lib/kpi/ops.db',
            60
          )}
          <Field
            label={t('datasource.connector-fields.label-time-format', 'Time format')}
            description={t(
              'datasource.connector-fields.description-time-format',
              'How $__timeFrom and $__timeTo bind: Unix seconds, milliseconds, or ISO 8601 text.'
            )}
          >
            {/* eslint-disable-next-line @typescript-eslint/no-deprecated -- Combobox needs Grafana 11.3+; we support 11.2 */}
            <Select<string>
              data-testid={id('timeFormat')}
              width={20}
              options={['unix', 'unixms', 'iso'].map((m) => ({ label: m, value: m }))}
              value={c.timeFormat ?? 'unix'}
              onChange={(v) => change(i, { timeFormat: v.value as ConnectorSettings['timeFormat'] })}
            />
          </Field>
        </>
      )}
      {isHTTP && (
        <>
          {text(
            'url',
            t('datasource.connector-fields.label-url', 'URL'),
            t(
              'datasource.connector-fields.description-url',
              'Base URL; each KPI appends its path, which must stay below it. Its host must be in the allowed hosts below.'
            ),
            'https://api.example.com/kpi',
            60
          )}
          <HTTPSecurityFields index={i} c={c} change={change} text={text} secret={secret} />
          {num(
            'timeoutSeconds',
            t('datasource.connector-fields.label-timeout-seconds', 'Timeout (seconds)'),
            t('datasource.connector-fields.description-timeout-seconds', 'Per request, 1 to 120. Default 10.'),
            '10'
          )}
          {num(
            'maxResponseMB',
            t('datasource.connector-fields.label-largest-response', 'Largest response (MB)'),
            t(
              'datasource.connector-fields.description-largest-response',
              'Bigger responses fail with a clear error. Default 64.'
            ),
            '64'
          )}
          {c.type === 'http-csv' &&
            text(
              'delimiter',
              t('datasource.connector-fields.label-delimiter', 'Delimiter'),
              t('datasource.connector-fields.description-delimiter', 'One character. Default ,'),
              ',',
              8
            )}
        </>
      )}
      <Stack gap={1}>
        <Button
          variant="secondary"
          icon="heart-rate"
          onClick={runTest}
          disabled={testing}
          data-testid={testIds.configEditor.testConnector(i)}
        >
          <Trans i18nKey="datasource.connector-fields.test-connection">Test connection</Trans>
        </Button>
        <Button
          variant="destructive"
          fill="outline"
          icon="trash-alt"
          onClick={() => remove(i)}
          data-testid={testIds.configEditor.removeConnector(i)}
        >
          <Trans i18nKey="datasource.connector-fields.remove">Remove</Trans>
        </Button>
      </Stack>
      {result && (
        <div data-testid={testIds.configEditor.testResult(i)}>
          <Alert
            severity={result.ok ? 'success' : 'error'}
            title={
              result.ok
                ? t('datasource.connector-fields.title-connected', 'Connected')
                : t('datasource.connector-fields.title-connection-failed', 'Connection failed')
            }
          >
            {result.ok
              ? result.message
              : t(
                  'datasource.connector-fields.connection-failed-message',
                  '{{message}} (The test uses the saved settings: click "Save & test" first after a change.)',
                  { message: result.message, ...unescaped }
                )}
          </Alert>
        </div>
      )}
    </FieldSet>
  );
}
