import { DataFrame, dataFrameToJSON, DataFrameType, DataQueryRequest, dateTime, FieldType } from '@grafana/data';
import { BackendSrv, setBackendSrv, setGrafanaLiveSrv } from '@grafana/runtime';
import { lastValueFrom, of } from 'rxjs';
import { toArray } from 'rxjs/operators';

import { followHashedStreams } from './hashedStreams';
import { makeDataSource } from './testUtils';
import { TickstreamQuery } from './types';

const query = (fields: Partial<TickstreamQuery>): TickstreamQuery => ({ refId: 'A', ...fields });

const request = {
  targets: [query({})],
  range: { from: dateTime(0), to: dateTime(1000) },
} as unknown as DataQueryRequest<TickstreamQuery>;
const frame = (custom?: Record<string, unknown>): DataFrame => ({
  refId: 'A',
  length: 1,
  fields: [{ name: 'time', type: FieldType.time, values: [0], config: {} }],
  meta: custom && { custom },
});

describe('hashed streams', () => {
  it('subscribes to a hashed channel with the definition as subscribe data, starting from the history', async () => {
    const getDataStream = jest.fn(() => of({ data: ['live'], key: 'live' }));
    setGrafanaLiveSrv({ getDataStream } as never);
    const hashed = frame({
      tickstreamChannel: 'ds/tickstream/v1/sha256=abc',
      tickstreamDefinition: 'v1/t=1000/lo=0/hi=100/seed=0/labels=YQ',
    });
    const plain = frame();
    const out = await lastValueFrom(
      followHashedStreams({ data: [hashed, plain] }, request, () => ({ maxLength: 7 })).pipe(toArray())
    );
    expect(getDataStream).toHaveBeenCalledTimes(1);
    const [options] = getDataStream.mock.calls[0] as unknown as [Record<string, any>];
    expect(options.addr).toEqual({
      scope: 'ds',
      stream: 'tickstream',
      path: 'v1/sha256=abc',
      data: { definition: 'v1/t=1000/lo=0/hi=100/seed=0/labels=YQ' },
    });
    expect(options.buffer).toEqual({ maxLength: 7 });
    expect(options.frame.schema.meta?.custom).toBeUndefined(); // never followed twice
    expect(out).toContainEqual({ data: ['live'], key: 'live' });
    expect(out).toContainEqual({ data: [plain] });
  });

  it('follows a hashed stream whose history is No Data (a frame without fields, as in an outage)', async () => {
    const getDataStream = jest.fn(() => of({ data: ['live'], key: 'live' }));
    setGrafanaLiveSrv({ getDataStream } as never);
    const noData: DataFrame = {
      refId: 'A',
      length: 0,
      fields: [],
      meta: {
        type: DataFrameType.TimeSeriesMulti,
        custom: { tickstreamChannel: 'ds/tickstream/v1/sha256=abc', tickstreamDefinition: 'v1/t=1000/labels=YQ' },
      },
    };
    const out = await lastValueFrom(followHashedStreams({ data: [noData] }, request, () => ({})).pipe(toArray()));
    expect(getDataStream).toHaveBeenCalledTimes(1);
    const [options] = getDataStream.mock.calls[0] as unknown as [Record<string, any>];
    expect(options.addr.data).toEqual({ definition: 'v1/t=1000/labels=YQ' });
    expect(options.frame.schema.fields).toEqual([]);
    expect(out).toEqual([{ data: ['live'], key: 'live' }]);
  });

  it('passes a response without hashed frames through untouched', async () => {
    const getDataStream = jest.fn();
    setGrafanaLiveSrv({ getDataStream } as never);
    const rsp = { data: [frame({ other: 1 })] };
    expect(await lastValueFrom(followHashedStreams(rsp, request, () => ({})))).toBe(rsp);
    expect(getDataStream).not.toHaveBeenCalled();
  });
});

describe('DataSource.query', () => {
  it('follows a hashed stream from the backend response, subscribing with its definition', async () => {
    const definition = 'v1/t=1000/lo=0/hi=100/seed=0/labels=YQ';
    const history = frame({ tickstreamChannel: 'ds/tickstream/v1/sha256=abc', tickstreamDefinition: definition });
    setBackendSrv({
      fetch: () => of({ data: { results: { A: { frames: [dataFrameToJSON(history)] } } } }),
    } as unknown as BackendSrv);
    const getDataStream = jest.fn(() => of({ data: ['live'], key: 'live' }));
    setGrafanaLiveSrv({ getDataStream } as never);
    const out = await lastValueFrom(
      makeDataSource()
        .query({ ...request, targets: [query({ labels: 'a=b' })] })
        .pipe(toArray())
    );
    expect(getDataStream).toHaveBeenCalledTimes(1);
    const [options] = getDataStream.mock.calls[0] as unknown as [Record<string, any>];
    expect(options.addr.data).toEqual({ definition });
    expect(options.addr.path).toBe('v1/sha256=abc');
    expect(out).toEqual([{ data: ['live'], key: 'live' }]);
  });
});
