import {
  type Market,
  type MarketCode,
  type MarketDataError,
  type MarketDirectory,
  type MarketDirectoryView,
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
      eventSource: payload.market_event === undefined ? 'none' : 'market_event',
    };
  });
}

/** The markets of the recorded `/v1/ticker/all?quote_currencies=KRW` answer (244, all listed when recorded). */
export function recordedKrwCodes(): readonly MarketCode[] {
  return recordedKrwTickers().map((tick) => tick.symbol);
}

type Load =
  | { readonly kind: 'ok' }
  | { readonly kind: 'fail'; readonly error: MarketDataError }
  | { readonly kind: 'hang' };

/**
 * A market directory as the port describes it (the REST adapter owns the real one): a list of codes loaded on
 * `ready()`, one load at a time, shared; loads can be scripted to fail (`ready` still resolves, the view says why)
 * or to hang until the caller's signal aborts. `isFresh()` is true once a load succeeded, until `expire()`.
 */
export class FakeMarketDirectory implements MarketDirectory {
  loads = 0;
  readonly readySignals: (AbortSignal | undefined)[] = [];
  private listed: ReadonlySet<MarketCode> | undefined;
  private fresh = false;
  private lastError: MarketDataError | undefined;
  private inFlight: Promise<void> | undefined;
  private readonly script: Load[] = [];

  constructor(
    private codes: readonly MarketCode[],
    private readonly monotonic: () => number = () => 0,
  ) {}

  failNext(count = 1, error: MarketDataError = new NetworkError('connection refused', { channel: 'rest' })): void {
    for (let i = 0; i < count; i++) this.script.push({ kind: 'fail', error });
  }

  hangNext(count = 1): void {
    for (let i = 0; i < count; i++) this.script.push({ kind: 'hang' });
  }

  /** A new listing, seen by the next load. */
  list(code: string): MarketCode {
    const symbol = parseMarketCode(code);
    this.codes = [...this.codes, symbol];
    return symbol;
  }

  /** A market delisted, as the next load will see it. */
  delist(code: string): void {
    this.codes = this.codes.filter((symbol) => symbol !== code);
  }

  /** The list is now due for a refresh. */
  expire(): void {
    this.fresh = false;
  }

  isListed(symbol: MarketCode): boolean | undefined {
    return this.listed?.has(symbol);
  }

  isFresh(): boolean {
    return this.fresh;
  }

  ready(options: RequestOptions = {}): Promise<void> {
    this.readySignals.push(options.signal);
    if (this.fresh) return Promise.resolve();
    this.inFlight ??= this.load(options.signal).finally(() => {
      this.inFlight = undefined;
    });
    const shared = this.inFlight;
    const signal = options.signal;
    if (signal === undefined) return shared;
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      shared.then(resolve, reject);
    });
  }

  view(): MarketDirectoryView {
    return { listed: this.listed?.size, loadedAtMonotonic: this.loadedAt, lastError: this.lastError };
  }

  private loadedAt: number | undefined;

  private async load(signal: AbortSignal | undefined): Promise<void> {
    this.loads++;
    const step = this.script.shift() ?? { kind: 'ok' };
    if (step.kind === 'hang') {
      await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
      return;
    }
    if (step.kind === 'fail') {
      // Tolerated: the directory says why, and keeps no list it could not have.
      this.lastError = step.error;
      this.fresh = true;
      return;
    }
    this.listed = new Set(this.codes);
    this.loadedAt = this.monotonic();
    this.lastError = undefined;
    this.fresh = true;
  }
}
