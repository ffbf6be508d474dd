import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

/**
 * SHAPE_OPTIONS lists the signal shapes in the order of DEVELOPERS.md (the
 * order the shape error message names them in), with what the editor shows
 * for each. `periodic` shapes repeat every `period` ms; the others ignore it.
 */
export const SHAPE_OPTIONS = [
  {
    value: 'random',
    label: 'Random',
    description: 'An independent uniform value between the limits at every tick.',
    periodic: false,
  },
  {
    value: 'walk',
    label: 'Walk',
    description: 'A smooth bounded random walk: each value is a small step from the one before.',
    periodic: false,
  },
  {
    value: 'sine',
    label: 'Sine',
    description: 'A sine wave from the lower to the upper limit, once per period.',
    periodic: true,
  },
  {
    value: 'square',
    label: 'Square',
    description: 'The upper limit for the first half of each period, the lower limit for the second.',
    periodic: true,
  },
  {
    value: 'sawtooth',
    label: 'Sawtooth',
    description: 'Rises evenly from the lower to the upper limit over each period, then drops back.',
    periodic: true,
  },
  {
    value: 'triangle',
    label: 'Triangle',
    description: 'Rises evenly to the upper limit at mid-period, then falls back to the lower limit.',
    periodic: true,
  },
  {
    value: 'csv',
    label: 'CSV',
    description: 'Your own values, one per tick in turn, exactly: set them in Values.',
    periodic: false,
  },
] as const;

/** Shape is the name of a signal shape, as the query stores it. */
export type Shape = (typeof SHAPE_OPTIONS)[number]['value'];

/** SHAPES are the shape names in contract order. */
export const SHAPES: readonly Shape[] = SHAPE_OPTIONS.map((o) => o.value);

/** isShape is true for a valid shape name. */
export function isShape(value: unknown): value is Shape {
  return typeof value === 'string' && (SHAPES as readonly string[]).includes(value);
}

/**
 * isPeriodic is true for the shapes that use `period`. An invalid or absent
 * shape counts as not periodic, as DEVELOPERS.md says, so its period is
 * neither checked nor kept.
 */
export function isPeriodic(shape: unknown): shape is Shape {
  return SHAPE_OPTIONS.some((o) => o.value === shape && o.periodic);
}

/**
 * TickstreamQuery is one synthetic stream as the panel stores it. The JSON
 * names are an interface shared with the backend (pkg/models) and saved in
 * dashboards, so they never change.
 *
 * Every field is optional because Grafana creates queries without them
 * (a new panel, an old dashboard, an alert rule): an absent field takes its
 * value from DEFAULT_QUERY, on both sides. A field that is present must be a
 * number (`shape`: a string); an emptied input holds NaN here (null once
 * serialised), which is an error and never a default.
 */
export interface TickstreamQuery extends DataQuery {
  /** Milliseconds between points, a whole number from the data source's minTickInterval to 86400000. */
  tickInterval?: NumberOrVariable;
  /** Smallest value; finite and not greater than upperLimit. */
  lowerLimit?: NumberOrVariable;
  /** Largest value; finite, with upperLimit - lowerLimit finite too. */
  upperLimit?: NumberOrVariable;
  /** Selects the random sequence: a whole number from 0 to Number.MAX_SAFE_INTEGER. */
  seed?: NumberOrVariable;
  /** The form of the signal, one of SHAPES; in the browser also a dashboard variable reference, e.g. $shape. */
  shape?: string;
  /** Milliseconds per cycle of a periodic shape, a whole number from 1 to 31536000000 (365 days); ignored otherwise. */
  period?: NumberOrVariable;
  /** Deterministic jitter as a fraction of upperLimit - lowerLimit, from 0 to 1. */
  noise?: NumberOrVariable;
  /** Independent series in the query's frame, a whole number from 1 to the data source's maxSeries. */
  series?: NumberOrVariable;
  /**
   * Labels of every series: comma-separated key=value pairs (TestData's syntax), `$seriesIndex` in a value
   * becoming the series' 1-based number. Default "": series="<n>" when there are several series.
   */
  labels?: string;
  /** Display name of each series, with `$seriesIndex` and `${<label key>}` replaced. Default "": Grafana's naming. */
  alias?: string;
  /**
   * For each field that held dashboard variable references, the names of those variables; set by
   * applyTemplateVariables so that an error can say which variable produced it. Not part of the stream.
   */
  variableRefs?: Record<string, string[]>;
  /** queryType "labelValues" makes the query list the values of the label labelKey across its series (variable queries). */
  queryType?: string;
  /** The label whose values a labelValues query lists. */
  labelKey?: string;
  // The gaps fields (gaps.ts, DEVELOPERS.md rules 20 to 28).
  /** Percent of the points that are null, from 0 to 100, decided by seed, series and tick. */
  dropPercent?: NumberOrVariable;
  /** Milliseconds between outages, aligned to the Unix epoch; 0 for none. */
  outagePeriod?: NumberOrVariable;
  /** Milliseconds without any point at the start of each outagePeriod; 0 for none. */
  outageDuration?: NumberOrVariable;
  /** The csv shape's numbers, separated by commas. */
  values?: string;
  /** What the series carry: number, state or logs. */
  kind?: string;
  /** The state kind's names, separated by commas. */
  states?: string;
  // The faults fields (faults.ts, DEVELOPERS.md rules 30 to 34): they do not change the stream.
  /** Percent of evaluation times at which the query fails. */
  failPercent?: NumberOrVariable;
  /** The error text of a planned failure; empty for the default sentence. */
  failMessage?: string;
  /** The error source of a planned failure: plugin or downstream. */
  failSource?: string;
  /** ms QueryData waits before answering. */
  queryDelay?: NumberOrVariable;
  /** Up to this many ms more, decided per evaluation time. */
  queryDelayJitter?: NumberOrVariable;
  // The overlay fields (overlays.ts, DEVELOPERS.md rules 40 to 44): not part of the stream.
  /** Milliseconds between the annotation events on the epoch grid; 0 for none. */
  eventPeriod?: NumberOrVariable;
  /** Title of the annotation events. Default "": "Tickstream event". */
  eventTitle?: string;
  /** Exemplars per series in the range, at most, from 0 (none) to 100; kind number only. */
  exemplars?: NumberOrVariable;
  /** Data link of each exemplar's traceID: a URL template holding ${__value.raw}. Default "": none. */
  exemplarUrl?: string;
}

