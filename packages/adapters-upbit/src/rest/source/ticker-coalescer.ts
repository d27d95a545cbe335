import {
  type Clock,
  ClosedError,
  isUnknownSymbolError,
  type Logger,
  type MarketCode,
  type MarketDataError,
  type TimerHandle,
  UnknownSymbolError,
} from '@marketdata/domain';
import type { UpbitResponse } from '../http/request-executor.js';
import { isBatchCodeNotFound } from '../http/upstream-guards.js';
import type { RestTiming } from '../mappers/rest-provenance.js';
import type { UpbitTicker } from '../schemas/ticker-schema.js';
import { chunkByUrlLength } from './chunk-by-url-length.js';

export interface TickerHit {
  readonly ticker: UpbitTicker;
  readonly timing: RestTiming;
}

export interface TickerCoalescerOptions {
  /**
   * Calls made within this window (on the injected clock) share one `/v1/ticker?markets=…` request. 0 merges only
   * the calls made in the same synchronous run (flushed on a microtask, no timer).
   */
  readonly windowMs: number;
  /** Longer batches are split into several requests. Upbit's own URL limit is unknown. */
  readonly maxUrlLength: number;
  /** A market Upbit said it does not know fails fast for this long instead of being asked again. */
  readonly unknownSymbolTtlMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fetchBatch: (markets: readonly MarketCode[]) => Promise<UpbitResponse<readonly UpbitTicker[]>>;
  readonly urlLength: (markets: readonly MarketCode[]) => number;
}

interface Deferred {
  readonly promise: Promise<TickerHit>;
  readonly resolve: (hit: TickerHit) => void;
  readonly reject: (error: unknown) => void;
}

function deferred(): Deferred {
  let resolve!: (hit: TickerHit) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<TickerHit>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Callers may have left (deadline, abort) before the batch settles; that must not be an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * Merges concurrent ticker requests: every symbol asked for within `windowMs` goes into one
 * `/v1/ticker?markets=…` request (split by URL length), a symbol already in flight joins that request, and when
 * Upbit answers a batch with 404 `Code not found` the batch is split in halves until the unknown market is isolated,
 * so the known ones are still answered and only the unknown one gets `UnknownSymbolError`.
 *
 * Whether Upbit fails the whole batch for one unknown code is disputed (API.md), so both outcomes are handled: a 404
 * is bisected, and a 200 that leaves a requested market out gives `UnknownSymbolError` for that market.
 */
export class TickerCoalescer {
  private readonly waiting = new Map<MarketCode, Deferred>();
  private readonly inFlight = new Map<MarketCode, Deferred>();
  private readonly unknownUntil = new Map<MarketCode, { readonly until: number; readonly error: MarketDataError }>();
  private timer: TimerHandle | undefined;
  private flushQueued = false;
  private closed = false;

  constructor(private readonly options: TickerCoalescerOptions) {}

  request(symbol: MarketCode): Promise<TickerHit> {
    if (this.closed) return Promise.reject(new ClosedError('Upbit REST source', { channel: 'rest', symbol }));
    const unknown = this.unknownUntil.get(symbol);
    if (unknown !== undefined) {
      if (this.options.clock.monotonic() < unknown.until) return Promise.reject(unknown.error);
      this.unknownUntil.delete(symbol);
    }
    const existing = this.inFlight.get(symbol) ?? this.waiting.get(symbol);
    if (existing !== undefined) return existing.promise;
    const entry = deferred();
    this.waiting.set(symbol, entry);
    this.armFlush();
    return entry.promise;
  }

  private armFlush(): void {
    if (this.options.windowMs === 0) {
      if (this.flushQueued) return;
      this.flushQueued = true;
      queueMicrotask(() => {
        this.flushQueued = false;
        if (!this.closed) this.flush();
      });
      return;
    }
    if (this.timer !== undefined) return;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.options.windowMs);
  }

  close(): void {
    this.closed = true;
    this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const error = new ClosedError('Upbit REST source', { channel: 'rest' });
    for (const entry of this.waiting.values()) entry.reject(error);
    this.waiting.clear();
  }

  private flush(): void {
    const batch = new Map(this.waiting);
    this.waiting.clear();
    for (const [symbol, entry] of batch) this.inFlight.set(symbol, entry);
    const symbols = [...batch.keys()];
    const chunks = chunkByUrlLength(symbols, this.options.maxUrlLength, this.options.urlLength);
    if (chunks.length > 1) this.options.logger.debug('Ticker batch split by URL length', { chunks: chunks.length });
    for (const chunk of chunks) void this.resolveChunk(chunk, batch);
  }

  private async resolveChunk(chunk: readonly MarketCode[], batch: ReadonlyMap<MarketCode, Deferred>): Promise<void> {
    try {
      const response = await this.options.fetchBatch(chunk);
      const timing: RestTiming = { receivedAt: response.receivedAt, latencyMs: response.latencyMs };
      const bySymbol = new Map(response.data.map((ticker) => [ticker.market as string, ticker]));
      for (const symbol of chunk) {
        const ticker = bySymbol.get(symbol);
        if (ticker !== undefined) this.settle(symbol, batch, { ticker, timing });
        else this.fail(symbol, batch, new UnknownSymbolError(symbol, { channel: 'rest', operation: 'getTicker' }));
      }
    } catch (error) {
      if (isBatchCodeNotFound(error) && chunk.length > 1) {
        const middle = Math.ceil(chunk.length / 2);
        this.options.logger.debug('Upbit answered 404 for a ticker batch; splitting it', { size: chunk.length });
        await Promise.all([
          this.resolveChunk(chunk.slice(0, middle), batch),
          this.resolveChunk(chunk.slice(middle), batch),
        ]);
        return;
      }
      for (const symbol of chunk) this.fail(symbol, batch, error);
    }
  }

  private rememberUnknown(symbol: MarketCode, error: MarketDataError): void {
    const now = this.options.clock.monotonic();
    if (this.unknownUntil.size >= 1000) {
      for (const [code, entry] of this.unknownUntil) if (entry.until <= now) this.unknownUntil.delete(code);
    }
    this.unknownUntil.set(symbol, { until: now + this.options.unknownSymbolTtlMs, error });
  }

  private settle(symbol: MarketCode, batch: ReadonlyMap<MarketCode, Deferred>, hit: TickerHit): void {
    const entry = batch.get(symbol);
    if (entry === undefined) return;
    if (this.inFlight.get(symbol) === entry) this.inFlight.delete(symbol);
    entry.resolve(hit);
  }

  private fail(symbol: MarketCode, batch: ReadonlyMap<MarketCode, Deferred>, error: unknown): void {
    const entry = batch.get(symbol);
    if (entry === undefined) return;
    if (this.inFlight.get(symbol) === entry) this.inFlight.delete(symbol);
    if (isUnknownSymbolError(error) && this.options.unknownSymbolTtlMs > 0) this.rememberUnknown(symbol, error);
    entry.reject(error);
  }
}
