import type { MarketData } from '@marketdata/backbone';
import type { MarketCode, MarketListSource } from '@marketdata/domain';
import { UsageError } from '../cli/usage-error.js';
import { pickTopByTurnover } from './pick-top-markets.js';

export interface ChooseSymbolsInput {
  readonly markets: MarketListSource;
  readonly marketData: MarketData;
  /** Explicit choice (--symbols or the config); checked against the server's market list. */
  readonly symbols: readonly MarketCode[] | undefined;
  readonly top: number;
  readonly signal: AbortSignal;
}

export interface ChosenSymbols {
  readonly symbols: readonly MarketCode[];
  /** How they were chosen, for the log. */
  readonly how: string;
}

/**
 * Explicit symbols must be listed by the server (a typo is a usage error, since Upbit silently ignores unknown
 * codes on WebSocket). Otherwise: every KRW market's ticker in one batched REST call, top N by 24h turnover.
 */
export async function chooseSymbols(input: ChooseSymbolsInput): Promise<ChosenSymbols> {
  const markets = await input.markets.getMarkets({ signal: input.signal });
  const listed = new Set(markets.map((market) => market.symbol));
  if (input.symbols !== undefined) {
    const unknown = input.symbols.filter((symbol) => !listed.has(symbol));
    if (unknown.length > 0) {
      throw new UsageError(
        `unknown market${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} (the server lists ${listed.size} markets)`,
      );
    }
    return { symbols: input.symbols, how: 'as given' };
  }
  const krw = markets.filter((market) => market.quote === 'KRW').map((market) => market.symbol);
  if (krw.length === 0) throw new Error(`the server lists no KRW markets (${markets.length} markets in total)`);
  const results = await input.marketData.getTickers(krw, { source: 'rest', signal: input.signal });
  const samples = results.flatMap((result) => (result.ok ? [result.value] : []));
  if (samples.length === 0) {
    const first = results.find((result) => !result.ok);
    throw first !== undefined && !first.ok ? first.error : new Error('no KRW tickers');
  }
  return {
    symbols: pickTopByTurnover(samples, input.top),
    how: `top ${Math.min(input.top, samples.length)} of ${krw.length} KRW markets by 24h turnover`,
  };
}
