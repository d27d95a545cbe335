import {
  ChannelUnavailableError,
  type Clock,
  type Market,
  type MarketDirectory,
  type RequestOptions,
} from '@marketdata/domain';
import { lowerQuality } from '../unifier/grade-record.js';
import { marketStatusIssues } from '../unifier/market-status.js';
import type { QualityIssue } from '../unifier/quality-checks.js';
import type { Unifier } from '../unifier/unifier.js';
import type { MarketDetail, MarketList, MarketSummary } from './market-data-results.js';
import type { MarketDetails } from './market-details.js';
import { type RestCallDeps, restCall } from './rest-call.js';

export interface MarketListSourceLike {
  readonly directory?: MarketDirectory | undefined;
  readonly getMarkets?: ((options?: RequestOptions) => Promise<readonly Market[]>) | undefined;
}

export interface MarketListOptions {
  readonly deps: RestCallDeps;
  readonly clock: Clock;
  readonly rest: MarketListSourceLike;
  readonly details: MarketDetails | undefined;
  readonly unifier: Unifier;
}

/**
 * `getMarkets`: the one market directory's list (the REST source owns and refreshes it; nothing here keeps another).
 * A fresh list is answered from memory (`source: 'cache'`, no request, whatever the REST channel's health); an older
 * one is loaded first, through the REST channel like any other call (`source: 'rest'`). Graded as one list: its age
 * is the time since the list was loaded (Upbit's list carries no exchange time), `medium` when the last refresh
 * failed and an older list answers. With `details`, each market carries its warnings and cautions and their grade.
 */
export async function getMarketList(
  options: MarketListOptions,
  details: boolean,
  caller: AbortSignal | undefined,
): Promise<MarketList<MarketSummary | MarketDetail>> {
  const { rest, clock, deps, unifier } = options;
  const getMarkets = rest.getMarkets;
  const directory = rest.directory;
  if (getMarkets === undefined) {
    throw new ChannelUnavailableError('getMarkets needs a REST source with getMarkets (a market directory)', {
      channel: 'router',
      operation: 'getMarkets',
      reason: 'rest source without getMarkets',
    });
  }
  const startedAt = clock.monotonic();
  const before = directory?.view().loadedAtMonotonic;
  let markets: readonly Market[];
  let servedFrom: 'rest' | 'cache' = 'cache';
  const held = directory?.isFresh() === true ? options.details?.latest() : undefined;
  if (held !== undefined && held.loadedAtMonotonic === before) {
    markets = held.markets;
  } else {
    const result = await restCall(deps, {
      operation: 'getMarkets',
      symbol: undefined,
      caller,
      singleRequest: true,
      fetch: (signal) => getMarkets.call(rest, { signal }),
    });
    markets = result.value;
    options.details?.accept(markets);
    const after = directory?.view().loadedAtMonotonic;
    servedFrom = after !== undefined && after === before ? 'cache' : 'rest';
  }
  const loadedAt = directory?.view().loadedAtMonotonic;
  const nowMono = clock.monotonic();
  const nowWall = clock.now();
  const ageMs = loadedAt === undefined ? 0 : Math.max(0, nowMono - loadedAt);
  const issues: QualityIssue[] = [];
  const lastError = directory?.view().lastError;
  if (lastError !== undefined) {
    issues.push({
      kind: 'stale',
      quality: 'medium',
      note: `the last refresh of the list failed: ${lastError.message}`,
    });
  }
  const grade = unifier.gradeValue(
    { symbol: undefined, exchangeTimestamp: nowWall - ageMs, issues },
    { servedFrom, startedAt },
  );
  return {
    ...grade,
    exchangeTimestamp: nowWall - ageMs,
    receivedAt: nowWall - ageMs,
    receivedAtMonotonic: loadedAt ?? nowMono,
    markets: markets.map((market) => (details ? detailOf(market) : summaryOf(market))),
  };
}

function summaryOf(market: Market): MarketSummary {
  return {
    symbol: market.symbol,
    quote: market.quote,
    base: market.base,
    koreanName: market.koreanName,
    englishName: market.englishName,
  };
}

function detailOf(market: Market): MarketDetail {
  const issues = marketStatusIssues([{ from: 'market list', warning: market.warning, cautions: market.cautions }]);
  let quality: MarketDetail['quality'] = 'high';
  for (const issue of issues) quality = lowerQuality(quality, issue.quality ?? 'low');
  return { ...market, quality, qualityNotes: issues.map((issue) => issue.note) };
}
