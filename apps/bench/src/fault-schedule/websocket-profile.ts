import type { WebsocketProfile } from './protocol.js';

/** The adapter settings the fault schedule runs with. */
export type FaultProfileName = 'default' | 'fast-failover';

export const FAULT_PROFILE_NAMES: readonly FaultProfileName[] = ['default', 'fast-failover'];

export interface FaultProfile {
  readonly name: FaultProfileName;
  readonly description: string;
  /** WebSocket adapter settings given to the consumer; undefined: none at all, the adapter's own defaults. */
  readonly websocket: WebsocketProfile | undefined;
}

/**
 * `default`: what `createUpbitWebSocketSource({ url })` and `createUpbitRestSource({ url })` get, nothing more. The
 * scenario's thresholds must hold with it: that is what a user gets.
 *
 * `fast-failover`: a consumer tuned for sub-second failover, kept to compare against the defaults:
 * - a WebSocket ping every second, declared dead after 1.5 s without anything inbound;
 * - reconnect backoff with full jitter capped at 500 ms, never below 200 ms;
 * - one recent trade kept per symbol instead of the adapter's default: this consumer never calls the WebSocket
 *   source's `getTrades`.
 */
export const FAULT_PROFILES: Readonly<Record<FaultProfileName, FaultProfile>> = {
  default: {
    name: 'default',
    description: 'the adapters and the facade with their default settings',
    websocket: undefined,
  },
  'fast-failover': {
    name: 'fast-failover',
    description: 'WebSocket ping 1 s, dead after 1.5 s silent, reconnect within 0.5 s, 1 recent trade per symbol',
    websocket: {
      heartbeat: 'ws-ping',
      pingIntervalMs: 1_000,
      livenessTimeoutMs: 1_500,
      backoff: { baseMs: 250, maxMs: 500, minMs: 200 },
      recentTradesPerSymbol: 1,
    },
  },
};
