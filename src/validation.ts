/**
 * Validation of queries and data source settings, mirroring pkg/models
 * message for message: DEVELOPERS.md fixes the texts and their order, and
 * testdata/validation-vectors.json checks both sides against the same cases.
 * Everything here is pure so the editors, filterQuery and the tests share it.
 */
import {
  DEFAULT_QUERY,
  DEFAULT_SETTINGS,
  EffectiveSettings,
  isPeriodic,
  isShape,
  NumericParam,
  Shape,
  SHAPES,
  StreamParams,
  TickstreamQuery,
} from './types';
import { isWholeIn } from './fieldValues';
import { DEFAULT_GAPS, GapsParams, isKind, normalizeGaps, validateGaps } from './gaps';
import { canonicalLabels, labelRules, readVariableRefs, variableSuffix } from './labels';
import { validateFaults } from './faults';
import { validateOverlays } from './overlays';

/** MAX_TICK_INTERVAL is 24 h in ms, the longest tick any data source accepts. */
export const MAX_TICK_INTERVAL = 86_400_000;

/** MAX_POINTS_PER_SECOND is the largest maxPointsPerSecond a data source may set. */
export const MAX_POINTS_PER_SECOND = 10_000_000;

/** MAX_PERIOD is 365 days in ms, the longest period of a periodic shape. */
export const MAX_PERIOD = 31_536_000_000;

/** MAX_SERIES is the largest maxSeries a data source may set, and so the most series any query may ask for. */
export const MAX_SERIES = 10_000;

/** MAX_MESSAGE_RATE is the largest maxMessageRate a data source may set. */
export const MAX_MESSAGE_RATE = 1_000;

/** MAX_STREAMS is the largest maxStreams a data source may set. */
export const MAX_STREAMS = 1_000_000;

/** MAX_TOTAL_POINTS_PER_SECOND is the largest maxTotalPointsPerSecond a data source may set. */
export const MAX_TOTAL_POINTS_PER_SECOND = 1_000_000_000;

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

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** ALIAS_LOGS_MESSAGE is rule 29's message: alias with kind logs (pkg/models aliasLogsMessage). */
const ALIAS_LOGS_MESSAGE =
  "alias names the series' value fields, and kind logs has none (a log line shows its series in labels): remove alias or choose kind number or state; got a string with kind logs";

/**
 * field reads one field, treating undefined as absent: JSON.stringify drops
 * undefined, so the backend sees such a field as absent too.
 */
