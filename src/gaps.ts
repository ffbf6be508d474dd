/**
 * The gaps fields of a query (DEVELOPERS.md rules 20 to 28): nulls
 * (dropPercent), outages, the csv shape's values and the state and logs
 * kinds. Mirrors pkg/models/gaps.go message for message; the shared
 * vectors check both.
 */
import type { FieldError } from './validation';
import { isWholeIn, readOrDefault } from './fieldValues';

/** KIND_OPTIONS lists the kinds in the order the kind message names them, with what the editor shows. */
export const KIND_OPTIONS = [
  { value: 'number', label: 'Number', description: 'A number per series and tick: the shape between the limits.' },
  {
    value: 'state',
    label: 'State',
    description:
      'A state name per series and tick: the band of the shape’s value among equal bands between the limits.',
  },
  {
    value: 'logs',
    label: 'Logs',
    description: 'A log line per series and tick, with a level and key=value fields; the shape’s value is its latency.',
  },
] as const;

/** Kind is what a query's series carry. */
export type Kind = (typeof KIND_OPTIONS)[number]['value'];

/** KINDS are the kind names in contract order. */
export const KINDS: readonly Kind[] = KIND_OPTIONS.map((o) => o.value);

/** GapsParams are the gaps fields after defaults are applied and normalized. */
export interface GapsParams {
  dropPercent: number;
  outagePeriod: number;
  outageDuration: number;
  values: string;
  kind: Kind;
  states: string;
}

/** DEFAULT_GAPS are the gaps fields' defaults: no nulls, no outages, numbers. pkg/models keeps the same. */
export const DEFAULT_GAPS: Readonly<GapsParams> = Object.freeze({
  dropPercent: 0,
  outagePeriod: 0,
  outageDuration: 0,
  values: '',
  kind: 'number',
  states: '',
});

/** MAX_OUTAGE_PERIOD is 365 days in ms. */
export const MAX_OUTAGE_PERIOD = 31_536_000_000;
/** MAX_VALUES is the most numbers a csv shape's values may hold. */
export const MAX_VALUES = 1000;
/** MAX_STATES is the most names a state kind's states may hold. */
export const MAX_STATES = 100;

const VALUES_RULE = 'values must be 1 to 1000 finite numbers separated by commas, such as 1,2,3,5,8; got ';
const STATES_RULE =
  'states must be 1 to 100 names separated by commas, such as OK,WARN,CRIT, each made of letters, digits, _ and - only (the characters a channel path allows); got ';

/** JSON_NUMBER is JSON's number grammar, which the backend parses the values with. */
const JSON_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;
const STATE_NAME = /^[A-Za-z0-9_-]+$/;

/** isKind is true for a valid kind name. */
export function isKind(value: unknown): value is Kind {
  return typeof value === 'string' && (KINDS as readonly string[]).includes(value);
}

/** splitList splits at commas and trims spaces and tabs; undefined for a text of only spaces. */
function splitList(text: string): string[] | undefined {
  if (text.replace(/[ \t]/g, '') === '') {
    return undefined;
  }
  return text.split(',').map((item) => item.replace(/^[ \t]+|[ \t]+$/g, ''));
}

/** parseValues returns the csv values as numbers, or what is wrong with them for the end of the values message. */
export function parseValues(value: unknown, describe: (v: unknown) => string): number[] | string {
  if (typeof value !== 'string') {
    return describe(value);
  }
  const items = splitList(value);
  if (items === undefined) {
    return 'no numbers';
  }
  if (items.length > MAX_VALUES) {
    return `${items.length} numbers`;
  }
  const numbers: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const x = Number(items[i]);
    if (!JSON_NUMBER.test(items[i]) || !Number.isFinite(x)) {
      return `a string whose item ${i + 1} is not a finite number`;
    }
    numbers.push(x === 0 ? 0 : x);
  }
  return numbers;
}

/** parseStates returns the state names, or what is wrong with them for the end of the states message. */
export function parseStates(value: unknown, describe: (v: unknown) => string): string[] | string {
  if (typeof value !== 'string') {
    return describe(value);
  }
  const names = splitList(value);
  if (names === undefined) {
    return 'no names';
  }
  if (names.length > MAX_STATES) {
    return `${names.length} names`;
  }
  const bad = names.findIndex((name) => !STATE_NAME.test(name));
  if (bad >= 0) {
    return `a string whose name ${bad + 1} is empty or has another character`;
  }
  return names;
}

/** read is the query's value of name, or its default (readOrDefault). */
function read(query: Record<string, unknown>, name: keyof GapsParams): unknown {
  return readOrDefault(query, name, DEFAULT_GAPS);
}

