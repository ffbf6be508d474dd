import { CoreApp, DataSourceInstanceSettings } from '@grafana/data';
import { DataSourceWithBackend } from '@grafana/runtime';

import { DEFAULT_QUERY, EffectiveSettings, TickstreamQuery, TickstreamSettings } from './types';
import { FieldError, validateQuery, validateSettings } from './validation';

/**
 * DataSource is the frontend half of Tickstream. It does not override
 * query(): DataSourceWithBackend posts the queries to the backend, whose
 * QueryData answers with the history and a `meta.channel`, and then
 * subscribes to that channel itself, so panels and alert rules take the
 * same path.
 *
 * Template variables are not interpolated: every query field is a number
 * typed into a number input, so there is nothing to interpolate.
 */
export class DataSource extends DataSourceWithBackend<TickstreamQuery, TickstreamSettings> {
  /** settings are the limits this data source runs with; a misconfigured field holds its default. */
  readonly settings: EffectiveSettings;
  /** settingsErrors lists what is wrong with the jsonData; the backend then answers every query with it. */
  readonly settingsErrors: FieldError[];

  constructor(instanceSettings: DataSourceInstanceSettings<TickstreamSettings>) {
    super(instanceSettings);
    const { settings, errors } = validateSettings(instanceSettings.jsonData);
    this.settings = settings;
    this.settingsErrors = errors;
  }

  getDefaultQuery(_: CoreApp): Partial<TickstreamQuery> {
    return { ...DEFAULT_QUERY };
  }

  /** validate lists the problems of a query under this data source's settings, as the backend would report them. */
  validate(query: TickstreamQuery): FieldError[] {
    return validateQuery(query, this.settings);
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
