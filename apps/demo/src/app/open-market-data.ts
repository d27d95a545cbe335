import { createUpbitRestSource, createUpbitWebSocketSource, type UpbitRestSource } from '@marketdata/adapters-upbit';
import { type BackboneConfig, createMarketData, type MarketData } from '@marketdata/backbone';
import type { Clock, Logger, Random } from '@marketdata/domain';
import type { UpbitEndpoints } from '../config/demo-config.js';
import type { FrameRecorder } from '../record/frame-recorder.js';
import { recordingSocketFactory } from '../record/recording-socket-factory.js';

export interface OpenMarketDataInput {
  readonly endpoints: UpbitEndpoints;
  readonly backbone: BackboneConfig;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  /** Every raw WebSocket frame is also handed to it (--record). */
  readonly recorder: FrameRecorder | undefined;
}

export interface OpenedMarketData {
  /** The REST adapter itself, for the market list (not a facade operation). */
  readonly rest: UpbitRestSource;
  /** The facade; it owns both sources and closes them. */
  readonly marketData: MarketData;
}

/** Both Upbit adapters on the chosen endpoints, composed behind the backbone's facade. */
export function openMarketData(input: OpenMarketDataInput): OpenedMarketData {
  const { endpoints, backbone, clock, random, logger, recorder } = input;
  const rest = createUpbitRestSource({
    url: endpoints.restUrl,
    clock,
    random,
    logger: logger.child({ component: 'rest' }),
  });
  const websocket = createUpbitWebSocketSource({
    url: endpoints.wsUrl,
    clock,
    random,
    logger: logger.child({ component: 'websocket' }),
    ...(recorder === undefined ? {} : { createSocket: recordingSocketFactory((frame) => recorder.record(frame)) }),
  });
  return { rest, marketData: createMarketData({ rest, websocket, clock, logger, config: backbone }) };
}
