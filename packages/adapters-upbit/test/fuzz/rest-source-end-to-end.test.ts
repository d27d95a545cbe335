import {
  type Candle,
  type ChannelTicker,
  createSeededRandom,
  isDataValidationError,
  isPayloadTooLargeError,
  type Market,
  type MarketCode,
  type OrderBook,
  parseMarketCode,
  type Trade,
} from '@marketdata/domain';
import { FakeClock } from '@marketdata/domain/testing';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRestBudgets } from '../../src/rest/http/rest-budgets.js';
import { createUpbitRestSource, type UpbitRestSource } from '../../src/rest/index.js';
import { MARKET_LIST_RETRY_AFTER_FAILURE_MS } from '../../src/rest/source/market-directory.js';
import { captureProcessFailures, ioTurn, type ProcessFailures } from '../support/process-failures.js';
import { type BadCase, CATEGORIES, categoryArbitrary } from './support/bad-payloads.js';
import { type Settled, settleWithClock } from './support/clock-driver.js';
import { seedFor } from './support/fuzz-settings.js';
import { replaceFirstScalar, replaceScalar, utf8Bytes, withExtraField } from './support/json-text.js';
import { type PayloadKind, REST_KINDS } from './support/payload-kinds.js';
import { ScriptedUpbitFetch } from './support/scripted-upbit-fetch.js';

/**
 * End to end (smaller than the in-process runs): generated bad bodies through the real `UpbitRestSource` and its
 * `UpbitRestClient` (pacing, retries, singleflight, ticker batching, body cap) with an injected fetch, each request
 * for a bad body interleaved with one for a good body. Time is a FakeClock, so pacing and the retries of unparseable bodies
 * (with backoff) take no real time. Every bad body must end in a DataValidationError, every good one in the right
 * domain values, with no unhandled rejection.
 */
const RUNS_PER_KIND = 500;
const MAX_RETRIES = 3;
const BAD = parseMarketCode('KRW-FUZZ');
const GOOD = parseMarketCode('KRW-BTC');

interface RestCase {
  readonly kind: PayloadKind;
  /** Bad and good requests can run at the same time (separate URLs, not one ticker batch, not the one list). */
  readonly concurrent: boolean;
  readonly request: (source: UpbitRestSource, symbol: MarketCode) => Promise<unknown>;
  readonly fetchKey: (symbol: MarketCode) => string;
  /** The recorded body with `tag` written into one field, every other byte as recorded. */
  readonly goodBody: (tag: number) => string;
  /** Checks the good answer against the recorded values (and the tag). */
  readonly checkGood: (value: unknown, tag: number) => void;
  /**
   * Runs before each request. The market list is the directory's: a fresh list is answered without a request and
   * a failed load is not retried for 10 s, so the clock is moved past both before each `getMarkets`.
   */
  readonly before?: (clock: FakeClock) => Promise<void>;
}

const bySymbol = (symbol: MarketCode): string => symbol;

const REST_CASES: readonly RestCase[] = [
  {
    kind: REST_KINDS.ticker,
    concurrent: false,
    request: (source, symbol) => source.getTicker(symbol),
    fetchKey: bySymbol,
    goodBody: (tag) => replaceScalar(REST_KINDS.ticker.text, 'trade_price', String(tag)),
    checkGood: (value, tag) => {
      const ticker = value as ChannelTicker;
      expect([ticker.symbol, ticker.price, ticker.prevClose, ticker.exchangeTimestamp]).toEqual([
        GOOD,
        tag,
        102_417_000,
        1_773_240_058_973,
      ]);
    },
  },
  {
    kind: REST_KINDS.orderbook,
    concurrent: true,
    request: (source, symbol) => source.getOrderBook(symbol),
    fetchKey: bySymbol,
    goodBody: (tag) => replaceScalar(REST_KINDS.orderbook.text, 'timestamp', String(1_773_240_000_000 + tag)),
    checkGood: (value, tag) => {
      const book = value as OrderBook;
      expect([book.symbol, book.exchangeTimestamp, book.levels.length, book.levels[0]?.askPrice]).toEqual([
        GOOD,
        1_773_240_000_000 + tag,
        30,
        103_493_000,
      ]);
    },
  },
  {
    kind: REST_KINDS.trade,
    concurrent: true,
    request: (source, symbol) => source.getTrades(symbol),
    fetchKey: bySymbol,
    goodBody: (tag) => replaceScalar(REST_KINDS.trade.text, 'trade_price', String(tag)),
    checkGood: (value, tag) => {
      const [trade] = value as readonly Trade[];
      expect([trade?.symbol, trade?.price, trade?.sequentialId]).toEqual([GOOD, tag, '17732400590950000']);
    },
  },
  {
    kind: REST_KINDS.candle,
    concurrent: true,
    request: (source, symbol) => source.getCandles(symbol, { interval: { unit: 'minutes', size: 1 } }),
    fetchKey: bySymbol,
    goodBody: (tag) => replaceScalar(REST_KINDS.candle.text, 'trade_price', String(tag)),
    checkGood: (value, tag) => {
      const [candle] = value as readonly Candle[];
      expect([candle?.symbol, candle?.close, candle?.openTime]).toEqual([GOOD, tag, Date.UTC(2026, 2, 11, 14, 40)]);
    },
  },
  {
    kind: REST_KINDS.market,
    concurrent: false,
    request: (source) => source.getMarkets(),
    before: (clock) => clock.advanceAsync(MARKET_LIST_RETRY_AFTER_FAILURE_MS),
    fetchKey: () => '/v1/market/all',
    goodBody: () => REST_KINDS.market.text,
    checkGood: (value) => {
      const markets = value as readonly Market[];
      expect(markets.map((market) => [market.symbol, market.koreanName, market.warning, market.cautions])).toEqual([
        ['KRW-BTC', '비트코인', false, []],
        ['KRW-AERGO', '아르고', true, []],
        ['KRW-ZIL', '질리카', true, ['GLOBAL_PRICE_DIFFERENCES']],
        ['BTC-SIGN', '사인', false, ['GLOBAL_PRICE_DIFFERENCES']],
      ]);
    },
  },
];

