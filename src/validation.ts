/**
 * Validation of queries and data source settings, mirroring pkg/models
 * message for message: DEVELOPERS.md fixes the texts and their order, and
 * testdata/validation-vectors.json checks both sides against the same cases.
 * Everything here is pure so the editors, filterQuery and the tests share it.
 */
import { DEFAULT_QUERY, DEFAULT_SETTINGS, EffectiveSettings, StreamParams } from './types';

/** MAX_TICK_INTERVAL is 24 h in ms, the longest tick any data source accepts. */
export const MAX_TICK_INTERVAL = 86_400_000;

/** MAX_POINTS_PER_SECOND is the largest maxPointsPerSecond a data source may set. */
export const MAX_POINTS_PER_SECOND = 10_000_000;

/**
 * FieldErrorKind tells whether any data source would refuse the value
 * ('invalid') or only this one, because of its settings ('limit').
 */
export type FieldErrorKind = 'invalid' | 'limit';

/**
 * FieldError is one problem, attached to the field it concerns so the editors
 * can show it there. `field` is a query field, a settings field, or `query` /
 * `jsonData` when the whole value is not an object.
 */
export interface FieldError {
  field: string;
  kind: FieldErrorKind;
  message: string;
}

/**
 * formatNumber formats a number exactly as JavaScript's String(n) does; the
 * backend's pkg/jsnum reproduces it so that both sides print 1e+300, 0.001
 * and 333.3333333333333 alike.
 */
export function formatNumber(n: number): string {
  return String(n);
}

/**
 * describe says what a present value was, for the `{got}` of a message:
 * a number as formatNumber prints it (NaN and Infinity included, which only
 * the browser can hold), else `null`, `a string`, `a boolean`, `an array` or
 * `an object`. Absent (undefined) values take their default and never reach
 * a message; for completeness they are described as `nothing`.
 */
