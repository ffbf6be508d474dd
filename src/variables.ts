/**
 * Dashboard variables in query fields. Every numeric field may hold a
 * variable reference instead of a number ($tick, ${tick}, [[tick]], with a
 * format too); shape, labels, alias, values, kind, states, failMessage,
 * failSource, eventTitle and exemplarUrl may hold references among their
 * text (exemplarUrl's ${__value.raw} is Grafana's data link variable, no
 * dashboard variable, so it stays for the link).
 * interpolateQuery replaces them before the query goes to the backend and
 * records which fields came from which variables (variableRefs), so that
 * the backend's error for a wrong value names the variable that produced
 * it. Pure functions: DataSource passes getTemplateSrv() in.
 */
import type { FaultsNumberParam } from './faults';
import { GapsNumberParam, NumericParam, OverlayNumberParam, TickstreamQuery } from './types';

/** NUMERIC_FIELDS are the query fields that hold a number (or a variable reference to one). */
export const NUMERIC_FIELDS: ReadonlyArray<NumericParam | GapsNumberParam | FaultsNumberParam | OverlayNumberParam> = [
  'tickInterval',
  'lowerLimit',
  'upperLimit',
  'seed',
  'period',
  'noise',
  'series',
  'dropPercent',
  'outagePeriod',
  'outageDuration',
  'failPercent',
  'queryDelay',
  'queryDelayJitter',
  'eventPeriod',
  'exemplars',
];

/**
 * TEXT_FIELDS are the query fields whose text may hold variable references
 * among other text. shape and kind are among them although each has a
 * picker: a variable naming the shape or the kind lets one dashboard switch
 * its panels between signals, or between numbers, states and logs.
 */
export const TEXT_FIELDS = [
  'shape',
  'labels',
  'alias',
  'values',
  'kind',
  'states',
  'failMessage',
  'failSource',
  'eventTitle',
  'exemplarUrl',
] as const;

/** The forms Grafana's template service replaces: $name, [[name]] and [[name:format]], ${name}, ${name.path} and ${name:format}. */
const VARIABLE_REFERENCE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g;

/** referencedVariables returns the names of the variables text refers to, each once, in order. */
export function referencedVariables(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(VARIABLE_REFERENCE)) {
    const name = m[1] ?? m[2] ?? m[4];
    if (name !== undefined && !names.includes(name)) {
      names.push(name);
    }
  }
  return names;
}

/** JSON_NUMBER is JSON's number grammar, the only text an interpolated numeric field turns into a number from. */
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * numberFromText is the number an interpolated numeric field's text means:
 * JSON number syntax, spaces around it ignored; undefined for anything
 * else ("", "fast", "0x10", "1,5"), which stays text and gets the field's
 * usual error, never a silent 0.
 */
export function numberFromText(text: string): number | undefined {
  const trimmed = text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  return JSON_NUMBER.test(trimmed) ? Number(trimmed) : undefined;
}

/** Template is the part of Grafana's template service interpolation needs. */
export interface Template {
  /** replace interpolates text (getTemplateSrv().replace with the request's scopedVars). */
  replace(text: string): string;
  /** isVariable is true for the name of a dashboard variable (or a scoped one, like a repeated panel's). */
  isVariable(name: string): boolean;
}

/**
 * interpolateQuery replaces the variable references of every field.
 * Numeric text becomes a JSON number; a numeric field records every
 * variable it referred to (any $name there can only mean a variable),
 * the text fields only the dashboard's variables (labels' and alias's ${key} and
 * $seriesIndex are the query's own templating, unless a dashboard variable
 * of the same name exists, which then wins, as in TestData). A query of
 * plain numbers comes back unchanged.
 */
export function interpolateQuery(query: TickstreamQuery, template: Template): TickstreamQuery {
  const out: TickstreamQuery = { ...query };
  const refs: Record<string, string[]> = {};
  for (const name of NUMERIC_FIELDS) {
    const value = query[name];
    if (typeof value !== 'string') {
      continue;
    }
    const names = referencedVariables(value);
    if (names.length > 0) {
      refs[name] = names;
    }
    const text = names.length > 0 ? template.replace(value) : value;
    out[name] = numberFromText(text) ?? text;
  }
  for (const name of TEXT_FIELDS) {
    const value = query[name];
    if (typeof value !== 'string') {
      continue;
    }
    const names = referencedVariables(value).filter((n) => template.isVariable(n));
    if (names.length > 0) {
      refs[name] = names;
      out[name] = template.replace(value);
    }
  }
  if (Object.keys(refs).length > 0) {
    out.variableRefs = refs;
  }
  return out;
}

/**
 * variableFields names the fields whose value depends on a variable, which
 * the editor cannot judge before interpolation: numeric fields holding any
 * reference, text fields referring to a dashboard variable.
 */
export function variableFields(query: TickstreamQuery, isVariable: (name: string) => boolean): Set<string> {
  const fields = new Set<string>();
  for (const name of NUMERIC_FIELDS) {
    const value = query[name];
    if (typeof value === 'string' && referencedVariables(value).length > 0) {
      fields.add(name);
    }
  }
  for (const name of TEXT_FIELDS) {
    const value = query[name];
    if (typeof value === 'string' && referencedVariables(value).some(isVariable)) {
      fields.add(name);
    }
  }
  return fields;
}
