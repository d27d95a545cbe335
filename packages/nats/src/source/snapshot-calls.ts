import {
  type Clock,
  DataValidationError,
  type MarketCode,
  onAbort,
  type StreamKind,
  type StreamListener,
  type StreamRecord,
  type SubscriptionHandle,
  TimeoutError,
} from '@marketdata/domain';
import { WatchQueue } from './watch-queue.js';

/** What the calls below need of the streaming source. */
export interface SnapshotHost {
  readonly clock: Clock;
  readonly snapshotTimeoutMs: number;
  readonly tradeQueueCapacity: number;
  latest<K extends StreamKind>(kind: K, symbol: MarketCode): StreamRecord<K> | undefined;
  /** Holds the feed on the wire (with linger after release) and waits for its next record. */
  hold(kind: StreamKind, symbol: MarketCode): () => void;
  waitFirst<K extends StreamKind>(kind: K, symbol: MarketCode, onRecord: (record: StreamRecord<K>) => void): () => void;
  listen<K extends StreamKind>(
    kind: K,
    symbols: readonly MarketCode[],
    listener: StreamListener<K>,
  ): SubscriptionHandle;
  /** Rejects new calls after close. */
  assertOpen(operation: string): void;
  /** Waiters to reject when the source closes. */
  readonly closing: AbortSignal;
}

/**
 * `get…()` on the streaming source: the latest record held, or the next one to arrive (the feed is put on the wire
 * for it and lingers afterwards, so a repeated call is answered at once). Bounded by the caller's signal; without
 * one, by `snapshotTimeoutMs`.
 */
export function nextRecord<K extends StreamKind>(
  host: SnapshotHost,
  kind: K,
  symbol: MarketCode,
  operation: string,
  signal: AbortSignal | undefined,
): Promise<StreamRecord<K>> {
  host.assertOpen(operation);
  const held = host.latest(kind, symbol);
  if (held !== undefined) {
    // Keep it on the wire a while longer: whoever asks is likely to ask again.
    host.hold(kind, symbol)();
    return Promise.resolve(held);
  }
  if (signal?.aborted === true) return Promise.reject(signal.reason);
  return new Promise<StreamRecord<K>>((resolve, reject) => {
    const release = host.hold(kind, symbol);
    const cleanups: (() => void)[] = [release];
    const settle = (): void => {
      for (const cleanup of cleanups.splice(0)) cleanup();
    };
    cleanups.push(
      host.waitFirst(kind, symbol, (record) => {
        settle();
        resolve(record);
      }),
    );
    const fail = (reason: unknown): void => {
      settle();
      reject(reason);
    };
    if (signal !== undefined) cleanups.push(onAbort(signal, fail));
    else {
      const { clock, snapshotTimeoutMs } = host;
      const timer = clock.setTimeout(
        () =>
          fail(
            new TimeoutError(`no ${kind} for ${symbol} from the fleet within ${snapshotTimeoutMs} ms`, {
              timeoutMs: snapshotTimeoutMs,
              channel: 'websocket',
              operation,
              symbol,
            }),
          ),
        snapshotTimeoutMs,
      );
      cleanups.push(() => clock.clearTimeout(timer));
    }
    cleanups.push(onAbort(host.closing, fail));
  });
}

/** `getTrades`' count: an integer >= 1, or `DataValidationError`. */
export function tradeCount(count: number | undefined): number {
  if (count === undefined) return 1;
  if (Number.isInteger(count) && count >= 1) return count;
  throw new DataValidationError(`count must be an integer >= 1, got ${String(count)}`, {
    channel: 'websocket',
    operation: 'getTrades',
    path: 'count',
    value: count,
  });
}

/** A standalone `watch…()`: `listen` into the consumer's own queue (conflating states, bounded FIFO for trades). */
export function watchKind<K extends StreamKind>(
  host: SnapshotHost,
  kind: K,
  symbols: readonly MarketCode[],
  signal: AbortSignal | undefined,
): AsyncIterableIterator<StreamRecord<K>> {
  let handle: SubscriptionHandle | undefined;
  let stopAbort = (): void => {};
  const queue = new WatchQueue<StreamRecord<K>>({
    conflateBy: kind === 'trade' ? undefined : (record) => record.symbol,
    capacity: host.tradeQueueCapacity,
    onClose: () => {
      handle?.release();
      stopAbort();
    },
  });
  if (signal?.aborted === true) {
    queue.end();
    return queue;
  }
  handle = host.listen(kind, symbols, {
    onRecord: (record) => queue.push(record),
    onError: (error) => queue.fail(error),
    onEnd: (reason) => (reason === undefined ? queue.end() : queue.fail(reason)),
  });
  if (signal !== undefined) stopAbort = onAbort(signal, () => queue.end());
  return queue;
}
