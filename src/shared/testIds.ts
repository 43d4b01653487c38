/** data-testid values shared by components, jest tests and browser tests. */
export const testIds = {
  contracts: {
    page: 'data-testid covenant-contracts-page',
    table: 'data-testid covenant-contracts-table',
    row: (key: string) => `data-testid covenant-contract-${key}`,
    empty: 'data-testid covenant-contracts-empty',
    error: 'data-testid covenant-contracts-error',
  },
  appConfig: {
    datasource: 'data-testid covenant-app-config-datasource',
    submit: 'data-testid covenant-app-config-submit',
  },
  configEditor: {
    writeRole: 'data-testid covenant-config-write-role',
    demoEnabled: 'data-testid covenant-config-demo-enabled',
    timeout: 'data-testid covenant-config-timeout',
    maxRows: 'data-testid covenant-config-max-rows',
    addConnector: 'data-testid covenant-config-add-connector',
    allowedHosts: 'data-testid covenant-config-allowed-hosts',
    connector: (i: number) => `data-testid covenant-config-connector-${i}`,
    connectorField: (i: number, field: string) => `data-testid covenant-config-connector-${i}-${field}`,
    testConnector: (i: number) => `data-testid covenant-config-connector-${i}-test`,
    testResult: (i: number) => `data-testid covenant-config-connector-${i}-result`,
    removeConnector: (i: number) => `data-testid covenant-config-connector-${i}-remove`,
  },
  queryEditor: {
    queryType: 'data-testid covenant-query-type',
    connector: 'data-testid covenant-query-connector',
    sql: 'data-testid covenant-query-sql',
    key: 'data-testid covenant-query-key',
    limit: 'data-testid covenant-query-limit',
    example: (table: string) => `data-testid covenant-query-example-${table}`,
    contract: 'data-testid covenant-query-contract',
    trackers: 'data-testid covenant-query-trackers',
    trackersError: 'data-testid covenant-query-trackers-error',
  },
  panel: {
    root: 'data-testid covenant-kpitrend-panel',
    series: (name: string) => `data-testid covenant-kpitrend-series-${name}`,
    empty: 'data-testid covenant-kpitrend-empty',
  },
};
