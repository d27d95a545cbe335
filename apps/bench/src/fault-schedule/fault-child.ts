/**
 * Child-process entry of the fault schedule: the consumer. Our full stack (the backbone facade over our REST and
 * WebSocket adapters) in a process of its own, streaming trades and tickers of the given markets from the simulator
 * while the bench injects faults. It accounts for every trade by sequence, samples what the facade hands out, and
 * reports over IPC when the bench says the run is over.
 */
import { type MarketCode, parseMarketCode, systemClock, type Ticker } from '@marketdata/domain';
import { ComponentMissing } from '../clients/ours.js';
import { gcAvailable, type MemorySample, sampleMemory } from '../memory.js';
import { epochNowMs, everyMs, monoNowMs, sleepMs } from '../system-clock.js';
import { DelayTally } from './delivery-delay.js';
import { FaultObserver } from './fault-observer.js';
import { malformedTradeIdentity } from './malformed-trade.js';
import type {
  ConsumerReport,
  FaultChildFinish,
  FaultChildReply,
  FaultChildRequest,
  FaultChildStart,
} from './protocol.js';
import { QualityRing } from './quality-ring.js';
import { TickLedger } from './tick-ledger.js';

const READY_TIMEOUT_MS = 15_000;
const TAIL_TIMEOUT_MS = 3_000;
/**
 * How long the trades still owed at the end may take to arrive: trades the stream missed in the last faults are
 * being fetched from REST, whose trades group allows 10 requests a second (one per symbol that traded in a gap).
 */
const BACKFILL_TAIL_MS = 20_000;
const RING_CAPACITY = 65_536;
const UNIFORM_SAMPLE_MS = 50;
const HOT_SAMPLE_MS = 100;
const HOT_SYMBOLS = 3;
const BURST_SAMPLE_MS = 250;
const REST_PROBE_MS = 250;
const BOOK_PROBE_MS = 500;
const OBSERVE_MS = 250;
const MAX_IN_FLIGHT = 8;

type Adapters = typeof import('@marketdata/adapters-upbit');
type Backbone = typeof import('@marketdata/backbone');

async function loadStack(): Promise<{ adapters: Adapters; backbone: Backbone }> {
  try {
    return { adapters: await import('@marketdata/adapters-upbit'), backbone: await import('@marketdata/backbone') };
  } catch (error) {
    throw new ComponentMissing(`cannot load our stack: ${(error as Error).message.split('\n')[0]}`);
  }
}

const errorCode = (error: unknown): string => {
  if (typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string') {
    return (error as { code: string }).code;
  }
  return error instanceof Error ? error.name : 'UNKNOWN';
};

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = monoNowMs() + timeoutMs;
  return (async () => {
    while (!condition() && monoNowMs() < deadline) await sleepMs(20);
  })();
}

class Consumer {
  private readonly ring = new QualityRing(RING_CAPACITY);
  private readonly ledger: TickLedger;
  private readonly observer: FaultObserver;
  private readonly symbolIndex = new Map<string, number>();
  private readonly marketCodes: readonly MarketCode[];
  private readonly callErrors = new Map<string, number>();
  private readonly samples: MemorySample[] = [];
  private readonly stops: (() => void)[] = [];
  private readonly loops: Promise<void>[] = [];
  private inFlight = 0;
  private burstInFlight = false;
  private restCalls = 0;
  private restOk = 0;
  private bookCalls = 0;
  private bookOk = 0;
  private autoCalls = 0;
  private backfilled = 0;
  private readonly streamedDelay = new DelayTally();
  private readonly backfilledDelay = new DelayTally();
  private stopped = false;

  private constructor(
    private readonly request: FaultChildStart,
    private readonly rest: ReturnType<Adapters['createUpbitRestSource']>,
    private readonly websocket: ReturnType<Adapters['createUpbitWebSocketSource']>,
    private readonly facade: ReturnType<Backbone['createMarketData']>,
  ) {
    for (const [index, code] of request.codes.entries()) this.symbolIndex.set(code, index);
    this.marketCodes = request.codes.map((code) => parseMarketCode(code));
    this.ledger = new TickLedger(request.baseSeqs, epochNowMs());
    this.observer = new FaultObserver(this.ring, { symbolOf: (index) => request.codes[index] ?? `#${index}` });
  }

  static async create(request: FaultChildStart): Promise<Consumer> {
    const { adapters, backbone } = await loadStack();
    const rest = adapters.createUpbitRestSource({ url: request.restUrl });
    const websocket = adapters.createUpbitWebSocketSource({ url: request.wsUrl, ...request.websocket });
    const facade = backbone.createMarketData({ rest, websocket, clock: systemClock });
    return new Consumer(request, rest, websocket, facade);
  }

