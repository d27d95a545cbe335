/**
 * The protocol between the page and the local server: JSON text frames over one WebSocket per tab (path
 * `/stream`). Pure types (shared by the server and the page). See apps/chart/README.md "Protocol".
 *
 * The page selects one market and interval at a time (`select`); every answer that belongs to a selection carries
 * its `selection` number, so the page drops answers to a selection it has already left.
 */
import type { ChartInterval } from './intervals.js';

/** Where the data comes from: live Upbit, the in-process simulator, or an endpoint given on the command line. */
export type ChartMode = 'live' | 'sim' | 'endpoint';

/** Protocol version, in `hello`: a page built for another version reloads. */
export const PROTOCOL_VERSION = 1;

/** Candles sent on a `select`: the first screen. */
export const FIRST_SCREEN_CANDLES = 300;
/** Most candles one `older` request may ask for. */
export const MAX_OLDER_CANDLES = 1_000;

export interface WireCandle {
  /** Period start, UTC epoch ms. */
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export interface WireMarket {
  readonly symbol: string;
  readonly koreanName: string;
  readonly englishName: string;
  readonly warning: boolean;
  readonly cautions: readonly string[];
}

export interface WireTicker {
  readonly symbol: string;
  readonly price: number;
  readonly change: 'RISE' | 'EVEN' | 'FALL';
  readonly changeRate: number;
  readonly source: 'rest' | 'websocket' | 'cache';
  readonly quality: 'high' | 'medium' | 'low';
  readonly confidence: number;
  /** The facade's age (exchange event to hand-out), ms. The page adds the time since it received the message. */
  readonly ageMs: number;
  readonly qualityNotes: readonly string[];
  readonly exchangeTimestamp: number;
}

export interface WireBookLevel {
  readonly askPrice: number;
  readonly askSize: number;
  readonly bidPrice: number;
  readonly bidSize: number;
}

export interface WireTrade {
  readonly price: number;
  readonly volume: number;
  readonly side: 'ASK' | 'BID';
  readonly tradeTimestamp: number;
  readonly sequentialId: string;
}

/** What the server knows about the selected market's feeds; sent on every change. */
export interface WireFeedStatus {
  /** A feed of the market is stale, as the backbone's freshness judge says, or the upstream cannot deliver. */
  readonly stale: boolean;
  /** Data comes through a fallback (REST polling instead of the stream). */
  readonly fallback: boolean;
  /** Human reasons, one per line (empty when fresh). */
  readonly reasons: readonly string[];
}

/** Market status flags shown on the header (investment warning, cautions, suspension). */
export interface WireMarketFlags {
  readonly warning: boolean;
  readonly cautions: readonly string[];
  /** Trading suspended (WebSocket ticker); undefined until a ticker said. */
  readonly suspended: boolean | undefined;
  /** `PREVIEW`, `ACTIVE`, `DELISTED` (WebSocket ticker); undefined until a ticker said. */
  readonly marketState: string | undefined;
  /** Delisting date as Upbit writes it (`yyyy-MM-dd`); undefined when none is announced. */
  readonly delistingDate: string | undefined;
}

// ---------------------------------------------------------------- page → server

export type ClientMessage =
  | {
      readonly t: 'select';
      readonly selection: number;
      readonly symbol: string;
      readonly interval: ChartInterval;
    }
  | {
      readonly t: 'older';
      readonly selection: number;
      /** Candles strictly before this period start, UTC epoch ms. */
      readonly before: number;
      readonly count: number;
    };

// ---------------------------------------------------------------- server → page

export type ServerMessage =
  | {
      readonly t: 'hello';
      readonly version: number;
      readonly mode: ChartMode;
      readonly markets: readonly WireMarket[];
      readonly defaultSymbol: string;
    }
  | {
      /** The first screen of a selection, oldest first. */
      readonly t: 'history';
      readonly selection: number;
      readonly symbol: string;
      readonly interval: ChartInterval;
      readonly candles: readonly WireCandle[];
    }
  | {
      /** Older candles answering `older`, oldest first; `exhausted` when nothing older exists. */
      readonly t: 'older';
      readonly selection: number;
      readonly candles: readonly WireCandle[];
      readonly exhausted: boolean;
    }
  | {
      /** Live candle updates, last-wins per `time` (several per message when they came together). */
      readonly t: 'candles';
      readonly selection: number;
      readonly candles: readonly WireCandle[];
    }
  | { readonly t: 'ticker'; readonly selection: number; readonly ticker: WireTicker }
  | {
      readonly t: 'book';
      readonly selection: number;
      readonly levels: readonly WireBookLevel[];
      readonly totalAskSize: number;
      readonly totalBidSize: number;
    }
  | {
      /** New trades, oldest first; `skipped` counts trades left out because the tab fell behind. */
      readonly t: 'trades';
      readonly selection: number;
      readonly trades: readonly WireTrade[];
      readonly skipped: number;
    }
  | { readonly t: 'status'; readonly selection: number; readonly status: WireFeedStatus }
  | { readonly t: 'flags'; readonly selection: number; readonly flags: WireMarketFlags }
  | {
      /** Something failed. `selection` is set when it concerns one selection; `hint` says what to do. */
      readonly t: 'error';
      readonly selection: number | undefined;
      readonly message: string;
      readonly hint: string | undefined;
    };

export type ServerMessageType = ServerMessage['t'];
