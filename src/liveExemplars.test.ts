import fs from 'fs';
import path from 'path';

import {
  DataFrame,
  dataFrameToJSON,
  DataQueryRequest,
  DataTopic,
  dateTime,
  FieldType,
  StreamingDataFrame,
  StreamingFrameAction,
} from '@grafana/data';
import { DataSourceWithBackend, setGrafanaLiveSrv, toDataQueryResponse } from '@grafana/runtime';
import { lastValueFrom, of } from 'rxjs';
import { toArray } from 'rxjs/operators';

import { followHashedStreams } from './hashedStreams';
import { isLiveExemplarFrame, nameLiveExemplars } from './liveExemplars';
import { PanelMerge } from './testPanelMerge';
import { makeDataSource } from './testUtils';
import { TickstreamQuery } from './types';

/**
 * What a live panel with exemplars receives on its exemplar channel,
 * recorded from the real Go handlers by TestExemplarFixture
 * (pkg/plugin/exemplars_fixture_test.go).
 */
interface ExemplarFixture {
  fromMs: number;
  toMs: number;
  maxDataPoints: number;
  queryData: string;
  path: string;
  initialData: string;
  messages: string[];
}

const fixture: ExemplarFixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'testdata', 'live-exemplars.json'), 'utf8')
);

const request = {
  targets: [{ refId: 'A' }],
  range: { from: dateTime(fixture.fromMs), to: dateTime(fixture.toMs) },
  rangeRaw: { from: 'now-1s', to: 'now' },
  maxDataPoints: fixture.maxDataPoints,
} as unknown as DataQueryRequest<TickstreamQuery>;

type Row = [number, number, string, string];

function rowsOf(frame: DataFrame): Row[] {
  const [time, value, traceID, host] = frame.fields;
  return time.values.map((t: number, i: number): Row => [t, value.values[i], traceID.values[i], host.values[i]]);
}

/** The query response, as @grafana/runtime parses /api/ds/query: the series, then the exemplars. */
function queryResponse(): { series: DataFrame; history: DataFrame } {
  const rsp = toDataQueryResponse({ data: JSON.parse(fixture.queryData) }, [{ refId: 'A' }]);
  expect(rsp.data).toHaveLength(2);
  const [series, history] = rsp.data as DataFrame[];
  return { series, history };
}

/** The exemplar channel's frame as Grafana's live service hands it to the panel. */
function livePanelFrame(history: DataFrame): StreamingDataFrame {
  const merge = new PanelMerge();
  merge.subscribe(history, {
    maxLength: fixture.maxDataPoints,
    maxDelta: fixture.toMs - fixture.fromMs,
    action: StreamingFrameAction.Append,
  });
  merge.receive(JSON.parse(fixture.initialData));
  for (const m of fixture.messages) {
    merge.receive(JSON.parse(m));
  }
  return merge.panel!;
}

afterEach(() => jest.restoreAllMocks());

