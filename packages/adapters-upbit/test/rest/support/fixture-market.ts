import { fixtureJson, fixtureText } from '@marketdata/fixtures';
import { type FakeHandler, type FakeReply, remainingReq } from './fake-upbit-fetch.js';

type Row = Record<string, unknown> & { market: string };

/** The 244 real KRW tickers recorded from `/v1/ticker/all?quote_currencies=KRW`. */
export const recordedKrwTickers = fixtureJson('rest-ticker-all-quote-krw.json') as readonly Row[];

/** A fake `/v1/ticker` that answers from the recorded tickers, with 404 `Code not found` for an unknown market. */
export function recordedTickerEndpoint(options: { readonly sec?: number } = {}): FakeHandler {
  const byMarket = new Map(recordedKrwTickers.map((row) => [row.market, row]));
  return (url): FakeReply => {
    if (url.pathname !== '/v1/ticker') return { status: 404, body: fixtureText('rest-error-404-no-route.json') };
    const markets = (url.searchParams.get('markets') ?? '').split(',');
    const rows = markets.map((market) => byMarket.get(market));
    if (rows.some((row) => row === undefined)) {
      return {
        status: 404,
        body: fixtureText('rest-error-404-code-not-found.json'),
        headers: remainingReq('ticker', 9),
      };
    }
    return { body: JSON.stringify(rows), headers: remainingReq('ticker', options.sec ?? 9) };
  };
}

/**
 * A `/v1/market/all?isDetails=true` body listing the recorded KRW tickers' markets plus `extra`: each entry is the
 * recorded KRW-BTC entry of `rest-market-all-details.json` with its `market` replaced (no complete live list exists).
 */
export function recordedMarketListBody(extra: readonly string[] = []): string {
  const [template] = fixtureJson('rest-market-all-details.json') as readonly Row[];
  const codes = [...recordedKrwTickers.map((row) => row.market), ...extra];
  return JSON.stringify(codes.map((market) => ({ ...template, market })));
}