/** LABEL_VALUES is the queryType of a variable query (pkg/models.QueryTypeLabelValues). */
export const LABEL_VALUES = 'labelValues';

/** ANNOTATIONS is the queryType of an annotation query (pkg/models.QueryTypeAnnotations). */
export const ANNOTATIONS = 'annotations';

/** LOGS_VOLUME is the queryType of Explore's logs volume query (pkg/models.QueryTypeLogsVolume). */
export const LOGS_VOLUME = 'logsVolume';

/**
 * NumberOrVariable is a numeric field as stored: a number, or text holding a
 * dashboard variable reference ($tick, ${tick}, [[tick]]) that
 * applyTemplateVariables turns into a number before the query is sent.
 */
export type NumberOrVariable = number | string;

/** StreamParams are the fields that define a stream, after defaults are applied. */
export type StreamParams = {
  [K in 'tickInterval' | 'lowerLimit' | 'upperLimit' | 'seed' | 'period' | 'noise' | 'series']: number;
} & { shape: Shape; labels?: string; alias?: string };

/** NumericParam names the stream fields that hold a number, i.e. all but `shape`. */
export type NumericParam = Exclude<keyof StreamParams, 'shape' | 'labels' | 'alias'>;

/** GapsNumberParam names the gaps fields that hold a number (gaps.ts), edited in GapsEditor. */
export type GapsNumberParam = 'dropPercent' | 'outagePeriod' | 'outageDuration';

/** OverlayNumberParam names the overlay fields that hold a number (overlays.ts), edited in OverlaysEditor. */
export type OverlayNumberParam = 'eventPeriod' | 'exemplars';

/**
 * DEFAULT_QUERY holds the defaults of DEVELOPERS.md, the only place they live
 * on the TypeScript side: the editor's placeholders, normalizeQuery and
 * getDefaultQuery all read them here. The backend keeps the same values in
 * pkg/models and testdata/validation-vectors.json checks that both agree.
 * A 1 s tick of one random series between 0 and 100 gives a visibly live
 * panel at negligible cost; a one-minute period shows a periodic shape's
 * whole cycle in a short time range.
 */
export const DEFAULT_QUERY: Readonly<StreamParams> = Object.freeze({
  tickInterval: 1000,
  lowerLimit: 0,
  upperLimit: 100,
  seed: 0,
  shape: 'random',
  period: 60000,
  noise: 0,
  series: 1,
});

/**
 * TickstreamSettings is the data source's jsonData. Every field is optional
 * because provisioning and a freshly created data source may omit them; an
 * absent field takes its value from DEFAULT_SETTINGS. There are no secrets.
 */
export interface TickstreamSettings extends DataSourceJsonData {
  /** Smallest tickInterval a query may use, in ms: a whole number from 1 to 86400000. */
  minTickInterval?: number;
  /** Most points per second (series × ticks) one stream may produce: a whole number from 1 to 10000000. */
  maxPointsPerSecond?: number;
  /** Most series one query may ask for: a whole number from 1 to 10000. */
  maxSeries?: number;
  /** Most messages per second one stream sends (faster ticks are batched): a whole number from 1 to 1000. */
  maxMessageRate?: number;
  /** Most streams the data source runs at once: a whole number from 1 to 1000000. */
  maxStreams?: number;
  /** Most points per second all its streams make together: a whole number from 1 to 1000000000. */
  maxTotalPointsPerSecond?: number;
}

/** EffectiveSettings are the settings a data source runs with, after defaults are applied. */
export type EffectiveSettings = Required<
  Pick<
    TickstreamSettings,
    'minTickInterval' | 'maxPointsPerSecond' | 'maxSeries' | 'maxMessageRate' | 'maxStreams' | 'maxTotalPointsPerSecond'
  >
>;

/**
 * DEFAULT_SETTINGS keeps an unconfigured data source cheap: ticks no faster
 * than 10 ms, i.e. at most 100 points per second per series. The default
 * maxPointsPerSecond of 10000 lets the default 100 series tick every 10 ms
 * and restricts nothing else; administrators lower it to cap the load.
 * 20 messages per second is smooth to the eye while batching fast ticks so
 * the browser is not flooded. maxStreams and maxTotalPointsPerSecond bound
 * all streams together: 10000 streams, and 100000 points per second, about
 * half of a 2-core machine when every point is a message of its own. The
 * backend keeps the same numbers.
 */
export const DEFAULT_SETTINGS: Readonly<EffectiveSettings> = Object.freeze({
  minTickInterval: 10,
  maxPointsPerSecond: 10000,
  maxSeries: 100,
  maxMessageRate: 20,
  maxStreams: 10000,
  maxTotalPointsPerSecond: 100000,
});
