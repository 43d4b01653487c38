import { t } from '@grafana/i18n';
import { lastValueFrom } from 'rxjs';
import { getBackendSrv, getDataSourceSrv, toDataQueryResponse, type BackendSrvRequest } from '@grafana/runtime';
import { dateTime, type DataFrame, type DataSourceInstanceSettings, type TimeRange } from '@grafana/data';
import {
  DATASOURCE_TYPE,
  QueryType,
  type AuditEntry,
  type Calendar,
  type CalendarHoliday,
  type CalendarPreview,
  type ConnectorInfo,
  type ConnectorSchema,
  type ContractReport,
  type CovenantQuery,
  type ActAttachment,
  type ActBody,
  type Ledger,
  type LedgerEntry,
  type PeriodAct,
  type RagSummary,
  type RegistryKind,
  type RegistryPage,
} from './types';

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

/** A failed call as the pages show it: the message, and the field at fault when the backend names one. */
export interface ApiFailure {
  message: string;
  field?: string;
  status?: number;
}

/** Reads the backend's `{"error", "field"}` (or any other failure) into an ApiFailure. */
export function apiFailure(err: unknown): ApiFailure {
  const e = err as { data?: { field?: string }; status?: number };
  return { message: errorMessage(err), field: e?.data?.field || undefined, status: e?.status };
}

/** Calls Grafana's HTTP API and returns the body; a failure throws (the caller shows it, not Grafana's toast). */
export async function fetchBody<T>(req: BackendSrvRequest): Promise<T> {
  const res = await lastValueFrom(getBackendSrv().fetch<T>({ showErrorAlert: false, ...req }));
  return res.data;
}

function call<T>(uid: string, method: string, path: string, data?: unknown): Promise<T> {
  return fetchBody<T>({ url: resourceUrl(uid, path), method, data });
}

function get<T>(uid: string, path: string): Promise<T> {
  return call<T>(uid, 'GET', path);
}

export async function listConnectors(uid: string): Promise<ConnectorInfo[]> {
  const body = await get<{ connectors: ConnectorInfo[] }>(uid, 'connectors');
  return body.connectors ?? [];
}

/** A SQL connector's tables and columns (GET /connectors/{name}/schema); fails for an HTTP connector. */
export function getConnectorSchema(uid: string, name: string): Promise<ConnectorSchema> {
  return get<ConnectorSchema>(uid, `connectors/${encodeURIComponent(name)}/schema`);
}

/** Tests a saved connector's connection (POST /connectors/{name}/test). */
export function testConnector(uid: string, name: string): Promise<{ ok: boolean; message: string }> {
  return call(uid, 'POST', `connectors/${encodeURIComponent(name)}/test`);
}

/** What a registry list may be narrowed by: a part of the name, a page, the objects referring to an id. */
export interface ListOptions {
  search?: string;
  limit?: number;
  offset?: number;
  contractId?: string;
  trackerId?: string;
  kpiId?: string;
  assignmentId?: string;
}

/** A page of a registry kind, e.g. listRegistry(uid, 'contracts', { search: 'acme' }). */
export async function listRegistry<T>(
  uid: string,
  kind: RegistryKind,
  opts: ListOptions = {}
): Promise<RegistryPage<T>> {
  const params = new URLSearchParams();
  for (const key of ['search', 'contractId', 'trackerId', 'kpiId', 'assignmentId'] as const) {
    if (opts[key]) {
      params.set(key, opts[key]);
    }
  }
  params.set('limit', String(opts.limit ?? 50));
  params.set('offset', String(opts.offset ?? 0));
  return get<RegistryPage<T>>(uid, `registry/${kind}?${params.toString()}`);
}

/** Every object of a kind (pages of 500), for pickers; narrowed like listRegistry. */
export async function listAll<T>(uid: string, kind: RegistryKind, opts: ListOptions = {}): Promise<T[]> {
  const out: T[] = [];
  for (;;) {
    const page = await listRegistry<T>(uid, kind, { ...opts, limit: 500, offset: out.length });
    out.push(...page.items);
    if (page.items.length === 0 || out.length >= page.total) {
      return out;
    }
  }
}

