import {
  type Clock,
  ClosedError,
  createDeadline,
  type Deadline,
  type MarketCode,
  TimeoutError,
} from '@marketdata/domain';

export interface CallScopeOptions {
  readonly clock: Clock;
  /** The call's deadline (`restTimeoutMs`). */
  readonly timeoutMs: number;
  /** The longest one WebSocket wait may take inside the call (`webSocketTimeoutMs`). */
  readonly webSocketTimeoutMs: number;
  /** Aborted by `close()`. */
  readonly lifetime: AbortSignal;
  readonly caller: AbortSignal | undefined;
  readonly operation: string;
}

/**
 * One facade call's deadline and cancellation as ONE `AbortSignal`: `restTimeoutMs` on the injected clock, the
 * facade's lifetime and the caller's signal, through `createDeadline`. It is the only signal a source gets, and the
 * source adds no deadline of its own on top (its attempt timeouts and retries live inside it). The deadline is made
 * on first use, so a call answered without I/O (the stream's latest value, the cache) sets no timer at all.
 *
 * A WebSocket wait inside the call (a symbol's first value) gets a child deadline of `webSocketTimeoutMs` under the
 * call's, so that a silent WebSocket leaves time to fall back to REST; it is never longer than the call's.
 */
export class CallScope {
  private deadline: Deadline | undefined;

  constructor(private readonly options: CallScopeOptions) {}

  /** The call's signal (its deadline starts here, at the first I/O). */
  signal(): AbortSignal {
    this.deadline ??= createDeadline(
      this.options.clock,
      this.options.timeoutMs,
      () =>
        new TimeoutError(`${this.options.operation} took longer than ${this.options.timeoutMs} ms (restTimeoutMs)`, {
          channel: 'api',
          operation: this.options.operation,
          timeoutMs: this.options.timeoutMs,
        }),
      [this.options.lifetime, this.options.caller],
    );
    return this.deadline.signal;
  }

  /** A WebSocket wait for `symbol`: its own bound, under the call's deadline. Dispose it when the wait ends. */
  webSocketWait(symbol: MarketCode): Deadline {
    const timeoutMs = this.options.webSocketTimeoutMs;
    return createDeadline(
      this.options.clock,
      timeoutMs,
      () =>
        new TimeoutError(`websocket had no value for ${symbol} within ${timeoutMs} ms (webSocketTimeoutMs)`, {
          channel: 'websocket',
          operation: this.options.operation,
          symbol,
          timeoutMs,
        }),
      [this.signal()],
    );
  }

  /** Cancelled by `close()` or by the caller: nothing learned about any channel. */
  cancelled(): boolean {
    return this.options.lifetime.aborted || this.options.caller?.aborted === true;
  }

  /** The call's deadline has passed: only what is at hand (cache, the stream's latest value) can still answer. */
  expired(): boolean {
    return this.deadline?.signal.aborted === true && !this.cancelled();
  }

  /** What a cancelled call ends with: `ClosedError` after close(), else the caller's own reason. */
  cancellation(): unknown {
    if (this.options.lifetime.aborted) {
      return new ClosedError('MarketData', { channel: 'api', operation: this.options.operation });
    }
    return this.options.caller?.reason;
  }

  /** Why the call can no longer wait: its timeout, or its cancellation. */
  reason(): unknown {
    return this.cancelled() ? this.cancellation() : this.deadline?.signal.reason;
  }

  dispose(): void {
    this.deadline?.dispose();
  }
}
