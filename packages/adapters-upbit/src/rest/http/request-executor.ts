import {
  BlockedError,
  ClosedError,
  type EpochMs,
  isDataValidationError,
  type MarketDataError,
  RateLimitError,
  type RequestOptions,
  sleep,
  TimeoutError,
  toMarketDataError,
} from '@marketdata/domain';
import ky, { type KyInstance } from 'ky';
import { parseJsonExact } from '../../shared/exact-json.js';
import type { ResolvedRestClientOptions } from '../options.js';
import { awaitWithLimits } from './caller-limits.js';
import { GroupPacer } from './group-pacer.js';
import { buildQueryString, type QueryValue } from './query-string.js';
import { parseRemainingReq, type RemainingReq } from './remaining-req.js';
import { errorFromResponse, parseRetryAfterMs, readUpstreamSaid } from './response-errors.js';
import { UPBIT_REST_GROUPS, type UpbitRestGroup } from './rest-group.js';
import { Singleflight } from './singleflight.js';

export interface RestRequestSpec {
  readonly group: UpbitRestGroup;
  /** `/v1/ticker` */
  readonly path: string;
  readonly query: Readonly<Record<string, QueryValue>>;
  /** Names the call in errors and logs (`getTickers`). */
  readonly operation: string;
  /** Market codes the request names (for `UnknownSymbolError`). */
  readonly symbols: readonly string[];
}

/** A decoded Upbit answer with its timing. */
export interface UpbitResponse<T> {
  readonly data: T;
  readonly status: number;
  /** Local wall time the body was received, epoch ms. */
  readonly receivedAt: EpochMs;
  /** Send to body parsed, ms, of the attempt that succeeded. */
  readonly latencyMs: number;
  /** HTTP attempts this answer took (1 = no retry). Shared by every caller of a singleflight request. */
  readonly attempts: number;
  readonly remaining: RemainingReq | undefined;
  readonly url: string;
}

interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly receivedAt: EpochMs;
}

/**
 * Sends Upbit quotation requests: paced per group, one shared call per identical URL in flight, a per-attempt
 * timeout on the injected clock (headers and body), and the retry policy:
 * - 429: the group pauses for the window (doubling per consecutive 429, with jitter), then retries, up to
 *   `maxRetries`; then `RateLimitError` with `retryAfterMs`.
 * - 418: `BlockedError`, no retry; the group sends nothing during the cool-down.
 * - 5xx, network errors, timeouts and unparseable (truncated) 2xx bodies: exponential backoff with full jitter,
 *   up to `maxRetries`; then the last error.
 * - other 4xx: no retry; `UpstreamError` / `UnknownSymbolError` / `AuthenticationError` with Upbit's own name and
 *   message. A 2xx whose payload fails validation gives `DataValidationError` without a retry (it would not change).
 */
export class RestRequestExecutor {
  private readonly http: KyInstance;
  private readonly pacers: Readonly<Record<UpbitRestGroup, GroupPacer>>;
  private readonly flights = new Singleflight<UpbitResponse<unknown>>();
  private readonly lifetime = new AbortController();

  constructor(private readonly options: ResolvedRestClientOptions) {
    // ky builds and sends the request; timeouts and retries are ours (on the injected clock), so ky's are off.
    this.http = ky.create({ fetch: options.fetch, retry: 0, timeout: false, throwHttpErrors: false });
    const pacers = {} as Record<UpbitRestGroup, GroupPacer>;
    for (const group of UPBIT_REST_GROUPS) {
      pacers[group] = new GroupPacer(group, options.rateLimit, options.clock, options.logger.child({ group }));
    }
    this.pacers = pacers;
  }

  pacer(group: UpbitRestGroup): GroupPacer {
    return this.pacers[group];
  }

  urlFor(spec: Pick<RestRequestSpec, 'path' | 'query'>): string {
    const query = buildQueryString(spec.query);
    return `${this.options.baseUrl}${spec.path}${query === '' ? '' : `?${query}`}`;
  }

  async execute<T>(
    spec: RestRequestSpec,
    decode: (json: unknown) => T,
    options: RequestOptions = {},
  ): Promise<UpbitResponse<T>> {
    if (this.lifetime.signal.aborted) throw new ClosedError('Upbit REST client', { channel: 'rest' });
    const url = this.urlFor(spec);
    const { promise, leave } = this.flights.join(url, (shared) => this.run(spec, url, decode, shared));
    const result = await awaitWithLimits(
      promise,
      { signal: options.signal, timeoutMs: options.timeoutMs, operation: spec.operation },
      this.options.clock,
      leave,
    );
    return result as UpbitResponse<T>;
  }

