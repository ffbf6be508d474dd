import { CoreApp } from '@grafana/data';

import { makeDataSource } from './testUtils';
import { DEFAULT_QUERY, TickstreamQuery } from './types';

describe('DataSource', () => {
  it('starts new queries from the defaults', () => {
    expect(makeDataSource().getDefaultQuery(CoreApp.PanelEditor)).toEqual({
      tickInterval: 1000,
      lowerLimit: 0,
      upperLimit: 100,
      seed: 0,
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
    ])('skips a query with %s', (_, fields) => {
      expect(makeDataSource().filterQuery(query(fields))).toBe(false);
    });

    it("applies this data source's settings", () => {
      const q = query({ tickInterval: 100 });
      expect(makeDataSource().filterQuery(q)).toBe(true);
      expect(makeDataSource({ minTickInterval: 250 }).filterQuery(q)).toBe(false);
      expect(makeDataSource({ minTickInterval: 1, maxPointsPerSecond: 5 }).filterQuery(q)).toBe(false);
    });

    it('sends a valid query when the settings are broken, so the panel shows the backend error', () => {
      const ds = makeDataSource({ minTickInterval: 0 });
      expect(ds.settingsErrors.map((e) => e.field)).toEqual(['minTickInterval']);
      expect(ds.filterQuery(query({}))).toBe(true);
    });
  });
});
