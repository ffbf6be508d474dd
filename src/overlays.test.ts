import fs from 'fs';
import path from 'path';
import { CoreApp, SupplementaryQueryType } from '@grafana/data';
import { setTemplateSrv, TemplateSrv } from '@grafana/runtime';

import { DEFAULT_OVERLAYS, normalizeOverlays, OverlayParams } from './overlays';
import { annotationQuery, annotationSupport } from './overlaySupport';
import { makeDataSource } from './testUtils';
import { TickstreamQuery } from './types';
import { validateQuery } from './validation';
import { interpolateQuery } from './variables';

interface OverlayVector {
  name: string;
  query: Record<string, unknown>;
  overlays?: OverlayParams;
}

// The same file the Go suite reads: validation.test.ts checks every case's errors, this the normalized overlays.
const vectors: { defaults: { overlays: OverlayParams }; queries: OverlayVector[] } = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'testdata', 'validation-vectors.json'), 'utf8')
);

describe('overlay fields with the shared vectors', () => {
  it('has the same defaults as the backend', () => {
    expect(DEFAULT_OVERLAYS).toEqual(vectors.defaults.overlays);
    expect(normalizeOverlays({})).toEqual(vectors.defaults.overlays);
  });

  const withOverlays = vectors.queries.filter((v) => v.overlays !== undefined);
  it('has cases with overlays', () => {
    expect(withOverlays.length).toBeGreaterThan(0);
  });

  it.each(withOverlays.map((v) => [v.name, v] as const))('%s', (_, v) => {
    expect(validateQuery(v.query)).toEqual([]);
    expect(normalizeOverlays(v.query)).toEqual(v.overlays);
  });

  it('reads -0 as 0', () => {
    expect(Object.is(normalizeOverlays({ exemplars: -0, eventPeriod: -0 }).exemplars, 0)).toBe(true);
    expect(Object.is(normalizeOverlays({ eventPeriod: -0 }).eventPeriod, 0)).toBe(true);
  });

  it('refuses what only the browser can hold', () => {
    expect(validateQuery({ exemplars: NaN, eventPeriod: Infinity })).toEqual([
      {
        field: 'eventPeriod',
        kind: 'invalid',
        message:
          'eventPeriod must be a whole number of milliseconds from 0 (no events) to 31536000000 (365 days); got Infinity',
      },
      {
        field: 'exemplars',
        kind: 'invalid',
        message: 'exemplars must be a whole number from 0 (none) to 100 per series; got NaN',
      },
    ]);
  });
});

describe('overlay fields with dashboard variables', () => {
  afterEach(() => setTemplateSrv(undefined as unknown as TemplateSrv));
  const template = {
    replace: (text: string) => text.replace('$n', '5').replace('$host', 'web'),
    isVariable: (name: string) => name === 'n' || name === 'host',
  };

  it('interpolates the numbers and the texts, and keeps the data link variable', () => {
    const out = interpolateQuery(
      {
        refId: 'A',
        exemplars: '$n',
        eventPeriod: '$n',
        eventTitle: 'deploy on $host',
        exemplarUrl: 'https://$host/trace/${__value.raw}',
      },
      template
    );
    expect(out).toMatchObject({
      exemplars: 5,
      eventPeriod: 5,
      eventTitle: 'deploy on web',
      exemplarUrl: 'https://web/trace/${__value.raw}',
      variableRefs: { exemplars: ['n'], eventPeriod: ['n'], eventTitle: ['host'], exemplarUrl: ['host'] },
    });
  });

  it('leaves a link without dashboard variables alone', () => {
    const query = { refId: 'A', exemplarUrl: 'https://tempo/trace/${__value.raw}' };
    expect(interpolateQuery(query, template)).toEqual(query);
  });

  it('does not judge exemplars while the kind comes from a variable', () => {
    setTemplateSrv({
      getVariables: () => [{ name: 'kind' }],
      replace: (t?: string) => t ?? '',
    } as unknown as TemplateSrv);
    const ds = makeDataSource();
    expect(ds.validate({ refId: 'A', kind: 'logs', exemplars: 5 }).map((e) => e.field)).toEqual(['exemplars']);
    expect(ds.validate({ refId: 'A', kind: '$kind', exemplars: 5 })).toEqual([]);
  });
});

describe('annotation support', () => {
  it('asks the backend for annotations with the annotation’s query', () => {
    const target: TickstreamQuery = { refId: 'X', outagePeriod: 60000, outageDuration: 20000, eventPeriod: 120000 };
    expect(annotationSupport.prepareQuery!({ name: 'Outages', enable: true, iconColor: 'red', target })).toEqual({
      ...target,
      queryType: 'annotations',
    });
    expect(annotationQuery({ refId: '', eventPeriod: 1000 })).toEqual({
      refId: 'Anno',
      eventPeriod: 1000,
      queryType: 'annotations',
    });
    expect(annotationQuery(undefined)).toBeUndefined();
  });

  it('starts a new annotation with outages that show at once, and valid', () => {
    const query = { refId: 'Anno', ...annotationSupport.getDefaultQuery!() };
    expect(query).toMatchObject({ outagePeriod: 60000, outageDuration: 10000 });
    expect(validateQuery(query)).toEqual([]);
  });

  it('is the data source’s annotation support', () => {
    expect(makeDataSource().annotations).toBe(annotationSupport);
  });
});

describe('logs volume in Explore', () => {
  const ds = makeDataSource();
  const request = {
    requestId: 'explore',
    interval: '1s',
    intervalMs: 1000,
    range: { from: 0, to: 0, raw: { from: 'now-1h', to: 'now' } },
    scopedVars: {},
    timezone: 'utc',
    app: CoreApp.Explore,
    startTime: 0,
    targets: [{ refId: 'A', kind: 'logs', series: 2 }, { refId: 'B' }, { refId: 'C', kind: 'logs', hide: true }],
  } as never;

  it('offers the logs volume', () => {
    expect(ds.getSupportedSupplementaryQueryTypes()).toEqual([SupplementaryQueryType.LogsVolume]);
  });

  it('asks for the volume of each shown logs query, under the refId Explore matches', () => {
    const volume = ds.getSupplementaryRequest(SupplementaryQueryType.LogsVolume, request);
    expect(volume?.targets).toEqual([{ refId: 'log-volume-A', kind: 'logs', series: 2, queryType: 'logsVolume' }]);
    expect(ds.getSupplementaryQuery({ type: SupplementaryQueryType.LogsVolume }, { refId: 'B' })).toBeUndefined();
  });

  it('has no logs sample, and no volume without logs queries', () => {
    expect(ds.getSupplementaryRequest(SupplementaryQueryType.LogsSample, request)).toBeUndefined();
    expect(
      ds.getSupplementaryQuery({ type: SupplementaryQueryType.LogsSample }, { refId: 'A', kind: 'logs' })
    ).toBeUndefined();
    const numbers = { ...(request as object), targets: [{ refId: 'B' }] } as never;
    expect(ds.getSupplementaryRequest(SupplementaryQueryType.LogsVolume, numbers)).toBeUndefined();
  });
});