function mustFailBodies(kind: PayloadKind): fc.Arbitrary<BadCase> {
  return fc.oneof(...CATEGORIES.map((category) => categoryArbitrary(kind, category))).filter((bad) => bad.mustFail);
}

const bodyText = new TextDecoder('utf-8');

function isJson(bytes: Uint8Array): boolean {
  try {
    JSON.parse(bodyText.decode(bytes));
    return true;
  } catch {
    return false;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message.slice(0, 300)}` : String(error);
}

interface Setup {
  readonly clock: FakeClock;
  readonly upbit: ScriptedUpbitFetch;
  readonly source: UpbitRestSource;
  readonly failures: ProcessFailures;
}

/**
 * The real source on a FakeClock with Upbit's pacing (10/s per group) and retry defaults; only time is fake.
 * `maxBodyBytes` defaults to the adapter's own (4 MiB). The market list goes stale at once (`marketListTtlMs` 1),
 * so every `getMarkets` after the clock moved loads it again through the directory.
 */
function startSource(maxBodyBytes?: number): Setup {
  const clock = new FakeClock();
  const upbit = new ScriptedUpbitFetch();
  const source = createUpbitRestSource({
    fetch: upbit.fetch,
    clock,
    random: createSeededRandom(11),
    maxRetries: MAX_RETRIES,
    maxBodyBytes,
    marketListTtlMs: 1,
    budgets: createRestBudgets(),
  });
  return { clock, upbit, source, failures: captureProcessFailures() };
}

async function stop(setup: Setup): Promise<void> {
  await setup.source.close();
  setup.failures.dispose();
}

describe.each(REST_CASES)('$kind.title, end to end through UpbitRestSource (injected fetch, FakeClock)', (restCase) => {
  let setup: Setup;
  beforeEach(() => {
    setup = startSource();
  });
  afterEach(() => stop(setup));

  it(`${RUNS_PER_KIND} bad bodies, each beside a good one: DataValidationError for the bad, right values for the good`, async () => {
    const { clock, upbit, source, failures } = setup;
    const { concurrent, request, fetchKey, goodBody, checkGood, before } = restCase;
    const run = async (bad: BadCase, tag: number): Promise<void> => {
      await before?.(clock);
      upbit.answer(fetchKey(BAD), bad.bytes);
      const requestsBefore = upbit.requests(fetchKey(BAD));
      let badOutcome: Settled<unknown>;
      let goodOutcome: Settled<unknown>;
      let badRequests: number;
      if (concurrent) {
        upbit.answer(fetchKey(GOOD), utf8Bytes(goodBody(tag)));
        [badOutcome, goodOutcome] = (await settleWithClock([request(source, BAD), request(source, GOOD)], clock)) as [
          Settled<unknown>,
          Settled<unknown>,
        ];
        badRequests = upbit.requests(fetchKey(BAD)) - requestsBefore;
      } else {
        [badOutcome] = (await settleWithClock([request(source, BAD)], clock)) as [Settled<unknown>];
        badRequests = upbit.requests(fetchKey(BAD)) - requestsBefore;
        upbit.answer(fetchKey(GOOD), utf8Bytes(goodBody(tag)));
        await before?.(clock);
        [goodOutcome] = (await settleWithClock([request(source, GOOD)], clock)) as [Settled<unknown>];
      }
      if (badOutcome.ok) throw new Error(`a bad body was answered: ${JSON.stringify(badOutcome.value).slice(0, 300)}`);
      if (!isDataValidationError(badOutcome.error)) {
        throw new Error(`a bad body ended in ${errorText(badOutcome.error)}, not a DataValidationError`);
      }
      // Unparseable bodies are retried with backoff (they may have been cut short in transit) up to maxRetries; a
      // body that parses but fails validation is not retried (the same answer would come back).
      expect(badRequests).toBe(isJson(bad.bytes) ? 1 : 1 + MAX_RETRIES);
      if (!goodOutcome.ok) throw new Error(`the good request beside it failed: ${errorText(goodOutcome.error)}`);
      checkGood(goodOutcome.value, tag);
    };
    await fc.assert(fc.asyncProperty(mustFailBodies(restCase.kind), fc.integer({ min: 1, max: 999_999_999 }), run), {
      numRuns: RUNS_PER_KIND,
      seed: seedFor(`${restCase.kind.title}/end-to-end`),
    });
    await ioTurn();
    expect(failures.seen).toEqual([]);
  });
});

describe('10 MB bodies, end to end through UpbitRestSource (injected fetch, FakeClock, maxBodyBytes 32 MiB)', () => {
  const TEN_MB = 10 * 1024 * 1024;
  const [ticker, , trade] = REST_CASES as [RestCase, RestCase, RestCase];
  let setup: Setup;
  beforeEach(() => {
    // Past the default 4 MiB cap (tested below): these check the decode path on 10 MB, so the cap is raised.
    setup = startSource(32 * 1024 * 1024);
  });
  afterEach(() => stop(setup));

  async function answer(restCase: RestCase, body: string): Promise<Settled<unknown>> {
    setup.upbit.answer(restCase.fetchKey(GOOD), utf8Bytes(body));
    const [outcome] = await settleWithClock([restCase.request(setup.source, GOOD)], setup.clock);
    await ioTurn();
    expect(setup.failures.seen).toEqual([]);
    return outcome as Settled<unknown>;
  }

  const hugeCode = (): string => `"KRW-${'B'.repeat(TEN_MB)}"`;
  const hugeNumber = (): string => '9'.repeat(TEN_MB);

  it.each([
    ['a ticker with a market code of 10 MB', ticker, 'market', hugeCode],
    ['a ticker with a price of 10 million digits', ticker, 'trade_price', hugeNumber],
    ['a trade with a market code of 10 MB', trade, 'market', hugeCode],
  ] as const)('%s is refused with DataValidationError', async (_name, restCase, key, value) => {
    const outcome = await answer(restCase, replaceFirstScalar(restCase.goodBody(1), key, value()));
    if (outcome.ok) throw new Error('a bad 10 MB body was answered');
    if (!isDataValidationError(outcome.error)) throw new Error(`refused with ${errorText(outcome.error)}`);
  });

  it.each([
    ['ticker', ticker],
    ['trade', trade],
  ] as const)('good data is kept: a %s body with a 10 MB unknown field is answered', async (_name, restCase) => {
    const padded = withExtraField(restCase.goodBody(7), `"x_fuzz_padding":"${'A'.repeat(TEN_MB)}"`);
    const outcome = await answer(restCase, padded);
    if (!outcome.ok) throw new Error(`the good body was refused: ${errorText(outcome.error)}`);
    restCase.checkGood(outcome.value, 7);
  });
});

describe('10 MB bodies with the default body cap (4 MiB)', () => {
  const TEN_MB = 10 * 1024 * 1024;
  let setup: Setup;
  beforeEach(() => {
    setup = startSource();
  });
  afterEach(() => stop(setup));

  it.each(REST_CASES.map((restCase) => [restCase.kind.title, restCase] as const))(
    '%s: a 10 MB body (good data padded) is cut off with PayloadTooLargeError, not retried',
    async (_title, restCase) => {
      const padded = withExtraField(restCase.goodBody(7), `"x_fuzz_padding":"${'A'.repeat(TEN_MB)}"`);
      setup.upbit.answer(restCase.fetchKey(GOOD), utf8Bytes(padded));
      const [outcome] = (await settleWithClock([restCase.request(setup.source, GOOD)], setup.clock)) as [
        Settled<unknown>,
      ];
      await ioTurn();
      expect(setup.failures.seen).toEqual([]);
      if (outcome.ok) throw new Error('a 10 MB body was answered past the 4 MiB cap');
      if (!isPayloadTooLargeError(outcome.error)) throw new Error(`refused with ${errorText(outcome.error)}`);
      expect(outcome.error).toMatchObject({ limitBytes: 4 * 1024 * 1024, retryable: false });
      expect(setup.upbit.requests(restCase.fetchKey(GOOD))).toBe(1);
    },
  );
});
