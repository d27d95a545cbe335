import {
  type CandleSource,
  type Clock,
  createDeadline,
  type Logger,
  type MarketListSource,
  type OrderBookSource,
  PayloadTooLargeError,
  QueueFullError,
  type TickerSource,
  TimeoutError,
  type TradeSource,
  toMarketDataError,
} from '@marketdata/domain';
import type { Msg, NatsConnection, Subscription } from '@nats-io/nats-core';
import { type FleetSubjects, RPC_METHODS, type RpcMethod } from '../subjects.js';
import { decodeRequest, encodeReply, type RpcReply, type RpcRequests, type RpcValues } from '../wire/rpc.js';

/** What the gateway answers REST-style calls with: the Upbit REST source, with its one paced budget. */
export type GatewayRestPort = TickerSource &
  Pick<OrderBookSource, 'getOrderBook'> &
  Pick<TradeSource, 'getTrades'> &
  CandleSource &
  MarketListSource;

export interface RpcServerOptions {
  readonly nats: NatsConnection;
  readonly rest: GatewayRestPort;
  readonly subjects: FleetSubjects;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Calls in progress at most; more are answered `QueueFullError` at once (the budget would only queue them). */
  readonly maxInFlight: number;
  /** A caller's `timeoutMs` is cut to this. */
  readonly maxTimeoutMs: number;
}

export interface RpcCounters {
  readonly requests: Readonly<Record<RpcMethod, number>>;
  readonly errors: Readonly<Record<RpcMethod, number>>;
  readonly inFlight: number;
  readonly refusedBusy: number;
}

type Calls = { readonly [M in RpcMethod]: (args: RpcRequests[M], signal: AbortSignal) => Promise<RpcValues[M]> };

function zeroCounts(): Record<RpcMethod, number> {
  return Object.fromEntries(RPC_METHODS.map((method) => [method, 0])) as Record<RpcMethod, number>;
}

/**
 * Serves `<prefix>.rpc.<method>` (queue group `<prefix>.gateway`) through the gateway's REST source: every call of the
 * fleet spends the one budget, its pacing and its ticker batching (concurrent `getTicker`s of many consumers become
 * one request). Each call is bounded by the caller's `timeoutMs` (cut to `maxTimeoutMs`) and by the gateway's life.
 */
export class RpcServer {
  private readonly subscriptions: Subscription[] = [];
  private readonly lifetime = new AbortController();
  private readonly requests = zeroCounts();
  private readonly errors = zeroCounts();
  private inFlight = 0;
  private refusedBusy = 0;
  private readonly calls: Calls;

  constructor(private readonly options: RpcServerOptions) {
    const rest = options.rest;
    this.calls = {
      getTicker: (args, signal) => rest.getTicker(args.symbol, { signal }),
      getTickers: (args, signal) => rest.getTickers(args.symbols, { signal }),
      getOrderBook: (args, signal) => rest.getOrderBook(args.symbol, { signal }),
      getTrades: (args, signal) =>
        rest.getTrades(args.symbol, {
          signal,
          count: args.count,
          cursor: args.cursor,
          to: args.to,
          daysAgo: args.daysAgo,
        }),
      getCandles: (args, signal) =>
        rest.getCandles(args.symbol, { interval: args.interval, count: args.count, to: args.to, signal }),
      getMarkets: (_args, signal) => rest.getMarkets({ signal }),
    };
  }

  start(): void {
    const { nats, subjects } = this.options;
    for (const method of RPC_METHODS) {
      this.subscriptions.push(
        nats.subscribe(subjects.rpc(method), {
          queue: subjects.rpcQueue,
          callback: (error, msg) => {
            if (error === null) void this.serve(method, msg);
          },
        }),
      );
    }
  }

  counters(): RpcCounters {
    return {
      requests: { ...this.requests },
      errors: { ...this.errors },
      inFlight: this.inFlight,
      refusedBusy: this.refusedBusy,
    };
  }

  stop(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
    this.lifetime.abort(new TimeoutError('the gateway is stopping', { timeoutMs: 0, channel: 'rest' }));
  }

  private async serve<M extends RpcMethod>(method: M, msg: Msg): Promise<void> {
    if (msg.reply === undefined || msg.reply === '') return;
    this.requests[method]++;
    const { clock, maxInFlight } = this.options;
    let reply: RpcReply<M>;
    if (this.inFlight >= maxInFlight) {
      this.refusedBusy++;
      reply = {
        ok: false,
        error: new QueueFullError(`the gateway has ${maxInFlight} calls in progress`, {
          capacity: maxInFlight,
          channel: 'rest',
          operation: method,
        }),
      };
    } else {
      this.inFlight++;
      try {
        reply = { ok: true, value: await this.call(method, msg.data) };
      } catch (error) {
        reply = { ok: false, error: toMarketDataError(error, { channel: 'rest', operation: method }) };
      } finally {
        this.inFlight--;
      }
    }
    if (!reply.ok) this.errors[method]++;
    this.respond(method, msg, reply, clock.monotonic());
  }

  private async call<M extends RpcMethod>(method: M, data: Uint8Array): Promise<RpcValues[M]> {
    const { clock, maxTimeoutMs } = this.options;
    const { args, timeoutMs } = decodeRequest(method, data);
    const limit = Math.min(timeoutMs, maxTimeoutMs);
    const deadline = createDeadline(
      clock,
      limit,
      () =>
        new TimeoutError(`${method} timed out after ${limit} ms at the gateway`, { timeoutMs: limit, channel: 'rest' }),
      [this.lifetime.signal],
    );
    try {
      return await (this.calls[method] as Calls[M])(args, deadline.signal);
    } finally {
      deadline.dispose();
    }
  }

  private respond<M extends RpcMethod>(method: M, msg: Msg, reply: RpcReply<M>, nowMonotonic: number): void {
    try {
      const bytes = encodeReply(method, reply, nowMonotonic);
      const limit = this.options.nats.info?.max_payload;
      if (limit !== undefined && bytes.byteLength > limit) {
        // An answer the server would refuse (candles or trades paged far back): the caller learns why at once.
        const tooLarge = new PayloadTooLargeError(
          `the answer to ${method} is ${bytes.byteLength} bytes, more than the NATS server's max_payload ` +
            `(${limit}): ask for fewer records per call`,
          { limitBytes: limit, url: this.options.subjects.rpc(method), channel: 'rest', operation: method },
        );
        this.errors[method]++;
        msg.respond(encodeReply(method, { ok: false, error: tooLarge }, nowMonotonic));
        return;
      }
      msg.respond(bytes);
    } catch (error) {
      // Too large for the server's max_payload, or the connection is closing: the caller hears why if it can.
      this.options.logger.warn('reply not sent', { method, error });
      try {
        msg.respond(
          encodeReply(method, { ok: false, error: toMarketDataError(error, { channel: 'rest' }) }, nowMonotonic),
        );
      } catch {}
    }
  }
}
