import {
  BlockedError,
  ClosedError,
  createDeadline,
  type EpochMs,
  isDataValidationError,
  type MarketDataError,
  RateLimitError,
  type RequestOptions,
  sleep,
  TimeoutError,
  toMarketDataError,
} from '@marketdata/domain';
import { parseJsonExact } from '../../shared/exact-json.js';
import type { ResolvedRestClientOptions } from '../options.js';
import { buildQueryString, type QueryValue } from './query-string.js';
import { readBodyText } from './read-body.js';
import { parseRemainingReq, type RemainingReq } from './remaining-req.js';
import { errorFromResponse, readUpstreamSaid } from './response-errors.js';
import type { RestBudgetLease } from './rest-budgets.js';
import type { UpbitRestGroup } from './rest-group.js';
import { parseRetryAfterMs } from './retry-after.js';
import { Singleflight } from './singleflight.js';
import { untilAborted } from './until-aborted.js';

export interface RestRequestSpec {
  readonly group: UpbitRestGroup;
  /** `/v1/ticker` */
  readonly path: string;
  readonly query: Readonly<Record<string, QueryValue>>;
  /** Names the call in errors and logs (`getTickers`). */
  readonly operation: string;
  /** Market codes the request names (for `UnknownSymbolError`). */
  readonly symbols: readonly string[];
  /**
   * Identical requests in flight share one HTTP call. Off for `/v1/ticker`, whose sharing is the source's ticker
   * batcher: one singleflight on the ticker path, not two.
   */
  readonly shareInFlight: boolean;
}

/** A decoded Upbit answer with its timing. */
export interface UpbitResponse<T> {
  readonly data: T;
  readonly status: number;
  /** Local wall time the body was received, epoch ms. */
  readonly receivedAt: EpochMs;
  /** `Clock.monotonic()` when the body was received. */
  readonly receivedAtMonotonic: number;
  /** Send to body parsed, ms, of the attempt that succeeded. */
  readonly latencyMs: number;
  /** HTTP attempts this answer took (1 = no retry). Shared by every caller of a shared request. */
  readonly attempts: number;
  readonly remaining: RemainingReq | undefined;
  readonly url: string;
}

interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly sentAt: number;
  readonly receivedAt: EpochMs;
  readonly receivedAtMonotonic: number;
}

const REQUEST_HEADERS = { accept: 'application/json' };

/**
 * Sends Upbit quotation requests with plain `fetch`: paced per group on the host's shared budget, identical
 * requests in flight shared (`shareInFlight`), and the retry policy:
 * - 429: the group pauses (window doubling per consecutive 429, with jitter, `Retry-After` honoured; all bounded by
 *   `maxRateLimitPauseMs`), then retries, up to `maxRetries`; then `RateLimitError` with `retryAfterMs`. A pause
 *   longer than `maxPauseWaitMs` is not waited out: `RateLimitError` at once.
 * - 418: `BlockedError`, no retry; the group sends nothing during the cool-down (bounded by `maxBlockCoolDownMs`).
 * - 5xx, network errors, attempt timeouts and unparseable (truncated) 2xx bodies: exponential backoff with full
 *   jitter, up to `maxRetries`; then the last error.
 * - other 4xx: no retry; `UpstreamError` / `UnknownSymbolError` / `AuthenticationError` with Upbit's own name and
 *   message. A 2xx whose payload fails validation gives `DataValidationError` without a retry (it would not change).
 *   A body over `maxBodyBytes` gives `PayloadTooLargeError` without a retry.
 *
 * Deadlines: the caller's signal bounds everything (waiting for budget, attempts, backoff sleeps) and the call
 * rejects with its reason the moment it aborts. Each attempt has exactly one timer, `attemptTimeoutMs` on the
 * injected clock, for headers and body together; there is no other deadline timer.
 *
 * Why no HTTP library: ky was here, created with `retry: 0, timeout: false, throwHttpErrors: false`, i.e. plain
 * fetch. Its features do not fit this adapter: its timeout and retry delays run on real timers (not the injected
 * `Clock`) and know nothing of the shared per-group budget; `searchParams` encodes the commas Upbit's lists are
 * written with (`markets=KRW-BTC,KRW-ETH`); `HTTPError` would be caught only to reread the body we must read
 * ourselves anyway, counted against `maxBodyBytes`; `prefixUrl` is one string concatenation. So the dependency went.
 */
