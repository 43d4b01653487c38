import { APP_ID } from './types';

/** The app's root URL; every page lives under it. */
export const APP_BASE = `/a/${APP_ID}`;

/** The "Contract performance" dashboard bundled with the app (src/dashboards), imported when the app is enabled. */
export const CONTRACT_DASHBOARD_UID = 'covenant-contract-performance';

/** A contract's tabs, in the order shown. */
export const CONTRACT_TABS = ['overview', 'tracking', 'trackers', 'agreements'] as const;
export type ContractTab = (typeof CONTRACT_TABS)[number];

const enc = encodeURIComponent;

/** URLs of the app's pages and of the Grafana pages it links to. */
export const paths = {
  contracts: `${APP_BASE}/contracts`,
  newContract: `${APP_BASE}/contracts/new`,
  contract: (id: string, tab?: ContractTab) => `${APP_BASE}/contracts/${enc(id)}${tab ? `?tab=${tab}` : ''}`,
  editContract: (id: string) => `${APP_BASE}/contracts/${enc(id)}/edit`,
  /** A contract's performance report for [from, to) (YYYY-MM-DD; none: the current quarter). */
  report: (id: string, from?: string, to?: string) =>
    `${APP_BASE}/contracts/${enc(id)}/report${from && to ? `?from=${from}&to=${to}` : ''}`,
  kpis: `${APP_BASE}/kpis`,
  newKpi: `${APP_BASE}/kpis/new`,
  kpi: (id: string) => `${APP_BASE}/kpis/${enc(id)}`,
  calendars: `${APP_BASE}/calendars`,
  newCalendar: `${APP_BASE}/calendars/new`,
  editCalendar: (id: string) => `${APP_BASE}/calendars/${enc(id)}`,
  trackers: `${APP_BASE}/trackers`,
  newTracker: `${APP_BASE}/trackers/new`,
  tracker: (id: string) => `${APP_BASE}/trackers/${enc(id)}`,
  connectors: `${APP_BASE}/connectors`,
  portfolio: `${APP_BASE}/portfolio`,
  registryAsCode: `${APP_BASE}/registry`,
  /** The contract performance dashboard, opened for one contract of one Covenant datasource. */
  dashboard: (contractId: string, datasourceUid: string) =>
    `/d/${CONTRACT_DASHBOARD_UID}?var-datasource=${enc(datasourceUid)}&var-contract=${enc(contractId)}`,
  /** The datasource's settings page, where connectors are edited. */
  datasourceSettings: (uid: string) => `/connections/datasources/edit/${enc(uid)}`,
};
