import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

/**
 * TickstreamQuery is one synthetic stream as the panel stores it. The JSON
 * names are an interface shared with the backend (pkg/models) and saved in
 * dashboards, so they never change.
 *
 * Every field is optional because Grafana creates queries without them
 * (a new panel, an old dashboard, an alert rule): an absent field takes its
 * value from DEFAULT_QUERY, on both sides. A field that is present must be a
 * number; an emptied input holds NaN here (null once serialised), which is an
 * error and never a default.
 */
export interface TickstreamQuery extends DataQuery {
  /** Milliseconds between points, a whole number from the data source's minTickInterval to 86400000. */
  tickInterval?: number;
  /** Smallest value; finite and not greater than upperLimit. */
  lowerLimit?: number;
  /** Largest value; finite, with upperLimit - lowerLimit finite too. */
  upperLimit?: number;
  /** Selects the random sequence: a whole number from 0 to Number.MAX_SAFE_INTEGER. */
  seed?: number;
}

/** StreamParams are the four fields that define a stream, after defaults are applied. */
export type StreamParams = Required<Pick<TickstreamQuery, 'tickInterval' | 'lowerLimit' | 'upperLimit' | 'seed'>>;

/**
 * DEFAULT_QUERY holds the defaults of DEVELOPERS.md, the only place they live
 * on the TypeScript side: the editor's placeholders, normalizeQuery and
 * getDefaultQuery all read them here. The backend keeps the same numbers in
 * pkg/models and testdata/validation-vectors.json checks that both agree.
 * A 1 s tick between 0 and 100 gives a visibly live panel at negligible cost.
 */
export const DEFAULT_QUERY: Readonly<StreamParams> = Object.freeze({
  tickInterval: 1000,
  lowerLimit: 0,
  upperLimit: 100,
  seed: 0,
});

/**
 * TickstreamSettings is the data source's jsonData. Both fields are optional
 * because provisioning and a freshly created data source may omit them; an
 * absent field takes its value from DEFAULT_SETTINGS. There are no secrets.
 */
export interface TickstreamSettings extends DataSourceJsonData {
  /** Smallest tickInterval a query may use, in ms: a whole number from 1 to 86400000. */
  minTickInterval?: number;
  /** Most points per second one stream may produce: a whole number from 1 to 10000000. */
  maxPointsPerSecond?: number;
}

/** EffectiveSettings are the settings a data source runs with, after defaults are applied. */
export type EffectiveSettings = Required<Pick<TickstreamSettings, 'minTickInterval' | 'maxPointsPerSecond'>>;

/**
 * DEFAULT_SETTINGS keeps an unconfigured data source cheap: ticks no faster
 * than 10 ms, i.e. at most 100 points per second per stream. The default
 * maxPointsPerSecond of 10000 restricts nothing by itself (even a 1 ms tick
 * is 1000 points per second); administrators lower it to cap the load. The
 * backend keeps the same numbers.
 */
export const DEFAULT_SETTINGS: Readonly<EffectiveSettings> = Object.freeze({
  minTickInterval: 10,
  maxPointsPerSecond: 10000,
});
