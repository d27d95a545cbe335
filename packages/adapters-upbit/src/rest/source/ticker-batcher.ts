import {
  type Clock,
  ClosedError,
  isUnknownSymbolError,
  type Logger,
  type MarketCode,
  type MarketDataError,
  type MarketDirectory,
  UnknownSymbolError,
  type UpstreamError,
} from '@marketdata/domain';
import type { UpbitResponse } from '../http/request-executor.js';
import { isBatchCodeNotFound } from '../http/upstream-guards.js';
import { type RestTiming, restTiming } from '../mappers/rest-provenance.js';
import type { UpbitTicker } from '../schemas/ticker-schema.js';
import { chunkByUrlLength } from './chunk-by-url-length.js';

export interface TickerHit {
  readonly ticker: UpbitTicker;
  readonly timing: RestTiming;
}

/** One caller's claim on a symbol's answer. `leave()` when the caller stops waiting (its signal aborted). */
export interface TickerTicket {
  readonly promise: Promise<TickerHit>;
  readonly leave: () => void;
}

export interface TickerBatcherOptions {
  /** Longer batches are split into several requests. Upbit's own URL limit is unknown. */
  readonly maxUrlLength: number;
  /** A market Upbit said it does not know fails fast for this long instead of being asked again. */
  readonly unknownSymbolTtlMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** `/v1/ticker?markets=…`; must reject with the signal's reason once `signal` aborts. */
  readonly fetchBatch: (
    markets: readonly MarketCode[],
    signal: AbortSignal,
  ) => Promise<UpbitResponse<readonly UpbitTicker[]>>;
  /** The source's market directory: names the unknown codes of a batch Upbit answered 404. */
  readonly directory: Pick<MarketDirectory, 'ready' | 'isListed'>;
  readonly urlLength: (markets: readonly MarketCode[]) => number;
}

/** A symbol's pending answer, shared by every caller asking for it until it settles. */
interface Entry {
  readonly symbol: MarketCode;
  readonly promise: Promise<TickerHit>;
  readonly resolve: (hit: TickerHit) => void;
  readonly reject: (error: unknown) => void;
  callers: number;
  done: boolean;
}

/** Requests under way for some entries; aborted once none of them has a caller left. */
interface Run {
  readonly entries: readonly Entry[];
  readonly controller: AbortController;
}

/**
 * How far a 404 for a batch has been narrowed down: `first` may consult the market directory, `listed` holds only
 * codes the directory lists, `bisect` is halving.
 */
type Stage = 'first' | 'listed' | 'bisect';

function newEntry(symbol: MarketCode): Entry {
  let resolve!: (hit: TickerHit) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<TickerHit>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Callers may have left before the batch settles; that must not be an unhandled rejection.
  promise.catch(() => undefined);
  return { symbol, promise, resolve, reject, callers: 0, done: false };
}

/**
 * The one batching step (and the one singleflight) for tickers, leading edge: when no ticker request is out, the
 * symbols asked are sent at once (the calls of one synchronous run merge on a microtask; no timer, no waiting
 * window). Symbols asked while a request is out wait and go together in the next request, sent as soon as the
 * requests out have their first answer (split by URL length). A symbol already asked joins its pending answer.
 *
 * Whether Upbit fails a whole batch for one unknown code is disputed (API.md), so both outcomes are handled. A 200
 * that leaves a requested market out gives `UnknownSymbolError` for that market. A 404 `Code not found` is narrowed
 * down cheaply: the market directory (one shared, cached `/v1/market/all`) names the unknown codes, which get
 * `UnknownSymbolError` at once, and the batch is asked again with the listed codes only. Only when the directory has
 * no list, or the listed codes still get a 404 (the list is behind), is the batch split in halves until the unknown
 * codes are isolated. That narrowing runs beside the next batches: it does not hold them back.
 *
 * Nothing goes on for nobody: symbols whose callers all left before their batch went out are dropped from it, and a
 * request whose symbols' callers have all left is abandoned (unsent if still queued for budget), with no follow-up.
 *
 * (About 300 lines: batching, 404 narrowing and callers leaving share the same entries and runs; split apart, each
 * piece would need the others' state.)
 */
