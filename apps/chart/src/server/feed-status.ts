import type { HealthReport, MarketData } from '@marketdata/backbone';
import type { Clock, Logger, TimerHandle } from '@marketdata/domain';
import type { WireFeedStatus } from '../protocol/messages.js';
import type { Upstream } from './upstream.js';

/** How often the facade's health is read: well inside the page's 3 s promise. */
export const STATUS_POLL_MS = 500;

export type StatusListener = (status: WireFeedStatus) => void;

/** The connection-wide reasons (they concern every market). */
function connectionReasons(health: HealthReport): string[] {
  const reasons: string[] = [];
  const { rest, websocket } = health.channels;
  if (health.status === 'down') reasons.push('no channel to Upbit can serve');
  if (rest.state === 'disabled') reasons.push(`REST disabled (${rest.lastError ?? 'consecutive failures'})`);
  if (websocket !== undefined) {
    if (websocket.state === 'disabled') {
      reasons.push(`WebSocket disabled (${websocket.lastError ?? 'consecutive failures'})`);
    }
    if (websocket.connection === 'reconnecting' || websocket.connection === 'closed') {
      reasons.push(`WebSocket ${websocket.connection}`);
    }
    if (websocket.refusal !== undefined) reasons.push(`WebSocket refused: ${websocket.refusal}`);
    if (websocket.openGaps > 0) reasons.push(`${websocket.openGaps} open WebSocket gap(s)`);
  }
  return reasons;
}

/**
 * What a market's page should say about its data, from the facade's `health()` (the backbone judges staleness;
 * this only reads its verdict) and the source of the latest ticker: stale when a feed of the market is judged
 * stale or the stream cannot deliver; on fallback when the ticker comes by REST or the WebSocket is disabled.
 */
export function statusFor(symbol: string, health: HealthReport, tickerSource: string | undefined): WireFeedStatus {
  const staleReasons = connectionReasons(health);
  const websocket = health.channels.websocket;
  for (const feed of websocket?.staleFeeds ?? []) {
    if (feed.symbol === symbol) staleReasons.push(`${feed.kind} stale: ${feed.note}`);
  }
  const streamDisabled = websocket === undefined || websocket.state === 'disabled';
  const tickerByRest = tickerSource !== undefined && tickerSource !== 'websocket';
  const fallbackReasons = tickerByRest ? [`ticker from ${tickerSource}, not the stream (fallback)`] : [];
  return {
    stale: staleReasons.length > 0,
    fallback: streamDisabled || tickerByRest,
    reasons: [...staleReasons, ...fallbackReasons],
  };
}

function sameStatus(a: WireFeedStatus | undefined, b: WireFeedStatus): boolean {
  return (
    a !== undefined &&
    a.stale === b.stale &&
    a.fallback === b.fallback &&
    a.reasons.length === b.reasons.length &&
    a.reasons.every((reason, index) => reason === b.reasons[index])
  );
}

/**
 * Reads `health()` every `STATUS_POLL_MS` and tells each market's listeners when its status changes. Also notices a
 * new WebSocket connection or a closed gap, after which the candle series are re-read from REST (`onRecovered`).
 */
export class FeedStatusMonitor {
  private readonly listeners = new Map<string, Set<StatusListener>>();
  private readonly last = new Map<string, WireFeedStatus>();
  private timer: TimerHandle | undefined;
  private lastEpoch: number | undefined;
  private lastOpenGaps = 0;
  private stopped = false;

  constructor(
    private readonly deps: {
      readonly marketData: MarketData;
      readonly upstream: Upstream;
      readonly clock: Clock;
      readonly logger: Logger;
      readonly onRecovered: (why: string) => void;
      readonly pollMs?: number | undefined;
    },
  ) {}

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.deps.clock.clearTimeout(this.timer);
  }

  /** Listens to one market's status: the current one at once (when known), then every change. */
  listen(symbol: string, listener: StatusListener): () => void {
    let set = this.listeners.get(symbol);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(symbol, set);
    }
    set.add(listener);
    const known = this.last.get(symbol);
    if (known !== undefined) listener(known);
    else this.check();
    return () => {
      const current = this.listeners.get(symbol);
      current?.delete(listener);
      if (current?.size === 0) {
        this.listeners.delete(symbol);
        this.last.delete(symbol);
      }
    };
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimeout(() => {
      this.check();
      this.schedule();
    }, this.deps.pollMs ?? STATUS_POLL_MS);
  }

  /** One reading of the facade's health. */
  check(): void {
    if (this.stopped) return;
    let health: HealthReport;
    try {
      health = this.deps.marketData.health();
    } catch (error) {
      this.deps.logger.warn('health() failed', { error: error instanceof Error ? error.message : String(error) });
      return;
    }
    this.noticeRecovery(health);
    for (const [symbol, set] of this.listeners) {
      const status = statusFor(symbol, health, this.deps.upstream.tickers.latest(symbol)?.source);
      if (sameStatus(this.last.get(symbol), status)) continue;
      this.last.set(symbol, status);
      for (const listener of [...set]) listener(status);
    }
  }

  private noticeRecovery(health: HealthReport): void {
    const websocket = health.channels.websocket;
    if (websocket === undefined) return;
    const { epoch, openGaps } = websocket;
    if (this.lastEpoch !== undefined && this.lastEpoch > 0 && epoch > this.lastEpoch) {
      this.deps.onRecovered(`new WebSocket connection (epoch ${epoch})`);
    } else if (this.lastOpenGaps > 0 && openGaps === 0) {
      this.deps.onRecovered('WebSocket gap closed');
    }
    this.lastEpoch = epoch;
    this.lastOpenGaps = openGaps;
  }
}