export class RestRequestExecutor {
  private readonly flights = new Singleflight<UpbitResponse<unknown>>();
  private readonly lifetime = new AbortController();

  constructor(
    private readonly options: ResolvedRestClientOptions,
    private readonly budget: RestBudgetLease,
  ) {}

  urlFor(spec: Pick<RestRequestSpec, 'path' | 'query'>): string {
    const query = buildQueryString(spec.query);
    return `${this.options.url}${spec.path}${query === '' ? '' : `?${query}`}`;
  }

  execute<T>(
    spec: RestRequestSpec,
    decode: (json: unknown) => T,
    options: RequestOptions = {},
  ): Promise<UpbitResponse<T>> {
    if (this.lifetime.signal.aborted) return Promise.reject(new ClosedError('Upbit REST client', { channel: 'rest' }));
    const url = this.urlFor(spec);
    if (!spec.shareInFlight) return untilAborted(this.run(spec, url, decode, options.signal), options.signal);
    const { promise, leave } = this.flights.join(url, (shared) => this.run(spec, url, decode, shared));
    return untilAborted(promise, options.signal, leave) as Promise<UpbitResponse<T>>;
  }

  /** Fails queued and in-flight requests of this client with `ClosedError`; the shared budget stays with others. */
  close(): void {
    if (this.lifetime.signal.aborted) return;
    this.lifetime.abort(new ClosedError('Upbit REST client', { channel: 'rest' }));
  }

  private async run<T>(
    spec: RestRequestSpec,
    url: string,
    decode: (json: unknown) => T,
    callerSignal: AbortSignal | undefined,
  ): Promise<UpbitResponse<T>> {
    // The caller's signal and this client's lifetime as one signal, without a timer of its own.
    const scope = createDeadline(this.options.clock, undefined, () => undefined, [callerSignal, this.lifetime.signal]);
    try {
      return await this.attempts(spec, url, decode, scope.signal);
    } finally {
      scope.dispose();
    }
  }

