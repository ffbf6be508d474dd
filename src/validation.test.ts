import fs from 'fs';
import path from 'path';

import { DEFAULT_QUERY, DEFAULT_SETTINGS, SHAPE_OPTIONS, SHAPES, StreamParams, TickstreamQuery } from './types';
import { DEFAULT_GAPS } from './gaps';
import {
  describe as describeValue,
  FieldError,
  formatNumber,
  normalizeQuery,
  settingMax,
  validateQuery,
  validateSettings,
} from './validation';

interface QueryVector {
  name: string;
  settings?: unknown;
  query: unknown;
  valid?: StreamParams;
  errors?: FieldError[];
  /** Go-only: the canonical channel path, built by the backend. */
  path?: string;
}

interface SettingsVector {
  name: string;
  jsonData: unknown;
  valid?: Record<string, number>;
  errors?: FieldError[];
}

interface Vectors {
  defaults: { query: StreamParams; settings: Record<string, number> };
  queries: QueryVector[];
  settings: SettingsVector[];
}

// The same file the Go suite reads, so both sides are held to one contract.
const vectors: Vectors = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'testdata', 'validation-vectors.json'), 'utf8')
);

/** expectSameValues compares field by field with Object.is, which tells -0 from 0 (toEqual does not). */
function expectSameValues(actual: Record<string, number | string>, expected: Record<string, number | string>) {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const key of Object.keys(expected)) {
    expect({ key, same: Object.is(actual[key], expected[key]), actual: actual[key] }).toEqual({
      key,
      same: true,
      actual: expected[key],
    });
  }
}

function settingsFor(v: QueryVector) {
  const { settings, errors } = validateSettings(v.settings);
  expect(errors).toEqual([]);
  return settings;
}

describe('defaults', () => {
  it('match the shared vectors', () => {
    expect({ ...DEFAULT_QUERY, ...DEFAULT_GAPS }).toEqual(vectors.defaults.query);
    expect({ ...DEFAULT_SETTINGS }).toEqual(vectors.defaults.settings);
  });

  it('list the shapes in the order the shape message names them, each with a label and a description', () => {
    expect(SHAPES).toEqual(['random', 'walk', 'sine', 'square', 'sawtooth', 'triangle', 'csv']);
    expect(SHAPES[0]).toBe(DEFAULT_QUERY.shape);
    for (const option of SHAPE_OPTIONS) {
      expect(option.label).not.toBe('');
      expect(option.description).not.toBe('');
    }
    expect(SHAPE_OPTIONS.filter((o) => o.periodic).map((o) => o.value)).toEqual([
      'sine',
      'square',
      'sawtooth',
      'triangle',
    ]);
  });

  it('bound the settings as DEVELOPERS.md says', () => {
    expect(settingMax('minTickInterval')).toBe(86400000);
    expect(settingMax('maxPointsPerSecond')).toBe(10000000);
    expect(settingMax('maxSeries')).toBe(10000);
    expect(settingMax('maxMessageRate')).toBe(1000);
    expect(settingMax('maxStreams')).toBe(1000000);
    expect(settingMax('maxTotalPointsPerSecond')).toBe(1000000000);
  });
});

describe('validateQuery and normalizeQuery with the shared vectors', () => {
  it('has vectors to check', () => {
    expect(vectors.queries.length).toBeGreaterThan(0);
  });

  it.each(vectors.queries.map((v) => [v.name, v] as const))('%s', (_, v) => {
    const errors = validateQuery(v.query, settingsFor(v));
    if (v.valid) {
      expect(errors).toEqual([]);
      // A case written before the gaps fields expects their defaults.
      const normalized: Record<string, number | string> = { ...normalizeQuery(v.query as Partial<TickstreamQuery>) };
      expectSameValues(normalized, { ...vectors.defaults.query, ...v.valid });
    } else {
      expect(v.errors).toBeDefined();
      expect(errors).toEqual(v.errors);
    }
  });
});

describe('validateSettings with the shared vectors', () => {
  it.each(vectors.settings.map((v) => [v.name, v] as const))('%s', (_, v) => {
    const { settings, errors } = validateSettings(v.jsonData);
    if (v.valid) {
      expect(errors).toEqual([]);
      expectSameValues(settings, v.valid);
    } else {
      expect(v.errors).toBeDefined();
      expect(errors).toEqual(v.errors);
    }
  });
});

