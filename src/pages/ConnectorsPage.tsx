import { t, Trans } from '@grafana/i18n';
import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { Badge, LinkButton, useStyles2 } from '@grafana/ui';
import { listConnectors } from '../shared/api';
import { count } from '../shared/format';
import { useLoad } from '../shared/hooks';
import { paths } from '../shared/paths';
import { testIds } from '../shared/testIds';
import { useCovenant } from '../app/CovenantContext';
import { LoadedView } from '../components/Loaded';
import { getStyles } from '../components/RegistryTable';

/**
 * The datasource's connectors (names and types only; settings and secrets stay in the datasource),
 * with a link to the datasource's settings page where they are edited.
 */
export function ConnectorsPage() {
  const { ds } = useCovenant();
  const styles = useStyles2(getStyles);
  const list = useLoad(() => listConnectors(ds.uid), [ds.uid]);
  return (
    <PluginPage>
      <div data-testid={testIds.connectors.page}>
        <div className={styles.toolbar}>
          <p>
            <Trans i18nKey="pages.connectors-page.intro" values={{ name: ds.name }}>
              Connectors are where KPIs read their rows. They are set up, with their secrets, on the settings page of
              the datasource “{'{{name}}'}”.
            </Trans>
          </p>
          <LinkButton icon="cog" href={paths.datasourceSettings(ds.uid)} data-testid={testIds.connectors.settings}>
            <Trans i18nKey="pages.connectors-page.edit-connectors">Edit connectors</Trans>
          </LinkButton>
        </div>
        <LoadedView loaded={list} what={t('pages.connectors-page.what-the-connectors', 'the connectors')}>
          {(connectors) => (
            <table className={styles.table}>
              <thead>
                <tr>
                  <th>
                    <Trans i18nKey="pages.connectors-page.connector">Connector</Trans>
                  </th>
                  <th>
                    <Trans i18nKey="pages.connectors-page.type">Type</Trans>
                  </th>
                  <th>
                    <Trans i18nKey="pages.connectors-page.queries">Queries</Trans>
                  </th>
                  <th>
                    <Trans i18nKey="pages.connectors-page.data">Data</Trans>
                  </th>
                </tr>
              </thead>
              <tbody>
                {connectors.map((c) => (
                  <tr key={c.name} data-testid={testIds.connectors.row(c.name)}>
                    <td>{c.name}</td>
                    <td>
                      <Badge text={c.type} color="blue" />
                    </td>
                    <td>
                      {c.sql
                        ? t('pages.connectors-page.queries-sql', 'SQL')
                        : t('pages.connectors-page.queries-http', 'HTTP path and fields')}
                    </td>
                    <td className={styles.muted}>
                      {c.tables?.length
                        ? t('pages.connectors-page.data-tables', 'tables {{- tables}}', {
                            tables: c.tables.map((table) => table.name).join(', '),
                          })
                        : ''}
                      {c.rows
                        ? ` · ${t('pages.connectors-page.data-rows', '{{- rows}} rows from {{- from}} to {{- to}}', {
                            rows: count(c.rows),
                            from: c.from,
                            to: c.to,
                          })}`
                        : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </LoadedView>
      </div>
    </PluginPage>
  );
}
