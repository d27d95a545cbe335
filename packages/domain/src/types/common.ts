/** Where a value came from. `cache` means served from the local TTL cache, not fetched for this call. */
export type DataSource = 'rest' | 'websocket' | 'cache';
/** A live channel that fetches or streams from Upbit. */
export type ChannelKind = 'rest' | 'websocket';
/** The facade's grade of a value: `high`, `medium` or `low` (with `qualityNotes` saying why). */
export type DataQuality = 'high' | 'medium' | 'low';
/** Direction against the previous close, as Upbit spells it. */
export type PriceChange = 'RISE' | 'EVEN' | 'FALL';
/** Which side took liquidity in a trade, as Upbit spells it. */
export type TradeSide = 'ASK' | 'BID';
/** WebSocket frames: the first per code is a SNAPSHOT, then REALTIME. */
export type StreamType = 'SNAPSHOT' | 'REALTIME';
/** Epoch milliseconds (UTC). */
export type EpochMs = number;

/** Times and provenance that every normalized record keeps (tardis-node style: exchange time and receive time). */
export interface Provenance {
  /** Upbit's own event time (`timestamp` / `tms`), epoch ms. */
  readonly exchangeTimestamp: EpochMs;
  /** Local wall-clock time the payload was received, epoch ms (for display and comparison with exchange times). */
  readonly receivedAt: EpochMs;
  /**
   * `Clock.monotonic()` when the payload was received, stamped by the adapter as the bytes arrive. Every duration
   * (age since receipt, staleness, rhythm) is measured from this; nobody converts wall time back to monotonic.
   */
  readonly receivedAtMonotonic: number;
  readonly source: ChannelKind;
  /** Present on WebSocket records. */
  readonly streamType?: StreamType | undefined;
  /** REST request latency (send to body parsed), ms. Present on REST records. */
  readonly latencyMs?: number | undefined;
}
