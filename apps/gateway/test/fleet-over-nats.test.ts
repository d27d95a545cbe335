import { createMarketData } from '@marketdata/backbone';
import {
  type ChannelTicker,
  isChannelUnavailableError,
  isDataValidationError,
  isQueueFullError,
  isUnknownSymbolError,
  type MarketCode,
  type StreamKind,
  type StreamRecord,
} from '@marketdata/domain';
import {
  createFleetGateway,
  createFleetSources,
  decodeReply,
  type FleetSources,
  fleetSubjects,
  type GatewayRestPort,
} from '@marketdata/nats';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayRig, startGatewayRig, until } from './support/gateway-rig.js';

/**
 * The gateway's core over the Upbit adapters against the simulator (Upbit's limits on), a real nats-server, and
 * consumers through `createFleetSources`: what a consumer gets is exactly what the gateway got from Upbit.
 */
let rig: GatewayRig;
let codes: MarketCode[];
const opened: FleetSources[] = [];

function consumer(): FleetSources {
  const fleet = createFleetSources({ natsUrl: rig.nats.url, lingerMs: 300 });
  opened.push(fleet);
  return fleet;
}

/** A record without its process-local monotonic stamp: everything else must be equal, exactly. */
function strip<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (key, field) => (key === 'receivedAtMonotonic' ? undefined : field)));
}

function lastRest(method: string): unknown {
  const found = rig.recorded.rest.findLast((entry) => entry.method === method);
  if (found === undefined) throw new Error(`the gateway made no ${method} call`);
  return found.value;
}

function gatewayRecords(kind: StreamKind, symbol: MarketCode): unknown[] {
  return rig.recorded.stream
    .filter((entry) => entry.kind === kind && entry.record.symbol === symbol)
    .map((entry) => strip(entry.record));
}

beforeAll(async () => {
  rig = await startGatewayRig({ upstreamLingerMs: 500 });
  codes = rig.sim.control.marketCodes() as MarketCode[];
}, 60_000);

afterAll(async () => {
  for (const fleet of opened) await fleet.close();
  await rig?.close();
}, 60_000);

describe('request/reply through the gateway', () => {
  it("answers every REST-style call with the gateway's own records, provenance and numbers exact", async () => {
    const fleet = consumer();
    const [a, b] = codes as [MarketCode, MarketCode];
    const ticker = await fleet.rest.getTicker(a);
    expect(strip(ticker)).toEqual(strip(lastRest('getTicker')));
    expect(ticker).toMatchObject({ source: 'rest', symbol: a });
    expect(ticker.receivedAtMonotonic).toBeLessThanOrEqual(performance.now());

    const book = await fleet.rest.getOrderBook(b);
    expect(strip(book)).toEqual(strip(lastRest('getOrderBook')));
    const trades = await fleet.rest.getTrades(a, { count: 5 });
    expect(trades.length).toBe(5);
    expect(strip(trades)).toEqual(strip(lastRest('getTrades')));
    const candles = await fleet.rest.getCandles(a, { interval: { unit: 'minutes', size: 1 }, count: 3 });
    expect(candles.length).toBe(3);
    expect(strip(candles)).toEqual(strip(lastRest('getCandles')));
    const markets = await fleet.rest.getMarkets();
    expect(markets.map((m) => m.symbol).sort()).toEqual([...codes].sort());
    expect(strip(markets)).toEqual(strip(lastRest('getMarkets')));
  });

  it('isolates an unknown market in a batch with the same typed error the gateway got', async () => {
    const fleet = consumer();
    const [a] = codes as [MarketCode];
    const results = await fleet.rest.getTickers([a, 'KRW-NOPE' as MarketCode]);
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    const failed = results[1];
    if (failed === undefined || failed.ok) throw new Error('expected a failure');
    expect(isUnknownSymbolError(failed.error)).toBe(true);
    const original = (lastRest('getTickers') as { ok: boolean; error?: Error }[]).find((r) => !r.ok)?.error;
    expect(failed.error.message).toBe(original?.message);
    await expect(fleet.rest.getTicker('KRW-NOPE' as MarketCode)).rejects.toSatisfy(isUnknownSymbolError);
  });

  it('answers a malformed request with a typed error naming the field', async () => {
    const subjects = fleetSubjects();
    const bad = new TextEncoder().encode(JSON.stringify({ v: 1, symbol: 'krw-btc', timeoutMs: 1_000 }));
    const msg = await rig.gatewayConnection.request(subjects.rpc('getTicker'), bad, { timeout: 5_000 });
    const reply = decodeReply('getTicker', msg.data, 0);
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(isDataValidationError(reply.error)).toBe(true);
    expect(reply.error).toMatchObject({ path: '$.symbol' });
  });
});