// Values only the browser can hold: JSON has no NaN or Infinity (the backend
// receives null), but the editor sees them before serialisation.
describe('values only JavaScript has', () => {
  const tickMessage = (got: string) =>
    `tickInterval must be a whole number of milliseconds from 10 (the data source's minTickInterval) to 86400000 (24 h); got ${got}`;

  it('describes values as the messages need', () => {
    expect(describeValue(NaN)).toBe('NaN');
    expect(describeValue(Infinity)).toBe('Infinity');
    expect(describeValue(-Infinity)).toBe('-Infinity');
    expect(describeValue(-0)).toBe('0');
    expect(describeValue(1e21)).toBe('1e+21');
    expect(describeValue(null)).toBe('null');
    expect(describeValue('')).toBe('a string');
    expect(describeValue(false)).toBe('a boolean');
    expect(describeValue([])).toBe('an array');
    expect(describeValue({})).toBe('an object');
    expect(formatNumber(1000 / 3)).toBe('333.3333333333333');
  });

  it('refuses an emptied input (NaN) in every field', () => {
    expect(validateQuery({ tickInterval: NaN, lowerLimit: NaN, upperLimit: NaN, seed: NaN })).toEqual([
      { field: 'tickInterval', kind: 'invalid', message: tickMessage('NaN') },
      { field: 'lowerLimit', kind: 'invalid', message: 'lowerLimit must be a finite number; got NaN' },
      { field: 'upperLimit', kind: 'invalid', message: 'upperLimit must be a finite number; got NaN' },
      { field: 'seed', kind: 'invalid', message: 'seed must be a whole number from 0 to 9007199254740991; got NaN' },
    ]);
  });

  it('refuses infinities', () => {
    expect(
      validateQuery({ tickInterval: Infinity, lowerLimit: -Infinity, upperLimit: Infinity, seed: Infinity })
    ).toEqual([
      { field: 'tickInterval', kind: 'invalid', message: tickMessage('Infinity') },
      { field: 'lowerLimit', kind: 'invalid', message: 'lowerLimit must be a finite number; got -Infinity' },
      { field: 'upperLimit', kind: 'invalid', message: 'upperLimit must be a finite number; got Infinity' },
      {
        field: 'seed',
        kind: 'invalid',
        message: 'seed must be a whole number from 0 to 9007199254740991; got Infinity',
      },
    ]);
  });

  it('treats undefined as absent, as JSON.stringify does', () => {
    const query = {
      refId: 'A',
      tickInterval: undefined,
      lowerLimit: undefined,
      upperLimit: undefined,
      seed: undefined,
    };
    expect(validateQuery(query)).toEqual([]);
    expect(normalizeQuery(query)).toEqual({ ...DEFAULT_QUERY, ...DEFAULT_GAPS });
  });

  it('reads -0 as 0 in every field', () => {
    const normalized = normalizeQuery({ lowerLimit: -0, upperLimit: -0, seed: -0 });
    expect(Object.is(normalized.lowerLimit, 0)).toBe(true);
    expect(Object.is(normalized.upperLimit, 0)).toBe(true);
    expect(Object.is(normalized.seed, 0)).toBe(true);
    expect(validateQuery({ seed: -0 })).toEqual([]);
    expect(validateQuery({ tickInterval: -0 })).toEqual([
      { field: 'tickInterval', kind: 'invalid', message: tickMessage('0') },
    ]);
  });

  it('refuses settings that an emptied input or a non-finite number produce', () => {
    expect(validateSettings({ minTickInterval: NaN, maxPointsPerSecond: Infinity }).errors).toEqual([
      {
        field: 'minTickInterval',
        kind: 'invalid',
        message: 'minTickInterval must be a whole number of milliseconds from 1 to 86400000; got NaN',
      },
      {
        field: 'maxPointsPerSecond',
        kind: 'invalid',
        message: 'maxPointsPerSecond must be a whole number from 1 to 10000000; got Infinity',
      },
    ]);
  });

  it('keeps usable settings when some are wrong', () => {
    expect(
      validateSettings({ minTickInterval: 0, maxPointsPerSecond: 5, maxSeries: NaN, maxMessageRate: 3, maxStreams: 7 })
        .settings
    ).toEqual({
      minTickInterval: 10,
      maxPointsPerSecond: 5,
      maxSeries: 100,
      maxMessageRate: 3,
      maxStreams: 7,
      maxTotalPointsPerSecond: 100000,
    });
    expect(validateSettings('text').settings).toEqual(DEFAULT_SETTINGS);
  });

  // DEVELOPERS.md lists rules 5 and 6 as separate checks, so reversed limits
  // whose difference overflows get both errors. No shared vector covers this
  // yet; if the backend decides otherwise, a vector should settle it.
  it('reports reversed limits whose difference overflows twice, as rules 5 and 6 read', () => {
    expect(validateQuery({ lowerLimit: 1e308, upperLimit: -1e308 })).toEqual([
      {
        field: 'lowerLimit',
        kind: 'invalid',
        message: 'lowerLimit must not be greater than upperLimit; got lowerLimit 1e+308 and upperLimit -1e+308',
      },
      {
        field: 'upperLimit',
        kind: 'invalid',
        message:
          'upperLimit - lowerLimit must be a finite number; got upperLimit -1e+308 and lowerLimit 1e+308: narrow the limits',
      },
    ]);
  });

  it('measures points per second only once the tick and the series are acceptable', () => {
    const settings = { ...DEFAULT_SETTINGS, minTickInterval: 1, maxPointsPerSecond: 1 };
    expect(validateQuery({ tickInterval: 1000 }, settings)).toEqual([]);
    expect(validateQuery({ tickInterval: 999 }, settings)).toEqual([
      {
        field: 'tickInterval',
        kind: 'limit',
        message:
          "tickInterval 999 ms with 1 series makes 1.001001001001001 points per second, more than the data source's maxPointsPerSecond of 1; use a tickInterval of at least 1000 ms, fewer series, or raise maxPointsPerSecond",
      },
    ]);
    expect(validateQuery({ tickInterval: 0 }, settings)[0].kind).toBe('invalid');
    // Series over the limit: rule 11 reports them, and rule 12 stays silent.
    expect(validateQuery({ tickInterval: 1000, series: 101 }, settings).map((e) => e.field)).toEqual(['series']);
    expect(validateQuery({ tickInterval: 1000, series: NaN }, settings).map((e) => e.field)).toEqual(['series']);
  });

  it('refuses an emptied input (NaN) or an infinity in the new fields', () => {
    expect(validateQuery({ shape: 'sine', period: NaN, noise: NaN, series: NaN })).toEqual([
      {
        field: 'period',
        kind: 'invalid',
        message: 'period must be a whole number of milliseconds from 1 to 31536000000 (365 days); got NaN',
      },
      { field: 'noise', kind: 'invalid', message: 'noise must be a number from 0 to 1; got NaN' },
      {
        field: 'series',
        kind: 'invalid',
        message: "series must be a whole number from 1 to 100 (the data source's maxSeries); got NaN",
      },
    ]);
    expect(validateQuery({ shape: 'square', period: Infinity, noise: Infinity, series: Infinity })).toEqual([
      {
        field: 'period',
        kind: 'invalid',
        message: 'period must be a whole number of milliseconds from 1 to 31536000000 (365 days); got Infinity',
      },
      { field: 'noise', kind: 'invalid', message: 'noise must be a number from 0 to 1; got Infinity' },
      {
        field: 'series',
        kind: 'invalid',
        message: "series must be a whole number from 1 to 100 (the data source's maxSeries); got Infinity",
      },
    ]);
  });

  it('ignores an emptied period while the shape is not periodic, and normalizes it to the default', () => {
    expect(validateQuery({ shape: 'walk', period: NaN })).toEqual([]);
    expect(normalizeQuery({ shape: 'walk', period: NaN }).period).toBe(DEFAULT_QUERY.period);
    expect(normalizeQuery({ period: 5000 }).period).toBe(DEFAULT_QUERY.period);
    expect(normalizeQuery({ shape: 'sine', period: 5000 }).period).toBe(5000);
    expect(normalizeQuery({ shape: 'sine' }).period).toBe(DEFAULT_QUERY.period);
  });

  it('treats undefined new fields as absent and reads -0 noise as 0', () => {
    const query = { refId: 'A', shape: undefined, period: undefined, noise: undefined, series: undefined };
    expect(validateQuery(query)).toEqual([]);
    expect(normalizeQuery(query)).toEqual({ ...DEFAULT_QUERY, ...DEFAULT_GAPS });
    expect(validateQuery({ noise: -0 })).toEqual([]);
    expect(Object.is(normalizeQuery({ noise: -0 }).noise, 0)).toBe(true);
  });

  it("names the data source's own maxSeries in the series message", () => {
    expect(validateQuery({ series: 3 }, { ...DEFAULT_SETTINGS, maxSeries: 2 })).toEqual([
      {
        field: 'series',
        kind: 'limit',
        message: "series must be a whole number from 1 to 2 (the data source's maxSeries); got 3",
      },
    ]);
  });

  it('refuses new settings that an emptied input or a non-finite number produce', () => {
    expect(validateSettings({ maxSeries: NaN, maxMessageRate: -Infinity }).errors).toEqual([
      { field: 'maxSeries', kind: 'invalid', message: 'maxSeries must be a whole number from 1 to 10000; got NaN' },
      {
        field: 'maxMessageRate',
        kind: 'invalid',
        message: 'maxMessageRate must be a whole number of messages per second from 1 to 1000; got -Infinity',
      },
    ]);
  });
});
