import type { ChannelTicker, ConnectionEvent, MarketCode, StreamRefusal, Trade } from '@marketdata/domain';
import { isChannelUnavailableError, isNetworkError, isUpstreamError, UpstreamError } from '@marketdata/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { FleetHarness, subjects } from '../src/testing/fleet-harness.js';
import { ticker } from '../src/testing/sample-records.js';
import { encodeRecordMessage, encodeRefusalMessage } from '../src/wire/messages.js';

const BTC = 'KRW-BTC' as MarketCode;
const ETH = 'KRW-ETH' as MarketCode;

let harness: FleetHarness;

afterEach(async () => {
  await harness.source.close();
});

function connected(settings?: ConstructorParameters<typeof FleetHarness>[0]): FleetHarness {
  harness = new FleetHarness(settings);
  harness.link.up();
  harness.heartbeat();
  return harness;
}

describe('demand', () => {
  it('announces the complete set once per synchronous run, renews it, and lets released feeds linger', async () => {
    const h = connected({ lingerMs: 5_000, leaseMs: 15_000 });
    const first = h.source.listen('ticker', [BTC, ETH], { onRecord: () => {} });
    const second = h.source.subscribe('trade', [BTC]);
    await h.clock.advanceAsync(0);
    expect(h.announcements().at(-1)?.feeds).toEqual({ ticker: [BTC, ETH], trade: [BTC] });
    const announced = h.announcements().length;
    expect(h.link.isSubscribed(subjects.data('ticker', BTC))).toBe(true);

    await h.clock.advanceAsync(5_000);
    expect(h.announcements().length).toBe(announced + 1);
    expect(h.announcements().at(-1)?.leaseMs).toBe(15_000);

    first.release();
    second.release();
    await h.clock.advanceAsync(4_999);
    expect(h.link.isSubscribed(subjects.data('ticker', BTC))).toBe(true);
    await h.clock.advanceAsync(1);
    expect(h.link.isSubscribed(subjects.data('ticker', BTC))).toBe(false);
    expect(h.announcements().at(-1)?.feeds).toEqual({});
  });

  it('announces again at once when a new gateway instance appears, and says goodbye on close', async () => {
    const h = connected();
    h.source.subscribe('orderbook', [BTC]);
    await h.clock.advanceAsync(0);
    const before = h.announcements().length;
    h.heartbeat({ gateway: 'G2' });
    expect(h.announcements().length).toBe(before + 1);
    await h.source.close();
    expect(h.announcements().at(-1)).toMatchObject({ consumer: 'consumer-1', leaseMs: 0 });
  });

  it('refuses a malformed market code before any demand', () => {
    const h = connected();
    expect(() => h.source.listen('ticker', ['krw-btc' as MarketCode], { onRecord: () => {} })).toThrow(
      /Invalid market code/,
    );
    expect(() => h.source.subscribe('candles' as never, [BTC])).toThrow(/Unknown stream kind/);
  });
});