export class TickerBatcher {
  private readonly pending = new Map<MarketCode, Entry>();
  private readonly waiting = new Map<MarketCode, Entry>();
  private readonly runs = new Set<Run>();
  private readonly unknownUntil = new Map<MarketCode, { readonly until: number; readonly error: MarketDataError }>();
  /** First requests of the latest batch still without an answer: while any is, new symbols wait. */
  private requestsOut = 0;
  private flushQueued = false;
  private closed = false;

  constructor(private readonly options: TickerBatcherOptions) {}

  request(symbol: MarketCode): TickerTicket {
    if (this.closed) return failed(new ClosedError('Upbit REST source', { channel: 'rest', symbol }));
    const unknown = this.unknownUntil.get(symbol);
    if (unknown !== undefined) {
      if (this.options.clock.monotonic() < unknown.until) return failed(unknown.error);
      this.unknownUntil.delete(symbol);
    }
    let entry = this.pending.get(symbol);
    if (entry === undefined) {
      entry = newEntry(symbol);
      this.pending.set(symbol, entry);
      this.waiting.set(symbol, entry);
      this.queueFlush();
    }
    const joined = entry;
    joined.callers++;
    let left = false;
    return {
      promise: joined.promise,
      leave: () => {
        if (left) return;
        left = true;
        this.leave(joined);
      },
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const error = new ClosedError('Upbit REST source', { channel: 'rest' });
    for (const entry of [...this.pending.values()]) this.fail(entry, error);
    this.waiting.clear();
    for (const run of this.runs) run.controller.abort(error);
    this.runs.clear();
  }

  /** Sends what waits on a microtask, unless requests are out (then their first answer sends it). */
  private queueFlush(): void {
    if (this.flushQueued || this.requestsOut > 0 || this.waiting.size === 0) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      if (!this.closed && this.requestsOut === 0) this.flush();
    });
  }

  private flush(): void {
    const batch = [...this.waiting.values()];
    this.waiting.clear();
    if (batch.length === 0) return;
    const chunks = chunkByUrlLength(batch, this.options.maxUrlLength, (run) =>
      this.options.urlLength(run.map((entry) => entry.symbol)),
    );
    if (chunks.length > 1) this.options.logger.debug('Ticker batch split by URL length', { chunks: chunks.length });
    for (const chunk of chunks) {
      this.requestsOut++;
      let answered = false;
      const onFirstAnswer = (): void => {
        if (answered) return;
        answered = true;
        this.requestsOut--;
        this.queueFlush();
      };
      void this.resolveChunk(chunk, 'first', onFirstAnswer).finally(onFirstAnswer);
    }
  }

  /** Asks Upbit for the entries of `chunk` still waiting for an answer, narrowing a 404 down as `stage` allows. */
  private async resolveChunk(chunk: readonly Entry[], stage: Stage, onAnswer?: () => void): Promise<void> {
    const entries = chunk.filter((entry) => !entry.done);
    if (entries.length === 0 || this.closed) return;
    const run: Run = { entries, controller: new AbortController() };
    this.runs.add(run);
    const { signal } = run.controller;
    try {
      let response: UpbitResponse<readonly UpbitTicker[]>;
      try {
        response = await this.options.fetchBatch(
          entries.map((entry) => entry.symbol),
          signal,
        );
      } catch (error) {
        onAnswer?.();
        if (signal.aborted) return; // every caller left, or closed: their entries are settled already
        if (isBatchCodeNotFound(error) && entries.length > 1) {
          await this.narrowDown(entries, error, stage, signal);
          return;
        }
        for (const entry of entries) this.fail(entry, error);
        return;
      }
      onAnswer?.();
      const timing = restTiming(response);
      const bySymbol = new Map(response.data.map((ticker) => [ticker.market as string, ticker]));
      for (const entry of entries) {
        const ticker = bySymbol.get(entry.symbol);
        if (ticker !== undefined) this.settle(entry, { ticker, timing });
        else this.fail(entry, new UnknownSymbolError(entry.symbol, { channel: 'rest', operation: 'getTicker' }));
      }
    } catch (error) {
      // Not expected (the steps above catch their own failures); never leave a caller hanging.
      for (const entry of entries) this.fail(entry, error);
    } finally {
      this.runs.delete(run);
    }
  }

  /** Upbit answered 404 `Code not found` for `entries` (more than one code). */
  private async narrowDown(
    entries: readonly Entry[],
    notFound: UpstreamError,
    stage: Stage,
    signal: AbortSignal,
  ): Promise<void> {
    if (stage === 'first') {
      const { directory } = this.options;
      await directory.ready({ signal });
      if (signal.aborted) return;
      const listed = entries.map((entry) => directory.isListed(entry.symbol));
      if (!listed.includes(undefined)) {
        const known = entries.filter((_, index) => listed[index] === true);
        if (known.length < entries.length) {
          entries.forEach((entry, index) => {
            if (listed[index] === false) this.fail(entry, unknownFromBatch(entry.symbol, notFound));
          });
          this.options.logger.debug('Upbit answered 404 for a ticker batch; asking again for the listed markets', {
            size: entries.length,
            unlisted: entries.length - known.length,
          });
          await this.resolveChunk(known, 'listed');
          return;
        }
        // The directory lists every code and Upbit still answered 404: the list is behind (a market just went).
      }
    }
    const middle = Math.ceil(entries.length / 2);
    this.options.logger.debug('Upbit answered 404 for a ticker batch; splitting it', { size: entries.length });
    await Promise.all([
      this.resolveChunk(entries.slice(0, middle), 'bisect'),
      this.resolveChunk(entries.slice(middle), 'bisect'),
    ]);
  }

  private leave(entry: Entry): void {
    if (entry.done) return;
    entry.callers--;
    if (entry.callers > 0) return;
    // Nobody waits for this symbol any more: drop it, and stop every request that was only for dropped symbols.
    this.finish(entry);
    entry.reject(new ClosedError('Upbit REST source: every caller left', { channel: 'rest', symbol: entry.symbol }));
    this.waiting.delete(entry.symbol);
    for (const run of this.runs) {
      if (run.entries.every((candidate) => candidate.done)) {
        run.controller.abort(new ClosedError('every caller left', { channel: 'rest', operation: 'getTicker' }));
      }
    }
  }

  private rememberUnknown(symbol: MarketCode, error: MarketDataError): void {
    const now = this.options.clock.monotonic();
    if (this.unknownUntil.size >= 1000) {
      for (const [code, entry] of this.unknownUntil) if (entry.until <= now) this.unknownUntil.delete(code);
    }
    this.unknownUntil.set(symbol, { until: now + this.options.unknownSymbolTtlMs, error });
  }

  /** Marks `entry` answered; returns false when it already was. */
  private finish(entry: Entry): boolean {
    if (entry.done) return false;
    entry.done = true;
    if (this.pending.get(entry.symbol) === entry) this.pending.delete(entry.symbol);
    return true;
  }

  private settle(entry: Entry, hit: TickerHit): void {
    if (this.finish(entry)) entry.resolve(hit);
  }

  private fail(entry: Entry, error: unknown): void {
    if (!this.finish(entry)) return;
    if (isUnknownSymbolError(error) && this.options.unknownSymbolTtlMs > 0) this.rememberUnknown(entry.symbol, error);
    entry.reject(error);
  }
}

function failed(error: unknown): TickerTicket {
  const promise = Promise.reject(error);
  promise.catch(() => undefined);
  return { promise, leave: () => undefined };
}

/** A code the directory does not list, in a batch Upbit answered 404 `Code not found`: what Upbit said, kept. */
function unknownFromBatch(symbol: MarketCode, notFound: UpstreamError): UnknownSymbolError {
  return new UnknownSymbolError(symbol, {
    channel: 'rest',
    operation: 'getTicker',
    status: notFound.status,
    upstreamName: notFound.upstreamName,
    upstreamMessage: notFound.upstreamMessage,
  });
}
