import {
  createUpbitRestSource,
  createUpbitWebSocketSource,
  type UpbitRestSource,
  type UpbitWebSocketSource,
} from '@marketdata/adapters-upbit';
import type { StreamingSource, StreamKind, StreamListener, StreamRecord } from '@marketdata/domain';
import { createFleetGateway, type FleetGateway, type GatewayRestPort } from '@marketdata/nats';
import { type NatsProcess, startNatsProcess } from '@marketdata/nats-testing';
import { startUpbitSim, type UpbitSim } from '@marketdata/upbit-sim';
import { connect, type NatsConnection } from '@nats-io/transport-node';

/** What the gateway got from its Upbit sources, recorded on the way through (to compare with the consumers'). */
export interface Recorded {
  readonly rest: { readonly method: string; readonly value: unknown }[];
  readonly stream: { readonly kind: StreamKind; readonly record: StreamRecord<StreamKind> }[];
}

/** The Upbit REST source, recording every answer it gives the gateway. */
function recordingRest(rest: UpbitRestSource, recorded: Recorded): GatewayRestPort {
  const keep = <T>(method: string, value: Promise<T>): Promise<T> =>
    value.then((answer) => {
      recorded.rest.push({ method, value: answer });
      return answer;
    });
  return {
    channel: 'rest',
    directory: rest.directory,
    getTicker: (symbol, options) => keep('getTicker', rest.getTicker(symbol, options)),
    getTickers: (symbols, options) => keep('getTickers', rest.getTickers(symbols, options)),
    getOrderBook: (symbol, options) => keep('getOrderBook', rest.getOrderBook(symbol, options)),
    getTrades: (symbol, options) => keep('getTrades', rest.getTrades(symbol, options)),
    getCandles: (symbol, query) => keep('getCandles', rest.getCandles(symbol, query)),
    getMarkets: (options) => keep('getMarkets', rest.getMarkets(options)),
    watchTickers: (symbols, options) => rest.watchTickers(symbols, options),
    close: () => rest.close(),
  };
}

/** The Upbit WebSocket source, recording every record its listeners get. */
function recordingStream(source: UpbitWebSocketSource, recorded: Recorded): StreamingSource {
  return new Proxy(source, {
    get(target, property, receiver) {
      if (property !== 'listen') return Reflect.get(target, property, receiver);
      return <K extends StreamKind>(kind: K, symbols: readonly never[], listener: StreamListener<K>) =>
        target.listen(kind, symbols, {
          ...listener,
          onRecord: (record) => {
            recorded.stream.push({ kind, record });
            listener.onRecord(record);
          },
        });
    },
  }) as StreamingSource;
}

export interface GatewayRig {
  readonly sim: UpbitSim;
  readonly nats: NatsProcess;
  readonly recorded: Recorded;
  gateway: FleetGateway;
  gatewayConnection: NatsConnection;
  readonly rest: UpbitRestSource;
  readonly websocket: UpbitWebSocketSource;
  /** Stops the gateway (its sources stay) and starts a new instance on them. */
  restartGateway(): Promise<void>;
  stopGateway(): Promise<void>;
  close(): Promise<void>;
}

/** The simulator (Upbit's limits on), a real nats-server, and the gateway's core over the Upbit adapters. */
export async function startGatewayRig(options: { readonly upstreamLingerMs: number }): Promise<GatewayRig> {
  const nats = await startNatsProcess();
  const sim = await startUpbitSim({ seed: 7, adminPort: false });
  const recorded: Recorded = { rest: [], stream: [] };
  const rest = createUpbitRestSource({ url: sim.restUrl });
  const websocket = createUpbitWebSocketSource({
    url: sim.wsUrl,
    lingerMs: options.upstreamLingerMs,
    idleSocketLingerMs: options.upstreamLingerMs,
  });
  const start = async () => {
    const connection = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    const gateway = createFleetGateway({
      nats: connection,
      streaming: recordingStream(websocket, recorded),
      rest: recordingRest(rest, recorded),
    });
    await gateway.start();
    return { gateway, connection };
  };
  let current: { gateway: FleetGateway; connection: NatsConnection } | undefined = await start();
  const stop = async () => {
    if (current === undefined) return;
    await current.gateway.close();
    await current.connection.close();
    current = undefined;
  };
  const rig: GatewayRig = {
    sim,
    nats,
    recorded,
    gateway: current.gateway,
    gatewayConnection: current.connection,
    rest,
    websocket,
    stopGateway: stop,
    async restartGateway() {
      await stop();
      current = await start();
      rig.gateway = current.gateway;
      rig.gatewayConnection = current.connection;
    },
    async close() {
      await stop();
      await rest.close();
      await websocket.close();
      await sim.close();
      await nats.stop();
    },
  };
  return rig;
}

/** Polls `condition` every 20 ms until it holds; throws with `what` after `timeoutMs`. */
export async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
