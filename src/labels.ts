/**
 * Rules 13 to 19 of DEVELOPERS.md (labels and alias) and the dashboard
 * variable suffix of every message, mirroring pkg/models/labels.go message
 * for message; testdata/validation-vectors.json holds both to the same
 * cases. Only validation lives here: the labels of each series are worked
 * out by the backend alone.
 */
import type { FieldError } from './validation';

/** MAX_LABELS_LENGTH bounds labels, in characters (code points, as Go counts runes). */
export const MAX_LABELS_LENGTH = 1000;

/** MAX_ALIAS_LENGTH bounds alias, in characters. */
export const MAX_ALIAS_LENGTH = 200;

/** SERIES_INDEX is the placeholder for a series' 1-based number in labels and alias. */
export const SERIES_INDEX = '$seriesIndex';

/** DEFAULT_SERIES_LABEL is each series' one label when a query of several series sets no labels. */
export const DEFAULT_SERIES_LABEL = 'series';

const LABELS_EXAMPLE = 'e.g. host=web-$seriesIndex, dc=eu';

interface LabelPair {
  key: string;
  value: string;
}

/** characters counts code points, as Go's utf8.RuneCountInString does. */
function characters(s: string): number {
  return [...s].length;
}

/** trimBlank trims ASCII spaces, tabs and line breaks only, as the backend does (String.trim knows more white space). */
function trimBlank(s: string): string {
  return s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

/** isLabelName is true for a Prometheus label name that does not start with __ (reserved). */
function isLabelName(key: string): boolean {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(key) && !key.startsWith('__');
}

/**
 * unquoteValue drops the blanks and the double quotes around a value, layer
 * after layer, as the backend does, so that the canonical text, which writes
 * the value bare, reads back as the same value.
 */
function unquoteValue(raw: string): string {
  let value = trimBlank(raw);
  while (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    value = trimBlank(value.slice(1, -1));
  }
  return value;
}

/**
 * parseLabels reads TestData's syntax (comma-separated key=value pairs,
 * optionally inside { }, values optionally in double quotes) and returns
 * the pairs sorted by key, or the message of the first problem.
 */
function parseLabels(input: string): { pairs: LabelPair[]; problem?: string } {
  let text = trimBlank(input);
  if (text.startsWith('{') && text.endsWith('}')) {
    text = trimBlank(text.slice(1, -1));
  }
  if (text === '') {
    return { pairs: [] };
  }
  const pairs: LabelPair[] = [];
  const seen = new Map<string, string>();
  for (const raw of text.split(',')) {
    const pair = trimBlank(raw);
    if (pair === '') {
      return {
        pairs: [],
        problem: `labels must be comma-separated key=value pairs, ${LABELS_EXAMPLE}; got an empty pair: remove the extra comma`,
      };
    }
    const eq = pair.indexOf('=');
    if (eq < 0) {
      return {
        pairs: [],
        problem: `labels must be comma-separated key=value pairs, ${LABELS_EXAMPLE}; got "${pair}" without "="`,
      };
    }
    const key = trimBlank(pair.slice(0, eq));
    const value = unquoteValue(pair.slice(eq + 1));
    if (!isLabelName(key)) {
      return {
        pairs: [],
        problem: `labels has the key "${key}" in "${pair}", which is not a label name: use letters, digits and _, not starting with a digit or with __`,
      };
    }
    const first = seen.get(key);
    if (first !== undefined) {
      return { pairs: [], problem: `labels has the key "${key}" twice, in "${first}" and "${pair}": keep one` };
    }
    if (value === '') {
      return { pairs: [], problem: `labels has no value in "${pair}": give the label a value or remove it` };
    }
    seen.set(key, pair);
    pairs.push({ key, value });
  }
  // Go's strings.Compare orders by bytes; keys are ASCII, so < agrees.
  pairs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { pairs };
}

function formatLabels(pairs: LabelPair[]): string {
  return pairs.map((p) => `${p.key}=${p.value}`).join(', ');
}

/** aliasKeys returns the key of every ${key} in alias, in order. */
function aliasKeys(alias: string): string[] {
  const keys: string[] = [];
  let text = alias;
  for (;;) {
    const open = text.indexOf('${');
    if (open < 0) {
      return keys;
    }
    const end = text.indexOf('}', open);
    if (end < 0) {
      return keys;
    }
    keys.push(text.slice(open + 2, end));
    text = text.slice(end + 1);
  }
}

/**
 * canonicalLabels is the labels text the backend keeps for a valid labels
 * value: pairs sorted by key, spaces and quotes dropped, joined by ", ".
 */
export function canonicalLabels(labels: string): string {
  return formatLabels(parseLabels(labels).pairs);
}

/**
 * textProblem is what is wrong with a text field as received (rules 13 and
 * 14 for labels, the first part of 19 for alias): not a string, or longer
 * than max characters; undefined when neither.
 */
export function textProblem(
  field: string,
  value: unknown,
  max: number,
  describe: (v: unknown) => string
): string | undefined {
  if (typeof value !== 'string') {
    return `${field} must be a string; got ${describe(value)}`;
  }
  if (characters(value) > max) {
    return `${field} must be at most ${max} characters long; got ${characters(value)} characters`;
  }
  return undefined;
}

/**
 * labelRules applies rules 13 to 19 to a query's labels and alias as
 * received (undefined: absent, the default ""). okSeries is the series
 * count when it passed rule 11.
 */
export function labelRules(
  labels: unknown,
  alias: unknown,
  okSeries: number | undefined,
  describe: (v: unknown) => string
): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, kind: 'invalid', message });

  // Rules 13 to 18: at most one error for labels, the first problem.
  let pairs: LabelPair[] = [];
  let labelsOK = false;
  const labelsProblem = textProblem('labels', labels, MAX_LABELS_LENGTH, describe);
  if (labelsProblem !== undefined) {
    add('labels', labelsProblem);
  } else if (typeof labels === 'string') {
    const parsed = parseLabels(labels);
    pairs = parsed.pairs;
    if (parsed.problem !== undefined) {
      add('labels', parsed.problem);
    } else if (
      okSeries !== undefined &&
      okSeries > 1 &&
      pairs.length > 0 &&
      !pairs.some((p) => p.value.includes(SERIES_INDEX))
    ) {
      add(
        'labels',
        `labels gives all ${okSeries} series the same labels ${formatLabels(pairs)}: put ${SERIES_INDEX} in a value, e.g. host=web-${SERIES_INDEX}`
      );
    } else {
      labelsOK = true;
    }
  }

  // Rule 19.
  const aliasProblem = textProblem('alias', alias, MAX_ALIAS_LENGTH, describe);
  if (aliasProblem !== undefined) {
    add('alias', aliasProblem);
  } else if (typeof alias === 'string' && labelsOK && (pairs.length > 0 || okSeries !== undefined)) {
    const keys = pairs.map((p) => p.key);
    if (pairs.length === 0 && okSeries !== undefined && okSeries > 1) {
      keys.push(DEFAULT_SERIES_LABEL);
    }
    const unknown = aliasKeys(alias).find((k) => !keys.includes(k));
    if (unknown !== undefined) {
      add(
        'alias',
        keys.length === 0
          ? `alias refers to \${${unknown}}, but the series have no labels: use ${SERIES_INDEX} or set labels`
          : `alias refers to \${${unknown}}, which is not a key of the labels: use ${SERIES_INDEX} or \${${keys.join('}, ${')}}`
      );
    }
  }
  return errors;
}

/** variableSuffix is what a message gets when its field came from dashboard variables: " (from the dashboard variable $tick)". */
export function variableSuffix(names: readonly string[] | undefined): string {
  if (!names || names.length === 0) {
    return '';
  }
  const refs = names.map((n) => `$${n}`);
  if (refs.length === 1) {
    return ` (from the dashboard variable ${refs[0]})`;
  }
  return ` (from the dashboard variables ${refs.slice(0, -1).join(', ')} and ${refs[refs.length - 1]})`;
}

/**
 * readVariableRefs reads the variableRefs field the data source adds when it
 * interpolates (query field → the variables its text held). It only shapes
 * messages, so anything malformed is ignored, as the backend ignores it.
 */
export function readVariableRefs(value: unknown): Record<string, string[]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {};
  }
  const refs: Record<string, string[]> = {};
  for (const [field, names] of Object.entries(value)) {
    if (names === null) {
      continue; // null is an empty list to Go
    }
    if (Array.isArray(names) && names.every((n) => typeof n === 'string')) {
      refs[field] = names;
    } else {
      return {}; // Go's json.Unmarshal into map[string][]string fails as a whole
    }
  }
  return refs;
}
