import WebSocket from 'ws';
import type { ReplayFormat, ReplayKind } from '../replay/frame-pool.js';
import type { Column } from '../report/model.js';
import { type Ours, requireBuilt } from './ours.js';
import { RawWebSocketStream } from './raw-ws.js';

/** A client reading the replay server until stopped, counting what it handled. */
export interface ReplayConsumer {
  /** Frames handled so far: parsed (raw), validated, mapped and delivered (ours), handled by ccxt's handler. */
  handled(): number;
  /** What broke the stream, if anything did. */
  failure(): Error | undefined;
  /** What the client says about its own count (ours: frames received, delivered, refused), for the notes. */
  account(): string | undefined;
  /** Stops / restarts reading the socket, so that clients can take turns on one machine (raw and ours only). */
  pause?(): void;
  resume?(): void;
  stop(): Promise<void>;
}

export interface ReplayConsumerRequest {
  readonly wsUrl: string;
  /** REST endpoint for ccxt's market list (a simulator); the frames come from `wsUrl`. */
  readonly restUrl: string;
  readonly kind: ReplayKind;
  readonly format: ReplayFormat;
  readonly codes: readonly string[];
}

async function rawConsumer(request: ReplayConsumerRequest): Promise<ReplayConsumer> {
  const { wsUrl, codes, format, kind } = request;
  const stream = await RawWebSocketStream.open({ wsUrl, codes, format, kind });
  return {
    handled: () => stream.messages,
    failure: () => stream.lastError ?? stream.closedEarly(),
    account: () => undefined,
    pause: () => stream.pause(),
    resume: () => stream.resume(),
    stop: () => stream.close(),
  };
}

/** Ours: the WebSocket source asking for the row's format, one `listen` over every code. */
function oursConsumer(ours: Ours, request: ReplayConsumerRequest): ReplayConsumer {
  let socket: WebSocket | undefined;
  const source = requireBuilt(ours.websocket)(request.wsUrl, {
    format: request.format,
    // The adapter's own socket (its default factory), kept to pause reading while raw takes its turn.
    createSocket: (url, options) => {
      socket = new WebSocket(url, options);
      return socket;
    },
  });
  let delivered = 0;
  let failure: Error | undefined;
  const handle = source.listen(request.kind, request.codes, {
    onRecord: () => {
      delivered += 1;
    },
    onError: (error) => {
      failure = error;
    },
  });
  const reconnects = source.status().reconnects;
  return {
    handled: () => delivered,
    failure: () => {
      if (failure !== undefined) return failure;
      const more = source.status().reconnects - reconnects;
      return more > 0 ? new Error(`the stream reconnected ${more} time(s) during the measurement`) : undefined;
    },
    account: () => {
      const status = source.status();
      return `ours received ${status.framesReceived.toLocaleString('en-US')} frames, delivered ${delivered.toLocaleString('en-US')}, malformed ${status.malformedFrames}, repeats ${status.duplicateTrades}`;
    },
    pause: () => socket?.pause(),
    resume: () => socket?.resume(),
    stop: async () => {
      handle.release();
      await source.close();
    },
  };
}

async function ccxtConsumer(request: ReplayConsumerRequest): Promise<ReplayConsumer> {
  // Loaded on demand: ccxt takes a second to import, which a process measuring raw and ours need not pay.
  const { ccxtSymbol, createCcxtUpbit, instrumentHandler, runCcxtTradeLoop, runCcxtWatchLoop } = await import(
    './ccxt-client.js'
  );
  const exchange = await createCcxtUpbit({ restUrl: request.restUrl, wsUrl: request.wsUrl, enableRateLimit: false });
  const symbols = request.codes.map(ccxtSymbol);
  const trades = request.kind === 'trade';
  const handled = instrumentHandler(exchange, trades ? 'handleTrades' : 'handleTicker', () => undefined);
  const loop = trades ? runCcxtTradeLoop(exchange, symbols) : runCcxtWatchLoop(exchange, symbols);
  return { handled, failure: () => loop.error(), account: () => undefined, stop: () => loop.stop() };
}

/** ccxt reads DEFAULT frames only (its handlers look up `type`), so SIMPLE rows have no ccxt column. */
export function ccxtReads(format: ReplayFormat): boolean {
  return format === 'DEFAULT';
}

export function startReplayConsumer(
  column: Column,
  ours: Ours,
  request: ReplayConsumerRequest,
): Promise<ReplayConsumer> {
  switch (column) {
    case 'raw':
      return rawConsumer(request);
    case 'ours':
      return Promise.resolve().then(() => oursConsumer(ours, request));
    case 'ccxt':
      return ccxtConsumer(request);
  }
}