export function describe(value: unknown): string {
  if (typeof value === 'number') {
    return formatNumber(value);
  }
  if (value === null) {
    return 'null';
  }
  if (value === undefined) {
    return 'nothing';
  }
  if (typeof value === 'string') {
    return 'a string';
  }
  if (typeof value === 'boolean') {
    return 'a boolean';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  return 'an object';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** isWholeIn is true for a number that is an integer from min to max; it rejects NaN, ±Infinity and fractions. */
function isWholeIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * field reads one field, treating undefined as absent: JSON.stringify drops
 * undefined, so the backend sees such a field as absent too.
 */
function field(obj: Record<string, unknown>, name: string, fallback: number): unknown {
  const value = Object.prototype.hasOwnProperty.call(obj, name) ? obj[name] : undefined;
  return value === undefined ? fallback : value;
}

/** noNegativeZero turns -0 into 0, which JSON and the channel path cannot tell apart. */
function noNegativeZero(n: number): number {
  return n === 0 ? 0 : n;
}

/**
 * SettingsResult is what validateSettings found. `settings` is always usable:
 * a field that is absent or wrong holds its default there, so a caller that
 * must go on (the query editor, filterQuery) has numbers to work with, while
 * `errors` says whether the data source is actually misconfigured.
 */
export interface SettingsResult {
  settings: EffectiveSettings;
  errors: FieldError[];
}

/**
 * validateSettings checks a data source's jsonData. Absent fields, and
 * absent or null jsonData, take DEFAULT_SETTINGS; unknown fields (Grafana's
 * own among them) are ignored.
 */
export function validateSettings(jsonData: unknown): SettingsResult {
  const settings: EffectiveSettings = { ...DEFAULT_SETTINGS };
  if (jsonData === undefined || jsonData === null) {
    return { settings, errors: [] };
  }
  if (!isObject(jsonData)) {
    return {
      settings,
      errors: [
        {
          field: 'jsonData',
          kind: 'invalid',
          message: `the data source settings (jsonData) must be a JSON object; got ${describe(jsonData)}`,
        },
      ],
    };
  }

  const errors: FieldError[] = [];
  const min = field(jsonData, 'minTickInterval', DEFAULT_SETTINGS.minTickInterval);
  if (isWholeIn(min, 1, MAX_TICK_INTERVAL)) {
    settings.minTickInterval = min;
  } else {
    errors.push({
      field: 'minTickInterval',
      kind: 'invalid',
      message: `minTickInterval must be a whole number of milliseconds from 1 to ${formatNumber(MAX_TICK_INTERVAL)}; got ${describe(min)}`,
    });
  }
  const max = field(jsonData, 'maxPointsPerSecond', DEFAULT_SETTINGS.maxPointsPerSecond);
  if (isWholeIn(max, 1, MAX_POINTS_PER_SECOND)) {
    settings.maxPointsPerSecond = max;
  } else {
    errors.push({
      field: 'maxPointsPerSecond',
      kind: 'invalid',
      message: `maxPointsPerSecond must be a whole number from 1 to ${formatNumber(MAX_POINTS_PER_SECOND)}; got ${describe(max)}`,
    });
  }
  return { settings, errors };
}

/**
 * validateQuery returns every problem of a query under the given settings,
 * in the order of DEVELOPERS.md (tickInterval, lowerLimit, upperLimit, the
 * relation of the limits, seed); an empty list means the backend will accept
 * it. Absent fields take DEFAULT_QUERY; other fields (refId, hide, …) are
 * ignored.
 */
export function validateQuery(query: unknown, settings: EffectiveSettings = DEFAULT_SETTINGS): FieldError[] {
  if (!isObject(query)) {
    return [{ field: 'query', kind: 'invalid', message: `the query must be a JSON object; got ${describe(query)}` }];
  }
  const errors: FieldError[] = [];

  const tick = field(query, 'tickInterval', DEFAULT_QUERY.tickInterval);
  const tickMessage = `tickInterval must be a whole number of milliseconds from ${formatNumber(settings.minTickInterval)} (the data source's minTickInterval) to ${formatNumber(MAX_TICK_INTERVAL)} (24 h); got ${describe(tick)}`;
  if (!isWholeIn(tick, 1, MAX_TICK_INTERVAL)) {
    errors.push({ field: 'tickInterval', kind: 'invalid', message: tickMessage });
  } else if (tick < settings.minTickInterval) {
    errors.push({ field: 'tickInterval', kind: 'limit', message: tickMessage });
  } else if (1000 / tick > settings.maxPointsPerSecond) {
    const max = settings.maxPointsPerSecond;
    errors.push({
      field: 'tickInterval',
      kind: 'limit',
      message:
        `tickInterval ${formatNumber(tick)} ms makes ${formatNumber(1000 / tick)} points per second, ` +
        `more than the data source's maxPointsPerSecond of ${formatNumber(max)}; ` +
        `use a tickInterval of at least ${formatNumber(Math.ceil(1000 / max))} ms or raise maxPointsPerSecond`,
    });
  }

  const lower = field(query, 'lowerLimit', DEFAULT_QUERY.lowerLimit);
  const upper = field(query, 'upperLimit', DEFAULT_QUERY.upperLimit);
  if (!isFiniteNumber(lower)) {
    errors.push({
      field: 'lowerLimit',
      kind: 'invalid',
      message: `lowerLimit must be a finite number; got ${describe(lower)}`,
    });
  }
  if (!isFiniteNumber(upper)) {
    errors.push({
      field: 'upperLimit',
      kind: 'invalid',
      message: `upperLimit must be a finite number; got ${describe(upper)}`,
    });
  }
  if (isFiniteNumber(lower) && isFiniteNumber(upper)) {
    if (lower > upper) {
      errors.push({
        field: 'lowerLimit',
        kind: 'invalid',
        message: `lowerLimit must not be greater than upperLimit; got lowerLimit ${formatNumber(lower)} and upperLimit ${formatNumber(upper)}`,
      });
    }
    if (!Number.isFinite(upper - lower)) {
      errors.push({
        field: 'upperLimit',
        kind: 'invalid',
        message: `upperLimit - lowerLimit must be a finite number; got upperLimit ${formatNumber(upper)} and lowerLimit ${formatNumber(lower)}: narrow the limits`,
      });
    }
  }

  const seed = field(query, 'seed', DEFAULT_QUERY.seed);
  if (!isWholeIn(seed, 0, Number.MAX_SAFE_INTEGER)) {
    errors.push({
      field: 'seed',
      kind: 'invalid',
      message: `seed must be a whole number from 0 to ${formatNumber(Number.MAX_SAFE_INTEGER)}; got ${describe(seed)}`,
    });
  }
  return errors;
}

/**
 * normalizeQuery gives the four stream fields of a query with DEFAULT_QUERY
 * for absent ones and -0 read as 0, as the backend reads them. It does not
 * validate: call it on a query validateQuery accepted.
 */
export function normalizeQuery(query: Partial<StreamParams>): StreamParams {
  const pick = (name: keyof StreamParams): number => {
    const value = query[name];
    return value === undefined ? DEFAULT_QUERY[name] : noNegativeZero(value);
  };
  return {
    tickInterval: pick('tickInterval'),
    lowerLimit: pick('lowerLimit'),
    upperLimit: pick('upperLimit'),
    seed: pick('seed'),
  };
}
