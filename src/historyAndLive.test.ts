import fs from 'fs';
import path from 'path';

import { DataFrame, Labels, StreamingFrameAction, StreamingFrameOptions } from '@grafana/data';
import { toDataQueryResponse } from '@grafana/runtime';

import { PanelMerge } from './testPanelMerge';

/**
 * What one live panel receives, recorded from the real Go handlers by
 * TestPanelFixture (pkg/plugin/panel_fixture_test.go): the /api/ds/query
 * body, SubscribeStream's InitialData and the stream's messages, each the
 * exact string the plugin produced.
 */
interface Scenario {
  name: string;
  fromMs: number;
  toMs: number;
  maxDataPoints: number;
  queryAtMs: number;
  streamStartMs: number;
  subscribeAtMs: number;
  queryData: string;
  path: string;
  initialData: string;
  messages: string[];
}

const fixture: { scenarios: Scenario[] } = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'testdata', 'history-and-live.json'), 'utf8')
);
const TICK = 10; // the fixture's tickInterval
const SERIES = 3;

function scenario(name: string): Scenario {
  const s = fixture.scenarios.find((x) => x.name === name);
  if (!s) {
    throw new Error(`testdata/history-and-live.json has no scenario ${name}: rerun TestPanelFixture`);
  }
  return s;
}

/**
 * The buffer options of @grafana/runtime's standardStreamOptionsProvider
 * (utils/DataSourceWithBackend.ts, the same in 12.3 to 13.2), for a
 * dashboard range that ends at "now": not exported, so restated here.
 */
function panelBufferOptions(s: Scenario): Partial<StreamingFrameOptions> {
  return {
    maxLength: s.maxDataPoints ?? 500,
    maxDelta: s.toMs - s.fromMs,
    action: StreamingFrameAction.Append,
  };
}

/** The frame a panel gets from the query response (refId A). */
function historyFrame(s: Scenario): DataFrame {
  const rsp = toDataQueryResponse({ data: JSON.parse(s.queryData) }, [{ refId: 'A' }]);
  expect(rsp.data).toHaveLength(1);
  const frame: DataFrame = rsp.data[0];
  expect(frame.meta?.channel).toBe(`ds/tickstream/${s.path}`);
  return frame;
}

/** Replays a scenario: the history, the subscribe reply, every message. */
function play(s: Scenario): PanelMerge {
  const merge = new PanelMerge();
  merge.subscribe(historyFrame(s), panelBufferOptions(s));
  merge.receive(JSON.parse(s.initialData));
  for (const m of s.messages) {
    merge.receive(JSON.parse(m));
  }
  return merge;
}

interface Row {
  time: number;
  values: number[];
}

function rowsOf(frame: DataFrame): Row[] {
  const [time, ...values] = frame.fields;
  return time.values.map((t: number, i: number) => ({ time: t, values: values.map((f) => f.values[i]) }));
}

/** The rows as the plugin sent them: the history's, then each message's. */
function sentRows(s: Scenario): { history: Row[]; live: Row[] } {
  const live = s.messages.flatMap((m) => {
    const v: number[][] = JSON.parse(m).data.values;
    return v[0].map((t, i) => ({ time: t, values: v.slice(1).map((col) => col[i]) }));
  });
  return { history: rowsOf(historyFrame(s)), live };
}

// StreamingDataFrame keeps no frame name (push never reads it), so the
// panel tells its series apart by field names and labels alone.
function expectShape(frame: DataFrame) {
  expect(frame.fields.map((f) => f.name)).toEqual(['time', ...Array(SERIES).fill('value')]);
  expect(frame.fields.map((f) => f.labels)).toEqual([
    undefined,
    ...Array.from({ length: SERIES }, (_, i): Labels => ({ series: String(i + 1) })),
  ]);
}

function expectStrictlyIncreasing(rows: Row[]) {
  rows.forEach((r, i) => {
    if (i > 0) {
      expect(r.time).toBeGreaterThan(rows[i - 1].time);
    }
  });
}