const registryPath = (kind: RegistryKind, id?: string) =>
  id === undefined ? `registry/${kind}` : `registry/${kind}/${encodeURIComponent(id)}`;

/** One registry object; fails with status 404 when there is none. */
export function getRegistry<T>(uid: string, kind: RegistryKind, id: string): Promise<T> {
  return get<T>(uid, registryPath(kind, id));
}

/** Creates a registry object (the backend makes an id from the name when none is given). */
export function createRegistry<T>(uid: string, kind: RegistryKind, body: Partial<T>): Promise<T> {
  return call<T>(uid, 'POST', registryPath(kind), body);
}

/** Replaces a registry object; body.version must be the stored version, else 409. */
export function updateRegistry<T extends { id: string }>(uid: string, kind: RegistryKind, body: T): Promise<T> {
  return call<T>(uid, 'PUT', registryPath(kind, body.id), body);
}

/** Deletes a registry object at its version; 409 while another object refers to it. */
export async function deleteRegistry(uid: string, kind: RegistryKind, id: string, version: number): Promise<void> {
  await call<unknown>(uid, 'DELETE', `${registryPath(kind, id)}?version=${version}`);
}

/** The whole registry as YAML (GET /registry/export). */
export function exportRegistry(uid: string): Promise<string> {
  return fetchBody<string>({ url: resourceUrl(uid, 'registry/export'), method: 'GET', responseType: 'text' });
}

/** What an import does, or would do on a dry run; mirrors registry.ImportReport. */
export interface ImportReport {
  dryRun: boolean;
  changes: Array<{ kind: string; id: string; action: 'create' | 'update'; changes?: string }>;
  unchanged: number;
}

/** Imports a registry YAML document, all or nothing; with dryRun, only reports what would change. */
export function importRegistry(uid: string, yaml: string, dryRun: boolean): Promise<ImportReport> {
  return fetchBody<ImportReport>({
    url: resourceUrl(uid, `registry/import?dryRun=${dryRun}`),
    method: 'POST',
    data: yaml,
    headers: { 'Content-Type': 'application/yaml' },
  });
}

/**
 * A (draft) calendar's working time per local day (POST /calendars/preview), from a date (YYYY-MM-DD;
 * none: today in the calendar's zone) for some days. A draft the backend refuses fails with the field.
 */
export function previewCalendar(
  uid: string,
  calendar: Partial<Calendar>,
  from?: string,
  days = 14
): Promise<CalendarPreview> {
  const q = new URLSearchParams({ days: String(days) });
  if (from) {
    q.set('from', from);
  }
  return call<CalendarPreview>(uid, 'POST', `calendars/preview?${q.toString()}`, calendar);
}

/** The all-day events of an iCalendar file as holidays (POST /calendars/holidays/ics); nothing is stored. */
export async function holidaysFromIcs(uid: string, ics: string): Promise<CalendarHoliday[]> {
  const body = await fetchBody<{ holidays: CalendarHoliday[] }>({
    url: resourceUrl(uid, 'calendars/holidays/ics'),
    method: 'POST',
    data: ics,
    headers: { 'Content-Type': 'text/calendar' },
  });
  return body.holidays ?? [];
}

/**
 * The period-close ledger of a contract's agreements (GET /ledger): the entries by agreement, period
 * and seq, and each closed period's lifecycle state.
 */
export async function getLedger(uid: string, contractId: string): Promise<Ledger> {
  const body = await get<Partial<Ledger>>(uid, `ledger?contractId=${encodeURIComponent(contractId)}`);
  return { entries: body.entries ?? [], periods: body.periods ?? [] };
}

/**
 * Signs off, disputes or resolves an agreement's closed period (POST /ledger/{agreementId}/{period}/{act});
 * periodDay is the period's first day, YYYY-MM-DD in the agreement's time zone. It returns the entries
 * appended; a refusal fails with the field the backend names (400), the reason (409) or 403.
 */
