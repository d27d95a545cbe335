import type { ChannelKind, ChannelTicker, MarketCode } from '@marketdata/domain';

interface Delivered {
  readonly exchangeTimestamp: number;
  readonly source: ChannelKind;
}

/**
 * One stream's guard against duplicate and out-of-order tickers when two channels feed it (the WebSocket, and REST
 * polling while it stands in): per symbol, nothing older than the last ticker handed on follows it, and the same
 * state is not handed on twice. The order is Upbit's `timestamp` (the state's exchange time), which REST and the
 * WebSocket both carry for the same state (the recorded REST answers show per-market state times, not response
 * times; that the two channels stamp one state identically is assumed, not documented). Two WebSocket REALTIME
 * tickers of one millisecond are both new (two trades); a SNAPSHOT repeating the last time, or REST repeating it, is
 * not.
 */
export class TickOrder {
  private readonly last = new Map<MarketCode, Delivered>();

  /** True (and remembered) when the tick may be handed on. */
  admits(tick: ChannelTicker): boolean {
    const last = this.last.get(tick.symbol);
    if (last !== undefined) {
      if (tick.exchangeTimestamp < last.exchangeTimestamp) return false;
      if (tick.exchangeTimestamp === last.exchangeTimestamp) {
        const anotherRealtime =
          tick.source === 'websocket' && last.source === 'websocket' && tick.streamType !== 'SNAPSHOT';
        if (!anotherRealtime) return false;
      }
    }
    this.last.set(tick.symbol, { exchangeTimestamp: tick.exchangeTimestamp, source: tick.source });
    return true;
  }
}