/** GapsContext is what the gaps rules need of the rest of the query. */
export interface GapsContext {
  /** shape is the query's shape, and shapeValid whether it is one. */
  shape: unknown;
  shapeValid: boolean;
  lower: unknown;
  upper: unknown;
  describe: (v: unknown) => string;
}

/** validateGaps returns the problems of the gaps fields, rules 20 to 28, in order. */
export function validateGaps(query: Record<string, unknown>, ctx: GapsContext): FieldError[] {
  const errors: FieldError[] = [];
  const { describe } = ctx;
  const add = (field: string, message: string) => errors.push({ field, kind: 'invalid', message });

  // Rule 20.
  const drop = read(query, 'dropPercent');
  if (!(typeof drop === 'number' && drop >= 0 && drop <= 100)) {
    add('dropPercent', `dropPercent must be a number from 0 to 100; got ${describe(drop)}`);
  }

  // Rules 21 to 23.
  const period = read(query, 'outagePeriod');
  const duration = read(query, 'outageDuration');
  const periodOK = isWholeIn(period, 0, MAX_OUTAGE_PERIOD);
  const durationOK = isWholeIn(duration, 0, MAX_OUTAGE_PERIOD);
  if (!periodOK) {
    add(
      'outagePeriod',
      `outagePeriod must be a whole number of milliseconds from 0 (no outages) to 31536000000 (365 days); got ${describe(period)}`
    );
  }
  if (!durationOK) {
    add(
      'outageDuration',
      `outageDuration must be a whole number of milliseconds from 0 (no outages) to 31536000000 (365 days); got ${describe(duration)}`
    );
  }
  if (periodOK && durationOK && (period !== 0 || duration !== 0) && !(duration > 0 && duration < period)) {
    add(
      'outageDuration',
      `outageDuration must be more than 0 and less than outagePeriod, or both 0 for no outages; got outageDuration ${describe(duration)} and outagePeriod ${describe(period)}`
    );
  }

  // Rules 24 and 25: values belong to the csv shape; an invalid shape's values are not checked.
  const values = read(query, 'values');
  if (ctx.shape === 'csv') {
    const parsed = parseValues(values, describe);
    if (typeof parsed === 'string') {
      add('values', VALUES_RULE + parsed);
    } else if (Number.isFinite(ctx.lower) && Number.isFinite(ctx.upper)) {
      const lower = ctx.lower as number;
      const upper = ctx.upper as number;
      const outside = parsed.findIndex((x) => x < lower || x > upper);
      if (outside >= 0) {
        add(
          'values',
          `values must lie between lowerLimit and upperLimit; got ${describe(parsed[outside])} as number ${outside + 1} with lowerLimit ${describe(lower)} and upperLimit ${describe(upper)}`
        );
      }
    }
  } else if (ctx.shapeValid && values !== '') {
    add(
      'values',
      `values is only for shape csv: remove it or set shape to csv; got ${describe(values)} with shape ${String(ctx.shape)}`
    );
  }

  // Rule 26.
  const kind = read(query, 'kind');
  if (!isKind(kind)) {
    add('kind', `kind must be one of ${KINDS.join(', ')}; got ${describe(kind)}`);
  }

  // Rules 27 and 28: states belong to the state kind; an invalid kind's states are not checked.
  const states = read(query, 'states');
  if (kind === 'state') {
    const parsed = parseStates(states, describe);
    if (typeof parsed === 'string') {
      add('states', STATES_RULE + parsed);
    }
  } else if (isKind(kind) && states !== '') {
    add(
      'states',
      `states is only for kind state: remove it or set kind to state; got ${describe(states)} with kind ${kind}`
    );
  }
  return errors;
}

/**
 * normalizeGaps gives the gaps fields as the backend reads them: defaults
 * for absent ones, -0 as 0, values as canonical numbers joined by commas
 * and state names trimmed. Call it on a query validateGaps accepted.
 */
export function normalizeGaps(query: Record<string, unknown>): GapsParams {
  const number = (name: 'dropPercent' | 'outagePeriod' | 'outageDuration') => {
    const v = read(query, name) as number;
    return v === 0 ? 0 : v;
  };
  const kind = read(query, 'kind') as Kind;
  const values = query.shape === 'csv' ? parseValues(read(query, 'values'), String) : [];
  const states = kind === 'state' ? parseStates(read(query, 'states'), String) : [];
  return {
    dropPercent: number('dropPercent'),
    outagePeriod: number('outagePeriod'),
    outageDuration: number('outageDuration'),
    values: Array.isArray(values) ? values.map(String).join(',') : '',
    kind,
    states: Array.isArray(states) ? states.join(',') : '',
  };
}
