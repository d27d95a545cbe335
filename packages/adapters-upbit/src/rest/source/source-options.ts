import { ConfigError, type ConfigIssue } from '@marketdata/domain';
import type { UpbitRestClientOptions } from '../options.js';
import type { UpbitRestClient } from '../upbit-rest-client.js';

/** Options of `createUpbitRestSource`: the client options plus polling and market-list refresh. */
export interface UpbitRestSourceOptions extends UpbitRestClientOptions {
  /** Use this client instead of creating one (its options apply); it is then not closed by `close()`. */
  readonly client?: UpbitRestClient | undefined;
  /** Split a ticker or order book batch whose URL would be longer. Default 2000; Upbit's real limit is unknown. */
  readonly maxUrlLength?: number | undefined;
  /** How long a market Upbit called unknown fails fast without asking again. Default 60,000. */
  readonly unknownSymbolTtlMs?: number | undefined;
  /** The market directory's refresh period: a list older than this is loaded again. Default 600,000 (10 min). */
  readonly marketListTtlMs?: number | undefined;
  /** `watch*` polling interval. Default 1,000. */
  readonly pollIntervalMs?: number | undefined;
  /** Trades fetched per `watchTrades` poll per market. Default 50. */
  readonly tradesPerPoll?: number | undefined;
  /** The most candles one `getCandles` call may ask for (paged 200 per request). Default 10,000 (50 requests). */
  readonly maxCandlesPerCall?: number | undefined;
  /** The most trades one `getTrades` call may ask for (paged 500 per request). Default 10,000 (20 requests). */
  readonly maxTradesPerCall?: number | undefined;
}

const SOURCE_DEFAULTS = {
  maxUrlLength: 2000,
  unknownSymbolTtlMs: 60_000,
  marketListTtlMs: 600_000,
  pollIntervalMs: 1000,
  tradesPerPoll: 50,
  maxCandlesPerCall: 10_000,
  maxTradesPerCall: 10_000,
};

export type SourceSettings = { -readonly [K in keyof typeof SOURCE_DEFAULTS]: number };

export function checkedSettings(options: UpbitRestSourceOptions): SourceSettings {
  const settings: SourceSettings = { ...SOURCE_DEFAULTS };
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(SOURCE_DEFAULTS) as (keyof SourceSettings)[]) {
    const value = options[key] ?? SOURCE_DEFAULTS[key];
    const mustBePositive = key !== 'unknownSymbolTtlMs';
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (mustBePositive && value <= 0)) {
      issues.push({ path: key, message: mustBePositive ? 'must be a positive number' : 'must be >= 0', value });
    }
    settings[key] = value;
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return settings;
}
