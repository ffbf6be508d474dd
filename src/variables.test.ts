import { DataQueryRequest } from '@grafana/data';
import { setTemplateSrv, TemplateSrv } from '@grafana/runtime';
import { of } from 'rxjs';

import { TickstreamVariableSupport } from './variableSupport';
import { makeDataSource } from './testUtils';
import { LABEL_VALUES, TickstreamQuery } from './types';
import { validateQuery } from './validation';
import { interpolateQuery, numberFromText, referencedVariables } from './variables';

/** templateSrv is a dashboard with the variables given, replaced in Grafana's three syntaxes. */
function templateSrv(variables: Record<string, string>): TemplateSrv {
  return {
    getVariables: () => Object.keys(variables).map((name) => ({ name })),
    replace: (text?: string) =>
      Object.entries(variables).reduce(
        (t, [name, value]) => t.replace(new RegExp(`\\$\\{${name}\\}|\\[\\[${name}\\]\\]|\\$${name}\\b`, 'g'), value),
        text ?? ''
      ),
  } as unknown as TemplateSrv;
}

const query = (fields: Partial<TickstreamQuery>): TickstreamQuery => ({ refId: 'A', ...fields });

describe('dashboard variables', () => {
  afterEach(() => setTemplateSrv(undefined as unknown as TemplateSrv));

  it('finds references in every syntax Grafana replaces, each once', () => {
    expect(referencedVariables('$tick ${tick} [[tick]] ${host:csv} [[dc:raw]] ${a.b}')).toEqual([
      'tick',
      'host',
      'dc',
      'a',
    ]);
    expect(referencedVariables('1000')).toEqual([]);
  });

  it('turns only JSON number text into a number', () => {
    expect(numberFromText(' 250 ')).toBe(250);
    expect(numberFromText('1e3')).toBe(1000);
    expect(numberFromText('-0.5')).toBe(-0.5);
    for (const text of ['', 'fast', '0x10', '1,5', '.5', 'Infinity', '1 000']) {
      expect(numberFromText(text)).toBeUndefined();
    }
  });

  it('interpolates every field before the query is sent, numbers as JSON numbers', () => {
    setTemplateSrv(templateSrv({ tick: '250', n: '3', dc: 'eu', name: 'cpu' }));
    const sent = makeDataSource().applyTemplateVariables(
      query({
        tickInterval: '$tick',
        series: '[[n]]',
        seed: 5,
        labels: 'host=web-$seriesIndex, dc=${dc}',
        alias: '$name ${host}',
      }),
      {}
    );
    expect(sent).toEqual({
      refId: 'A',
      tickInterval: 250,
      series: 3,
      seed: 5,
      // $seriesIndex and ${host} are the query's own templating: no dashboard variable has those names.
      labels: 'host=web-$seriesIndex, dc=eu',
      alias: 'cpu ${host}',
      variableRefs: { tickInterval: ['tick'], series: ['n'], labels: ['dc'], alias: ['name'] },
    });
    expect(validateQuery(sent)).toEqual([]);
  });

  it("uses the request's scoped variables, as a repeated panel has", () => {
    const srv = templateSrv({});
    srv.replace = jest.fn((text?: string, scoped?: Record<string, { value: unknown }>) =>
      (text ?? '').replace('$host', String(scoped?.host?.value))
    );
    setTemplateSrv(srv);
    const sent = makeDataSource().applyTemplateVariables(query({ labels: 'host=$host' }), {
      host: { text: 'a', value: 'a' },
    });
    expect(sent.labels).toBe('host=a');
    expect(sent.variableRefs).toEqual({ labels: ['host'] });
  });

  it('leaves a saved query of plain numbers exactly as it is', () => {
    setTemplateSrv(templateSrv({ tick: '250' }));
    const saved = query({
      tickInterval: 1000,
      lowerLimit: -5,
      upperLimit: 5,
      seed: 3,
      series: 2,
      labels: 'host=h$seriesIndex',
      dropPercent: 5,
      outagePeriod: 60000,
      outageDuration: 5000,
      kind: 'state',
      states: 'OK,CRIT',
    });
    expect(makeDataSource().applyTemplateVariables(saved, {})).toEqual(saved);
  });

  it('names the variable that produced a wrong value, as the backend does', () => {
    setTemplateSrv(templateSrv({ tick: 'fast', s: '-1' }));
    const sent = makeDataSource().applyTemplateVariables(query({ tickInterval: '${tick}', seed: '$s' }), {});
    expect(validateQuery(sent).map((e) => e.message)).toEqual([
      "tickInterval must be a whole number of milliseconds from 10 (the data source's minTickInterval) to 86400000 (24 h); got a string (from the dashboard variable $tick)",
      'seed must be a whole number from 0 to 9007199254740991; got -1 (from the dashboard variable $s)',
    ]);
  });

  it('does not refuse a variable reference in the editor, nor what depends on it', () => {
    setTemplateSrv(templateSrv({ tick: '250', labels: 'host=a$seriesIndex', n: '2' }));
    const ds = makeDataSource();
    expect(ds.validate(query({ tickInterval: '$tick', series: '${n}', labels: '$labels', alias: '${host}' }))).toEqual(
      []
    );
    expect(ds.filterQuery(query({ tickInterval: '[[tick]]' }))).toBe(true);
    // Without a dashboard variable, $x in labels is plain text and judged as such.
    expect(ds.validate(query({ labels: '$x' })).map((e) => e.field)).toEqual(['labels']);
    // Numeric text typed in the editor counts as its number.
    expect(ds.validate(query({ tickInterval: '1e3' }))).toEqual([]);
    expect(ds.validate(query({ tickInterval: 'fast' })).map((e) => e.field)).toEqual(['tickInterval']);
  });

  it('interpolates the gaps fields too: nulls and outages as numbers, values, kind and states as text', () => {
    setTemplateSrv(
      templateSrv({ drop: '5', every: '60000', for: '5000', fib: '1,2,3,5,8', kind: 'state', names: 'LOW,HIGH' })
    );
    const sent = makeDataSource().applyTemplateVariables(
      query({
        dropPercent: '$drop',
        outagePeriod: '${every}',
        outageDuration: '[[for]]',
        shape: 'csv',
        values: '$fib',
        kind: '$kind',
        states: 'OFF,${names}',
      }),
      {}
    );
    expect(sent).toEqual({
      refId: 'A',
      dropPercent: 5,
      outagePeriod: 60000,
      outageDuration: 5000,
      shape: 'csv',
      values: '1,2,3,5,8',
      kind: 'state',
      states: 'OFF,LOW,HIGH',
      variableRefs: {
        dropPercent: ['drop'],
        outagePeriod: ['every'],
        outageDuration: ['for'],
        values: ['fib'],
        kind: ['kind'],
        states: ['names'],
      },
    });
    expect(validateQuery(sent)).toEqual([]);
  });

  it('names the variable that produced a wrong gaps field', () => {
    setTemplateSrv(templateSrv({ drop: '150', kind: 'Logs' }));
    const sent = makeDataSource().applyTemplateVariables(query({ dropPercent: '$drop', kind: '$kind' }), {});
    expect(validateQuery(sent).map((e) => e.message)).toEqual([
      'dropPercent must be a number from 0 to 100; got 150 (from the dashboard variable $drop)',
      'kind must be one of number, state, logs; got a string (from the dashboard variable $kind)',
    ]);
  });

  it('does not judge the gaps rules that a variable decides', () => {
    setTemplateSrv(templateSrv({ every: '60000', kind: 'state', hi: '1000' }));
    const ds = makeDataSource();
    // Judged with the defaults (no outages, kind number, upperLimit 100), each would be refused.
    expect(ds.validate(query({ outagePeriod: '$every', outageDuration: 5000 }))).toEqual([]);
    expect(ds.validate(query({ kind: '$kind', states: 'OK,CRIT' }))).toEqual([]);
    expect(ds.validate(query({ upperLimit: '$hi', lowerLimit: 200, shape: 'csv', values: '500' }))).toEqual([]);
    // The fields a variable does not decide are still judged.
    expect(
      ds.validate(query({ dropPercent: '$every', outagePeriod: 1000, outageDuration: 1000 })).map((e) => e.field)
    ).toEqual(['outageDuration']);
  });

  it('interpolates a shape from a dashboard variable and names the variable when the shape is wrong', () => {
    setTemplateSrv(templateSrv({ shape: 'sine', wrong: 'Sine' }));
    const ds = makeDataSource();
    const sent = ds.applyTemplateVariables(query({ shape: '${shape}', period: 5000 }), {});
    expect(sent).toEqual({ refId: 'A', shape: 'sine', period: 5000, variableRefs: { shape: ['shape'] } });
    expect(validateQuery(sent)).toEqual([]);
    expect(validateQuery(ds.applyTemplateVariables(query({ shape: '[[wrong]]' }), {})).map((e) => e.message)).toEqual([
      'shape must be one of random, walk, sine, square, sawtooth, triangle, csv; got a string: names are lower case, so "Sine" should be "sine" (from the dashboard variable $wrong)',
    ]);
  });

  it('does not judge a shape from a dashboard variable, nor the period and values it decides', () => {
    setTemplateSrv(templateSrv({ shape: 'sine' }));
    const ds = makeDataSource();
    // Judged as the default random shape, values would be refused; judged as a sine, period 0 would be.
    expect(ds.validate(query({ shape: '$shape', period: 0, values: '1,2' }))).toEqual([]);
    // The fields shape does not decide are still judged.
    expect(ds.validate(query({ shape: '$shape', noise: 2 })).map((e) => e.field)).toEqual(['noise']);
    // A reference to no dashboard variable is judged as the text it is.
    expect(ds.validate(query({ shape: '$nope' })).map((e) => e.field)).toEqual(['shape']);
  });

  it('interpolateQuery records every reference of a numeric field, defined or not', () => {
    const sent = interpolateQuery(query({ noise: '$missing' }), { replace: (t) => t, isVariable: () => false });
    expect(sent).toEqual({ refId: 'A', noise: '$missing', variableRefs: { noise: ['missing'] } });
  });
});

