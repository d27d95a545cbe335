import {
  type Market,
  type MarketCode,
  type MarketListSource,
  NetworkError,
  parseMarketCode,
  type RequestOptions,
  splitMarketCode,
} from '@marketdata/domain';
import { fixtureJson } from '@marketdata/fixtures';
import { recordedKrwTickers } from './fixture-tickers.js';

interface MarketPayload {
  readonly market: string;
  readonly korean_name: string;
  readonly english_name: string;
  readonly market_event?: { readonly warning: boolean };
}

/** The 4 recorded rows of `GET /v1/market/all?isDetails=true` (KRW-BTC, KRW-AERGO, KRW-ZIL, BTC-SIGN). */
export function recordedMarkets(): readonly Market[] {
  const payloads = fixtureJson('rest-market-all-details.json') as readonly MarketPayload[];
  return payloads.map((payload) => {
    const symbol = parseMarketCode(payload.market);
    return {
      symbol,
      ...splitMarketCode(symbol),
      koreanName: payload.korean_name,
      englishName: payload.english_name,
      warning: payload.market_event?.warning ?? false,
      cautions: [],
    };
  });
}

/**
 * The markets of the recorded `/v1/ticker/all?quote_currencies=KRW` answer (244, all listed when recorded), as a
 * market list. The ticker answer has no names, so they are left empty: the directory reads only the codes.
 */
export function recordedKrwMarkets(): readonly Market[] {
  return recordedKrwTickers().map((tick) => ({
    symbol: tick.symbol,
    ...splitMarketCode(tick.symbol),
    koreanName: '',
    englishName: '',
    warning: false,
    cautions: [],
  }));
}

type Step = { readonly kind: 'fail'; readonly error: unknown } | { readonly kind: 'hang' };

/** A market list answering `markets`, with scripted failures and hangs (a hang ends only when its signal aborts). */
export class FakeMarketList implements MarketListSource {
  calls = 0;
  private readonly script: Step[] = [];

  constructor(public markets: readonly Market[]) {}

  failNext(count = 1, error: unknown = new NetworkError('connection refused', { channel: 'rest' })): void {
    for (let i = 0; i < count; i++) this.script.push({ kind: 'fail', error });
  }

  hangNext(count = 1): void {
    for (let i = 0; i < count; i++) this.script.push({ kind: 'hang' });
  }

  /** Adds a market (a new listing) to later answers. */
  list(code: string): MarketCode {
    const symbol = parseMarketCode(code);
    this.markets = [
      ...this.markets,
      { symbol, ...splitMarketCode(symbol), koreanName: '', englishName: '', warning: false, cautions: [] },
    ];
    return symbol;
  }

  async getMarkets(options: RequestOptions = {}): Promise<readonly Market[]> {
    this.calls++;
    const step = this.script.shift();
    if (step?.kind === 'fail') throw step.error;
    if (step?.kind === 'hang') {
      await new Promise<never>((_, reject) => {
        options.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true });
      });
    }
    return this.markets;
  }
}
