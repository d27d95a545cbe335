import { CANDLE_STREAM_KINDS, isMarketCode, type MarketCode, type StreamKind } from '@marketdata/domain';

/**
 * The subject scheme of the fleet (documented in apps/gateway/README.md, "Running a fleet"). Every name derives from
 * one prefix, `md.upbit` by default, so two fleets (live and simulator, say) can share a NATS server:
 *
 *   <prefix>.<kind>.<MARKET>                 data, one subject per stream kind and market: ticker, trade, orderbook,
 *                                            and the candle kinds candle.1s, candle.1m ... candle.240m (so a candle
 *                                            subject reads <prefix>.candle.1m.KRW-BTC)
 *   <prefix>.demand                          consumers' demand with leases (consumers -> gateway)
 *   <prefix>.gateway.heartbeat               the gateway's heartbeat, every second
 *   <prefix>.gateway.health                  the gateway's health report, every few seconds and on change
 *   <prefix>.gateway.gap                     upstream gaps as the gateway's WebSocket source reports them
 *   <prefix>.rpc.<method>                    request/reply for the REST-style calls, served by the gateway
 *
 * KV bucket `<prefix with _ for .>_latest` (e.g. `md_upbit_latest`), keys `<kind>.<MARKET>`: the latest state of
 * each ticker, order book and candle stream the gateway has published, for late joiners (trades are events: never
 * replayed). Days and longer candles have no stream on Upbit: they come by request/reply (`getCandles`).
 *
 * A market code is upper-case letters and digits around one dash (`parseMarketCode`), so it is always one valid
 * subject token: no dots, no wildcards, no white space.
 */
export const DEFAULT_SUBJECT_PREFIX = 'md.upbit';

/** The request/reply methods the gateway serves, each through its single paced REST budget. */
export const RPC_METHODS = [
  'getTicker',
  'getTickers',
  'getOrderBook',
  'getTrades',
  'getCandles',
  'getMarkets',
] as const;
export type RpcMethod = (typeof RPC_METHODS)[number];

/** Every stream kind the fleet relays. */
export const STREAM_KINDS: readonly StreamKind[] = ['ticker', 'trade', 'orderbook', ...CANDLE_STREAM_KINDS];
/** The kinds kept in the KV bucket for late joiners: states (tickers, books, candles), never events (trades). */
export const STATE_KINDS: readonly StreamKind[] = STREAM_KINDS.filter((kind) => kind !== 'trade');

// Tokens of letters, digits, `_` and `-`, separated by single dots: no wildcards, no empty tokens.
const PREFIX_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

export interface FleetSubjects {
  readonly prefix: string;
  data(kind: StreamKind, symbol: MarketCode): string;
  /** The wildcard of one kind's data subjects (`md.upbit.ticker.*`, `md.upbit.candle.1m.*`). */
  dataWildcard(kind: StreamKind): string;
  readonly demand: string;
  readonly heartbeat: string;
  readonly health: string;
  readonly gap: string;
  rpc(method: RpcMethod): string;
  /** The queue group the gateway's request/reply subscriptions join. */
  readonly rpcQueue: string;
  readonly kvBucket: string;
  kvKey(kind: StreamKind, symbol: MarketCode): string;
  /** The subject a KV put of `key` is published on (the bucket's stream subject). */
  kvSubject(key: string): string;
  readonly healthKey: string;
  /** Reads `<prefix>.<kind>.<MARKET>` back; undefined for any other subject. */
  parseData(subject: string): { readonly kind: StreamKind; readonly symbol: MarketCode } | undefined;
}

export function fleetSubjects(prefix: string = DEFAULT_SUBJECT_PREFIX): FleetSubjects {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new TypeError(`subject prefix ${JSON.stringify(prefix)}: expected dot-separated tokens of [A-Za-z0-9_-]`);
  }
  const kvBucket = `${prefix.replaceAll('.', '_')}_latest`;
  const kinds = new Set<string>(STREAM_KINDS);
  const dataStart = `${prefix}.`;
  return {
    prefix,
    data: (kind, symbol) => `${prefix}.${kind}.${symbol}`,
    dataWildcard: (kind) => `${prefix}.${kind}.*`,
    demand: `${prefix}.demand`,
    heartbeat: `${prefix}.gateway.heartbeat`,
    health: `${prefix}.gateway.health`,
    gap: `${prefix}.gateway.gap`,
    rpc: (method) => `${prefix}.rpc.${method}`,
    rpcQueue: `${prefix}.gateway`,
    kvBucket,
    kvKey: (kind, symbol) => `${kind}.${symbol}`,
    kvSubject: (key) => `$KV.${kvBucket}.${key}`,
    healthKey: 'gateway.health',
    parseData(subject) {
      if (!subject.startsWith(dataStart)) return undefined;
      // The market is the last token (a market code has no dot); a candle kind spans two (`candle.1m`).
      const rest = subject.slice(dataStart.length);
      const dot = rest.lastIndexOf('.');
      if (dot < 0) return undefined;
      const kind = rest.slice(0, dot);
      const symbol = rest.slice(dot + 1);
      if (!kinds.has(kind) || !isMarketCode(symbol)) return undefined;
      return { kind: kind as StreamKind, symbol };
    },
  };
}
