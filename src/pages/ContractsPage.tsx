import { t, Trans } from '@grafana/i18n';
import React, { useCallback, useState } from 'react';
import { PluginPage } from '@grafana/runtime';
import { Badge, Stack } from '@grafana/ui';
import { ragSummaries } from '../shared/api';
import { currency } from '../shared/format';
import { paths } from '../shared/paths';
import { testIds } from '../shared/testIds';
import type { Contract, RagSummary } from '../shared/types';
import { useCovenant } from '../app/CovenantContext';
import { RegistryTable, type Column } from '../components/RegistryTable';
import { statusText } from '../shared/labels';

/** Formats an amount in a currency, whole units, e.g. "€1,800,000" or "-€1,000". */
export const statusColors: Record<Contract['status'], 'green' | 'orange' | 'blue' | 'red'> = {
  active: 'green',
  draft: 'blue',
  expired: 'orange',
  terminated: 'red',
};

/** A contract's status as a coloured badge. */
export function StatusBadge({ status }: { status: Contract['status'] }) {
  return <Badge text={statusText(status)} color={statusColors[status] ?? 'blue'} />;
}

/** The app's landing page: the registry's contracts, with search, status and a RAG summary each. */
export function ContractsPage() {
  const { ds } = useCovenant();
  const [rag, setRag] = useState<Record<string, RagSummary | 'error' | undefined>>({});

  const onPage = useCallback(
    (items: Contract[]) => {
      const ids = items.map((c) => c.id);
      ragSummaries(ds.uid, ids).then(
        (r) => setRag(Object.fromEntries(ids.map((id) => [id, r[id] ?? { green: 0, amber: 0, red: 0 }]))),
        () => setRag(Object.fromEntries(ids.map((id) => [id, 'error' as const])))
      );
    },
    [ds.uid]
  );

  const columns: Array<Column<Contract>> = [
    { header: t('pages.contracts-page.header-contract', 'Contract'), cell: (c) => c.name, sub: (c) => c.description },
    { header: t('pages.contracts-page.header-counterparty', 'Counterparty'), cell: (c) => c.counterparty },
    { header: t('pages.contracts-page.header-owner', 'Owner'), cell: (c) => c.owner },
    {
      header: t('pages.contracts-page.header-term', 'Term'),
      cell: (c) => c.startDate && `${c.startDate} → ${c.endDate ?? ''}`,
    },
    {
      header: t('pages.contracts-page.header-renewal', 'Renewal'),
      cell: (c) => (
        <>
          {c.renewalDate}
          {c.noticeDays ? (
            <div>{t('pages.contracts-page.notice-days', 'notice {{count}} days', { count: c.noticeDays })}</div>
          ) : null}
        </>
      ),
    },
    {
      header: t('pages.contracts-page.header-value', 'Value'),
      numeric: true,
      cell: (c) => (c.value ? currency(c.value, c.currency ?? 'EUR') : ''),
    },
    { header: t('pages.contracts-page.header-status', 'Status'), cell: (c) => <StatusBadge status={c.status} /> },
    {
      header: t('pages.contracts-page.header-trackers-latest', 'Trackers (latest)'),
      cell: (c) => (
        <span data-testid={testIds.contracts.rag(c.id)}>
          <RagCell summary={rag[c.id]} />
        </span>
      ),
    },
  ];

  return (
    <PluginPage>
      <RegistryTable<Contract>
        kind="contracts"
        words={{
          search: t('pages.contracts-page.search', 'Search contracts by name'),
          create: t('pages.contracts-page.create', 'New contract'),
          remove: t('pages.contracts-page.remove', 'Delete contract'),
          notRemoved: t('pages.contracts-page.not-removed', 'The contract was not deleted'),
          loading: t('pages.contracts-page.loading', 'Loading contracts…'),
          failed: t('pages.contracts-page.failed', 'Could not load the contracts'),
          none: t('pages.contracts-page.none', 'No contracts yet'),
          noMatch: t('pages.contracts-page.no-match', 'No contract matches'),
          noNameContains: (search) =>
            t('pages.contracts-page.no-name-contains', 'No contract name contains “{{- search}}”.', { search }),
        }}
        columns={columns}
        href={(c) => paths.contract(c.id)}
        createHref={paths.newContract}
        onPage={onPage}
        emptyHint={
          <p>
            <Trans i18nKey="pages.contracts-page.empty-hint">
              Create a contract with <b>New contract</b>, or import a registry YAML (docs/api.md). A new datasource with
              the demo connector starts with three demo contracts.
            </Trans>
          </p>
        }
        testId={{
          page: testIds.contracts.page,
          table: testIds.contracts.table,
          search: testIds.contracts.search,
          empty: testIds.contracts.empty,
          count: testIds.contracts.count,
          create: testIds.contracts.create,
        }}
        rowTestId={(c) => testIds.contracts.row(c.id)}
      />
    </PluginPage>
  );
}

/** A contract's trackers by their latest RAG: green, amber and red counts. */
export function RagCell({ summary }: { summary?: RagSummary | 'error' }) {
  if (summary === undefined) {
    return <span aria-label={t('pages.rag-cell.aria-label-loading', 'loading')}>…</span>;
  }
  if (summary === 'error') {
    return (
      <span
        title={t(
          'pages.rag-cell.title-trend-query-failed-contract',
          'The trend query failed: open the contract to see why'
        )}
      >
        —
      </span>
    );
  }
  if (summary.green + summary.amber + summary.red === 0) {
    return (
      <span title={t('pages.rag-cell.title-tracker-evaluated', 'No tracker evaluated in the last 90 days')}>
        <Trans i18nKey="pages.rag-cell.none">none</Trans>
      </span>
    );
  }
  return (
    <Stack gap={0.5}>
      {summary.green > 0 && (
        <Badge text={t('pages.rag-cell.green', '{{count}} green', { count: summary.green })} color="green" />
      )}
      {summary.amber > 0 && (
        <Badge text={t('pages.rag-cell.amber', '{{count}} amber', { count: summary.amber })} color="orange" />
      )}
      {summary.red > 0 && <Badge text={t('pages.rag-cell.red', '{{count}} red', { count: summary.red })} color="red" />}
    </Stack>
  );
}