describe('a live panel, fed the plugin’s real bytes through Grafana’s StreamingDataFrame', () => {
  it('keeps names and labels from the history through every live message', () => {
    for (const s of fixture.scenarios) {
      expectShape(play(s).panel!);
    }
  });

  it('holds the history, then every live tick once and in order, trimmed to maxLength', () => {
    const s = scenario('maxLength');
    const { history, live } = sentRows(s);
    // The history is thinned to every 3rd tick; the stream started in the
    // query's message window, so live continues right after the history's
    // last tick, thinned or not, and sends every tick.
    const lastHistory = history[history.length - 1].time;
    expect(live[0].time).toBeGreaterThan(lastHistory);
    expect(live[0].time).toBeLessThanOrEqual(lastHistory + 3 * TICK);
    live.forEach((r, i) => expect(r.time).toBe(live[0].time + i * TICK));

    const panel = play(s).panel!;
    const rows = rowsOf(panel);
    expect(panel.length).toBe(s.maxDataPoints);
    expect(rows).toEqual([...history, ...live].slice(-s.maxDataPoints));
    expect(rows.filter((r) => r.time <= lastHistory).length).toBeGreaterThan(0); // history and live both show
    expect(rows.length).toBeLessThan(history.length + live.length); // and the oldest were trimmed
    expectStrictlyIncreasing(rows);
  });

  it('continues a joining panel’s history with the next tick: no gap, no repeat', () => {
    const s = scenario('joining');
    expect(s.streamStartMs).toBeLessThan(s.queryAtMs); // the stream ran before the panel came
    const panel = play(s).panel!;
    const rows = rowsOf(panel);
    const { history, live } = sentRows(s);
    const newest = live[live.length - 1].time;
    expect(rows).toEqual([...history, ...live].filter((r) => r.time >= newest - (s.toMs - s.fromMs)));
    expect(rows.filter((r) => r.time <= history[history.length - 1].time).length).toBeGreaterThan(0);
    // Unthinned, every row is the tick after the one before, across the
    // handover from history to live.
    rows.forEach((r, i) => {
      if (i > 0) {
        expect(r.time - rows[i - 1].time).toBe(TICK);
      }
    });
    expect(live[0].time).toBe(history[history.length - 1].time + TICK);
  });

  it('drops rows older than the range (maxDelta) and shows a batch missed before the stream started in neither', () => {
    const s = scenario('maxDelta');
    const { history, live } = sentRows(s);
    const lastHistory = history[history.length - 1].time;
    const firstLive = live[0].time;

    const panel = play(s).panel!;
    const rows = rowsOf(panel);
    const newest = live[live.length - 1].time;
    const inRange = (r: Row) => r.time >= newest - (s.toMs - s.fromMs);
    expect(rows).toEqual([...history, ...live].filter(inRange));
    expect(rows.length).toBeLessThan(s.maxDataPoints);
    expect(rows[0].time).toBeGreaterThan(history[0].time); // the oldest history is out of the range
    expect(rows.filter((r) => r.time <= lastHistory).length).toBeGreaterThan(0); // the rest still shows
    expectStrictlyIncreasing(rows);
    // The window of docs/history-and-live.md: the stream started after the
    // next message tick, so the batch between is in neither, and no more.
    const missing: number[] = [];
    for (let t = lastHistory + TICK; t < firstLive; t += TICK) {
      missing.push(t);
    }
    expect(missing.length).toBeGreaterThan(0);
    expect(lastHistory + TICK).toBeLessThan(s.streamStartMs);
    expect(firstLive).toBeLessThanOrEqual(s.streamStartMs);
    expect(rows.filter((r) => missing.includes(r.time))).toEqual([]);
  });
});

describe('a live panel whose history falls in an outage', () => {
  // Alert rules read a frame of the type without fields as No Data
  // (grafana/dataplane), so that is what QueryData answers for a range
  // without rows; the panel must still take the stream's schema from the
  // subscribe reply and show every live tick after the outage.
  it('gets the No Data frame with meta.channel, then shows every live tick with names and labels', () => {
    const s = scenario('outage');
    const history = historyFrame(s);
    expect(history.fields).toEqual([]);
    expect(history.meta?.type).toBe('timeseries-wide');

    const panel = play(s).panel!;
    expectShape(panel);
    const live = s.messages.flatMap((m) => {
      const v: number[][] = JSON.parse(m).data.values;
      return v[0].map((t, i) => ({ time: t, values: v.slice(1).map((col) => col[i]) }));
    });
    expect(live.length).toBeGreaterThan(s.messages.length); // several ticks, every one shown
    expect(rowsOf(panel)).toEqual(live);
    expect(live[0].time).toBeGreaterThan(s.queryAtMs); // the first tick after the outage
  });
});

/**
 * Why the plugin does not close that window by sending earlier ticks
 * (docs/history-and-live.md, "The small window between history and live").
 */
describe('what Grafana’s merge does with rows the history already has', () => {
  it('appends a repeated tick a second time, out of order, with no de-duplication by time', () => {
    const s = scenario('maxDelta');
    const merge = play(s);
    const before = rowsOf(merge.panel!);
    const last = before[before.length - 1];
    const overlap = JSON.parse(s.messages[s.messages.length - 2]); // ticks the panel already holds
    merge.receive(overlap);
    const after = rowsOf(merge.panel!);
    const repeated = overlap.data.values[0] as number[];
    expect(after.slice(before.length).map((r) => r.time)).toEqual(repeated);
    expect(repeated[0]).toBeLessThan(last.time);
    expect(after.filter((r) => r.time === repeated[0])).toHaveLength(2);
  });

  it('appends rows that come with the subscribe reply after the history, so InitialData with rows would repeat them', () => {
    const s = scenario('maxLength');
    const merge = new PanelMerge();
    merge.subscribe(historyFrame(s), panelBufferOptions(s));
    const withRows = JSON.parse(s.queryData).results.A.frames[0]; // schema and the history's rows
    merge.receive(withRows);
    const times = rowsOf(merge.panel!).map((r) => r.time);
    expect(new Set(times).size).toBeLessThan(times.length);
  });

  it('ignores a second history on the same channel while its buffer has rows, so a refresh does not refill the window', () => {
    const s = scenario('maxDelta');
    const merge = play(s);
    const before = rowsOf(merge.panel!);
    const complete = scenario('maxLength'); // the same query's history, another instant
    merge.subscribe(historyFrame(complete), panelBufferOptions(s));
    expect(rowsOf(merge.panel!)).toEqual(before);
  });
});
