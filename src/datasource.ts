import {
  CoreApp,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceInstanceSettings,
  DataSourceWithSupplementaryQueriesSupport,
  ScopedVars,
  SupplementaryQueryOptions,
  SupplementaryQueryType,
} from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import { Observable } from 'rxjs';
import { map, mergeMap } from 'rxjs/operators';

import { followHashedStreams } from './hashedStreams';
import { nameLiveExemplars } from './liveExemplars';
import { annotationSupport, logsVolumeQuery } from './overlaySupport';
import { DEFAULT_QUERY, EffectiveSettings, TickstreamQuery, TickstreamSettings } from './types';
import { FieldError, validateQuery, validateSettings } from './validation';
import { interpolateQuery, numberFromText, NUMERIC_FIELDS, variableFields } from './variables';
import { TickstreamVariableSupport } from './variableSupport';

/**
 * DEPENDENT_FIELDS: a field whose value depends on a variable also makes
 * unknowable the rules of the fields it decides (series decides whether the
 * labels tell series apart and which keys alias may use; labels decide
 * alias's keys; shape decides whether period and values apply; the limits
 * bound the csv values and upperLimit decides whether lowerLimit is
 * greater; outagePeriod bounds outageDuration; kind decides whether states
 * and exemplars apply). The judged query holds the variable field's default instead, so
 * without this those rules would report the default's verdict.
 */
const DEPENDENT_FIELDS: Record<string, readonly string[]> = {
  series: ['labels', 'alias'],
  labels: ['alias'],
  shape: ['period', 'values'],
  lowerLimit: ['values'],
  upperLimit: ['lowerLimit', 'values'],
  outagePeriod: ['outageDuration'],
  kind: ['states', 'exemplars'],
};

/** isDashboardVariable is true for the name of one of the dashboard's variables (none outside a dashboard or in tests). */
function isDashboardVariable(name: string): boolean {
  const srv = getTemplateSrv();
  return srv ? srv.getVariables().some((v) => v.name === name) : false;
}

/**
 * DataSource is the frontend half of Tickstream. It does not override
 * query(): DataSourceWithBackend posts the queries to the backend, whose
 * QueryData answers with the history and a `meta.channel`, and then
 * subscribes to that channel itself, so panels and alert rules take the
 * same path.
 *
 * It overrides query() only to follow streams whose definition is too long
 * for a channel id (src/hashedStreams.ts) and to name live exemplar frames,
 * which Grafana's streaming frame leaves unnamed (src/liveExemplars.ts),
 * and interpolates dashboard
 * variables in every field (applyTemplateVariables) before the backend
 * sees the query.
 */
export class DataSource
  extends DataSourceWithBackend<TickstreamQuery, TickstreamSettings>
  implements DataSourceWithSupplementaryQueriesSupport<TickstreamQuery>
{
  /** settings are the limits this data source runs with; a misconfigured field holds its default. */
  readonly settings: EffectiveSettings;
  /** settingsErrors lists what is wrong with the jsonData; the backend then answers every query with it. */
  readonly settingsErrors: FieldError[];

  constructor(instanceSettings: DataSourceInstanceSettings<TickstreamSettings>) {
    super(instanceSettings);
    const { settings, errors } = validateSettings(instanceSettings.jsonData);
    this.settings = settings;
    this.settingsErrors = errors;
    this.variables = new TickstreamVariableSupport(this);
    this.annotations = annotationSupport;
  }

  /** getSupportedSupplementaryQueryTypes tells Explore that a logs query has a logs volume. */
  getSupportedSupplementaryQueryTypes(): SupplementaryQueryType[] {
    return [SupplementaryQueryType.LogsVolume];
  }

  /** getSupplementaryQuery returns the logs volume query of a query of kind logs (overlaySupport.ts). */
  getSupplementaryQuery(options: SupplementaryQueryOptions, query: TickstreamQuery): TickstreamQuery | undefined {
    return options.type === SupplementaryQueryType.LogsVolume ? logsVolumeQuery(query) : undefined;
  }

  /**
   * getSupplementaryRequest is what Explore runs for the histogram above
   * the log lines: the request's logs queries as logs volume queries, or
   * nothing when it has none.
   */
  getSupplementaryRequest(
    type: SupplementaryQueryType,
    request: DataQueryRequest<TickstreamQuery>
  ): DataQueryRequest<TickstreamQuery> | undefined {
    if (type !== SupplementaryQueryType.LogsVolume) {
      return undefined;
    }
    const targets = request.targets.flatMap((q) => logsVolumeQuery(q) ?? []);
    return targets.length > 0 ? { ...request, targets } : undefined;
  }

  query(request: DataQueryRequest<TickstreamQuery>): Observable<DataQueryResponse> {
    return super.query(request).pipe(
      mergeMap((rsp) => followHashedStreams(rsp, request, this.streamOptionsProvider)),
      map((rsp) => nameLiveExemplars(rsp, this.uid))
    );
  }

  /**
   * applyTemplateVariables replaces dashboard variables in every field,
   * numeric text becoming a JSON number, and records in variableRefs which
   * fields came from which variables, so that the backend's error for a
   * wrong value names the variable. A query of plain numbers is unchanged.
   */
  applyTemplateVariables(query: TickstreamQuery, scopedVars: ScopedVars): TickstreamQuery {
    const srv = getTemplateSrv();
    return interpolateQuery(query, {
      replace: (text) => srv.replace(text, scopedVars),
      isVariable: (name) => Object.prototype.hasOwnProperty.call(scopedVars ?? {}, name) || isDashboardVariable(name),
    });
  }

  getDefaultQuery(_: CoreApp): Partial<TickstreamQuery> {
    return { ...DEFAULT_QUERY };
  }

  /**
   * validate lists the problems of a query under this data source's
   * settings, as the backend would report them. A field that holds a
   * dashboard variable reference is not judged (nor the fields it decides):
   * its value is known only once interpolated, and the backend then names
   * the variable if it is wrong. Numeric text typed in the editor ("1e3")
   * counts as its number, as interpolation makes it one.
   */
  validate(query: TickstreamQuery): FieldError[] {
    const skipped = variableFields(query, isDashboardVariable);
    const judged: TickstreamQuery = { ...query };
    for (const field of [...skipped]) {
      delete judged[field as keyof TickstreamQuery];
      DEPENDENT_FIELDS[field]?.forEach((f) => skipped.add(f));
    }
    for (const name of NUMERIC_FIELDS) {
      const value = judged[name];
      if (typeof value === 'string') {
        judged[name] = numberFromText(value) ?? value;
      }
    }
    return validateQuery(judged, this.settings).filter((e) => !skipped.has(e.field));
  }

  /**
   * filterQuery keeps hidden queries and queries the backend would refuse
   * from being sent; the query editor shows why. When the settings
   * themselves are broken, a query that passes under the fallback settings
   * is still sent, so the panel shows the backend's settings error rather
   * than an unexplained "No data".
   */
  filterQuery(query: TickstreamQuery): boolean {
    if (query.hide) {
      return false;
    }
    return this.validate(query).length === 0;
  }
}
