import fs from 'fs';
import path from 'path';

import { DEFAULT_FAULTS, FAIL_SOURCES, normalizeFaults } from './faults';
import { validateQuery, validateSettings } from './validation';

interface Vectors {
  defaults: { faults: Record<string, number | string> };
  queries: Array<{
    name: string;
    settings?: unknown;
    query: unknown;
    valid?: object;
    faults?: Record<string, number | string>;
  }>;
}

// The same file the Go suite reads (pkg/models/faults_test.go).
const vectors: Vectors = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'testdata', 'validation-vectors.json'), 'utf8')
);

describe('faults fields', () => {
  it('default as the shared vectors say', () => {
    expect({ ...DEFAULT_FAULTS }).toEqual(vectors.defaults.faults);
    expect(FAIL_SOURCES).toEqual(['plugin', 'downstream']);
  });

  // validation.test.ts checks every case's errors; this checks what a valid one means.
  it.each(vectors.queries.filter((v) => v.valid).map((v) => [v.name, v] as const))('%s', (_, v) => {
    const query = v.query as Record<string, unknown>;
    expect(validateQuery(query, validateSettings(v.settings).settings)).toEqual([]);
    const normalized = normalizeFaults(query);
    expect(normalized).toEqual({ ...vectors.defaults.faults, ...v.faults });
    expect(Object.is(normalized.failPercent, -0)).toBe(false);
  });

  it('reads -0 as 0', () => {
    expect(Object.is(normalizeFaults({ failPercent: -0, queryDelay: -0 }).failPercent, 0)).toBe(true);
    expect(validateQuery({ queryDelay: -0, queryDelayJitter: -0 })).toEqual([]);
  });

  it('refuses NaN and Infinity, which only the editor sees', () => {
    expect(validateQuery({ failPercent: NaN, queryDelay: Infinity }).map((e) => e.message)).toEqual([
      'failPercent must be a number from 0 to 100; got NaN',
      'queryDelay must be a whole number of milliseconds from 0 to 60000 (1 minute); got Infinity',
    ]);
  });
});
