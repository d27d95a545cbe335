import type { WebsocketProfile } from './protocol.js';

/**
 * The WebSocket adapter settings of the fault scenario. The adapter's defaults are tuned for api.upbit.com (a text
 * PING every 25 s, 20 s to answer, reconnect backoff up to 30 s): with them a 5 s stall is never noticed (nothing
 * is lost from the adapter's point of view, so no gap is recorded) and the reconnect after a few seconds of
 * outage may wait many seconds. This profile is what a consumer who needs sub-second failover configures:
 * - a WebSocket ping every second (Upbit accepts a ping frame as the heartbeat; API.md), declared dead after 1.5 s
 *   without anything inbound: a stall is noticed within 2.5 s and its gap starts at the last frame received;
 * - reconnect backoff with full jitter capped at 500 ms, never below 200 ms (at most 5 connects per second, Upbit's
 *   documented connect limit);
 * - one recent trade kept per symbol instead of 200: this consumer never calls `getTrades`. With 200 the buffers
 *   fill for hours on quiet markets (0.01 trades/s), so the heap grows by ~60 KB/s for the whole run, bounded but
 *   not distinguishable from a leak within ten minutes; with one it is flat after warm-up.
 */
export const FAST_FAILOVER_PROFILE: WebsocketProfile = {
  heartbeat: 'ws-ping',
  pingIntervalMs: 1_000,
  livenessTimeoutMs: 1_500,
  backoff: { baseMs: 250, maxMs: 500, minMs: 200 },
  recentTradesPerSymbol: 1,
};
