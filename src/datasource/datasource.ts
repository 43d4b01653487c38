import type { Observable } from 'rxjs';
import {
  CustomVariableSupport,
  type AnnotationQuery,
  type CoreApp,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type ScopedVars,
} from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import { DEFAULT_QUERY, QueryType, queryTypeOf, type CovenantOptions, type CovenantQuery } from '../shared/types';
import { AnnotationQueryEditor, annotationQuery } from './components/AnnotationsEditor';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import { withTranslations } from '../shared/i18n';
import { interpolateSql } from './sqlVariables';

/** Replaces variables in each entry of a list; an entry that becomes several values (csv) is split. */
export function interpolateList(list: string[], replace: (text: string) => string): string[] {
  const out: string[] = [];
  for (const entry of list) {
    for (const v of replace(entry).split(',')) {
      const t = v.trim();
      if (t && !out.includes(t)) {
        out.push(t);
      }
    }
  }
  return out;
}

/** Template variables listing the registry's contracts, trackers or KPIs (the variables query type). */
export class CovenantVariableSupport extends CustomVariableSupport<DataSource, CovenantQuery> {
  editor = withTranslations(VariableQueryEditor);

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<CovenantQuery>): Observable<DataQueryResponse> {
    // A variable made in Grafana's editor has no refId; without one its response would be dropped.
    const targets = request.targets.map((t) => ({
      ...t,
      refId: t.refId || 'variables',
      queryType: QueryType.Variables,
      kind: t.kind ?? 'contracts',
    }));
    return this.datasource.query({ ...request, targets });
  }
}

/**
 * The Covenant KPI datasource. Every query runs in the Go backend, so alert rules
 * and shared dashboards work; the request body is left as DataSourceWithBackend builds it.
 */
export class DataSource extends DataSourceWithBackend<CovenantQuery, CovenantOptions> {
  private readonly connectorTypes: Map<string, string>;

  constructor(instanceSettings: DataSourceInstanceSettings<CovenantOptions>) {
    super(instanceSettings);
    this.variables = new CovenantVariableSupport(this);
    // Annotations run in the backend (the annotations query type) and come back as one frame with
    // Grafana's annotation fields (time, timeEnd, title, text, tags), read by its standard mapping.
    this.annotations = {
      QueryEditor: withTranslations(AnnotationQueryEditor),
      getDefaultQuery: () => annotationQuery(),
      prepareQuery: (anno: AnnotationQuery<CovenantQuery>) => annotationQuery(anno.target),
    };
    this.connectorTypes = new Map((instanceSettings.jsonData?.connectors ?? []).map((c) => [c.name, c.type]));
  }

  /** A new query draws a contract's trackers: the dashboard's $contract when it has one. */
  getDefaultQuery(_: CoreApp): Partial<CovenantQuery> {
    const hasContract = getTemplateSrv()
      .getVariables()
      .some((v) => v.name === 'contract');
    return hasContract ? { ...DEFAULT_QUERY, contract: '$contract' } : DEFAULT_QUERY;
  }

  /** Replaces dashboard variables in the fields that may hold them. */
  applyTemplateVariables(query: CovenantQuery, scopedVars: ScopedVars): CovenantQuery {
    const srv = getTemplateSrv();
    return {
      ...query,
      // Variables become quoted SQL literals (MySQL also escapes backslashes in strings).
      rawSql: query.rawSql
        ? interpolateSql(
            query.rawSql,
            (text, format) => srv.replace(text, scopedVars, format),
            this.connectorTypes.get(query.connector ?? '') === 'mysql'
          )
        : query.rawSql,
      key: query.key ? srv.replace(query.key, scopedVars) : query.key,
      // A multi-value $contract becomes ids separated by commas (ids hold none).
      contract: query.contract ? srv.replace(query.contract, scopedVars, 'csv') : query.contract,
      agreement: query.agreement ? srv.replace(query.agreement, scopedVars) : query.agreement,
      // $tracker (one value, several, or All) becomes the tracker ids it holds.
      trackerIds: query.trackerIds?.length
        ? interpolateList(query.trackerIds, (t) => srv.replace(t, scopedVars, 'csv'))
        : query.trackerIds,
    };
  }

  /** Skips queries that cannot run (no SQL yet), so the editor shows no error while typing starts. */
  filterQuery(query: CovenantQuery): boolean {
    if (query.hide) {
      return false;
    }
    if (queryTypeOf(query) === QueryType.ConnectorPreview) {
      return Boolean(query.rawSql?.trim());
    }
    if (query.queryType === QueryType.Variables || query.queryType === QueryType.Portfolio) {
      return true;
    }
    if (query.queryType === QueryType.AgreementCompliance || query.queryType === QueryType.Ledger) {
      return Boolean(query.contract?.trim() || query.agreement?.trim());
    }
    // Tracker series, the scorecard and annotations: a contract (a registry one's trackers come from the registry).
    return Boolean(query.contract?.trim());
  }
}
