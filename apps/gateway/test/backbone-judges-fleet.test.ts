import { createMarketData, type MarketData } from '@marketdata/backbone';
import type { MarketCode, Ticker } from '@marketdata/domain';
import { FleetHarness } from '@marketdata/nats/testing';
import { afterEach, describe, expect, it } from 'vitest';

const BTC = 'KRW-BTC' as MarketCode;

let md: MarketData | undefined;

afterEach(async () => {
  await md?.close();
  md = undefined;
});

/**
 * The backbone's one freshness judge labels the fleet's values from the facts the NATS source reports: nothing in
 * the source grades. A gateway that dies is heard as silence; the values are stale within 3 s and `health()` says why.
 */
describe('the backbone judges the fleet source', () => {
  it('labels streamed values stale within 3 s of the last heartbeat and names the silent gateway', async () => {
    const h = new FleetHarness();
    h.link.up();
    md = createMarketData({ rest: h.restSource([BTC]), websocket: h.source, clock: h.clock });
    const stream = md.watchTickers([BTC]);
    const received: Ticker[] = [];
    const pump = (async () => {
      for await (const tick of stream) received.push(tick);
    })();
    // The gateway serves: heartbeats every second, a ticker every 200 ms.
    for (let i = 0; i < 25; i++) {
      if (i % 5 === 0) h.heartbeat();
      h.tick(BTC, { price: 1_000 + i, exchangeTimestamp: h.clock.now(), tradeTimestamp: h.clock.now() });
      await h.clock.advanceAsync(200);
    }
    expect(md.health()).toMatchObject({ status: 'ok', reasons: [] });
    expect(received.at(-1)?.quality).toBe('high');

    // The gateway dies right after a heartbeat and a ticker.
    h.heartbeat();
    h.tick(BTC, { price: 2_000, exchangeTimestamp: h.clock.now(), tradeTimestamp: h.clock.now() });
    await h.clock.advanceAsync(0);
    await h.clock.advanceAsync(1_900);
    expect(md.health().reasons.some((r) => r.includes('fleet gateway'))).toBe(false);
    await h.clock.advanceAsync(1_000);

    const health = md.health();
    expect(health.status).toBe('degraded');
    expect(health.reasons).toContain('websocket reconnecting');
    expect(health.reasons).toContain(
      'websocket refused (unreachable): fleet gateway silent: no heartbeat for more than 2000 ms',
    );
    expect(health.channels.websocket?.connection).toBe('reconnecting');

    // A value asked for now is graded from the same facts: not high, and the note says why.
    const ticker = await md.getTicker(BTC, { source: 'websocket' });
    expect(ticker.price).toBe(2_000);
    expect(ticker.quality).not.toBe('high');
    expect(ticker.qualityNotes.join(' ')).toMatch(/websocket reconnecting/);

    await md.close();
    md = undefined;
    await pump;
  });
});
