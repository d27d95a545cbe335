import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, type Harness, httpGet, objectOf, startFakeSim, subscribe, WsProbe } from './helpers.js';

let harness: Harness;
afterEach(closeAll);

type Row = Record<string, unknown>;

async function marketEvent(code: string): Promise<unknown> {
  const rows = JSON.parse((await httpGet(`${harness.sim.restUrl}/v1/market/all?isDetails=true`)).text) as Row[];
  return rows.find((row) => row.market === code)?.market_event;
}

async function post(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${harness.sim.adminUrl ?? ''}${path}`, { method: 'POST' });
  return { status: response.status, body: await response.json() };
}

describe('market status: warning, cautions, state, suspension, delisting date', () => {
  it('shows in market_event and in the WebSocket ticker (DEFAULT and SIMPLE) at once, and halts trading', async () => {
    harness = await startFakeSim();
    const plain = await WsProbe.connect(harness.sim.wsUrl);
    await subscribe(plain, [{ ticket: 't' }, { type: 'ticker', codes: ['KRW-ETH'] }], 1);
    const simple = await WsProbe.connect(harness.sim.wsUrl);
    await subscribe(simple, [{ ticket: 't' }, { type: 'ticker', codes: ['KRW-ETH'] }, { format: 'SIMPLE' }], 1);
    expect(objectOf(plain.json()[0])).toMatchObject({
      market_state: 'ACTIVE',
      is_trading_suspended: false,
      delisting_date: null,
      market_warning: 'NONE',
    });
    expect(await marketEvent('KRW-ETH')).toEqual({
      warning: false,
      caution: {
        PRICE_FLUCTUATIONS: false,
        TRADING_VOLUME_SOARING: false,
        DEPOSIT_AMOUNT_SOARING: false,
        GLOBAL_PRICE_DIFFERENCES: false,
        CONCENTRATION_OF_SMALL_ACCOUNTS: false,
      },
    });
    const seq = harness.sim.control.market('KRW-ETH')?.lastTradeSeq;
    harness.sim.control.setMarketStatus('KRW-ETH', {
      warning: true,
      cautions: { PRICE_FLUCTUATIONS: true, GLOBAL_PRICE_DIFFERENCES: true },
      tradingSuspended: true,
      delistingDate: '2026-04-01',
    });
    await plain.waitForCount(2);
    await simple.waitForCount(2);
    expect(objectOf(plain.json()[1])).toMatchObject({
      stream_type: 'REALTIME',
      market_state: 'ACTIVE',
      is_trading_suspended: true,
      delisting_date: '2026-04-01',
      market_warning: 'CAUTION',
    });
    expect(objectOf(simple.json()[1])).toMatchObject({ ms: 'ACTIVE', its: true, dd: '2026-04-01', mw: 'CAUTION' });
    expect(await marketEvent('KRW-ETH')).toMatchObject({
      warning: true,
      caution: { PRICE_FLUCTUATIONS: true, GLOBAL_PRICE_DIFFERENCES: true, TRADING_VOLUME_SOARING: false },
    });
    // Other markets are untouched.
    expect(await marketEvent('KRW-BTC')).toMatchObject({ warning: false });
    // A suspended market makes no trades.
    await harness.clock.advanceAsync(20_000);
    expect(harness.sim.control.market('KRW-ETH')?.lastTradeSeq).toBe(seq);
    harness.sim.control.setMarketStatus('KRW-ETH', { tradingSuspended: false, marketState: 'DELISTED' });
    await harness.clock.advanceAsync(20_000);
    expect(harness.sim.control.market('KRW-ETH')?.lastTradeSeq).toBe(seq);
    expect(harness.sim.control.market('KRW-ETH')?.status).toMatchObject({
      marketState: 'DELISTED',
      tradingSuspended: false,
      warning: true,
    });
    harness.sim.control.setMarketStatus('KRW-ETH', { marketState: 'ACTIVE', delistingDate: null });
    await harness.clock.advanceAsync(20_000);
    expect(harness.sim.control.market('KRW-ETH')?.lastTradeSeq ?? 0).toBeGreaterThan(seq ?? 0);
    // Both sockets get every ticker frame.
    await plain.waitForCount((harness.sim.control.counters().framesPerCode['KRW-ETH'] ?? 0) / 2);
    expect(objectOf(plain.json().at(-1))).toMatchObject({ market_state: 'ACTIVE', delisting_date: null });
  });

  it('refuses bad changes with a ConfigError and changes nothing', async () => {
    harness = await startFakeSim();
    const { control } = harness.sim;
    const before = control.market('KRW-BTC')?.status;
    const bad: unknown[] = [
      { marketState: 'CLOSED' },
      { delistingDate: '2026-13-01' },
      { delistingDate: 'tomorrow' },
      { cautions: { NOT_A_FLAG: true } },
      { cautions: { PRICE_FLUCTUATIONS: 'yes' } },
      { warning: 1 },
      { suspended: true },
    ];
    for (const patch of bad) {
      expect(() => control.setMarketStatus('KRW-BTC', patch as never), JSON.stringify(patch)).toThrow(
        expect.objectContaining({ code: 'CONFIG' }),
      );
    }
    expect(control.market('KRW-BTC')?.status).toEqual(before);
    expect(() => control.setMarketStatus('KRW-NOPE', { warning: true })).toThrow(/Unknown simulator market/);
  });

  it('admin: POST /markets/{code}/status', async () => {
    harness = await startFakeSim({ adminPort: 0 });
    const changed = await post(
      '/markets/KRW-XRP/status?warning=1&TRADING_VOLUME_SOARING=1&marketState=PREVIEW&suspended=0&delistingDate=2026-05-02',
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      warning: true,
      marketState: 'PREVIEW',
      tradingSuspended: false,
      delistingDate: '2026-05-02',
      cautions: { TRADING_VOLUME_SOARING: true, PRICE_FLUCTUATIONS: false },
    });
    expect(await marketEvent('KRW-XRP')).toMatchObject({ warning: true, caution: { TRADING_VOLUME_SOARING: true } });
    expect((await post('/markets/KRW-XRP/status?delistingDate=null')).body).toMatchObject({ delistingDate: null });
    expect((await post('/markets/KRW-XRP/status?marketState=GONE')).status).toBe(400);
    expect((await post('/markets/KRW-XRP/status?delistingDate=soon')).status).toBe(400);
    expect((await post('/markets/KRW-XRP/status?warning=maybe')).status).toBe(400);
    expect((await post('/markets/KRW-NOPE/status?warning=1')).status).toBe(404);
  });
});