describe('delivery', () => {
  it('pushes records to listeners with their age kept, replays states but never trades, and keeps the latest', async () => {
    const h = connected();
    const tickers: ChannelTicker[] = [];
    h.source.listen('ticker', [BTC], { onRecord: (t) => tickers.push(t) });
    h.tick(BTC, { price: 100 }, { ageMs: 2.5 });
    expect(tickers.map((t) => [t.price, t.receivedAtMonotonic])).toEqual([[100, h.clock.monotonic() - 2.5]]);
    expect(h.source.latest('ticker', BTC)?.price).toBe(100);
    expect(h.source.arrivals('ticker', BTC)).toMatchObject({ lastArrivalMonotonic: h.clock.monotonic() - 2.5 });

    const late: ChannelTicker[] = [];
    h.source.listen('ticker', [BTC], { onRecord: (t) => late.push(t) });
    expect(late.map((t) => t.price)).toEqual([100]);

    const trades: Trade[] = [];
    h.trade(BTC, 1);
    h.source.listen('trade', [BTC], { onRecord: (t) => trades.push(t) });
    expect(trades).toEqual([]);
  });

  it('drops a message already had and reports lost trades as a closed gap with both clocks', async () => {
    const h = connected();
    const trades: Trade[] = [];
    h.source.listen('trade', [BTC], { onRecord: (t) => trades.push(t) });
    h.trade(BTC, 1, { sequentialId: '1', receivedAt: 1_000_000 });
    h.trade(BTC, 1, { sequentialId: '1' });
    await h.clock.advanceAsync(40);
    h.trade(BTC, 4, { sequentialId: '4', receivedAt: 1_000_040 });
    expect(trades.map((t) => t.sequentialId)).toEqual(['1', '4']);
    expect(h.source.diagnostics()).toMatchObject({ delivered: 2, duplicates: 1, lost: 2 });
    const gap = h.source.status().gaps.at(-1);
    expect(gap).toMatchObject({ startedAt: 1_000_000, endedAt: 1_000_040, symbols: [BTC] });
    expect(gap?.reason).toMatch(/2 fleet trade message\(s\) lost/);
    expect((gap?.endedAtMonotonic ?? 0) - (gap?.startedAtMonotonic ?? 0)).toBe(40);
  });

  it("relays the gateway's upstream refusal to listeners, and ends them when the gateway gives up", () => {
    const h = connected();
    const heard: string[] = [];
    h.source.listen('ticker', [BTC, ETH], {
      onRecord: () => {},
      onError: (error) => heard.push(`error ${error.name} ${isUpstreamError(error) ? error.upstreamName : ''}`),
      onEnd: (reason) => heard.push(`end ${reason?.message}`),
    });
    const refusal = new UpstreamError('Upbit refused the subscription', { upstreamName: 'INVALID_PARAM' });
    h.link.deliver(subjects.data('ticker', BTC), encodeRefusalMessage('refused', 'G1', refusal));
    h.link.deliver(subjects.data('ticker', BTC), encodeRefusalMessage('ended', 'G1', refusal));
    h.link.deliver(subjects.data('ticker', ETH), encodeRefusalMessage('ended', 'G1', refusal));
    expect(heard).toEqual(['error UpstreamError INVALID_PARAM', 'end Upbit refused the subscription']);
  });

  it('counts a malformed message, tells observers, and goes on', () => {
    const h = connected();
    const tickers: ChannelTicker[] = [];
    const reports: string[] = [];
    h.source.observe({ onMalformed: (report) => reports.push(`${report.kind} ${report.error.path}`) });
    h.source.listen('ticker', [BTC], { onRecord: (t) => tickers.push(t) });
    h.link.deliver(subjects.data('ticker', BTC), new TextEncoder().encode('{"v":1,"type":"record"'));
    h.link.deliver(
      subjects.data('ticker', BTC),
      new TextEncoder().encode(
        JSON.stringify({ v: 1, type: 'record', gateway: 'G1', seq: 1, publishedAt: 0, record: {} }),
      ),
    );
    h.tick(BTC);
    expect(reports).toEqual(['ticker $', 'ticker $.record.symbol']);
    expect(h.source.status().malformedFrames).toBe(2);
    expect(tickers.length).toBe(1);
  });
});

describe('late joining from the KV bucket', () => {
  it('takes the stored latest value aged by its time in the bucket, then the live ones', async () => {
    const h = connected();
    const stored = ticker({ symbol: BTC, price: 42, receivedAtMonotonic: 0 });
    const bytes = encodeRecordMessage('ticker', stored, { gateway: 'G1', seq: 5, publishedAt: 0, nowMonotonic: 3 });
    h.link.store.set('ticker.KRW-BTC', { value: bytes, created: new Date(h.clock.now() - 4_000), operation: 'PUT' });
    const seen: { price: number; at: number }[] = [];
    const observed: string[] = [];
    h.source.observe({ onArrival: (_k, _s, at, type) => observed.push(`${h.clock.monotonic() - at} ${type}`) });
    h.source.listen('ticker', [BTC], { onRecord: (t) => seen.push({ price: t.price, at: t.receivedAtMonotonic }) });
    await h.clock.advanceAsync(0);
    expect(seen).toEqual([{ price: 42, at: h.clock.monotonic() - 4_003 }]);
    expect(observed).toEqual(['4003 SNAPSHOT']);
    expect(h.source.diagnostics().replayed).toBe(1);
  });

  it('ignores a stored value older than a live one already had', async () => {
    const h = connected();
    const stored = ticker({ symbol: BTC, price: 42 });
    const bytes = encodeRecordMessage('ticker', stored, { gateway: 'G1', seq: 1, publishedAt: 0, nowMonotonic: 0 });
    h.link.store.set('ticker.KRW-BTC', { value: bytes, created: new Date(h.clock.now()), operation: 'PUT' });
    const prices: number[] = [];
    h.source.listen('ticker', [BTC], { onRecord: (t) => prices.push(t.price) });
    h.tick(BTC, { price: 43 });
    await h.clock.advanceAsync(0);
    expect(prices).toEqual([43]);
  });
});