  get codesWithTrades(): number {
    return this.ledger.codesWithTrades();
  }

  start(): void {
    const codes = this.request.codes;
    this.stops.push(
      this.websocket.observe({
        onGap: (gap) => this.ledger.recordGap(gap, epochNowMs()),
        onMalformed: (report) => {
          const identity = malformedTradeIdentity(report.kind, report.sample);
          if (identity !== undefined) this.ledger.recordMalformedTrade({ ...identity, receivedAt: epochNowMs() });
        },
      }),
    );
    const trades = this.facade.watchTrades(codes);
    this.stops.push(() => void trades.return?.());
    this.loops.push(
      this.consume('watchTrades', async () => {
        for await (const trade of trades) {
          const now = epochNowMs();
          if (trade.backfilled === true) {
            this.backfilled++;
            this.backfilledDelay.record(now - trade.tradeTimestamp);
          } else {
            this.streamedDelay.record(now - trade.receivedAt);
          }
          this.ledger.recordTrade(trade.symbol, trade.sequentialId, trade.tradeTimestamp, trade.receivedAt);
        }
      }),
    );
    const tickers = this.facade.watchTickers(codes);
    this.stops.push(() => void tickers.return?.());
    this.loops.push(
      this.consume('watchTickers', async () => {
        for await (const ticker of tickers) this.sample(ticker, epochNowMs());
      }),
    );
    let uniform = 0;
    let hot = 0;
    let probe = 0;
    let books = 0;
    this.stops.push(everyMs(UNIFORM_SAMPLE_MS, () => this.getTicker(codes[uniform++ % codes.length], 'auto')));
    this.stops.push(everyMs(HOT_SAMPLE_MS, () => this.getTicker(codes[hot++ % HOT_SYMBOLS], 'auto')));
    this.stops.push(everyMs(REST_PROBE_MS, () => this.getTicker(codes[probe++ % codes.length], 'rest')));
    this.stops.push(everyMs(BOOK_PROBE_MS, () => this.getOrderBook(this.marketCodes[books++ % codes.length])));
    this.stops.push(everyMs(BURST_SAMPLE_MS, () => this.burst()));
    this.stops.push(everyMs(OBSERVE_MS, () => this.observer.update(epochNowMs(), this.ledger.recordedGaps())));
  }

  sampleMemoryEvery(ms: number): void {
    const startedAt = monoNowMs();
    const stop = everyMs(ms, () => {
      if (!this.stopped) this.samples.push(sampleMemory((monoNowMs() - startedAt) / 1000));
    });
    this.stops.push(stop);
  }

  onMessage(message: FaultChildRequest): void {
    if (message.type === 'fault-start') this.observer.started(message);
    else if (message.type === 'fault-end') this.observer.lifted(message);
  }

  async finish(message: FaultChildFinish): Promise<ConsumerReport> {
    const memory = [...this.samples];
    const ends = message.endSeqs;
    // The markets are frozen: wait for what is still in flight to arrive.
    await waitFor(
      () =>
        this.request.codes.every((code) => {
          const last = this.ledger.lastSeq(code);
          const end = ends[code];
          return last === undefined || end === undefined || last >= end;
        }),
      BACKFILL_TAIL_MS,
    );
    this.stopped = true;
    for (const stop of this.stops) stop();
    await waitFor(() => this.inFlight === 0 && !this.burstInFlight, TAIL_TIMEOUT_MS);
    const now = epochNowMs();
    this.observer.update(now, this.ledger.recordedGaps(), true);
    const ticks = this.ledger.finish(ends, now);
    const stats = this.facade.stats();
    const status = this.websocket.status();
    await this.facade.close();
    await Promise.allSettled(this.loops);
    return {
      ticks,
      gaps: this.ledger.recordedGaps(),
      faults: this.observer.observations(),
      quality: this.observer.summary(),
      samples: memory,
      gcForced: gcAvailable(),
      errors: {
        facade: stats.errors.byKind,
        calls: Object.fromEntries(this.callErrors),
        malformedByKind: { ...status.malformedByKind },
        malformedFrames: status.malformedFrames,
        reconnects: status.reconnects,
        connectAttempts: status.connectAttempts,
        gapCount: status.gapCount,
        duplicateTrades: status.duplicateTrades,
        backfilledTrades: this.backfilled,
        backfillsAbandoned: stats.streams.backfillsAbandoned,
      },
      delivery: { streamed: this.streamedDelay.figures(), backfilled: this.backfilledDelay.figures() },
      calls: {
        rest: this.restCalls,
        restOk: this.restOk,
        auto: this.autoCalls,
        orderBooks: this.bookCalls,
        orderBooksOk: this.bookOk,
      },
    };
  }

