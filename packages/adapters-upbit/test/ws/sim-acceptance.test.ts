import { type ConnectionEvent, createSeededRandom, parseMarketCode, type StreamGap } from '@marketdata/domain';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { captureProcessFailures } from '../support/process-failures.js';
import { until } from './support/harness.js';
import { collectTrades, HOT_MARKETS, type SimHarness, seqOf, startSimHarness } from './support/sim-harness.js';

const [XRP, BTC, ICP, ETH] = HOT_MARKETS.map((code) => parseMarketCode(code)) as [
  ReturnType<typeof parseMarketCode>,
  ReturnType<typeof parseMarketCode>,
  ReturnType<typeof parseMarketCode>,
  ReturnType<typeof parseMarketCode>,
];

let harness: SimHarness | undefined;
const failures = captureProcessFailures();
afterAll(() => failures.dispose());

afterEach(async () => {
  await harness?.close();
  harness = undefined;
  expect(failures.seen).toEqual([]);
});

async function start(...args: Parameters<typeof startSimHarness>): Promise<SimHarness> {
  harness = await startSimHarness({ markets: HOT_MARKETS, ...args[0] }, args[1]);
  return harness;
}

/** Every frame the simulator wrote to any of our sockets (data, `{"status":"UP"}`, errors). */
function framesWritten(h: SimHarness | undefined): number {
  const perConnection = h?.sim.control.counters().framesPerConnection ?? {};
  return Object.values(perConnection).reduce((sum, n) => sum + n, 0);
}

/** Trades of one market arrive in the simulator's gap-free sequence; returns the number of missing ones. */
function missingInSequence(seqs: readonly number[]): number {
  let missing = 0;
  for (let i = 1; i < seqs.length; i++) {
    const step = ((seqs[i] ?? 0) - (seqs[i - 1] ?? 0) + 10_000) % 10_000;
    expect(step).toBeGreaterThan(0); // never a duplicate or a step back
    missing += step - 1;
  }
  return missing;
}

