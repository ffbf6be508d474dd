/**
 * A stream whose definition does not fit Grafana's 160-character channel id
 * is named by a hash of it (pkg/channel), and the channel needs the
 * definition as subscribe data. @grafana/runtime follows a frame's
 * meta.channel without any subscribe data (grafana#60783), so for such a
 * stream QueryData leaves meta.channel unset and puts the channel and the
 * definition in meta.custom instead; followHashedStreams subscribes to it
 * with the definition, as @grafana/runtime's toStreamingDataResponse does
 * for a plain channel.
 */
import {
  DataFrame,
  dataFrameToJSON,
  DataQueryRequest,
  DataQueryResponse,
  LiveChannelAddress,
  parseLiveChannelAddress,
} from '@grafana/data';
import { getGrafanaLiveSrv, StreamingFrameOptions } from '@grafana/runtime';
import { merge, Observable, of } from 'rxjs';

/** HashedStream is what QueryData puts in meta.custom for a hashed channel. */
interface HashedStream {
  tickstreamChannel: string;
  tickstreamDefinition: string;
}

function hashedStream(frame: DataFrame): HashedStream | undefined {
  const custom = frame.meta?.custom;
  if (typeof custom?.tickstreamChannel === 'string' && typeof custom?.tickstreamDefinition === 'string') {
    return { tickstreamChannel: custom.tickstreamChannel, tickstreamDefinition: custom.tickstreamDefinition };
  }
  return undefined;
}

/**
 * hashedStreamAddress is the channel address of a hashed stream: its id
 * split as Grafana does (`stream`, which Grafana 12.4 renamed from
 * `namespace`, grafana#125801; the plugin needs Grafana 13.2), and the
 * definition as the subscribe data that SubscribeStream and RunStream read.
 */
export function hashedStreamAddress(channel: string, definition: string): LiveChannelAddress | undefined {
  const addr = parseLiveChannelAddress(channel);
  if (!addr) {
    return undefined;
  }
  return { ...addr, data: { definition } };
}

/**
 * followHashedStreams turns each hashed frame of rsp into a live stream
 * that starts from the frame (its history), like a plain channel's; the
 * other frames pass through. The live frames carry no meta.custom marker,
 * so they are never followed twice; their meta.channel is the hashed
 * channel, which nothing follows by itself since the response that
 * @grafana/runtime reads for meta.channel is already behind them.
 */
export function followHashedStreams<Q extends DataQueryRequest['targets'][number]>(
  rsp: DataQueryResponse,
  request: DataQueryRequest<Q>,
  bufferOptions: (request: DataQueryRequest<Q>, frame: DataFrame) => Partial<StreamingFrameOptions>
): Observable<DataQueryResponse> {
  const frames: DataFrame[] = rsp.data ?? [];
  const live = getGrafanaLiveSrv();
  if (!live || !frames.some((f) => hashedStream(f))) {
    return of(rsp);
  }
  const rest: DataFrame[] = [];
  const streams: Array<Observable<DataQueryResponse>> = [];
  for (const f of frames) {
    const hashed = hashedStream(f);
    const addr = hashed && hashedStreamAddress(hashed.tickstreamChannel, hashed.tickstreamDefinition);
    if (!addr) {
      rest.push(f);
      continue;
    }
    const { tickstreamChannel, tickstreamDefinition, ...custom } = f.meta?.custom ?? {};
    // meta.channel says which channel the live frame follows, as it does
    // for a plain channel (src/liveExemplars.ts reads it).
    const frame: DataFrame = {
      ...f,
      meta: { ...f.meta, channel: tickstreamChannel, custom: Object.keys(custom).length > 0 ? custom : undefined },
    };
    streams.push(live.getDataStream({ addr, buffer: bufferOptions(request, frame), frame: dataFrameToJSON(frame) }));
  }
  if (rest.length > 0) {
    streams.push(of({ ...rsp, data: rest }));
  }
  return streams.length === 1 ? streams[0] : merge(...streams);
}
