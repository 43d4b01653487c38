import React, { useEffect, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, Badge, EmptyState, LinkButton, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { errorMessage, findCovenantDatasource, listDemoContracts } from '../shared/api';
import { testIds } from '../shared/testIds';
import type { DemoContract } from '../shared/types';

type State = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; contracts: DemoContract[] };

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

/** The app's landing page: the contracts of the demo connector. */
export function ContractsPage({ datasourceUid }: ContractsPageProps) {
  const styles = useStyles2(getStyles);
  const [state, setState] = useState<State>({ kind: 'loading' });
  const ds = useMemo(() => findCovenantDatasource(datasourceUid), [datasourceUid]);

  useEffect(() => {
    if (!ds) {
      return;
    }
    let cancelled = false;
    listDemoContracts(ds.uid)
      .then((contracts) => !cancelled && setState({ kind: 'ready', contracts }))
      .catch((err) => !cancelled && setState({ kind: 'error', message: errorMessage(err) }));
    return () => {
      cancelled = true;
    };
  }, [ds]);

  return (
    <PluginPage>
      <div data-testid={testIds.contracts.page}>
        {ds && state.kind === 'loading' && <LoadingPlaceholder text="Loading contracts…" />}
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
        {ds && state.kind === 'error' && (
          <Alert severity="error" title="Could not load the contracts" data-testid={testIds.contracts.error}>
            {state.message}
          </Alert>
        )}
        {ds && state.kind === 'ready' && state.contracts.length === 0 && (
          <EmptyState variant="not-found" message="No contracts">
            <p data-testid={testIds.contracts.empty}>
              The demo connector is disabled. Enable it in the datasource settings to explore Covenant with demo data.
            </p>
          </EmptyState>
        )}
        {ds && state.kind === 'ready' && state.contracts.length > 0 && (
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
              </tr>
            </thead>
            <tbody>
              {state.contracts.map((c) => (
                <tr key={c.key} data-testid={testIds.contracts.row(c.key)}>
                  <td>
                    <div className={styles.name}>{c.name}</div>
                    <div className={styles.muted}>{c.description}</div>
                  </td>
                  <td>{c.counterparty}</td>
                  <td>{c.owner}</td>
                  <td>
                    {c.startDate} → {c.endDate}
                  </td>
                  <td>
                    {c.renewalDate}
                    <div className={styles.muted}>notice {c.noticeDays} days</div>
                  </td>
                  <td className={styles.num}>{formatValue(c.value, c.currency)}</td>
                  <td>
                    <Badge text={c.status} color={c.status === 'active' ? 'green' : 'orange'} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </PluginPage>
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
});
