import { t, Trans } from '@grafana/i18n';
import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, Badge, Button, Field, FieldSet, Stack, TextArea, useStyles2 } from '@grafana/ui';
import { apiFailure, exportRegistry, importRegistry, type ApiFailure, type ImportReport } from '../shared/api';
import { testIds } from '../shared/testIds';
import { useCovenant } from '../app/CovenantContext';
import { getStyles as tableStyles } from '../components/RegistryTable';
import { changeText } from './contract/OverviewTab';

/**
 * Saves text as a file in the browser's downloads. The click stops at the link: Grafana handles
 * clicks on links at the document as navigation, and the file then lost its name.
 */
function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.addEventListener('click', (e) => e.stopPropagation());
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * The registry as code: download it as YAML, and import a YAML document after a dry run that shows
 * what it would create and change; the import lands whole or not at all.
 */
export function RegistryAsCodePage() {
  const { ds, canWrite, writeRole } = useCovenant();
  const styles = useStyles2(getStyles);
  const table = useStyles2(tableStyles);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure>();
  // The dry run's report, for the text it checked: Apply is offered only for that text.
  const [checked, setChecked] = useState<{ text: string; report: ImportReport }>();
  const [applied, setApplied] = useState<ImportReport>();

  const run = async (what: () => Promise<void>) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await what();
    } catch (err) {
      setFailure(apiFailure(err));
    } finally {
      setBusy(false);
    }
  };
  const onExport = () =>
    run(async () => {
      const yaml = await exportRegistry(ds.uid);
      download(`covenant-registry-${ds.uid}.yaml`, yaml);
      setText(yaml);
      setChecked(undefined);
    });
  const onCheck = () =>
    run(async () => {
      setApplied(undefined);
      setChecked({ text, report: await importRegistry(ds.uid, text, true) });
    });
  const onApply = () =>
    run(async () => {
      setApplied(await importRegistry(ds.uid, text, false));
      setChecked(undefined);
    });
  const report = applied ?? (checked?.text === text ? checked.report : undefined);
  const counts = report && {
    create: report.changes.filter((c) => c.action === 'create').length,
    update: report.changes.filter((c) => c.action === 'update').length,
    unchanged: report.unchanged,
  };

  return (
    <PluginPage>
      <div data-testid={testIds.registryAsCode.page}>
        <FieldSet label={t('pages.registry-as-code-page.label-export', 'Export')}>
          <p>
            <Trans i18nKey="pages.registry-as-code-page.export-intro">
              The whole registry — contracts, KPIs, trackers, assignments, agreements — as one YAML document, to keep in
              version control.
            </Trans>
          </p>
          <Button
            icon="download-alt"
            variant="secondary"
            onClick={onExport}
            disabled={busy}
            data-testid={testIds.registryAsCode.download}
          >
            <Trans i18nKey="pages.registry-as-code-page.download-yaml">Download YAML</Trans>
          </Button>
        </FieldSet>
        <FieldSet label={t('pages.registry-as-code-page.label-import', 'Import')}>
          <p>
            <Trans i18nKey="pages.registry-as-code-page.import-intro">
              Objects whose id is not stored are created, those that differ are updated; objects not in the document are
              left alone. Check first: the dry run changes nothing.
            </Trans>{' '}
            {canWrite
              ? ''
              : t('pages.registry-as-code-page.import-needs-role', 'Importing needs the {{role}} role.', {
                  role: writeRole,
                })}
          </p>
          <Field
            label={t('pages.registry-as-code-page.label-document', 'Document')}
            description={t(
              'pages.registry-as-code-page.description-paste-api-version-covenantv-registry',
              'Paste YAML (apiVersion: covenant/v1, kind: Registry), or open a file'
            )}
          >
            <TextArea
              data-testid={testIds.registryAsCode.document}
              className={styles.code}
              rows={14}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
            />
          </Field>
          <Stack gap={1} alignItems="center">
            <input
              type="file"
              accept=".yaml,.yml,.json,application/yaml"
              aria-label={t('pages.registry-as-code-page.aria-label-open-a-yaml-file', 'Open a YAML file')}
              data-testid={testIds.registryAsCode.file}
              onChange={async (e) => {
                const f = e.currentTarget.files?.[0];
                if (f) {
                  setText(await f.text());
                }
              }}
            />
            <Button
              variant="secondary"
              icon="check"
              onClick={onCheck}
              disabled={busy || !text.trim() || !canWrite}
              data-testid={testIds.registryAsCode.check}
            >
              <Trans i18nKey="pages.registry-as-code-page.check-dry-run">Check (dry run)</Trans>
            </Button>
            <Button
              icon="upload"
              onClick={onApply}
              disabled={busy || !canWrite || checked?.text !== text}
              data-testid={testIds.registryAsCode.apply}
            >
              <Trans i18nKey="pages.registry-as-code-page.apply">Apply</Trans>
            </Button>
          </Stack>
        </FieldSet>
        {failure && (
          <Alert
            severity="error"
            title={t(
              'pages.registry-as-code-page.title-the-document-was-not-imported',
              'The document was not imported'
            )}
            data-testid={testIds.registryAsCode.error}
          >
            {failure.message}
          </Alert>
        )}
        {report && (
          <section
            data-testid={testIds.registryAsCode.report}
            aria-label={t('pages.registry-as-code-page.aria-label-import-report', 'Import report')}
          >
            <h4>
              {report.dryRun
                ? t(
                    'pages.registry-as-code-page.report-dry-run',
                    'The import would: create {{create}}, update {{update}}, leave {{unchanged}} unchanged',
                    counts
                  )
                : t(
                    'pages.registry-as-code-page.report-done',
                    'The import: create {{create}}, update {{update}}, leave {{unchanged}} unchanged — done',
                    counts
                  )}
            </h4>
            {report.changes.length > 0 && (
              <table className={table.table}>
                <thead>
                  <tr>
                    <th>
                      <Trans i18nKey="pages.registry-as-code-page.kind">Kind</Trans>
                    </th>
                    <th>
                      <Trans i18nKey="pages.registry-as-code-page.id">Id</Trans>
                    </th>
                    <th>
                      <Trans i18nKey="pages.registry-as-code-page.action">Action</Trans>
                    </th>
                    <th>
                      <Trans i18nKey="pages.registry-as-code-page.changes">Changes</Trans>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {report.changes.map((c) => (
                    <tr key={`${c.kind}/${c.id}`}>
                      <td>{c.kind}</td>
                      <td>
                        <code>{c.id}</code>
                      </td>
                      <td>
                        <Badge text={c.action} color={c.action === 'create' ? 'green' : 'orange'} />
                      </td>
                      <td className={table.muted}>
                        {c.action === 'update'
                          ? changeText({ version: 0, action: 'update', actor: '', at: '', changes: c.changes })
                          : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        )}
      </div>
    </PluginPage>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  code: css({ fontFamily: theme.typography.fontFamilyMonospace }),
});