  /** A stream that ends with an error is counted: its trades then show up as unexplained, never silently. */
  private async consume(name: string, loop: () => Promise<void>): Promise<void> {
    try {
      await loop();
    } catch (error) {
      increment(this.callErrors, `${name} ${errorCode(error)}`);
    }
  }

  private sample(ticker: Ticker, askedAt: number): void {
    this.ring.record({
      askedAt,
      symbolIndex: this.symbolIndex.get(ticker.symbol) ?? 0,
      source: ticker.source,
      quality: ticker.quality,
      fromWebsocket: ticker.source === 'websocket' || (ticker.source === 'cache' && ticker.streamType !== undefined),
      receivedAt: ticker.receivedAt,
    });
  }

  private getTicker(symbol: string | undefined, source: 'auto' | 'rest'): void {
    if (symbol === undefined || this.stopped || this.inFlight >= MAX_IN_FLIGHT) return;
    this.inFlight++;
    if (source === 'rest') this.restCalls++;
    else this.autoCalls++;
    const askedAt = epochNowMs();
    this.facade
      .getTicker(symbol, { source })
      .then(
        (ticker) => {
          this.sample(ticker, askedAt);
          if (source === 'rest') {
            this.restOk++;
            this.observer.restAnswered('ticker', epochNowMs());
          }
        },
        (error: unknown) => increment(this.callErrors, errorCode(error)),
      )
      .finally(() => {
        this.inFlight--;
      });
  }

  /** Our REST adapter's order book group, straight from the source: the group the forced 418 goes to. */
  private getOrderBook(symbol: MarketCode | undefined): void {
    if (symbol === undefined || this.stopped || this.inFlight >= MAX_IN_FLIGHT) return;
    this.inFlight++;
    this.bookCalls++;
    this.rest
      .getOrderBook(symbol)
      .then(
        () => {
          this.bookOk++;
          this.observer.restAnswered('orderbook', epochNowMs());
        },
        (error: unknown) => increment(this.callErrors, `orderbook ${errorCode(error)}`),
      )
      .finally(() => {
        this.inFlight--;
      });
  }

  /** While a feed fault is under way, every symbol is asked for, four times a second. */
  private burst(): void {
    if (this.stopped || this.burstInFlight || !this.observer.feedFaultActive()) return;
    this.burstInFlight = true;
    this.autoCalls++;
    const askedAt = epochNowMs();
    this.facade
      .getTickers(this.request.codes)
      .then(
        (results) => {
          for (const result of results) {
            if (result.ok) this.sample(result.value, askedAt);
            else increment(this.callErrors, errorCode(result.error));
          }
        },
        (error: unknown) => increment(this.callErrors, errorCode(error)),
      )
      .finally(() => {
        this.burstInFlight = false;
      });
  }
}

function send(reply: FaultChildReply, then: () => void = () => {}): void {
  process.send?.(reply, then);
}

function failure(error: unknown): FaultChildReply {
  return {
    type: 'result',
    ok: false,
    error: error instanceof Error ? error.message : String(error),
    notBuilt: error instanceof ComponentMissing,
  };
}

let consumer: Consumer | undefined;
const early: FaultChildRequest[] = [];

process.on('message', (message: FaultChildRequest) => {
  if (message.type === 'start') {
    Consumer.create(message)
      .then(async (created) => {
        consumer = created;
        created.start();
        await waitFor(() => created.codesWithTrades >= message.codes.length, READY_TIMEOUT_MS);
        created.sampleMemoryEvery(message.sampleEveryMs);
        for (const queued of early.splice(0)) created.onMessage(queued);
        send({ type: 'ready', at: epochNowMs(), codesWithTrades: created.codesWithTrades });
      })
      .catch((error: unknown) => send(failure(error), () => process.disconnect()));
    return;
  }
  if (consumer === undefined) {
    early.push(message);
    return;
  }
  if (message.type === 'finish') {
    consumer.finish(message).then(
      (report) => send({ type: 'result', ok: true, report }, () => process.disconnect()),
      (error: unknown) => send(failure(error), () => process.disconnect()),
    );
    return;
  }
  consumer.onMessage(message);
});