  close(): void {
    if (this.lifetime.signal.aborted) return;
    this.lifetime.abort(new ClosedError('Upbit REST client', { channel: 'rest' }));
    for (const pacer of Object.values(this.pacers)) pacer.close();
  }

  private async run<T>(
    spec: RestRequestSpec,
    url: string,
    decode: (json: unknown) => T,
    shared: AbortSignal,
  ): Promise<UpbitResponse<T>> {
    const signal = AbortSignal.any([shared, this.lifetime.signal]);
    const { clock, logger, maxRetries } = this.options;
    const pacer = this.pacers[spec.group];
    const context = { channel: 'rest' as const, operation: spec.operation };
    for (let attempt = 0; ; attempt++) {
      const retriesLeft = attempt < maxRetries;
      const ticket = await pacer.acquire(signal);
      const sentAt = clock.monotonic();
      let answer: RawAnswer;
      try {
        answer = await this.send(url, signal, spec.operation, () => pacer.release(ticket));
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
        const latencyMs = clock.monotonic() - sentAt;
        logger.debug('Upbit REST answer', { url, status, latencyMs, attempts: attempt + 1 });
        return { data, status, receivedAt: answer.receivedAt, latencyMs, attempts: attempt + 1, remaining, url };
      }
      const retryAfterMs = parseRetryAfterMs(answer.headers.get('retry-after'), clock.now());
      if (status === 429) {
        const waitMs = pacer.onRateLimited(retryAfterMs, this.options.random.next());
        const said = readUpstreamSaid(answer.text);
        logger.warn('Upbit answered 429; the group waits before sending again', {
          url,
          waitMs,
          attempt: attempt + 1,
          upstreamName: said.name,
          upstreamMessage: said.message,
        });
        if (!retriesLeft) {
          throw new RateLimitError(
            `Upbit answered 429 for the ${spec.group} group ${attempt + 1} time(s)` +
              `${said.message === undefined ? '' : ` (${said.message})`}; retry after ${pacer.pausedForMs()} ms`,
            { ...context, retryAfterMs: pacer.pausedForMs(), group: spec.group },
          );
        }
        continue; // `acquire` waits out the pause
      }
      if (status === 418) {
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
   * One HTTP attempt, headers and body, bounded by `restTimeoutMs` on the injected clock. `answered` is called once
   * Upbit has certainly seen the request (its headers are back) or the attempt has ended anyway; the pacer's window
   * for the slot runs from then.
   */
  private async send(url: string, outer: AbortSignal, operation: string, answered: () => void): Promise<RawAnswer> {
    const { clock, restTimeoutMs } = this.options;
    if (outer.aborted) {
      answered(); // granted but never sent
      throw outer.reason;
    }
    const controller = new AbortController();
    const timeout = new TimeoutError(`Upbit did not answer ${operation} within ${restTimeoutMs} ms`, {
      channel: 'rest',
      operation,
      timeoutMs: restTimeoutMs,
    });
    const timer = clock.setTimeout(() => controller.abort(timeout), restTimeoutMs);
    const onOuterAbort = (): void => controller.abort(outer.reason);
    outer.addEventListener('abort', onOuterAbort, { once: true });
    try {
      const response = await this.http.get(url, { signal: controller.signal });
      answered();
      // Aborting the request does not always interrupt a body that is already streaming (seen with a slow body
      // after the headers), so the body read races the abort itself.
      const text = await untilAborted(response.text(), controller.signal, () => response.body?.cancel());
      return { status: response.status, headers: response.headers, text, receivedAt: clock.now() };
    } catch (error) {
      if (controller.signal.aborted) throw controller.signal.reason;
      throw error;
    } finally {
      answered();
      clock.clearTimeout(timer);
      outer.removeEventListener('abort', onOuterAbort);
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

/** `work`, unless `signal` aborts first: then rejects at once with the abort reason and calls `onAbort`. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal, onAbort: () => unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => {
      reject(signal.reason);
      Promise.resolve()
        .then(onAbort)
        .catch(() => undefined);
    };
    if (signal.aborted) {
      abort();
      return;
    }
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}
