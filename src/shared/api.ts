import { lastValueFrom } from 'rxjs';
import { getBackendSrv, getDataSourceSrv } from '@grafana/runtime';
import type { DataSourceInstanceSettings } from '@grafana/data';
import { DATASOURCE_TYPE, type ConnectorInfo, type RagSummary, type RegistryPage } from './types';

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

/** A page of a registry kind, e.g. listRegistry(uid, 'contracts', { search: 'acme' }). */
export async function listRegistry<T>(
  uid: string,
  kind: string,
  opts: { search?: string; limit?: number; offset?: number } = {}
): Promise<RegistryPage<T>> {
  const params = new URLSearchParams();
  if (opts.search) {
    params.set('search', opts.search);
  }
  params.set('limit', String(opts.limit ?? 50));
  params.set('offset', String(opts.offset ?? 0));
  return get<RegistryPage<T>>(uid, `registry/${kind}?${params.toString()}`);
}

interface FrameJSON {
  schema?: { fields?: Array<{ name: string; labels?: Record<string, string> }> };
  data?: { values?: unknown[][] };
}

/** Sums the latest evaluated RAG of each tracker frame, per contract label. */
export function summariseRag(frames: FrameJSON[]): Record<string, RagSummary> {
  const out: Record<string, RagSummary> = {};
  for (const f of frames) {
    const fields = f.schema?.fields ?? [];
    const ragAt = fields.findIndex((x) => x.name === 'rag');
    const contract = fields.find((x) => x.labels?.contract)?.labels?.contract;
    if (ragAt < 0 || !contract) {
      continue;
    }
    const values = (f.data?.values?.[ragAt] ?? []) as Array<number | null>;
    let last: number | null = null;
    for (const v of values) {
      if (v !== null && v !== undefined) {
        last = v;
      }
    }
    const s = (out[contract] ??= { green: 0, amber: 0, red: 0 });
    if (last === 0) {
      s.green++;
    } else if (last === 1) {
      s.amber++;
    } else if (last === 2) {
      s.red++;
    }
  }
  return out;
}

/** RAG summaries of some registry contracts over the last 90 days (one trackerSeries query). */
export async function ragSummaries(uid: string, contractIds: string[]): Promise<Record<string, RagSummary>> {
  if (contractIds.length === 0) {
    return {};
  }
  const res = await lastValueFrom(
    getBackendSrv().fetch<{ results: Record<string, { frames?: FrameJSON[]; error?: string }> }>({
      url: '/api/ds/query',
      method: 'POST',
      showErrorAlert: false,
      data: {
        from: 'now-90d',
        to: 'now',
        queries: [{ refId: 'A', datasource: { uid }, queryType: 'trackerSeries', contract: contractIds.join(',') }],
      },
    })
  );
  return summariseRag(res.data.results?.A?.frames ?? []);
}
