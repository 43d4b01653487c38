import type { DataSourceJsonData } from '@grafana/data';

/** The embedded demo connector's name; mirrors models.DemoConnector. */
export const DEMO_CONNECTOR = 'demo';

/** Grafana org roles, least to most privileged. */
export const ROLES = ['Viewer', 'Editor', 'Admin'] as const;
export type Role = (typeof ROLES)[number];

/** Datasource jsonData; mirrors pkg/models/settings.go. */
export interface CovenantOptions extends DataSourceJsonData {
  writeRole?: Role;
  /** The least role that may sign off, dispute and resolve closed periods (default: writeRole, at least Editor). */
  disputeRole?: Role;
  demoDisabled?: boolean;
  queryTimeoutSeconds?: number;
  maxPreviewRows?: number;
  /** Turns the closed-bucket cache off. */
  cacheDisabled?: boolean;
  /** How long closed buckets without a watermark are reused (default 60; 0: never). */
  cacheTTLSeconds?: number;
  connectors?: ConnectorSettings[];
  /** Hosts HTTP connectors may call: "api.example.com" or "*.example.com". */
  httpAllowedHosts?: string[];
  /** Where the registry lives; mirrors models.Settings. */
  storeType?: 'sqlite' | 'postgres';
  storePath?: string;
  storePostgres?: { host?: string; port?: number; database?: string; user?: string; tlsMode?: string };
}

/** Connector types a datasource may configure; mirrors models.ConnectorTypes. */
export const CONNECTOR_TYPES = ['postgres', 'mysql', 'sqlite', 'http-json', 'http-csv'] as const;
export type ConnectorType = (typeof CONNECTOR_TYPES)[number];

/** One configured connector (jsonData); mirrors models.ConnectorSettings. Its secrets live in
 * secureJsonData under connectors.<uid>.<secret> (see CONNECTOR_SECRETS). */
export interface ConnectorSettings {
  uid: string;
  name: string;
  type: ConnectorType;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  tlsMode?: string;
  maxOpenConns?: number;
  path?: string;
  timeFormat?: 'unix' | 'unixms' | 'iso';
  url?: string;
  headerName?: string;
  timeoutSeconds?: number;
  maxResponseMB?: number;
  delimiter?: string;
  /** HTTP: none (default), basic (user + the secret password) or bearer (the secret bearerToken). */
  authType?: HTTPAuthType;
  /** HTTP: do not verify the server's certificate (off by default). */
  tlsSkipVerify?: boolean;
  /** HTTP: an explicit proxy, http(s):// or socks5://host:port. */
  proxyURL?: string;
  proxyUser?: string;
}

export const HTTP_AUTH_TYPES = ['none', 'basic', 'bearer'] as const;
export type HTTPAuthType = (typeof HTTP_AUTH_TYPES)[number];

/** Every secret a connector may have; mirrors models.ConnectorSecrets. */
export const CONNECTOR_SECRETS = [
  'password',
  'headerValue',
  'bearerToken',
  'tlsCACert',
  'tlsClientCert',
  'tlsClientKey',
  'proxyPassword',
] as const;
export type ConnectorSecret = (typeof CONNECTOR_SECRETS)[number];

/** The secureJsonData key of a connector's secret; mirrors models.SecretKey. */
export function secretKey(uid: string, secret: ConnectorSecret): string {
  return `connectors.${uid}.${secret}`;
}

/** A table of the demo connector (GET /connectors). */
export interface ConnectorTable {
  name: string;
  description: string;
  columns: string[];
  example: string;
}

export interface ConnectorInfo {
  name: string;
  type: string;
  /** Queries are SQL (else an HTTP path and field mapping). */
  sql: boolean;
  tables?: ConnectorTable[];
  rows?: number;
  from?: string;
  to?: string;
}

/** A column of a SQL connector's table, with its declared type when the database says. */
export interface SchemaColumn {
  name: string;
  type?: string;
}

/** A table (or view) of a SQL connector; mirrors connector.SchemaTable. */
export interface SchemaTable {
  name: string;
  /** The database schema it is in (PostgreSQL, MySQL). */
  schema?: string;
  description?: string;
  columns: SchemaColumn[];
}

/** A SQL connector's tables and columns (GET /connectors/{name}/schema), for the SQL editors. */
export interface ConnectorSchema {
  name: string;
  type: string;
  tables: SchemaTable[];
  /** There were more tables or columns than maxTables and maxColumns. */
  truncated: boolean;
  maxTables?: number;
  maxColumns?: number;
}

/** App plugin jsonData. */
export interface AppSettings {
  /** uid of the Covenant datasource the app's pages use; empty: the first one found. */
  datasourceUid?: string;
}
