import type { ChannelTicker, MarketCode } from '@marketdata/domain';

/** A REST answer that showed no trade newer than the stream's value. */
export interface Confirmation {
  /** The last trade REST knew of. */
  readonly tradeTimestamp: number;
  /** `Clock.monotonic()` when that answer was received: the stream's value was current then. */
  readonly atMonotonic: number;
  /** How long the stream had then been silent for the symbol with no trade missed (monotonic ms). */
  readonly quietForMs: number;
}

interface SymbolTrades {
  /** The newest trade time a stream (WebSocket) ticker carried. */
  streamTradeTime: number | undefined;
  confirmation: Confirmation | undefined;
}

/**
 * What REST says about a symbol's last trade, held against what the stream showed: when a REST ticker carries no
 * trade newer than the stream's latest value, the stream's silence is the market's (no trade happened), not a stall.
 * The freshness judge's only helper for quiet markets; see its header.
 */
export class TradeConfirmations {
  private readonly symbols = new Map<MarketCode, SymbolTrades>();

  constructor(private readonly maxSymbols: number) {}

  /**
   * A ticker seen on any channel. `streamLastArrival` is the stream's last arrival for the symbol (monotonic), the
   * start of the silence a REST answer can confirm.
   */
  note(tick: ChannelTicker, streamLastArrival: number | undefined): void {
    const trades = this.entry(tick.symbol);
    if (tick.source === 'websocket') {
      if (trades.streamTradeTime === undefined || tick.tradeTimestamp > trades.streamTradeTime) {
        trades.streamTradeTime = tick.tradeTimestamp;
      }
      return;
    }
    const streamTime = trades.streamTradeTime;
    if (streamTime === undefined || tick.tradeTimestamp > streamTime || streamLastArrival === undefined) return;
    const previous = trades.confirmation;
    if (previous !== undefined && previous.atMonotonic >= tick.receivedAtMonotonic) return;
    trades.confirmation = {
      tradeTimestamp: tick.tradeTimestamp,
      atMonotonic: tick.receivedAtMonotonic,
      quietForMs: Math.max(0, tick.receivedAtMonotonic - streamLastArrival),
    };
  }

  /** The confirmation that covers a stream value carrying `tradeTime` (or the stream's latest when undefined). */
  covering(symbol: MarketCode, tradeTime: number | undefined): Confirmation | undefined {
    const trades = this.symbols.get(symbol);
    const confirmation = trades?.confirmation;
    const time = tradeTime ?? trades?.streamTradeTime;
    if (confirmation === undefined || time === undefined) return undefined;
    return time >= confirmation.tradeTimestamp ? confirmation : undefined;
  }

  private entry(symbol: MarketCode): SymbolTrades {
    let trades = this.symbols.get(symbol);
    if (trades === undefined) {
      trades = { streamTradeTime: undefined, confirmation: undefined };
      this.symbols.set(symbol, trades);
      if (this.symbols.size > this.maxSymbols) {
        const oldest = this.symbols.keys().next();
        if (oldest.done !== true) this.symbols.delete(oldest.value);
      }
    }
    return trades;
  }
}
