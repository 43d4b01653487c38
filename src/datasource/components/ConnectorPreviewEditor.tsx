import { t } from '@grafana/i18n';
import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Field, Input, Select, Stack, useStyles2 } from '@grafana/ui';
import type { CovenantQueryEditorProps } from './QueryEditor';
import { SqlEditor } from '../../components/SqlEditor';
import { errorMessage, listConnectors } from '../../shared/api';
import { unescaped } from '../../shared/i18n';
import { testIds } from '../../shared/testIds';
import { DEMO_CONNECTOR, type ConnectorInfo } from '../../shared/types';

/** Editor for connectorPreview: connector, SQL with macros, contract key and row limit. */
export function ConnectorPreviewEditor({ query, onChange, onRunQuery, datasource }: CovenantQueryEditorProps) {
  const styles = useStyles2(getStyles);
  const [connectors, setConnectors] = useState<ConnectorInfo[]>([]);
  const [loadError, setLoadError] = useState<string>();
  const [sql, setSql] = useState(query.rawSql ?? '');

  useEffect(() => {
    let cancelled = false;
    listConnectors(datasource.uid)
      .then((list) => !cancelled && setConnectors(list))
      .catch((err) => !cancelled && setLoadError(errorMessage(err)));
    return () => {
      cancelled = true;
    };
  }, [datasource.uid]);

  const connectorName = query.connector || DEMO_CONNECTOR;
  const selected = connectors.find((c) => c.name === connectorName);
  const run = (patch: Partial<typeof query>) => {
    onChange({ ...query, ...patch });
    onRunQuery();
  };

  return (
    <>
      {loadError && (
        <Alert
          severity="warning"
          title={t(
            'datasource.connector-preview-editor.title-could-not-list-the-connectors',
            'Could not list the connectors'
          )}
        >
          {loadError}
        </Alert>
      )}
      <Stack gap={2} wrap="wrap">
        <Field label={t('datasource.connector-preview-editor.label-connector', 'Connector')}>
          <div data-testid={testIds.queryEditor.connector}>
            {/* Select, not Combobox: Combobox is missing before Grafana 11.3 and grafanaDependency starts at 11.2. */}
            {/* eslint-disable-next-line @typescript-eslint/no-deprecated */}
            <Select
              width={24}
              options={(connectors.length ? connectors : [{ name: connectorName }]).map((c) => ({
                label: c.name,
                value: c.name,
              }))}
              value={connectorName}
              onChange={(v) => v.value && run({ connector: v.value })}
            />
          </div>
        </Field>
        <Field
          label={t('datasource.connector-preview-editor.label-contract-key', 'Contract key')}
          description={t('datasource.connector-preview-editor.description-bound-to-key', 'Bound to $__key')}
        >
          <Input
            data-testid={testIds.queryEditor.key}
            width={24}
            value={query.key ?? ''}
            placeholder={t('datasource.connector-preview-editor.placeholder-contract-key', 'acme-it')}
            onChange={(e) => onChange({ ...query, key: e.currentTarget.value })}
            onBlur={onRunQuery}
          />
        </Field>
        <Field
          label={t('datasource.connector-preview-editor.label-row-limit', 'Row limit')}
          description={t(
            'datasource.connector-preview-editor.description-the-datasource-maximum',
            '0: the datasource maximum'
          )}
        >
          <Input
            data-testid={testIds.queryEditor.limit}
            type="number"
            min={0}
            width={12}
            value={query.limit ?? 0}
            onChange={(e) => onChange({ ...query, limit: Math.max(0, Math.trunc(Number(e.currentTarget.value) || 0)) })}
            onBlur={onRunQuery}
          />
        </Field>
      </Stack>
      <Field
        label={t('datasource.connector-preview-editor.label-sql', 'SQL')}
        description={t(
          'datasource.connector-preview-editor.description-sql',
          'Returns rows (time, value[, key][, status]). Macros: $__timeFilter(time), $__timeFrom, $__timeTo, $__key. Values are bound, never spliced. Ctrl+Space completes macros, tables and columns.'
        )}
      >
        <SqlEditor
          testId={testIds.queryEditor.sql}
          rows={5}
          value={sql}
          onChange={setSql}
          onCommit={(text) => {
            setSql(text);
            run({ rawSql: text });
          }}
          datasourceUid={datasource.uid}
          connector={selected?.sql === false ? undefined : connectorName}
        />
      </Field>
      {selected?.tables && (
        <div className={styles.tables}>
          {selected.tables.map((table) => (
            <Button
              key={table.name}
              size="sm"
              variant="secondary"
              fill="outline"
              tooltip={t('datasource.connector-preview-editor.tooltip-table', '{{description}}. Columns: {{columns}}', {
                description: table.description,
                columns: table.columns.join(', '),
                ...unescaped,
              })}
              data-testid={testIds.queryEditor.example(table.name)}
              onClick={() => {
                setSql(table.example);
                run({ rawSql: table.example });
              }}
            >
              {table.name}
            </Button>
          ))}
        </div>
      )}
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  tables: css({ display: 'flex', gap: theme.spacing(1), flexWrap: 'wrap', marginBottom: theme.spacing(1) }),
});