describe('variable support', () => {
  it('asks the backend for label values with the queryType set', () => {
    const ds = makeDataSource();
    const spy = jest.spyOn(ds, 'query').mockReturnValue(of({ data: [] }));
    const request = {
      targets: [query({ series: 5, labels: 'host=web-$seriesIndex', labelKey: 'host' })],
    } as DataQueryRequest<TickstreamQuery>;
    (ds.variables as TickstreamVariableSupport).query(request);
    expect(spy).toHaveBeenCalledWith({ targets: [{ ...request.targets[0], queryType: LABEL_VALUES }] });
  });
});

describe('dashboard variables in the faults fields', () => {
  afterEach(() => setTemplateSrv(undefined as unknown as TemplateSrv));

  it('interpolates failPercent, queryDelay and queryDelayJitter as numbers, failMessage and failSource as text', () => {
    setTemplateSrv(templateSrv({ rate: '25', slow: '1500', src: 'plugin', what: 'db' }));
    const sent = makeDataSource().applyTemplateVariables(
      query({
        failPercent: '$rate',
        queryDelay: '${slow}',
        queryDelayJitter: '[[slow]]',
        failSource: '$src',
        failMessage: '$what is down at $time',
      }),
      {}
    );
    expect(sent).toEqual({
      refId: 'A',
      failPercent: 25,
      queryDelay: 1500,
      queryDelayJitter: 1500,
      failSource: 'plugin',
      failMessage: 'db is down at $time', // $time is no dashboard variable: kept as typed
      variableRefs: {
        failPercent: ['rate'],
        queryDelay: ['slow'],
        queryDelayJitter: ['slow'],
        failSource: ['src'],
        failMessage: ['what'],
      },
    });
    expect(validateQuery(sent)).toEqual([]);
  });

  it('names the variable that gave a faults field a wrong value, and the editor does not judge it', () => {
    setTemplateSrv(templateSrv({ rate: 'lots' }));
    const ds = makeDataSource();
    const typed = query({ failPercent: '$rate' });
    expect(ds.validate(typed)).toEqual([]);
    expect(validateQuery(ds.applyTemplateVariables(typed, {}))).toEqual([
      {
        field: 'failPercent',
        kind: 'invalid',
        message: 'failPercent must be a number from 0 to 100; got a string (from the dashboard variable $rate)',
      },
    ]);
  });
});