describe('live exemplars, fed the plugin’s real bytes through Grafana’s StreamingDataFrame', () => {
  it('QueryData points the exemplar frame at its own channel, beside the series’', () => {
    const { series, history } = queryResponse();
    expect(series.meta?.channel).toMatch(/^ds\/tickstream\/v1\//);
    expect(history.name).toBe('exemplar');
    expect(history.meta?.dataTopic).toBe(DataTopic.Annotations);
    expect(history.meta?.channel).toBe(`ds/tickstream/${fixture.path}`);
    // A 2 s range at a 10 ms tick can hold 201 ticks: 10 exemplars a
    // series are at most one every ceil(201 / 10) = 21 ticks.
    expect(history.meta?.channel).toBe(`${series.meta?.channel}/ex=21`);
  });

  it('loses the frame name in Grafana’s streaming frame, and query() gives it back', async () => {
    const { series, history } = queryResponse();
    const historyRows = rowsOf(history); // before the merge appends to the arrays it shares with history
    const panel = livePanelFrame(history);
    // What Grafana's merge keeps: the schema's meta (so the frame still
    // goes to the panel's annotations), not the name.
    expect(panel.meta?.dataTopic).toBe(DataTopic.Annotations);
    expect(panel.meta?.channel).toBe(history.meta?.channel);
    expect(panel.name).toBeUndefined();

    // The live service's responses pass through the data source's query().
    jest
      .spyOn(DataSourceWithBackend.prototype, 'query')
      .mockReturnValue(of({ data: [panel], key: 'exemplars' }, { data: [series], key: 'series' }));
    const out = await lastValueFrom(makeDataSource().query(request).pipe(toArray()));
    expect(out).toHaveLength(2);
    const live = out[0].data[0] as DataFrame;
    expect(live).toBe(panel); // the live service's own frame, appended to later
    expect(live.name).toBe('exemplar');
    expect(live.meta?.dataTopic).toBe(DataTopic.Annotations);
    expect(out[1].data[0].name).toBe(series.name); // the series are left alone

    // The panel holds the history's exemplars, then every streamed one, in order.
    const streamed = fixture.messages.flatMap((m) => {
      const v = JSON.parse(m).data.values;
      return v[0].map((t: number, i: number): Row => [t, v[1][i], v[2][i], v[3][i]]);
    });
    expect(streamed.length).toBeGreaterThan(0);
    // The panel's range (maxDelta) trims the oldest as the stream goes on;
    // what it holds is the tail of history and stream together, history
    // included.
    const all = [...historyRows, ...streamed];
    const shown = rowsOf(live);
    expect(shown).toEqual(all.slice(all.length - shown.length));
    expect(shown.length).toBeGreaterThan(streamed.length);
    const lastHistory = historyRows[historyRows.length - 1][0];
    expect(streamed[0][0]).toBeGreaterThan(lastHistory);
    expect(live.fields.map((f) => f.name)).toEqual(['time', 'value', 'traceID', 'host']);
  });

  it('names only live exemplar frames of this data source', () => {
    const frame = (meta: DataFrame['meta'], name?: string): DataFrame => ({
      name,
      length: 0,
      fields: [{ name: 'time', type: FieldType.time, values: [], config: {} }],
      meta,
    });
    const exemplars = frame({
      dataTopic: DataTopic.Annotations,
      channel: 'ds/tickstream/v1/t=1000/lo=0/hi=100/seed=0/ex=5',
    });
    const series = frame({ channel: 'ds/tickstream/v1/t=1000/lo=0/hi=100/seed=0' });
    const annotationQuery = frame({ dataTopic: DataTopic.Annotations }); // an annotation query's frame: no channel
    const otherSource = frame({
      dataTopic: DataTopic.Annotations,
      channel: 'ds/other/v1/t=1000/lo=0/hi=100/seed=0/ex=5',
    });
    const rsp = { data: [exemplars, series, annotationQuery, otherSource] };
    expect(nameLiveExemplars(rsp, 'tickstream')).toBe(rsp);
    expect(rsp.data.map((f) => f.name)).toEqual(['exemplar', undefined, undefined, undefined]);
    expect(isLiveExemplarFrame(series, 'tickstream')).toBe(false);
    expect(nameLiveExemplars({ data: [] }, 'tickstream')).toEqual({ data: [] });
  });

  it('gives a hashed exemplar channel’s live frame its channel, so it is named too', async () => {
    const getDataStream = jest.fn(() => of({ data: [], key: 'live' }));
    setGrafanaLiveSrv({ getDataStream } as never);
    const { history } = queryResponse();
    const hashed: DataFrame = {
      ...history,
      meta: {
        dataTopic: DataTopic.Annotations,
        custom: { tickstreamChannel: 'ds/tickstream/v1/sha256=abc', tickstreamDefinition: `${fixture.path}/exurl=YQ` },
      },
    };
    await lastValueFrom(followHashedStreams({ data: [hashed] }, request, () => ({})).pipe(toArray()));
    const [options] = getDataStream.mock.calls[0] as unknown as [{ frame: ReturnType<typeof dataFrameToJSON> }];
    const live = StreamingDataFrame.fromDataFrameJSON(options.frame);
    expect(live.name).toBeUndefined();
    expect(isLiveExemplarFrame(live, 'tickstream')).toBe(true);
  });
});