describe('against the simulator', () => {
  it('decodes the live SIMPLE and DEFAULT streams with exact sequential ids and no loss', async () => {
    for (const format of ['SIMPLE', 'DEFAULT'] as const) {
      const { source, sim, pump } = await start({}, { format, tradeQueueSize: 100_000 });
      const consumer = collectTrades(source.watchTrades([XRP, BTC]));
      const tickers = source.watchTickers([ETH])[Symbol.asyncIterator]();
      const books = source.watchOrderBooks([ICP])[Symbol.asyncIterator]();
      await until(() => consumer.trades.length === 2);
      await pump(10_000);
      await until(() => source.status().framesReceived === framesWritten(harness));
      expect(sim.control.subscriptions().every((s) => s.format === format)).toBe(true);
      expect(source.status().malformedFrames).toBe(0);
      const xrp = consumer.trades.filter((t) => t.symbol === XRP);
      expect(xrp.length).toBeGreaterThan(100);
      expect(missingInSequence(xrp.map(seqOf))).toBe(0);
      expect(missingInSequence(consumer.trades.filter((t) => t.symbol === BTC).map(seqOf))).toBe(0);
      const last = xrp.at(-1);
      expect(last?.sequentialId).toBe(sim.control.market('KRW-XRP')?.lastSequentialId);
      expect(BigInt(last?.sequentialId ?? '0') > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
      expect((await tickers.next()).value).toMatchObject({ symbol: ETH, source: 'websocket' });
      expect((await books.next()).value?.levels.length).toBeGreaterThan(0);
      await tickers.return?.();
      await books.return?.();
      await consumer.stop();
      await harness?.close();
      harness = undefined;
    }
  });

  it('connection dropped: reconnects, restores the subscription, records the gap; consumer keeps receiving', async () => {
    const { source, sim, pump } = await start();
    const gaps: StreamGap[] = [];
    const states: ConnectionEvent[] = [];
    source.observe({ onGap: (gap) => gaps.push(gap), onConnection: (event) => states.push(event) });
    const consumer = collectTrades(source.watchTrades([XRP]));
    source.subscribe('ticker', [BTC]);
    await pump(3_000);
    const before = consumer.trades.length;
    expect(before).toBeGreaterThan(10);
    sim.control.dropConnections();
    await until(() => source.status().nextAttemptAtMonotonic !== undefined);
    await pump(3_000);
    await until(() => sim.control.connectionCount() === 1 && consumer.trades.length > before + 10);
    expect(sim.control.subscriptions().map((s) => [s.type, s.codes])).toEqual([
      ['ticker', ['KRW-BTC']],
      ['trade', ['KRW-XRP']],
    ]);
    expect(gaps).toHaveLength(2);
    expect(gaps[1]).toMatchObject({ reason: expect.stringContaining('1006'), symbols: ['KRW-BTC', 'KRW-XRP'] });
    expect(gaps[1]?.endedAt).toBeGreaterThan(gaps[1]?.startedAt ?? Number.POSITIVE_INFINITY);
    expect(states.map((s) => s.state)).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    // Trades made during the gap are gone (Upbit has no replay): the sequence jumps once, never repeats.
    expect(missingInSequence(consumer.trades.map(seqOf))).toBeGreaterThan(0);
    await consumer.stop();
  });

  it('stalled: declared dead by the heartbeat, replaced, gap reported, data flows again', async () => {
    const { source, sim, pump, logger } = await start(); // default heartbeat: PING every 25 s, 20 s to answer
    const consumer = collectTrades(source.watchTrades([XRP]));
    await pump(30_000); // one PING, then {"status":"UP"} every 10 s
    expect(source.state).toBe('open');
    sim.control.stall(true);
    await pump(50_000, 500);
    // Dead at 70 s (PING at 50 s, nothing within 20 s); the stalled server still accepts the new socket.
    expect(logger.find('warn', 'declared dead')).toHaveLength(1);
    expect(source.status().gaps[0]?.reason).toContain('no data and no heartbeat answer');
    sim.control.stall(false);
    const count = consumer.trades.length;
    await pump(35_000, 500);
    await until(() => source.state === 'open' && consumer.trades.length > count + 10);
    expect(source.status().gaps[0]?.endedAt).toBeDefined();
    await consumer.stop();
  });

  it('idled out by the server (1006): a routine reconnect, no error reaches the consumer', async () => {
    // A quiet universe (one frozen market) and a server idle timeout shorter than the heartbeat period.
    const { source, sim, pump, logger } = await start({ markets: ['KRW-BTC'], idleTimeoutMs: 20_000 });
    sim.control.freezeMarket('KRW-BTC', true);
    const errors: unknown[] = [];
    source.observe({ onRefusal: (refusal) => errors.push(refusal) });
    const tickers = source.watchTickers([BTC], { onError: (error) => errors.push(error) })[Symbol.asyncIterator]();
    expect((await tickers.next()).value).toMatchObject({ streamType: 'SNAPSHOT' });
    await pump(21_000, 500);
    await until(() => source.status().gapCount === 1);
    expect(source.status().gaps[0]?.reason).toContain('1006');
    await pump(2_000, 500);
    expect((await tickers.next()).value).toMatchObject({ symbol: BTC, streamType: 'SNAPSHOT' });
    expect(errors).toEqual([]);
    expect(logger.find('error')).toEqual([]);
    await tickers.return?.();
  });

  it('the heartbeat keeps a connection through several idle periods', async () => {
    const { source, sim, pump } = await start({ markets: ['KRW-BTC'] });
    sim.control.freezeMarket('KRW-BTC', true);
    source.subscribe('ticker', [BTC]);
    await pump(200_000, 1_000);
    expect(sim.control.counters().wsConnections).toBe(1);
    expect(source.status().reconnects).toBe(0);
  });

  it('server restarted on the same port, and stopped for a while: subscriptions restored', async () => {
    const { source, sim, pump } = await start();
    const consumer = collectTrades(source.watchTrades([XRP, ETH]));
    await pump(2_000);
    await sim.control.restart();
    await until(() => source.status().nextAttemptAtMonotonic !== undefined);
    await pump(2_000);
    await until(() => sim.control.connectionCount() === 1);
    expect(source.status().reconnects).toBe(1);
    await sim.control.stop();
    await pump(20_000, 500);
    expect(source.state).toBe('reconnecting');
    expect(source.status().connectAttempts).toBeGreaterThan(3);
    await sim.control.start();
    await pump(40_000, 500);
    await until(() => source.state === 'open' && sim.control.connectionCount() === 1);
    expect(sim.control.subscriptions().map((s) => s.codes)).toEqual([['KRW-ETH', 'KRW-XRP']]);
    const count = consumer.trades.length;
    await pump(2_000);
    await until(() => consumer.trades.length > count);
    expect(source.status().gaps.map((gap) => gap.endedAt !== undefined)).toEqual([true, true]);
    await consumer.stop();
  });

  it('error frames: typed UpstreamError to listeners, watchers and pending calls; the stream goes on', async () => {
    const { source, sim, pump } = await start();
    const watcherErrors: unknown[] = [];
    const refusals: unknown[] = [];
    source.observe({ onRefusal: (refusal) => refusals.push(refusal) });
    const consumer = collectTrades(source.watchTrades([XRP], { onError: (error) => watcherErrors.push(error) }));
    await pump(1_000);
    sim.control.stall(true);
    const pending = source.getTicker(BTC).catch((error: unknown) => error);
    await until(() => sim.control.subscriptions().some((s) => s.type === 'ticker'));
    sim.control.stall(false);
    sim.control.sendWsError('INVALID_PARAM', 'nope 은 지원하지 않는 타입입니다.');
    expect(await pending).toMatchObject({ name: 'UpstreamError', upstreamName: 'INVALID_PARAM' });
    expect(watcherErrors).toHaveLength(1);
    const count = consumer.trades.length;
    await until(() => source.status().nextAttemptAtMonotonic !== undefined);
    await pump(3_000);
    await until(() => consumer.trades.length > count + 10);
    expect(refusals).toHaveLength(1);
    expect(source.status().refusal).toBeUndefined(); // data flows again
    await consumer.stop();
  });

  it('1% malformed frames: every bad frame counted, every good trade delivered in sequence', async () => {
    const { source, sim, pump, logger } = await start({}, { tradeQueueSize: 100_000 });
    const consumer = collectTrades(source.watchTrades([XRP, BTC, ICP, ETH]));
    await until(() => consumer.trades.length === 4);
    sim.control.setMalformedRatio(0.01);
    await pump(60_000, 500);
    await until(() => source.status().framesReceived === framesWritten(harness));
    const status = source.status();
    const sent = sim.control.counters().malformedFramesSent;
    expect(sent).toBeGreaterThan(10);
    expect(status.malformedFrames).toBe(sent);
    expect(consumer.trades.length + sent).toBe(sim.control.counters().framesSent);
    let missing = 0;
    for (const code of HOT_MARKETS)
      missing += missingInSequence(consumer.trades.filter((t) => t.symbol === code).map(seqOf));
    expect(missing).toBe(sent);
    const warned = logger.find('warn', 'Malformed').map((entry) => entry.fields.kind);
    expect(new Set(warned).size).toBe(warned.length);
    expect(Object.keys(status.malformedByKind).sort()).toEqual([...warned].sort());
    expect(source.state).toBe('open');
    await consumer.stop();
  });

  it('100 reconnects leave no listener or timer behind', async () => {
    const { source, sim, pump, clock, sockets } = await start();
    source.observe({ onConnection: () => {} });
    const controller = new AbortController();
    const tickers = source.watchTickers([XRP, BTC], { signal: controller.signal })[Symbol.asyncIterator]();
    let received = 0;
    const consumer = (async () => {
      for (let next = await tickers.next(); next.done !== true; next = await tickers.next()) received++;
    })();
    await pump(1_000);
    const observersBefore = source.diagnostics().observers;
    let timersAfterFirst = 0;
    for (let i = 1; i <= 100; i++) {
      sim.control.dropConnections();
      await until(() => source.status().nextAttemptAtMonotonic !== undefined);
      clock.advance(1_000);
      await until(() => source.state === 'open' && sim.control.subscriptions().length === 1);
      if (i === 1) timersAfterFirst = clock.pendingTimerCount();
    }
    const receivedBefore = received;
    await pump(2_000);
    await until(() => received > receivedBefore);
    expect(source.status().reconnects).toBe(100);
    expect(source.status().gapCount).toBe(100);
    expect(clock.pendingTimerCount()).toBe(timersAfterFirst);
    expect(source.diagnostics()).toMatchObject({ observers: observersBefore, timers: 1, listeners: 1 });
    expect(sockets.slice(0, -1).every((s) => s.eventNames().join() === 'error' && s.listenerCount('error') === 1)).toBe(
      true,
    );
    expect(sim.control.connectionCount()).toBe(1);
    controller.abort();
    await consumer;
    expect(source.diagnostics().listeners).toBe(0);
  });

  it('250 markets, set changed 100 times: the simulator ends with exactly the right set', async () => {
    // The whole universe (255 markets); no linger, so the final set is exactly what is held.
    harness = await startSimHarness({}, { lingerMs: 0 });
    const { source, sim, pump } = harness;
    const markets = sim.control
      .marketCodes()
      .slice(0, 250)
      .map((code) => parseMarketCode(code));
    expect(markets).toHaveLength(250);
    const random = createSeededRandom(21);
    type Kind = 'ticker' | 'trade' | 'orderbook';
    const held: { kind: Kind; symbols: typeof markets; release: () => void }[] = [];
    for (const kind of ['ticker', 'trade', 'orderbook'] as const)
      held.push({ kind, symbols: markets, ...source.subscribe(kind, markets) });
    for (let change = 0; change < 100; change++) {
      if (random.next() < 0.4 && held.length > 0) {
        held.splice(Math.floor(random.next() * held.length), 1)[0]?.release();
      } else {
        const kind = (['ticker', 'trade', 'orderbook'] as const)[Math.floor(random.next() * 3)] ?? 'trade';
        const symbols = markets.filter(() => random.next() < 0.2);
        held.push({ kind, symbols, ...source.subscribe(kind, symbols) });
      }
      if (change % 2 === 0) await until(() => source.state === 'open'); // spread changes over many ticks
      await new Promise((resolve) => setImmediate(resolve));
    }
    const want: Record<Kind, string[]> = { ticker: [], trade: [], orderbook: [] };
    for (const kind of ['ticker', 'trade', 'orderbook'] as const) {
      want[kind] = [...new Set(held.filter((h) => h.kind === kind).flatMap((h) => h.symbols))].sort();
    }
    const atSim = (): Record<string, readonly string[]> =>
      Object.fromEntries(sim.control.subscriptions().map((s) => [s.type, [...s.codes].sort()]));
    const expected = Object.fromEntries(Object.entries(want).filter(([, codes]) => codes.length > 0));
    // Requests are paced (5 per second per connection): let fake time pass until the last set is out.
    for (let step = 0; step < 40 && JSON.stringify(atSim()) !== JSON.stringify(expected); step++) await pump(250, 250);
    await until(() => JSON.stringify(atSim()) === JSON.stringify(expected));
    expect(sim.control.connectionCount()).toBe(1);
    // Several sets went out while the churn went on; the budget (5 per second) held the rest back, and only the
    // latest complete set was sent once it allowed (intermediate sets are never sent).
    expect(source.status().requestsSent).toBeGreaterThan(1);
    expect(source.status().requestsSent).toBeLessThan(100);
  });
});