describe('streams through the gateway', () => {
  it('delivers exactly the records the gateway got from Upbit, on demand only, released after linger', async () => {
    const fleet = consumer();
    const watched = codes.slice(10, 13);
    const kinds = ['ticker', 'trade', 'orderbook', 'candle.1m'] as const;
    const got: Record<(typeof kinds)[number], StreamRecord<StreamKind>[]> = {
      ticker: [],
      trade: [],
      orderbook: [],
      'candle.1m': [],
    };
    const handles = kinds.map((kind) =>
      fleet.websocket.listen(kind, watched, { onRecord: (record) => got[kind].push(record) }),
    );
    await until(
      'records of every kind',
      () =>
        got.ticker.length >= 6 && got.orderbook.length >= 6 && got.trade.length >= 3 && got['candle.1m'].length >= 3,
    );
    const subscribed = (type: string) =>
      rig.sim.control
        .subscriptions()
        .filter((s) => s.type === type)
        .flatMap((s) => s.codes.map((code) => code.replace(/\.\d+$/, '')));
    expect(new Set(subscribed('ticker'))).toEqual(new Set(watched));
    expect(new Set(subscribed('trade'))).toEqual(new Set(watched));

    for (const kind of kinds) {
      for (const record of got[kind]) {
        expect(gatewayRecords(kind, record.symbol)).toContainEqual(strip(record));
      }
    }
    const firstSymbol = watched[0] as MarketCode;
    const trades = got.trade
      .filter((t) => t.symbol === firstSymbol)
      .map((t) => (t as { sequentialId: string }).sequentialId);
    const gatewayTrades = gatewayRecords('trade', firstSymbol).map((t) => (t as { sequentialId: string }).sequentialId);
    expect(gatewayTrades.join(' ')).toContain(trades.join(' '));
    expect(fleet.websocket.diagnostics()).toMatchObject({ lost: 0 });

    for (const handle of handles) handle.release();
    await until(
      'the simulator to drop the released feeds',
      () => rig.sim.control.subscriptions().every((s) => s.codes.length === 0),
      10_000,
    );
  });

  it('works unchanged behind the facade: graded tickers, healthy', async () => {
    const fleet = consumer();
    const md = createMarketData({ rest: fleet.rest, websocket: fleet.websocket });
    const stream = md.watchTickers(codes.slice(20, 22));
    const first = await stream.next();
    expect(first.done).toBe(false);
    expect((first.value as { quality: string }).quality).toBeDefined();
    await until('a healthy facade', () => md.health().status === 'ok');
    await stream.return?.();
    await md.close();
  });
});

describe('the full facade over the fleet', () => {
  it('pages candles past one answer and serves watchCandles: REST history through request/reply, then the stream', async () => {
    const fleet = consumer();
    const md = createMarketData({ rest: fleet.rest, websocket: fleet.websocket });
    try {
      const symbol = codes[0] as MarketCode;
      const list = await md.getCandles(symbol, { interval: '1m', count: 1_500 });
      const opens = list.candles.map((candle) => candle.openTime);
      expect(opens.length).toBe(1_500);
      expect(new Set(opens).size).toBe(1_500);
      const updates = md.watchCandles([symbol], '1m', { history: 5 });
      const first = await updates.next();
      expect(first.value).toMatchObject({ type: 'history', symbol });
      let live: unknown;
      for await (const update of updates) {
        if (update.type === 'candle' && update.source === 'websocket') {
          live = update;
          break;
        }
      }
      expect(live).toBeDefined();
    } finally {
      await md.close();
    }
  }, 60_000);
});

