/**
 * What Grafana asks of the data source besides a panel's series: the
 * annotation support (a query's outages and events as annotations) and
 * Explore's logs volume query. Both are answered by QueryData under their
 * own queryType (pkg/plugin/annotations.go, logsvolume.go), so this only
 * tags the queries.
 */
import { AnnotationQuery, AnnotationSupport } from '@grafana/data';

import { ANNOTATIONS, DEFAULT_QUERY, LOGS_VOLUME, TickstreamQuery } from './types';

/** ANNOTATION_REF_ID is the refId of an annotation query whose target has none. */
const ANNOTATION_REF_ID = 'Anno';

/** LOGS_VOLUME_REF_PREFIX is what Explore expects before the refId of the logs query a volume belongs to. */
const LOGS_VOLUME_REF_PREFIX = 'log-volume-';

/**
 * annotationSupport uses Grafana's standard annotation editor, which shows
 * Tickstream's query editor for the annotation's query, and Grafana's
 * standard mapping of the answer's fields time, timeEnd, title, text and
 * tags. The same object serves Grafana 12.4 and 13.2: both read exactly
 * these optional hooks.
 */
export const annotationSupport: AnnotationSupport<TickstreamQuery> = {
  /** A new annotation starts with the defaults and an outage a minute, so it shows something at once. */
  getDefaultQuery: () => ({ ...DEFAULT_QUERY, outagePeriod: 60000, outageDuration: 10000 }),
  prepareQuery: (anno: AnnotationQuery<TickstreamQuery>) => annotationQuery(anno.target),
};

/**
 * annotationQuery is the query an annotation runs: its target, asked for
 * annotations instead of series; none without a target.
 */
export function annotationQuery(target: TickstreamQuery | undefined): TickstreamQuery | undefined {
  if (target === undefined) {
    return undefined;
  }
  return { ...target, refId: target.refId || ANNOTATION_REF_ID, queryType: ANNOTATIONS };
}

/**
 * logsVolumeQuery is the logs volume query of a query of kind logs, under
 * the refId Explore matches to it; undefined for a hidden query and the
 * other kinds, which have no lines to count.
 */
export function logsVolumeQuery(query: TickstreamQuery): TickstreamQuery | undefined {
  if (query.hide || query.kind !== 'logs') {
    return undefined;
  }
  return { ...query, refId: `${LOGS_VOLUME_REF_PREFIX}${query.refId}`, queryType: LOGS_VOLUME };
}