describe('connection facts from NATS and the heartbeats', () => {
  function watchFacts(h: FleetHarness) {
    const events: ConnectionEvent[] = [];
    const refusals: StreamRefusal[] = [];
    h.source.observe({ onConnection: (e) => events.push(e), onRefusal: (r) => refusals.push(r) });
    return { events, refusals };
  }

  it('is open once NATS is up and a heartbeat is heard, each opening a new epoch', () => {
    harness = new FleetHarness();
    const h = harness;
    const { events } = watchFacts(h);
    expect(h.source.status().state).toBe('connecting');
    h.link.up();
    expect(h.source.status().state).toBe('connecting');
    h.heartbeat();
    expect(h.source.status()).toMatchObject({ state: 'open', epoch: 1, reconnects: 0 });
    expect(events.map((e) => e.state)).toEqual(['open']);
  });

  it('calls a silent gateway down after the silence limit (not before), once, with a gap from the last heartbeat', async () => {
    const h = connected();
    const { events, refusals } = watchFacts(h);
    h.source.subscribe('ticker', [BTC]);
    await h.live(3_000, () => h.tick(BTC));
    const lastHeartbeatMonotonic = h.clock.monotonic() - 1_000;
    const lastHeartbeatWall = h.clock.now() - 1_000;
    // Silence from the last heartbeat: 2,000 ms allowed (two missed beats), noticed by the next 250 ms check.
    await h.clock.advanceAsync(1_000);
    expect(h.source.status().state).toBe('open');
    await h.clock.advanceAsync(1_250);
    expect(h.source.status().state).toBe('reconnecting');
    expect(events.at(-1)?.reason).toBe('fleet gateway silent: no heartbeat for more than 2000 ms');
    expect(refusals.map((r) => [r.kind, r.error.message])).toEqual([
      ['unreachable', 'fleet gateway silent: no heartbeat for more than 2000 ms'],
    ]);
    expect(isChannelUnavailableError(refusals[0]?.error)).toBe(true);
    await h.clock.advanceAsync(5_000);
    expect(refusals.length).toBe(1);
    expect(h.source.status().refusal?.repeats).toBe(1);
    const gap = h.source.status().gaps.at(-1);
    expect(gap).toMatchObject({ startedAt: lastHeartbeatWall, startedAtMonotonic: lastHeartbeatMonotonic });
    expect(gap?.endedAt).toBeUndefined();

    // Back: open again (a new epoch); the gap closes with the first record, the refusal with data flowing.
    h.heartbeat();
    expect(h.source.status()).toMatchObject({ state: 'open', epoch: 2, reconnects: 1 });
    expect(h.source.status().gaps.at(-1)?.endedAt).toBeUndefined();
    h.tick(BTC);
    expect(h.source.status().gaps.at(-1)?.endedAtMonotonic).toBe(h.clock.monotonic());
    expect(h.source.status().refusal).toBeUndefined();
  });

  it('gives a gateway that beats slower two of its own intervals before calling it silent', async () => {
    const h = connected();
    h.heartbeat({ intervalMs: 5_000 });
    await h.clock.advanceAsync(9_750);
    expect(h.source.status().state).toBe('open');
    await h.clock.advanceAsync(500);
    expect(h.source.status().state).toBe('reconnecting');
    expect(h.source.status().refusal?.error.message).toBe('fleet gateway silent: no heartbeat for more than 10000 ms');
  });

  it('calls a stopping gateway down at once', () => {
    const h = connected();
    const { refusals } = watchFacts(h);
    h.heartbeat({ stopping: true });
    expect(h.source.status().state).toBe('reconnecting');
    expect(refusals.at(-1)?.error.message).toBe('fleet gateway G1 stopped');
  });

  it("reports a lost NATS connection as unreachable, and the gateway's Upbit WebSocket reconnecting as its state", () => {
    const h = connected();
    const { events, refusals } = watchFacts(h);
    h.heartbeat({ upstream: { state: 'reconnecting', epoch: 1, reconnects: 1, openGaps: 1, refusal: undefined } });
    expect(events.at(-1)).toMatchObject({
      state: 'reconnecting',
      reason: "fleet gateway's Upbit WebSocket reconnecting",
    });
    h.heartbeat();
    expect(h.source.status().state).toBe('open');
    h.link.down('disconnected from nats://memory');
    expect(h.source.status().state).toBe('reconnecting');
    expect(isNetworkError(refusals.at(-1)?.error)).toBe(true);
    expect(refusals.at(-1)?.error.message).toMatch(/NATS connection lost \(disconnected from nats:\/\/memory\)/);
  });

  it("relays the gateway's own upstream refusal once, however many heartbeats repeat it", () => {
    const h = connected();
    const { refusals } = watchFacts(h);
    const refusal = {
      kind: 'rate-limited' as const,
      error: new UpstreamError('429 on connect', { status: 429 }),
      repeats: 1,
      ageMs: 10,
      retryInMs: 1_000,
    };
    for (let i = 0; i < 3; i++) {
      h.heartbeat({
        upstream: { state: 'open', epoch: 1, reconnects: 0, openGaps: 0, refusal: { ...refusal, ageMs: 10 + i } },
      });
    }
    expect(refusals.map((r) => [r.kind, r.error.message, r.retryAtMonotonic])).toEqual([
      ['rate-limited', '429 on connect', h.clock.monotonic() + 1_000],
    ]);
  });

  it('opens a gap when the gateway restarts faster than the silence limit', () => {
    const h = connected();
    h.source.subscribe('ticker', [BTC]);
    h.heartbeat({ gateway: 'G2' });
    expect(h.source.status().gaps.at(-1)?.reason).toBe('fleet gateway restarted (G1 -> G2)');
  });
});
