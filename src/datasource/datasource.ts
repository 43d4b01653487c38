import type { CoreApp, DataSourceInstanceSettings, ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import { DEFAULT_QUERY, type CovenantOptions, type CovenantQuery } from '../shared/types';

/**
 * The Covenant KPI datasource. Every query runs in the Go backend, so alert rules
 * and shared dashboards work; the request body is left as DataSourceWithBackend builds it.
 */
export class DataSource extends DataSourceWithBackend<CovenantQuery, CovenantOptions> {
  constructor(instanceSettings: DataSourceInstanceSettings<CovenantOptions>) {
    super(instanceSettings);
  }

  getDefaultQuery(_: CoreApp): Partial<CovenantQuery> {
    return DEFAULT_QUERY;
  }

  /** Replaces dashboard variables in the fields that may hold them. */
  applyTemplateVariables(query: CovenantQuery, scopedVars: ScopedVars): CovenantQuery {
    const srv = getTemplateSrv();
    return {
      ...query,
      rawSql: query.rawSql ? srv.replace(query.rawSql, scopedVars) : query.rawSql,
      key: query.key ? srv.replace(query.key, scopedVars) : query.key,
      contract: query.contract ? srv.replace(query.contract, scopedVars) : query.contract,
    };
  }

  /** Skips queries that cannot run (no SQL yet), so the editor shows no error while typing starts. */
  filterQuery(query: CovenantQuery): boolean {
    if (query.hide) {
      return false;
    }
    if ((query.queryType ?? 'connectorPreview') === 'connectorPreview') {
      return Boolean(query.rawSql?.trim());
    }
    return Boolean(query.contract?.trim() && query.trackers?.length);
  }
}
