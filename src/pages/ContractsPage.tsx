import React, { useEffect, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import {
  Alert,
  Badge,
  Button,
  EmptyState,
  Icon,
  Input,
  LinkButton,
  LoadingPlaceholder,
  Stack,
  useStyles2,
} from '@grafana/ui';
import { errorMessage, findCovenantDatasource, listRegistry, ragSummaries } from '../shared/api';
import { testIds } from '../shared/testIds';
import type { Contract, RagSummary, RegistryPage } from '../shared/types';

type State = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; page: RegistryPage<Contract> };

const PAGE_SIZE = 50;

export interface ContractsPageProps {
  /** Covenant datasource uid from the app settings; empty: the first Covenant datasource. */
  datasourceUid?: string;
}

/** Formats a contract value in its currency, e.g. "€1,800,000". */
export function formatValue(value: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 0 }).format(value);
  } catch {
    return `${value.toLocaleString('en')} ${currency}`;
  }
}

const statusColors: Record<Contract['status'], 'green' | 'orange' | 'blue' | 'red'> = {
  active: 'green',
  draft: 'blue',
  expired: 'orange',
  terminated: 'red',
};

/** The app's landing page: the registry's contracts, with search, status and a RAG summary each. */
export function ContractsPage({ datasourceUid }: ContractsPageProps) {
  const styles = useStyles2(getStyles);
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [rag, setRag] = useState<Record<string, RagSummary> | 'error' | undefined>();
  const ds = useMemo(() => findCovenantDatasource(datasourceUid), [datasourceUid]);

  useEffect(() => {
    if (!ds) {
      return;
    }
    let cancelled = false;
    listRegistry<Contract>(ds.uid, 'contracts', { search, limit: PAGE_SIZE, offset })
      .then((page) => {
        if (cancelled) {
          return;
        }
        setState({ kind: 'ready', page });
        return ragSummaries(
          ds.uid,
          page.items.map((c) => c.id)
        ).then((r) => !cancelled && setRag(r));
      })
      .catch((err) => {
        if (cancelled) {
          return;
        }
        setState((prev) => (prev.kind === 'ready' ? prev : { kind: 'error', message: errorMessage(err) }));
        setRag('error');
      });
    return () => {
      cancelled = true;
    };
  }, [ds, search, offset]);

  const page = state.kind === 'ready' ? state.page : undefined;
  return (
    <PluginPage>
      <div data-testid={testIds.contracts.page}>
        {!ds && (
          <EmptyState variant="call-to-action" message="No Covenant datasource yet">
            <p>
              Add a datasource of type “Covenant KPI” to see contracts here. Its embedded demo connector needs no setup.
            </p>
            <LinkButton href="/connections/datasources/new" icon="plus">
              Add a Covenant datasource
            </LinkButton>
          </EmptyState>
        )}
        {ds && (
          <div className={styles.toolbar}>
            <Input
              data-testid={testIds.contracts.search}
              prefix={<Icon name="search" />}
              placeholder="Search contracts by name"
              width={40}
              value={search}
              onChange={(e) => {
                setSearch(e.currentTarget.value);
                setOffset(0);
                setRag(undefined);
              }}
            />
          </div>
        )}
        {ds && state.kind === 'loading' && <LoadingPlaceholder text="Loading contracts…" />}
        {ds && state.kind === 'error' && (
          <Alert severity="error" title="Could not load the contracts" data-testid={testIds.contracts.error}>
            {state.message}
          </Alert>
        )}
        {page && page.total === 0 && (
          <EmptyState variant="not-found" message={search ? 'No contract matches' : 'No contracts yet'}>
            <p data-testid={testIds.contracts.empty}>
              {search
                ? `No contract name contains “${search}”.`
                : 'Create contracts through the registry API, or import a registry YAML (docs/api.md). A new datasource with the demo connector starts with three demo contracts.'}
            </p>
          </EmptyState>
        )}
        {page && page.items.length > 0 && (
          <>
            <table className={styles.table} data-testid={testIds.contracts.table}>
              <thead>
                <tr>
                  <th>Contract</th>
                  <th>Counterparty</th>
                  <th>Owner</th>
                  <th>Term</th>
                  <th>Renewal</th>
                  <th className={styles.num}>Value</th>
                  <th>Status</th>
                  <th>Trackers (latest)</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((c) => (
                  <tr key={c.id} data-testid={testIds.contracts.row(c.id)}>
                    <td>
                      <div className={styles.name}>{c.name}</div>
                      <div className={styles.muted}>{c.description}</div>
                    </td>
                    <td>{c.counterparty}</td>
                    <td>{c.owner}</td>
                    <td>{c.startDate && `${c.startDate} → ${c.endDate ?? ''}`}</td>
                    <td>
                      {c.renewalDate}
                      {c.noticeDays ? <div className={styles.muted}>notice {c.noticeDays} days</div> : null}
                    </td>
                    <td className={styles.num}>{c.value ? formatValue(c.value, c.currency ?? 'EUR') : ''}</td>
                    <td>
                      <Badge text={c.status} color={statusColors[c.status] ?? 'blue'} />
                    </td>
                    <td data-testid={testIds.contracts.rag(c.id)}>
                      <RagCell summary={rag === 'error' ? 'error' : rag?.[c.id]} loading={rag === undefined} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className={styles.pager}>
              <span data-testid={testIds.contracts.count}>
                {page.offset + 1}–{page.offset + page.items.length} of {page.total}
              </span>
              <Button
                variant="secondary"
                size="sm"
                icon="angle-left"
                disabled={offset === 0}
                onClick={() => {
                  setOffset(Math.max(0, offset - PAGE_SIZE));
                  setRag(undefined);
                }}
              >
                Previous
              </Button>
              <Button
                variant="secondary"
                size="sm"
                icon="angle-right"
                disabled={offset + PAGE_SIZE >= page.total}
                onClick={() => {
                  setOffset(offset + PAGE_SIZE);
                  setRag(undefined);
                }}
              >
                Next
              </Button>
            </div>
          </>
        )}
      </div>
    </PluginPage>
  );
}

/** A contract's trackers by their latest RAG: green, amber and red counts. */
function RagCell({ summary, loading }: { summary?: RagSummary | 'error'; loading: boolean }) {
  if (loading) {
    return <span aria-label="loading">…</span>;
  }
  if (summary === 'error') {
    return <span title="The trend query failed: open the contract to see why">—</span>;
  }
  if (!summary || summary.green + summary.amber + summary.red === 0) {
    return <span title="No tracker evaluated in the last 90 days">none</span>;
  }
  return (
    <Stack gap={0.5}>
      {summary.green > 0 && <Badge text={`${summary.green} green`} color="green" />}
      {summary.amber > 0 && <Badge text={`${summary.amber} amber`} color="orange" />}
      {summary.red > 0 && <Badge text={`${summary.red} red`} color="red" />}
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      padding: theme.spacing(1, 1.5),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      textAlign: 'left',
      verticalAlign: 'top',
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  name: css({ fontWeight: theme.typography.fontWeightMedium }),
  muted: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  num: css({ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }),
  toolbar: css({ marginBottom: theme.spacing(2) }),
  pager: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center', marginTop: theme.spacing(2) }),
});
