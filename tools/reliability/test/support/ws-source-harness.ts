import {
  createUpbitWebSocketSource,
  type UpbitWebSocketOptions,
  type UpbitWebSocketSource,
} from '@marketdata/adapters-upbit';
import type { ConnectionEvent, StreamGap, StreamRefusal } from '@marketdata/domain';
import WebSocket from 'ws';
import { waitUntil } from './wait-until.js';
import { wallNow } from './wall-clock.js';

/** A connection event as the test saw it: the event, and the wall time it was observed (in the same call). */
export interface SeenStateChange extends ConnectionEvent {
  readonly at: number;
}

/** The WebSocket adapter against a real server, with what a test needs to see from outside: when each socket was
 * created (connect attempts), every connection event, gap and refusal, in order (through `observe`). */
export interface WsSourceHarness {
  readonly source: UpbitWebSocketSource;
  /** Wall ms of each socket the adapter created, the first connection included. */
  readonly socketsCreatedAt: readonly number[];
  readonly states: readonly SeenStateChange[];
  readonly gapEvents: readonly StreamGap[];
  readonly refusals: readonly StreamRefusal[];
  /** The first state change after index `from` that `matches`, waiting up to `timeoutMs` for it. */
  waitForState(
    matches: (change: SeenStateChange) => boolean,
    timeoutMs: number,
    from?: number,
  ): Promise<SeenStateChange | undefined>;
  close(): Promise<void>;
}

/** `options` must not set `createSocket`: the harness wraps `ws`'s own constructor to time the attempts. */
export function openWsSource(options: Omit<UpbitWebSocketOptions, 'createSocket'>): WsSourceHarness {
  const socketsCreatedAt: number[] = [];
  const states: SeenStateChange[] = [];
  const gapEvents: StreamGap[] = [];
  const refusals: StreamRefusal[] = [];
  const source = createUpbitWebSocketSource({
    ...options,
    createSocket: (url, socketOptions) => {
      socketsCreatedAt.push(wallNow());
      return new WebSocket(url, socketOptions);
    },
  });
  source.observe({
    onConnection: (event) => states.push({ ...event, at: wallNow() }),
    onGap: (gap) => gapEvents.push(gap),
    onRefusal: (refusal) => refusals.push(refusal),
  });
  return {
    source,
    socketsCreatedAt,
    states,
    gapEvents,
    refusals,
    async waitForState(matches, timeoutMs, from = 0) {
      const find = (): SeenStateChange | undefined => states.slice(from).find(matches);
      await waitUntil(() => find() !== undefined, timeoutMs);
      return find();
    },
    close: () => source.close(),
  };
}
