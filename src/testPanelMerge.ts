/**
 * Grafana's merge of a live panel's history and stream, with the real
 * StreamingDataFrame of @grafana/data, for the tests that replay what the
 * plugin sends (src/historyAndLive.test.ts, src/liveExemplars.test.ts).
 */
import {
  DataFrame,
  DataFrameJSON,
  dataFrameToJSON,
  StreamingDataFrame,
  StreamingFrameAction,
  StreamingFrameOptions,
} from '@grafana/data';

/** What @grafana/data's getStreamingFrameOptions fills in for options a caller leaves out. */
export const FRAME_OPTION_DEFAULTS: StreamingFrameOptions = {
  maxLength: 1000,
  maxDelta: Infinity,
  action: StreamingFrameAction.Append,
};

/**
 * Grafana's own path from the backend's bytes to the panel's frame, with
 * the real StreamingDataFrame and only its public methods:
 * - toDataQueryResponse parses the query response body; toStreamingDataResponse
 *   sees meta.channel and hands dataFrameToJSON(frame) to the live service;
 * - LiveDataStream (public/app/features/live/centrifuge/LiveDataStream.ts)
 *   keeps one StreamingDataFrame per channel, created with the service's
 *   defaults (maxLength 100, maxDelta Infinity, append), resized to the
 *   panel's options, fed the history first (only while it holds no rows),
 *   then the subscribe reply (InitialData) and each message, and sends the
 *   panel a full frame on a schema change, otherwise the last packet's values;
 * - GrafanaLiveService (public/app/features/live/live.ts) rebuilds the
 *   panel's frame with StreamingDataFrame.deserialize and pushNewValues.
 */
export class PanelMerge {
  readonly channelBuffer = StreamingDataFrame.empty({
    maxLength: 100,
    maxDelta: Infinity,
    action: StreamingFrameAction.Append,
  });
  panel?: StreamingDataFrame;
  private options: StreamingFrameOptions = { ...FRAME_OPTION_DEFAULTS };

  /** A panel subscribes with its query's history frame. */
  subscribe(history: DataFrame, options: Partial<StreamingFrameOptions>) {
    this.options = { ...FRAME_OPTION_DEFAULTS, ...options };
    if (this.channelBuffer.needsResizing(this.options)) {
      this.channelBuffer.resize(this.options);
    }
    if (!this.channelBuffer.hasAtLeastOnePacket()) {
      this.channelBuffer.push(dataFrameToJSON(history));
    }
    this.panel = StreamingDataFrame.deserialize(this.channelBuffer.serialize(undefined, this.options));
  }

  /** A subscribe reply or a message arrives on the channel. */
  receive(msg: DataFrameJSON) {
    const info = this.channelBuffer.push(msg);
    if (info.schemaChanged || !this.panel) {
      this.panel = StreamingDataFrame.deserialize(this.channelBuffer.serialize(undefined, this.options));
    } else {
      this.panel.pushNewValues(this.channelBuffer.getValuesFromLastPacket());
    }
  }
}
