import {
  createUpbitWebSocketSource,
  type UpbitWebSocketOptions,
  type UpbitWebSocketSource,
  type WsStateChange,
} from '@marketdata/adapters-upbit';
import type { StreamGap } from '@marketdata/domain';
import WebSocket from 'ws';
import { waitUntil } from './wait-until.js';
import { wallNow } from './wall-clock.js';

/** The WebSocket adapter against a real server, with what a test needs to see from outside: when each socket was
 * created (connect attempts), every state change and every gap event, in order. */
export interface WsSourceHarness {
  readonly source: UpbitWebSocketSource;
  /** Wall ms of each socket the adapter created, the first connection included. */
  readonly socketsCreatedAt: readonly number[];
  readonly states: readonly WsStateChange[];
  readonly gapEvents: readonly StreamGap[];
  /** The first state change after index `from` that `matches`, waiting up to `timeoutMs` for it. */
  waitForState(
    matches: (change: WsStateChange) => boolean,
    timeoutMs: number,
    from?: number,
  ): Promise<WsStateChange | undefined>;
  close(): Promise<void>;
}

/** `options` must not set `createSocket`: the harness wraps `ws`'s own constructor to time the attempts. */
export function openWsSource(options: Omit<UpbitWebSocketOptions, 'createSocket'>): WsSourceHarness {
  const socketsCreatedAt: number[] = [];
  const states: WsStateChange[] = [];
  const gapEvents: StreamGap[] = [];
  const source = createUpbitWebSocketSource({
    ...options,
    createSocket: (url, socketOptions) => {
      socketsCreatedAt.push(wallNow());
      return new WebSocket(url, socketOptions);
    },
  });
  source.on('state', (change) => states.push(change));
  source.on('gap', (gap) => gapEvents.push(gap));
  return {
    source,
    socketsCreatedAt,
    states,
    gapEvents,
    async waitForState(matches, timeoutMs, from = 0) {
      const find = (): WsStateChange | undefined => states.slice(from).find(matches);
      await waitUntil(() => find() !== undefined, timeoutMs);
      return find();
    },
    close: () => source.close(),
  };
}
