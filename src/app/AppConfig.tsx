import { t } from '@grafana/i18n';
import React, { useState } from 'react';
import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { DataSourcePicker, locationService } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet } from '@grafana/ui';
import { errorMessage, fetchBody } from '../shared/api';
import { testIds } from '../shared/testIds';
import { DATASOURCE_TYPE, type AppSettings } from '../shared/types';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

/** The app's configuration: which Covenant datasource its pages use. */
const AppConfig = ({ plugin }: AppConfigProps) => {
  const { enabled, pinned, jsonData } = plugin.meta;
  const [uid, setUid] = useState<string | undefined>(jsonData?.datasourceUid);
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const onSave = async () => {
    setSaving(true);
    setError(undefined);
    try {
      await fetchBody({
        url: `/api/plugins/${plugin.meta.id}/settings`,
        method: 'POST',
        data: { enabled, pinned, jsonData: { ...jsonData, datasourceUid: uid ?? '' } },
      });
      locationService.reload();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <FieldSet label={t('app.app-config.label-covenant-datasource', 'Covenant datasource')}>
      <Field
        label={t('app.app-config.label-datasource', 'Datasource')}
        description={t(
          'app.app-config.description-datasource',
          'The Covenant KPI datasource whose contracts, KPIs and trackers these pages show. Leave empty to use the first one.'
        )}
      >
        <div data-testid={testIds.appConfig.datasource}>
          <DataSourcePicker
            current={uid}
            pluginId={DATASOURCE_TYPE}
            noDefault
            onChange={(ds) => setUid(ds.uid)}
            onClear={() => setUid(undefined)}
          />
        </div>
      </Field>
      {error && (
        <Alert
          severity="error"
          title={t('app.app-config.title-could-not-save-the-settings', 'Could not save the settings')}
        >
          {error}
        </Alert>
      )}
      <Button onClick={onSave} disabled={saving} data-testid={testIds.appConfig.submit}>
        {saving ? t('app.app-config.saving', 'Saving…') : t('app.app-config.save', 'Save')}
      </Button>
    </FieldSet>
  );
};

export default AppConfig;