describe('leases and limits', () => {
  it("drops a crashed consumer's demand when its lease runs out", async () => {
    let connection: NatsConnection | undefined;
    const crashing = createFleetSources({
      natsUrl: rig.nats.url,
      consumerId: 'crashing-consumer',
      leaseMs: 1_500,
      connect: async (options) => {
        connection = await connect(options);
        return connection;
      },
    });
    const holds = () => rig.gateway.demand().consumers.includes('crashing-consumer');
    crashing.websocket.subscribe('orderbook', codes.slice(30, 32));
    await until('the gateway to hold the lease', holds, 5_000);
    expect(rig.gateway.demand().feeds).toEqual(
      expect.arrayContaining(codes.slice(30, 32).map((symbol) => ({ kind: 'orderbook', symbol }))),
    );
    // A crash: the connection goes without the goodbye announcement; the lease (1.5 s) runs out.
    await connection?.close();
    await until('the lease to run out', () => !holds(), 5_000);
    await crashing.close();
  });

  it('answers calls beyond its in-flight limit with QueueFullError at once, not a queue in front of the budget', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slowRest: GatewayRestPort = {
      ...rig.rest,
      channel: 'rest',
      directory: rig.rest.directory,
      getTicker: async (symbol, options) => {
        await held;
        return rig.rest.getTicker(symbol, options);
      },
      getTickers: (symbols, options) => rig.rest.getTickers(symbols, options),
      getOrderBook: (symbol, options) => rig.rest.getOrderBook(symbol, options),
      getTrades: (symbol, options) => rig.rest.getTrades(symbol, options),
      getCandles: (symbol, query) => rig.rest.getCandles(symbol, query),
      getMarkets: (options) => rig.rest.getMarkets(options),
      watchTickers: (symbols, options) => rig.rest.watchTickers(symbols, options),
      close: async () => {},
    };
    const connection = await connect({ servers: rig.nats.url });
    const busy = createFleetGateway({
      nats: connection,
      streaming: rig.websocket,
      rest: slowRest,
      subjectPrefix: 'md.busy',
      rpcMaxInFlight: 1,
    });
    await busy.start();
    const fleet = createFleetSources({ natsUrl: rig.nats.url, subjectPrefix: 'md.busy' });
    opened.push(fleet);
    try {
      const first = fleet.rest.getTicker(codes[0] as MarketCode);
      await until('the first call to be in progress', () => busy.health().rpc.inFlight === 1, 5_000);
      await expect(fleet.rest.getTicker(codes[1] as MarketCode)).rejects.toSatisfy(isQueueFullError);
      release();
      expect((await first).symbol).toBe(codes[0]);
    } finally {
      release();
      await busy.close();
      await connection.close();
    }
  });

  it('reports a second gateway on the same subjects (two gateways would be two budgets)', async () => {
    const connection = await connect({ servers: rig.nats.url });
    const second = createFleetGateway({ nats: connection, streaming: rig.websocket, rest: rig.rest });
    await second.start();
    try {
      await until(
        'both to hear the other',
        () =>
          second.health().reasons.some((r) => r.includes(rig.gateway.id)) &&
          rig.gateway.health().reasons.some((r) => r.includes(second.id)),
        5_000,
      );
      expect(rig.gateway.health().status).toBe('degraded');
    } finally {
      await second.close();
      await connection.close();
    }
  });
});

describe('late joiners and gateway restarts', () => {
  it('gives a late joiner the latest values of 250 markets from the KV bucket, with the gateway gone', async () => {
    const many = codes.slice(0, 250);
    const first = consumer();
    const handle = first.websocket.subscribe('ticker', many);
    await until(
      'the gateway to publish 250 tickers',
      () => new Set(rig.recorded.stream.filter((e) => e.kind === 'ticker').map((e) => e.record.symbol)).size >= 250,
      20_000,
    );
    await rig.stopGateway();
    handle.release();

    const late = consumer();
    await late.ready();
    const latest = new Map<MarketCode, ChannelTicker>();
    const started = performance.now();
    late.websocket.listen('ticker', many, { onRecord: (t) => latest.set(t.symbol, t) });
    await until('250 latest values', () => latest.size === 250, 10_000);
    const tookMs = performance.now() - started;
    expect(late.websocket.diagnostics()).toMatchObject({ replayed: 250, lateJoinReads: 250, delivered: 0 });
    for (const symbol of many) {
      const published = gatewayRecords('ticker', symbol).at(-1);
      expect(strip(latest.get(symbol))).toEqual(published);
    }
    console.info(`late joiner: 250 latest tickers from the KV bucket in ${tookMs.toFixed(1)} ms`);

    // With the gateway gone: REST calls fail at once (no responders), the stream is reported down.
    await expect(late.rest.getTicker(many[0] as MarketCode)).rejects.toSatisfy(isChannelUnavailableError);
    await until('the silence to be reported', () => late.websocket.status().refusal !== undefined, 5_000);
    expect(late.websocket.status().state).toBe('connecting');
    expect(late.websocket.status().refusal?.error.message).toBe('no fleet gateway heartbeat within 2000 ms');

    // A new gateway instance: the consumer announces again and data flows.
    const delivered = late.websocket.diagnostics().delivered;
    await rig.restartGateway();
    await until('the consumer to be open again', () => late.websocket.status().state === 'open', 10_000);
    await until('live data again', () => late.websocket.diagnostics().delivered > delivered, 10_000);
    expect(late.websocket.status()).toMatchObject({ epoch: 1, refusal: undefined });
  }, 60_000);
});
