import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isConfigError, isTimeoutError } from '@marketdata/domain';
import { fixtureText } from '@marketdata/fixtures';
import { startUpbitSim, type UpbitSim } from '@marketdata/upbit-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { createUpbitMarketData } from '../src/index.js';

/**
 * A loopback Upbit that answers `/v1/ticker` and `/v1/market/all` with recorded payloads, except that the first
 * ticker request never gets an answer (its socket stays open): the case a retry inside the call deadline is for.
 */
async function upbitHangingFirstTicker(): Promise<{
  url: string;
  tickerRequests: () => number;
  close(): Promise<void>;
}> {
  let tickerRequests = 0;
  const hung: ServerResponse[] = [];
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const json = (body: string): void => {
      response.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
      response.end(body);
    };
    if (path === '/v1/market/all') return json(fixtureText('rest-market-all-details.json'));
    if (path === '/v1/ticker') {
      tickerRequests++;
      if (tickerRequests === 1) {
        hung.push(response);
        return;
      }
      return json(fixtureText('rest-ticker-krw-btc.json'));
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tickerRequests: () => tickerRequests,
    close: async () => {
      for (const response of hung) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe('createUpbitMarketData', () => {
  it('with the defaults, retries a hung first attempt inside the call deadline', async () => {
    const upbit = await upbitHangingFirstTicker();
    closers.push(upbit.close);
    const md = createUpbitMarketData({ restUrl: upbit.url, wsUrl: 'ws://127.0.0.1:9/websocket/v1' });
    closers.push(() => md.close());
    const started = performance.now();
    const ticker = await md.getTicker('KRW-BTC', { source: 'rest' });
    const tookMs = performance.now() - started;
    expect(ticker.symbol).toBe('KRW-BTC');
    expect(upbit.tickerRequests()).toBe(2);
    // The first attempt was given up at the attempt timeout (3 s), well inside the 10 s call deadline.
    expect(tookMs).toBeGreaterThanOrEqual(2_900);
    expect(tookMs).toBeLessThan(md.config.restTimeoutMs);
  });

  it('hands its retry settings to the REST adapter: maxRetries 0 fails at the attempt timeout', async () => {
    const upbit = await upbitHangingFirstTicker();
    closers.push(upbit.close);
    const md = createUpbitMarketData({
      restUrl: upbit.url,
      wsUrl: 'ws://127.0.0.1:9/websocket/v1',
      maxRetries: 0,
      attemptTimeoutMs: 500,
    });
    closers.push(() => md.close());
    const started = performance.now();
    // strict: REST's own outcome (without it, REST failing would fall back to the WebSocket).
    const error = await md.getTicker('KRW-BTC', { source: 'rest', strict: true }).catch((caught: unknown) => caught);
    const tookMs = performance.now() - started;
    expect(isTimeoutError(error)).toBe(true);
    expect(upbit.tickerRequests()).toBe(1);
    expect(tookMs).toBeGreaterThanOrEqual(450);
    expect(tookMs).toBeLessThan(md.config.restTimeoutMs);
  });

  it('refuses unknown options, a setting given twice, and bad adapter or facade settings, naming each', () => {
    const attempt = (options: object): unknown => {
      try {
        createUpbitMarketData(options);
        return undefined;
      } catch (error) {
        return error;
      }
    };
    const unknown = attempt({ restURL: 'http://127.0.0.1:1' });
    expect(isConfigError(unknown) && unknown.issues.map((issue) => issue.path)).toEqual(['restURL']);
    const twice = attempt({ maxRetries: 1, rest: { maxRetries: 2 } });
    expect(isConfigError(twice) && twice.issues.map((issue) => issue.path)).toEqual(['maxRetries']);
    expect(isConfigError(attempt({ maxRetries: -1 }))).toBe(true);
    expect(isConfigError(attempt({ wsUrl: 'http://not-a-websocket' }))).toBe(true);
    expect(isConfigError(attempt({ config: { restTimeoutMs: 0 } }))).toBe(true);
  });

  it('builds both adapters on live defaults without a request until used', async () => {
    const md = createUpbitMarketData();
    expect(md.config.useWebSocket).toBe(true);
    expect(md.health().channels.websocket?.configured).toBe(true);
    await md.close();
    await expect(md.getTicker('KRW-BTC')).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it("refuses the Python plan's names, saying where our setting is, and timeouts written in seconds", () => {
    const issuesOf = (options: object) => {
      try {
        createUpbitMarketData(options);
      } catch (error) {
        if (isConfigError(error)) return error.issues.map((issue) => [issue.path, issue.message]);
        throw error;
      }
      throw new Error('accepted');
    };
    expect(issuesOf({ max_retries: 3, rest_timeout: 10, use_websocket: false, cache_ttl: 60 })).toEqual([
      ['max_retries', 'unknown option: use maxRetries'],
      [
        'rest_timeout',
        "unknown option: use config.restTimeoutMs (milliseconds: the plan's rest_timeout: 10 seconds is 10_000)",
      ],
      ['use_websocket', 'unknown option: use config.useWebSocket'],
      ['cache_ttl', 'unknown option: use config.cacheTtlMs (milliseconds)'],
    ]);
    expect(issuesOf({ websocket_timeout: 5, restTimeoutMs: 10_000 })).toEqual([
      ['websocket_timeout', 'unknown option: use config.webSocketTimeoutMs (milliseconds)'],
      ['restTimeoutMs', 'unknown option: use config.restTimeoutMs (a facade setting)'],
    ]);
    expect(issuesOf({ config: { rest_timeout: 10 } })).toEqual([
      [
        'rest_timeout',
        "the Python plan's name: use restTimeoutMs (milliseconds: the plan's rest_timeout: 10 seconds is restTimeoutMs: 10_000)",
      ],
    ]);
    expect(issuesOf({ config: { restTimeoutMs: 10 } })[0]?.[1]).toMatch(/at least 100 ms: timeouts are milliseconds/);
    expect(issuesOf({ attemptTimeoutMs: 3 })).toEqual([
      ['attemptTimeoutMs', 'must be at least 100 ms: timeouts are milliseconds here (3 seconds is 3_000)'],
    ]);
    expect(issuesOf({ rest: { attemptTimeoutMs: 3 } })[0]?.[0]).toBe('rest.attemptTimeoutMs');
  });

  describe('against the simulator', () => {
    let sim: UpbitSim;

    it('the README first example: three lines, Upbit limits on', async () => {
      sim = await startUpbitSim({ seed: 8, markets: ['KRW-BTC'], adminPort: false });
      closers.push(() => sim.close());
      const md = createUpbitMarketData({ restUrl: sim.restUrl, wsUrl: sim.wsUrl });
      closers.push(() => md.close());
      const btc = await md.getTicker('BTC/KRW');
      expect(btc).toMatchObject({ symbol: 'KRW-BTC', quality: 'high' });
      expect(btc.price).toBeGreaterThan(0);
      const candles = await md.getCandles('KRW-BTC', { interval: '1m', count: 300 });
      expect(candles.candles).toHaveLength(300);
      await md.close();
      expect(sim.control.counters().sent429 + sim.control.counters().sent418).toBe(0);
    });

    it('answers tickers over REST and streams them over WebSocket', async () => {
      sim = await startUpbitSim({ seed: 7, markets: ['KRW-BTC', 'KRW-ETH'], adminPort: false });
      closers.push(() => sim.close());
      const md = createUpbitMarketData({ restUrl: sim.restUrl, wsUrl: sim.wsUrl });
      closers.push(() => md.close());
      const rest = await md.getTicker('KRW-ETH', { source: 'rest' });
      expect(rest).toMatchObject({ symbol: 'KRW-ETH', source: 'rest', quality: 'high' });
      const stream = md.watchTickers(['KRW-BTC']);
      const first = await stream.next();
      await stream.return?.();
      expect(first.done).toBe(false);
      expect(first.value).toMatchObject({ symbol: 'KRW-BTC', source: 'websocket' });
    });
  });
});
