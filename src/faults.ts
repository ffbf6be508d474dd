/**
 * The faults fields of a query (DEVELOPERS.md rules 30 to 34): planned
 * failures (failPercent, failMessage, failSource) and slow answers
 * (queryDelay, queryDelayJitter), for testing alert rules and dashboards.
 * They do not change the stream, so they are not in the channel path.
 * Mirrors pkg/models/faults.go message for message; the shared vectors
 * check both.
 */
import { textProblem } from './labels';
import type { FieldError } from './validation';
import { isWholeIn, readOrDefault } from './fieldValues';

/** FAIL_SOURCE_OPTIONS lists the error sources in the order the failSource message names them. */
export const FAIL_SOURCE_OPTIONS = [
  {
    value: 'plugin',
    label: 'Plugin',
    description: 'The failure is the plugin’s own error: Grafana counts it against the plugin.',
  },
  {
    value: 'downstream',
    label: 'Downstream',
    description: 'The failure is an error of what the data source queries, as from a database that is down.',
  },
] as const;

/** FailSource is the error source a planned failure reports. */
export type FailSource = (typeof FAIL_SOURCE_OPTIONS)[number]['value'];

/** FAIL_SOURCES are the error source names in contract order. */
export const FAIL_SOURCES: readonly FailSource[] = FAIL_SOURCE_OPTIONS.map((o) => o.value);

/** FaultsParams are the faults fields after defaults are applied. */
export interface FaultsParams {
  failPercent: number;
  failMessage: string;
  failSource: FailSource;
  queryDelay: number;
  queryDelayJitter: number;
}

/** FaultsNumberParam names the faults fields that hold a number (or a variable reference to one). */
export type FaultsNumberParam = 'failPercent' | 'queryDelay' | 'queryDelayJitter';

/** DEFAULT_FAULTS: no failures, no delay; a failure is downstream. pkg/models keeps the same. */
export const DEFAULT_FAULTS: Readonly<FaultsParams> = Object.freeze({
  failPercent: 0,
  failMessage: '',
  failSource: 'downstream',
  queryDelay: 0,
  queryDelayJitter: 0,
});

/** MAX_FAIL_MESSAGE_LENGTH bounds failMessage, in characters (code points). */
export const MAX_FAIL_MESSAGE_LENGTH = 500;
/** MAX_QUERY_DELAY bounds queryDelay and queryDelayJitter: one minute in ms. */
export const MAX_QUERY_DELAY = 60_000;

/** isFailSource is true for a valid failSource name. */
export function isFailSource(value: unknown): value is FailSource {
  return typeof value === 'string' && (FAIL_SOURCES as readonly string[]).includes(value);
}

/** read is the query's value of name, or its default (readOrDefault). */
function read(query: Record<string, unknown>, name: keyof FaultsParams): unknown {
  return readOrDefault(query, name, DEFAULT_FAULTS);
}

/** validateFaults returns the problems of the faults fields, rules 30 to 34, in order. */
export function validateFaults(query: Record<string, unknown>, describe: (v: unknown) => string): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, kind: 'invalid', message });

  // Rule 30.
  const failPercent = read(query, 'failPercent');
  if (!(typeof failPercent === 'number' && failPercent >= 0 && failPercent <= 100)) {
    add('failPercent', `failPercent must be a number from 0 to 100; got ${describe(failPercent)}`);
  }
  // Rule 31.
  const problem = textProblem('failMessage', read(query, 'failMessage'), MAX_FAIL_MESSAGE_LENGTH, describe);
  if (problem !== undefined) {
    add('failMessage', problem);
  }
  // Rule 32.
  const failSource = read(query, 'failSource');
  if (!isFailSource(failSource)) {
    add('failSource', `failSource must be one of ${FAIL_SOURCES.join(', ')}; got ${describe(failSource)}`);
  }
  // Rules 33 and 34.
  for (const name of ['queryDelay', 'queryDelayJitter'] as const) {
    const value = read(query, name);
    if (!isWholeIn(value, 0, MAX_QUERY_DELAY)) {
      add(name, `${name} must be a whole number of milliseconds from 0 to 60000 (1 minute); got ${describe(value)}`);
    }
  }
  return errors;
}

/**
 * normalizeFaults gives the faults fields as the backend reads them:
 * defaults for absent ones, -0 as 0. Call it on a query validateFaults
 * accepted.
 */
export function normalizeFaults(query: Record<string, unknown>): FaultsParams {
  const number = (name: FaultsNumberParam) => {
    const v = read(query, name) as number;
    return v === 0 ? 0 : v;
  };
  return {
    failPercent: number('failPercent'),
    failMessage: read(query, 'failMessage') as string,
    failSource: read(query, 'failSource') as FailSource,
    queryDelay: number('queryDelay'),
    queryDelayJitter: number('queryDelayJitter'),
  };
}
