/**
 * The overlay fields of a query (DEVELOPERS.md rules 40 to 44): annotation
 * events (eventPeriod, eventTitle) and exemplars (exemplars, exemplarUrl).
 * They draw on a panel besides the series and are not part of the stream:
 * the channel path leaves them out. Mirrors pkg/models/overlays.go message
 * for message; the shared vectors check both.
 */
import { textProblem } from './labels';
import type { FieldError } from './validation';
import { isWholeIn, readOrDefault } from './fieldValues';

/** OverlayParams are the overlay fields after defaults are applied. */
export interface OverlayParams {
  eventPeriod: number;
  eventTitle: string;
  exemplars: number;
  exemplarUrl: string;
}

/** DEFAULT_OVERLAYS are the overlay fields' defaults: no events, no exemplars. pkg/models keeps the same. */
export const DEFAULT_OVERLAYS: Readonly<OverlayParams> = Object.freeze({
  eventPeriod: 0,
  eventTitle: '',
  exemplars: 0,
  exemplarUrl: '',
});

/** MAX_EVENT_PERIOD is 365 days in ms. */
export const MAX_EVENT_PERIOD = 31_536_000_000;
/** MAX_EVENT_TITLE_LENGTH bounds eventTitle, in characters, as alias. */
export const MAX_EVENT_TITLE_LENGTH = 200;
/** MAX_EXEMPLARS is the most exemplars per series and range. */
export const MAX_EXEMPLARS = 100;
/** MAX_EXEMPLAR_URL_LENGTH bounds exemplarUrl, in characters. */
export const MAX_EXEMPLAR_URL_LENGTH = 2000;
/** DEFAULT_EVENT_TITLE is the title of the events of a query that sets no eventTitle. */
export const DEFAULT_EVENT_TITLE = 'Tickstream event';
/** EXEMPLAR_URL_PLACEHOLDER is Grafana's data link variable for the trace ID the link is on. */
export const EXEMPLAR_URL_PLACEHOLDER = '${__value.raw}';

/** read is the query's value of name, or its default (readOrDefault). */
function read(query: Record<string, unknown>, name: keyof OverlayParams): unknown {
  return readOrDefault(query, name, DEFAULT_OVERLAYS);
}

/** OverlaysContext is what the overlay rules need of the rest of the query. */
export interface OverlaysContext {
  /** kind is the query's kind when it is valid (rule 26 passed), else undefined. */
  kind: string | undefined;
  describe: (v: unknown) => string;
}

/** validateOverlays returns the problems of the overlay fields, rules 40 to 44, in order. */
export function validateOverlays(query: Record<string, unknown>, ctx: OverlaysContext): FieldError[] {
  const errors: FieldError[] = [];
  const { describe } = ctx;
  const add = (field: string, message: string) => errors.push({ field, kind: 'invalid', message });

  // Rule 40.
  const eventPeriod = read(query, 'eventPeriod');
  if (!isWholeIn(eventPeriod, 0, MAX_EVENT_PERIOD)) {
    add(
      'eventPeriod',
      `eventPeriod must be a whole number of milliseconds from 0 (no events) to 31536000000 (365 days); got ${describe(eventPeriod)}`
    );
  }
  // Rule 41.
  const titleProblem = textProblem('eventTitle', read(query, 'eventTitle'), MAX_EVENT_TITLE_LENGTH, describe);
  if (titleProblem !== undefined) {
    add('eventTitle', titleProblem);
  }
  // Rules 42 and 43: exemplars sit on numbers, so the other kinds refuse them.
  const exemplars = read(query, 'exemplars');
  if (!isWholeIn(exemplars, 0, MAX_EXEMPLARS)) {
    add('exemplars', `exemplars must be a whole number from 0 (none) to 100 per series; got ${describe(exemplars)}`);
  } else if (exemplars > 0 && ctx.kind !== undefined && ctx.kind !== 'number') {
    add(
      'exemplars',
      `exemplars sit on a series' numbers, and kind ${ctx.kind} has none: remove exemplars or choose kind number; got exemplars ${describe(exemplars)} with kind ${ctx.kind}`
    );
  }
  // Rule 44.
  const url = read(query, 'exemplarUrl');
  const urlProblem = textProblem('exemplarUrl', url, MAX_EXEMPLAR_URL_LENGTH, describe);
  if (urlProblem !== undefined) {
    add('exemplarUrl', urlProblem);
  } else if (url !== '' && !(url as string).includes(EXEMPLAR_URL_PLACEHOLDER)) {
    add(
      'exemplarUrl',
      `exemplarUrl must hold ${EXEMPLAR_URL_PLACEHOLDER} where the trace ID goes, e.g. https://tempo.example.com/trace/${EXEMPLAR_URL_PLACEHOLDER}; got a string without it`
    );
  }
  return errors;
}

/**
 * normalizeOverlays gives the overlay fields as the backend reads them:
 * defaults for absent ones. Call it on a query validateOverlays accepted.
 */
export function normalizeOverlays(query: Record<string, unknown>): OverlayParams {
  // -0 is read as 0, as the backend's whole numbers do.
  const whole = (name: 'eventPeriod' | 'exemplars') => {
    const n = read(query, name) as number;
    return n === 0 ? 0 : n;
  };
  return {
    eventPeriod: whole('eventPeriod'),
    eventTitle: read(query, 'eventTitle') as string,
    exemplars: whole('exemplars'),
    exemplarUrl: read(query, 'exemplarUrl') as string,
  };
}
