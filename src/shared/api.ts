import { lastValueFrom } from 'rxjs';
import { getBackendSrv, getDataSourceSrv } from '@grafana/runtime';
import type { DataSourceInstanceSettings } from '@grafana/data';
import { DATASOURCE_TYPE, type ConnectorInfo, type DemoContract } from './types';

/** Finds the Covenant datasource the app uses: the configured uid, else the first one. */
export function findCovenantDatasource(uid?: string): DataSourceInstanceSettings | undefined {
  const list = getDataSourceSrv().getList({ type: DATASOURCE_TYPE });
  return (uid ? list.find((ds) => ds.uid === uid) : undefined) ?? list[0];
}

/** The resource API base path of a Covenant datasource. */
export function resourceUrl(uid: string, path: string): string {
  return `/api/datasources/uid/${encodeURIComponent(uid)}/resources/${path.replace(/^\//, '')}`;
}

/** Error text of a failed resource call: the backend's JSON `error`, else the HTTP status. */
export function errorMessage(err: unknown): string {
  const e = err as {
    data?: { error?: string; message?: string };
    status?: number;
    statusText?: string;
    message?: string;
  };
  return (
    e?.data?.error ??
    e?.data?.message ??
    e?.message ??
    (e?.status ? `HTTP ${e.status} ${e.statusText ?? ''}`.trim() : String(err))
  );
}

async function get<T>(uid: string, path: string): Promise<T> {
  const res = await lastValueFrom(
    getBackendSrv().fetch<T>({ url: resourceUrl(uid, path), method: 'GET', showErrorAlert: false })
  );
  return res.data;
}

export async function listDemoContracts(uid: string): Promise<DemoContract[]> {
  const body = await get<{ contracts: DemoContract[] }>(uid, 'demo/contracts');
  return body.contracts ?? [];
}

export async function listConnectors(uid: string): Promise<ConnectorInfo[]> {
  const body = await get<{ connectors: ConnectorInfo[] }>(uid, 'connectors');
  return body.connectors ?? [];
}

/** Tests a saved connector's connection (POST /connectors/{name}/test). */
export async function testConnector(uid: string, name: string): Promise<{ ok: boolean; message: string }> {
  const res = await lastValueFrom(
    getBackendSrv().fetch<{ ok: boolean; message: string }>({
      url: resourceUrl(uid, `connectors/${encodeURIComponent(name)}/test`),
      method: 'POST',
      showErrorAlert: false,
    })
  );
  return res.data;
}
