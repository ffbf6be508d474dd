/**
 * Live exemplars. A panel whose range ends at now follows a query's
 * exemplars on a channel of their own (pkg/plugin/exemplars_live.go), as
 * it follows the series: @grafana/runtime subscribes to the exemplar
 * frame's meta.channel (or src/hashedStreams.ts to a hashed one) and
 * Grafana's live service keeps a StreamingDataFrame per channel.
 *
 * That frame keeps the schema's meta, so meta.dataTopic "annotations"
 * still moves it to the panel's annotations, but not the frame's name
 * (@grafana/data's StreamingDataFrame.push never reads it, in 12.4 and
 * 13.2 alike), and the time series panel draws as exemplars only the
 * annotation frames named "exemplar": without a name they would be drawn
 * as annotations. nameLiveExemplars gives them their name back.
 */
import { DataFrame, DataQueryResponse, DataTopic } from '@grafana/data';

/** EXEMPLAR_FRAME_NAME is the name by which Grafana's panels tell exemplars from annotations. */
export const EXEMPLAR_FRAME_NAME = 'exemplar';

/**
 * isLiveExemplarFrame is true for a frame that follows an exemplar channel
 * of the data source uid: its meta.channel is one of the data source's
 * channels (the exemplar channel's schema carries it, and so does the
 * history the stream starts from) and its data topic is annotations, which
 * of all Tickstream's channels only an exemplar channel's frames have.
 */
export function isLiveExemplarFrame(frame: DataFrame, uid: string): boolean {
  const meta = frame.meta;
  return (
    meta?.dataTopic === DataTopic.Annotations &&
    typeof meta.channel === 'string' &&
    meta.channel.startsWith(`ds/${uid}/`)
  );
}

/**
 * nameLiveExemplars names every live exemplar frame of rsp "exemplar",
 * in place: a live frame is the live service's StreamingDataFrame, kept
 * and appended to between responses, so it keeps the name; other frames
 * are left alone. rsp itself is returned.
 */
export function nameLiveExemplars(rsp: DataQueryResponse, uid: string): DataQueryResponse {
  for (const frame of rsp.data ?? []) {
    if (frame && frame.name !== EXEMPLAR_FRAME_NAME && isLiveExemplarFrame(frame, uid)) {
      frame.name = EXEMPLAR_FRAME_NAME;
    }
  }
  return rsp;
}