export async function actOnPeriod(
  uid: string,
  agreementId: string,
  periodDay: string,
  act: PeriodAct,
  body: ActBody
): Promise<LedgerEntry[]> {
  const path = `ledger/${encodeURIComponent(agreementId)}/${encodeURIComponent(periodDay)}/${act}`;
  const res = await call<{ entries?: LedgerEntry[] }>(uid, 'POST', path, body);
  return res.entries ?? [];
}

/** Uploads a dispute's evidence file (POST /ledger/attachments): stored by the SHA-256 of its content. */
export async function uploadAttachment(uid: string, file: File): Promise<ActAttachment> {
  return call<ActAttachment>(uid, 'POST', 'ledger/attachments', {
    name: file.name,
    type: file.type || 'application/octet-stream',
    content: await base64Of(file),
  });
}

/** A file's bytes in standard base64 (what a data: URL carries after its comma). */
function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error(`cannot read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

/** Where an evidence file is downloaded from. */
export const attachmentUrl = (uid: string, sha256: string) => resourceUrl(uid, `ledger/attachments/${sha256}`);

/** A contract's performance report for [from, to) (GET /report; dates YYYY-MM-DD). */
export function getReport(uid: string, contractId: string, from: string, to: string): Promise<ContractReport> {
  const q = new URLSearchParams({ contractId, from, to });
  return get<ContractReport>(uid, `report?${q.toString()}`);
}

/** An object's audit trail, newest last. */
export async function getAudit(uid: string, kind: RegistryKind, id: string): Promise<AuditEntry[]> {
  const body = await get<{ entries: AuditEntry[] }>(uid, `${registryPath(kind, id)}/audit`);
  return body.entries ?? [];
}

/** The last `days` days up to now, a range for queryFrames. */
export function lastDays(days: number): TimeRange {
  const to = dateTime();
  const from = dateTime(to).subtract(days, 'days');
  return { from, to, raw: { from: `now-${days}d`, to: 'now' } };
}

/**
 * Runs Covenant queries through Grafana's /api/ds/query, as panels do, and returns the frames of
 * each refId: the one way the app's pages query the datasource. A query that failed throws its
 * error (with the field the backend named).
 */
export async function queryFrames(uid: string, range: TimeRange, queries: CovenantQuery[]): Promise<DataFrame[]> {
  const res = await lastValueFrom(
    getBackendSrv().fetch<unknown>({
      url: '/api/ds/query',
      method: 'POST',
      showErrorAlert: false,
      data: {
        from: String(range.from.valueOf()),
        to: String(range.to.valueOf()),
        queries: queries.map((q) => ({ ...q, datasource: { uid, type: DATASOURCE_TYPE } })),
      },
    })
  ).catch((err) => {
    // A failed query answers with an HTTP error whose body still holds the frames' errors.
    const body = (err as { data?: { results?: unknown } })?.data;
    if (body?.results) {
      return { data: body } as { data: unknown };
    }
    throw err;
  });
  const response = toDataQueryResponse(res as Parameters<typeof toDataQueryResponse>[0]);
  const failed = response.errors?.[0] ?? response.error;
  if (failed) {
    throw {
      message: failed.message ?? t('shared.api.the-query-failed', 'The query failed'),
      data: { error: failed.message },
    };
  }
  return response.data as DataFrame[];
}

/** Sums the latest evaluated RAG of each tracker frame, per contract label. */
export function summariseRag(frames: DataFrame[]): Record<string, RagSummary> {
  const out: Record<string, RagSummary> = {};
  for (const f of frames) {
    const rag = f.fields.find((x) => x.name === 'rag');
    const contract = f.fields.find((x) => x.labels?.contract)?.labels?.contract;
    if (!rag || !contract) {
      continue;
    }
    let last: number | null = null;
    for (const v of rag.values as Array<number | null>) {
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
  const frames = await queryFrames(uid, lastDays(90), [
    { refId: 'A', queryType: QueryType.TrackerSeries, contract: contractIds.join(',') },
  ]);
  return summariseRag(frames);
}
