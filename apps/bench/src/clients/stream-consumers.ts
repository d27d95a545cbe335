import { parseMarketCode, type StreamingSource } from '@marketdata/domain';
import type { Column } from '../report/model.js';
import type { RemoteSim } from '../sim/sim-client.js';
import { wallNowMs } from '../system-clock.js';
import { ccxtSymbol, createCcxtUpbit, instrumentHandleTicker, runCcxtWatchLoop } from './ccxt-client.js';
import { type Ours, requireBuilt } from './ours.js';
import { RawWebSocketStream } from './raw-ws.js';

/** Called with the frame's server time (`timestamp` / `tms`) and the moment the consumer got it, both epoch ms. */
export type LatencyObserver = (serverTimestampMs: number, consumedAtMs: number) => void;

/** A running ticker consumer: counts what it handled until stopped. */
export interface StreamConsumer {
  /** Messages handled so far (decoded, and for ours validated and normalized). */
  handled(): number;
  /** What broke the stream (the simulator cut a too-slow client off, …), if anything did. */
  failure(): Error | undefined;
  stop(): Promise<void>;
}

export interface ConsumerRequest {
  readonly sim: RemoteSim;
  readonly codes: readonly string[];
  readonly onLatency?: LatencyObserver | undefined;
}

/** The raw baseline decodes the same format our adapter subscribes with (SIMPLE, its default). */
export const RAW_FORMAT = 'SIMPLE' as const;

async function rawConsumer(request: ConsumerRequest): Promise<StreamConsumer> {
  const { onLatency } = request;
  const stream = await RawWebSocketStream.open({
    wsUrl: request.sim.wsUrl,
    codes: request.codes,
    format: RAW_FORMAT,
    onFrame: onLatency === undefined ? undefined : (frame) => onLatency(frame.timestamp, frame.receivedAtMs),
  });
  return {
    handled: () => stream.messages,
    failure: () => stream.lastError ?? stream.closedEarly(),
    stop: () => stream.close(),
  };
}

/** Our adapter reconnects by itself; for a measurement a reconnect means the window was not clean. */
function reconnected(source: StreamingSource, before: number): Error | undefined {
  const reconnects = source.status().reconnects - before;
  return reconnects > 0 ? new Error(`the stream reconnected ${reconnects} time(s) during the measurement`) : undefined;
}

async function oursConsumer(ours: Ours, request: ConsumerRequest): Promise<StreamConsumer> {
  const source = requireBuilt(ours.websocket)(request.sim.wsUrl);
  const symbols = request.codes.map((c) => parseMarketCode(c));
  const reconnectsAtStart = source.status().reconnects;
  let yielded = 0;
  const stream = source.watchTickers(symbols);
  const iterator = stream[Symbol.asyncIterator]();
  const { onLatency } = request;
  let running = true;
  let failure: Error | undefined;
  const loop = (async () => {
    try {
      while (running) {
        const next = await iterator.next();
        if (next.done === true) return;
        yielded += 1;
        onLatency?.(next.value.exchangeTimestamp, wallNowMs());
      }
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
  })();
  return {
    // A conflated update was decoded, validated and normalized too; it was only superseded before the consumer
    // looked. Both count as handled.
    handled: () => yielded + stream.stats().conflated,
    failure: () => failure ?? reconnected(source, reconnectsAtStart),
    stop: async () => {
      running = false;
      await iterator.return?.();
      await source.close();
      await loop;
    },
  };
}

async function ccxtConsumer(request: ConsumerRequest): Promise<StreamConsumer> {
  const exchange = await createCcxtUpbit({
    restUrl: request.sim.restUrl,
    wsUrl: request.sim.wsUrl,
    enableRateLimit: false,
  });
  const handled = instrumentHandleTicker(exchange, () => undefined);
  const loop = runCcxtWatchLoop(exchange, request.codes.map(ccxtSymbol), request.onLatency);
  return {
    handled,
    failure: () => loop.error(),
    stop: () => loop.stop(),
  };
}

export function startConsumer(column: Column, ours: Ours, request: ConsumerRequest): Promise<StreamConsumer> {
  switch (column) {
    case 'raw':
      return rawConsumer(request);
    case 'ours':
      return oursConsumer(ours, request);
    case 'ccxt':
      return ccxtConsumer(request);
  }
}
