import type { MarketCode } from '../market-code.js';
import type { OrderBookSource, TickerSource, TradeSource } from './sources.js';
import type { StreamKind, StreamStatus, SubscriptionHandle, SymbolFreshness } from './stream-status.js';

/** A streaming channel (the WebSocket adapter): a TickerSource that also exposes its subscriptions and health. */
export interface StreamingSource extends TickerSource, OrderBookSource, TradeSource {
  readonly channel: 'websocket';
  /** Keep these symbols subscribed (reference counted) without consuming updates. */
  subscribe(kind: StreamKind, symbols: readonly MarketCode[]): SubscriptionHandle;
  freshness(symbol: MarketCode, kind?: StreamKind): SymbolFreshness | undefined;
  status(): StreamStatus;
}
