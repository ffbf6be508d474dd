import { CoreApp } from '@grafana/data';

import { makeDataSource } from './testUtils';
import { DEFAULT_QUERY, Shape, TickstreamQuery } from './types';

describe('DataSource', () => {
  it('starts new queries from the defaults', () => {
    expect(makeDataSource().getDefaultQuery(CoreApp.PanelEditor)).toEqual({
      tickInterval: 1000,
      lowerLimit: 0,
      upperLimit: 100,
      seed: 0,
      shape: 'random',
      period: 60000,
      noise: 0,
      series: 1,
    });
  });

  it('hands out a copy of the defaults, so an editor cannot change them', () => {
    const query = makeDataSource().getDefaultQuery(CoreApp.PanelEditor);
    query.tickInterval = 5;
    expect(DEFAULT_QUERY.tickInterval).toBe(1000);
  });

  describe('filterQuery', () => {
    const query = (fields: Partial<TickstreamQuery>): TickstreamQuery => ({ refId: 'A', ...fields });

    it('sends a valid query', () => {
      expect(makeDataSource().filterQuery(query({ ...DEFAULT_QUERY }))).toBe(true);
    });

    it('sends a query whose fields are absent, since they take their defaults', () => {
      expect(makeDataSource().filterQuery(query({}))).toBe(true);
    });

    it('skips a hidden query', () => {
      expect(makeDataSource().filterQuery(query({ ...DEFAULT_QUERY, hide: true }))).toBe(false);
    });

    it.each([
      ['an emptied tick interval', { tickInterval: NaN }],
      ['a tick of 0', { tickInterval: 0 }],
      ['lower limit above upper limit', { lowerLimit: 10, upperLimit: 5 }],
      ['a fractional seed', { seed: 1.5 }],
      ['an unknown shape', { shape: 'sin' as Shape }],
      ['a sine with an emptied period', { shape: 'sine' as const, period: NaN }],
      ['noise above 1', { noise: 1.5 }],
      ['an emptied noise', { noise: NaN }],
      ['no series', { series: 0 }],
      ['more series than the data source allows', { series: 101 }],
    ])('skips a query with %s', (_, fields) => {
      expect(makeDataSource().filterQuery(query(fields))).toBe(false);
    });

    it("applies this data source's settings", () => {
      const q = query({ tickInterval: 100 });
      expect(makeDataSource().filterQuery(q)).toBe(true);
      expect(makeDataSource({ minTickInterval: 250 }).filterQuery(q)).toBe(false);
      expect(makeDataSource({ minTickInterval: 1, maxPointsPerSecond: 5 }).filterQuery(q)).toBe(false);
    });

    it('ignores the period of a shape that has none', () => {
      expect(makeDataSource().filterQuery(query({ shape: 'walk', period: NaN }))).toBe(true);
      expect(makeDataSource().filterQuery(query({ shape: 'random', period: -5 }))).toBe(true);
    });

    it('counts every series towards maxPointsPerSecond and honours a raised maxSeries', () => {
      const q = query({ tickInterval: 10, series: 200 });
      expect(makeDataSource({ maxSeries: 1000 }).filterQuery(q)).toBe(false);
      expect(makeDataSource({ maxSeries: 1000, maxPointsPerSecond: 20000 }).filterQuery(q)).toBe(true);
      expect(makeDataSource({ maxSeries: 1000 }).filterQuery(query({ tickInterval: 20, series: 200 }))).toBe(true);
    });

    it('sends a valid query when the settings are broken, so the panel shows the backend error', () => {
      const ds = makeDataSource({ minTickInterval: 0 });
      expect(ds.settingsErrors.map((e) => e.field)).toEqual(['minTickInterval']);
      expect(ds.filterQuery(query({}))).toBe(true);
    });
  });
});