function field(obj: Record<string, unknown>, name: string, fallback: number | string): unknown {
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

/** SettingRule is how one jsonData field is checked: a whole number from 1 to max, described as `what`. */
interface SettingRule {
  name: keyof EffectiveSettings;
  what: string;
  max: number;
}

/** SETTING_RULES are the settings in the order their errors are reported. */
const SETTING_RULES: readonly SettingRule[] = [
  { name: 'minTickInterval', what: 'a whole number of milliseconds', max: MAX_TICK_INTERVAL },
  { name: 'maxPointsPerSecond', what: 'a whole number', max: MAX_POINTS_PER_SECOND },
  { name: 'maxSeries', what: 'a whole number', max: MAX_SERIES },
  { name: 'maxMessageRate', what: 'a whole number of messages per second', max: MAX_MESSAGE_RATE },
  { name: 'maxStreams', what: 'a whole number', max: MAX_STREAMS },
  { name: 'maxTotalPointsPerSecond', what: 'a whole number', max: MAX_TOTAL_POINTS_PER_SECOND },
];

/** settingMax is the largest value a setting accepts, for the editor's input bounds. */
export function settingMax(name: keyof EffectiveSettings): number {
  return SETTING_RULES.find((r) => r.name === name)?.max ?? Number.MAX_SAFE_INTEGER;
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
  for (const rule of SETTING_RULES) {
    const value = field(jsonData, rule.name, DEFAULT_SETTINGS[rule.name]);
    if (isWholeIn(value, 1, rule.max)) {
      settings[rule.name] = value;
    } else {
      errors.push({
        field: rule.name,
        kind: 'invalid',
        message: `${rule.name} must be ${rule.what} from 1 to ${formatNumber(rule.max)}; got ${describe(value)}`,
      });
    }
  }
  return { settings, errors };
}

/**
 * validateQuery returns every problem of a query under the given settings,
 * in the order of DEVELOPERS.md (tickInterval, the limits, seed, shape,
 * period, noise, series, and last the points per second of tick and series
 * together); an empty list means the backend will accept it. Absent fields
 * take DEFAULT_QUERY; other fields (refId, hide, …) are ignored.
 */
export function validateQuery(query: unknown, settings: EffectiveSettings = DEFAULT_SETTINGS): FieldError[] {
  if (!isObject(query)) {
    return [{ field: 'query', kind: 'invalid', message: `the query must be a JSON object; got ${describe(query)}` }];
  }
  const errors: FieldError[] = [];

  // Rule 1. A tick that passes it is remembered for rule 12.
  const tick = field(query, 'tickInterval', DEFAULT_QUERY.tickInterval);
  const tickMessage = `tickInterval must be a whole number of milliseconds from ${formatNumber(settings.minTickInterval)} (the data source's minTickInterval) to ${formatNumber(MAX_TICK_INTERVAL)} (24 h); got ${describe(tick)}`;
  let okTick: number | undefined;
  if (!isWholeIn(tick, 1, MAX_TICK_INTERVAL)) {
    errors.push({ field: 'tickInterval', kind: 'invalid', message: tickMessage });
  } else if (tick < settings.minTickInterval) {
    errors.push({ field: 'tickInterval', kind: 'limit', message: tickMessage });
  } else {
    okTick = tick;
  }

  // Rules 3 to 6.
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

  // Rule 7.
  const seed = field(query, 'seed', DEFAULT_QUERY.seed);
  if (!isWholeIn(seed, 0, Number.MAX_SAFE_INTEGER)) {
    errors.push({
      field: 'seed',
      kind: 'invalid',
      message: `seed must be a whole number from 0 to ${formatNumber(Number.MAX_SAFE_INTEGER)}; got ${describe(seed)}`,
    });
  }

  // Rule 8.
  const shape = field(query, 'shape', DEFAULT_QUERY.shape);
  if (!isShape(shape)) {
    errors.push({
      field: 'shape',
      kind: 'invalid',
      message: `shape must be one of ${SHAPES.join(', ')}; got ${describe(shape)}${caseHint(shape)}`,
    });
  }

  // Rule 9: a shape that is invalid or not periodic ignores period altogether.
  if (isPeriodic(shape)) {
    const period = field(query, 'period', DEFAULT_QUERY.period);
    if (!isWholeIn(period, 1, MAX_PERIOD)) {
      errors.push({
        field: 'period',
        kind: 'invalid',
        message: `period must be a whole number of milliseconds from 1 to ${formatNumber(MAX_PERIOD)} (365 days); got ${describe(period)}`,
      });
    }
  }

  // Rule 10.
  const noise = field(query, 'noise', DEFAULT_QUERY.noise);
  if (!(isFiniteNumber(noise) && noise >= 0 && noise <= 1)) {
    errors.push({
      field: 'noise',
      kind: 'invalid',
      message: `noise must be a number from 0 to 1; got ${describe(noise)}`,
    });
  }

  // Rule 11. Series that pass it are remembered for rule 12.
  const series = field(query, 'series', DEFAULT_QUERY.series);
  const seriesMessage = `series must be a whole number from 1 to ${formatNumber(settings.maxSeries)} (the data source's maxSeries); got ${describe(series)}`;
  let okSeries: number | undefined;
  if (!isWholeIn(series, 1, MAX_SERIES)) {
    errors.push({ field: 'series', kind: 'invalid', message: seriesMessage });
  } else if (series > settings.maxSeries) {
    errors.push({ field: 'series', kind: 'limit', message: seriesMessage });
  } else {
    okSeries = series;
  }

  // Rules 13 to 19: labels and alias.
  errors.push(...labelRules(field(query, 'labels', ''), field(query, 'alias', ''), okSeries, describe));
  // Rules 20 to 28: the gaps fields (gaps.ts).
  errors.push(...validateGaps(query, { shape, shapeValid: isShape(shape), lower, upper, describe }));
  // Rule 29: alias names value fields, and a log frame has none, so an alias there would be silently dropped.
  const alias = field(query, 'alias', '');
  if (
    field(query, 'kind', DEFAULT_GAPS.kind) === 'logs' &&
    typeof alias === 'string' &&
    alias !== '' &&
    !errors.some((e) => e.field === 'alias')
  ) {
    errors.push({ field: 'alias', kind: 'invalid', message: ALIAS_LOGS_MESSAGE });
  }
  // Rules 30 to 34: the faults fields (faults.ts).
  errors.push(...validateFaults(query, describe));
  // Rules 40 to 44: the overlay fields (overlays.ts), not part of the stream.
  const kind = field(query, 'kind', DEFAULT_GAPS.kind);
  errors.push(...validateOverlays(query, { kind: isKind(kind) ? kind : undefined, describe }));

  // Rule 12, always last: the load of tick and series together.
  if (okTick !== undefined && okSeries !== undefined) {
    const perSecond = (okSeries * 1000) / okTick;
    const max = settings.maxPointsPerSecond;
    if (perSecond > max) {
      errors.push({
        field: 'tickInterval',
        kind: 'limit',
        message:
          `tickInterval ${formatNumber(okTick)} ms with ${formatNumber(okSeries)} series makes ${formatNumber(perSecond)} points per second, ` +
          `more than the data source's maxPointsPerSecond of ${formatNumber(max)}; ` +
          `use a tickInterval of at least ${formatNumber(Math.ceil((okSeries * 1000) / max))} ms, fewer series, or raise maxPointsPerSecond`,
      });
    }
  }
  // Say which dashboard variables produced a wrong field (DataSource.applyTemplateVariables records them).
  const refs = readVariableRefs(query.variableRefs);
  return errors.map((e) => ({ ...e, message: e.message + variableSuffix(refs[e.field]) }));
}

/**
 * normalizeQuery gives the stream fields of a query as the backend reads
 * them: DEFAULT_QUERY for absent ones, -0 read as 0, labels in their
 * canonical form (and, like alias, left out when empty), and the default period
 * for a shape that is not periodic (it ignores period, so any value there
 * would only make two equal streams look different). It does not validate:
 * call it on a query validateQuery accepted.
 */
export function normalizeQuery(query: Partial<TickstreamQuery>): StreamParams & GapsParams {
  const pick = (name: NumericParam): number => {
    const value = query[name];
    // A valid query holds numbers here (variable references are interpolated before validation).
    return value === undefined ? DEFAULT_QUERY[name] : noNegativeZero(Number(value));
  };
  // A valid query holds one of SHAPES here (a variable reference is interpolated before validation).
  const shape = (query.shape ?? DEFAULT_QUERY.shape) as Shape;
  // Text fields at their default ("") are left out, as from the channel path.
  const labels = canonicalLabels(query.labels ?? '');
  const text = { ...(labels !== '' && { labels }), ...(query.alias && { alias: query.alias }) };
  return {
    ...text,
    tickInterval: pick('tickInterval'),
    lowerLimit: pick('lowerLimit'),
    upperLimit: pick('upperLimit'),
    seed: pick('seed'),
    shape,
    period: isPeriodic(shape) ? pick('period') : DEFAULT_QUERY.period,
    noise: pick('noise'),
    series: pick('series'),
    ...normalizeGaps(query as Record<string, unknown>),
  };
}

/**
 * caseHint is what the shape error adds for a string that names a shape in
 * another case ("Sine"): that names are lower case, and the name meant. Only
 * ASCII letters are folded, as in the backend (pkg/models), so that the two
 * messages stay identical; any other value gets no hint.
 */
function caseHint(value: unknown): string {
  if (typeof value !== 'string') {
    return '';
  }
  const folded = value.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return folded !== value && isShape(folded) ? `: names are lower case, so "${value}" should be "${folded}"` : '';
}