  private async attempts<T>(
    spec: RestRequestSpec,
    url: string,
    decode: (json: unknown) => T,
    signal: AbortSignal,
  ): Promise<UpbitResponse<T>> {
    const { clock, logger, maxRetries, rateLimit } = this.options;
    const pacer = this.budget.pacer(spec.group);
    const context = { channel: 'rest' as const, operation: spec.operation };
    for (let attempt = 0; ; attempt++) {
      const retriesLeft = attempt < maxRetries;
      const ticket = await pacer.acquire(signal);
      let answer: RawAnswer;
      try {
        answer = await this.send(url, spec.operation, signal, () => pacer.release(ticket));
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        const failure = toMarketDataError(error, context);
        if (!failure.retryable || !retriesLeft) throw failure;
        await this.backOff(attempt, failure, url, signal);
        continue;
      }
      const remaining = parseRemainingReq(answer.headers.get('remaining-req'));
      if (remaining !== undefined) {
        pacer.onRemaining(remaining.sec, ticket);
        if (remaining.group !== spec.group) {
          logger.debug('Remaining-Req names another group', { expected: spec.group, got: remaining.group });
        }
      }
      const { status } = answer;
      if (status >= 200 && status < 300) {
        let json: unknown;
        try {
          json = parseJsonExact(answer.text, context);
        } catch (error) {
          // A 2xx body that is not JSON was most likely cut short in transit: retry like a network failure.
          if (!retriesLeft || !isDataValidationError(error)) throw error;
          await this.backOff(attempt, error, url, signal);
          continue;
        }
        const data = decode(json);
        pacer.onSuccess();
        const latencyMs = clock.monotonic() - answer.sentAt;
        logger.debug('Upbit REST answer', { url, status, latencyMs, attempts: attempt + 1 });
        const { receivedAt, receivedAtMonotonic } = answer;
        return { data, status, receivedAt, receivedAtMonotonic, latencyMs, attempts: attempt + 1, remaining, url };
      }
      const retryAfter = answer.headers.get('retry-after');
      if (status === 429) {
        const retryAfterMs = parseRetryAfterMs(retryAfter, clock.now(), rateLimit.maxRateLimitPauseMs);
        const waitMs = pacer.onRateLimited(retryAfterMs, this.options.random.next());
        const said = readUpstreamSaid(answer.text);
        logger.warn('Upbit answered 429; the group waits before sending again', {
          url,
          waitMs,
          attempt: attempt + 1,
          retryAfter: retryAfter?.slice(0, 64),
          upstreamName: said.name,
          upstreamMessage: said.message,
        });
        if (!retriesLeft || waitMs > rateLimit.maxPauseWaitMs) {
          throw new RateLimitError(
            `Upbit answered 429 for the ${spec.group} group ${attempt + 1} time(s)` +
              `${said.message === undefined ? '' : ` (${said.message})`}; retry after ${pacer.pausedForMs()} ms`,
            { ...context, retryAfterMs: pacer.pausedForMs(), group: spec.group },
          );
        }
        continue; // `acquire` waits out the pause
      }
      if (status === 418) {
        const retryAfterMs = parseRetryAfterMs(retryAfter, clock.now(), rateLimit.maxBlockCoolDownMs);
        const coolDownMs = pacer.onBlocked(retryAfterMs);
        const said = readUpstreamSaid(answer.text);
        // Upbit's 418 body has never been published; whatever it says is kept in the message.
        throw new BlockedError(
          `Upbit answered 418 for the ${spec.group} group${said.message === undefined ? '' : ` (${said.message})`}; ` +
            `nothing is sent to it for ${coolDownMs} ms`,
          { ...context, coolDownMs, group: spec.group },
        );
      }
      const failure = errorFromResponse(status, answer.text, { operation: spec.operation, symbols: spec.symbols });
      if (status >= 500 && retriesLeft) {
        await this.backOff(attempt, failure, url, signal);
        continue;
      }
      throw failure;
    }
  }

  /**
   * One HTTP attempt, headers and body, under its one timer (`attemptTimeoutMs` on the injected clock). `answered`
   * is called once Upbit has certainly seen the request (its headers are back) or the attempt has ended anyway; the
   * pacer's window for the slot runs from then.
   */
  private async send(url: string, operation: string, outer: AbortSignal, answered: () => void): Promise<RawAnswer> {
    const { clock, attemptTimeoutMs, maxBodyBytes } = this.options;
    if (outer.aborted) {
      answered(); // granted but never sent
      throw outer.reason;
    }
    const cut = new AbortController();
    const attempt = createDeadline(
      clock,
      attemptTimeoutMs,
      () =>
        new TimeoutError(`Upbit did not answer ${operation} within ${attemptTimeoutMs} ms (one attempt)`, {
          channel: 'rest',
          operation,
          timeoutMs: attemptTimeoutMs,
        }),
      [outer, cut.signal],
    );
    const sentAt = clock.monotonic();
    try {
      const response = await this.options.fetch(url, { signal: attempt.signal, headers: REQUEST_HEADERS });
      answered();
      const text = await readBodyText(response, {
        maxBytes: maxBodyBytes,
        url,
        signal: attempt.signal,
        cutOff: (reason) => cut.abort(reason),
        context: { channel: 'rest', operation },
      });
      return {
        status: response.status,
        headers: response.headers,
        text,
        sentAt,
        receivedAt: clock.now(),
        receivedAtMonotonic: clock.monotonic(),
      };
    } catch (error) {
      if (attempt.signal.aborted) throw attempt.signal.reason;
      throw error;
    } finally {
      answered();
      attempt.dispose();
    }
  }

  private async backOff(attempt: number, failure: MarketDataError, url: string, signal: AbortSignal): Promise<void> {
    const { baseDelayMs, maxDelayMs } = this.options.backoff;
    const delayMs = Math.round(this.options.random.next() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));
    this.options.logger.warn('Upbit REST attempt failed; retrying after backoff', {
      url,
      attempt: attempt + 1,
      delayMs,
      error: failure.message,
    });
    await sleep(this.options.clock, delayMs, signal);
  }
}
