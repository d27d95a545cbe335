import { isPayloadTooLargeError, type MarketCode } from '@marketdata/domain';
import { FakeClock } from '@marketdata/domain/testing';
import { fixtureText } from '@marketdata/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { createRestBudgets } from '../../src/rest/http/rest-budgets.js';
import { createUpbitRestSource, UpbitRestClient, type UpbitRestSource } from '../../src/rest/index.js';
import { errorOf, settleWithClock, successOf } from './support/drive-clock.js';
import { fakeUpbitFetch } from './support/fake-upbit-fetch.js';
import { type LoopbackServer, startLoopbackServer } from './support/loopback-server.js';

const MiB = 1024 * 1024;
const TICKER = fixtureText('rest-ticker-krw-btc.json');

describe('maxBodyBytes (default 4 MiB), counted while the body streams in', () => {
  let server: LoopbackServer | undefined;
  let source: UpbitRestSource | undefined;
  afterEach(async () => {
    await source?.close();
    await server?.close();
    source = undefined;
    server = undefined;
  });

  it('a 120 MB streamed body is cut off with PayloadTooLargeError, once, without buffering it', async () => {
    const TOTAL = 120 * MiB;
    const chunk = Buffer.alloc(64 * 1024, 0x20); // JSON white space
    let written = 0;
    let finished = false;
    let closedEarly = false;
    server = await startLoopbackServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }); // no Content-Length: chunked
      response.on('close', () => {
        closedEarly = !finished;
      });
      const pump = (): void => {
        while (written < TOTAL && !response.destroyed) {
          written += chunk.length;
          if (!response.write(chunk)) {
            response.once('drain', pump);
            return;
          }
        }
        if (written >= TOTAL && !response.destroyed) {
          finished = true;
          response.end();
        }
      };
      response.write('[');
      pump();
    });
    source = createUpbitRestSource({ url: server.url, budgets: createRestBudgets() });
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 5);
    const error = await source.client.getTickersByQuote(['KRW']).catch((caught: unknown) => caught);
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    expect(isPayloadTooLargeError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      limitBytes: 4 * MiB,
      url: `${server.url}/v1/ticker/all?quote_currencies=KRW`,
      retryable: false,
      channel: 'rest',
      operation: 'getTickersByQuote',
    });
    expect(server.requests).toHaveLength(1); // not retried
    for (let wait = 0; wait < 100 && !closedEarly; wait++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closedEarly).toBe(true); // the connection was cut, the server never got to write it all
    expect(written).toBeLessThan(TOTAL);
    expect(rssPeak - rssBefore).toBeLessThan(50 * MiB);
  });

  it('a Content-Length over the limit is refused before anything is read', async () => {
    let bodyBytesSent = 0;
    server = await startLoopbackServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(120 * MiB) });
      response.write('[', () => {
        bodyBytesSent++;
      });
    });
    source = createUpbitRestSource({ url: server.url, budgets: createRestBudgets() });
    const error = await source.getTicker('KRW-BTC' as MarketCode).catch((caught: unknown) => caught);
    expect(isPayloadTooLargeError(error)).toBe(true);
    expect((error as Error).message).toContain('Content-Length 125829120');
    expect(server.requests).toHaveLength(1);
    expect(bodyBytesSent).toBeLessThanOrEqual(1);
  });

  it('the limit is exact: a body of maxBodyBytes is read, one byte more is refused', async () => {
    const clock = new FakeClock();
    const padded = (length: number): string => TICKER + ' '.repeat(length - Buffer.byteLength(TICKER));
    let body = padded(4096);
    const fetch = fakeUpbitFetch(() => ({ body }), clock);
    const client = new UpbitRestClient({ clock, fetch, budgets: createRestBudgets(), maxBodyBytes: 4096 });
    try {
      const answer = successOf(await settleWithClock(client.getTickers(['KRW-BTC']), clock));
      expect(answer.data[0]?.market).toBe('KRW-BTC');
      body = padded(4097);
      const error = errorOf(await settleWithClock(client.getTickers(['KRW-BTC']), clock));
      expect(error).toMatchObject({ name: 'PayloadTooLargeError', limitBytes: 4096 });
      expect(fetch.calls).toHaveLength(2);
    } finally {
      client.close();
    }
  });

  it('multi-byte text split across chunks decodes as Response.text() would (the limit counts bytes)', async () => {
    const name = '비트코인'.repeat(2000); // 3 bytes per character in UTF-8
    const markets = JSON.stringify([{ market: 'KRW-BTC', korean_name: name, english_name: 'Bitcoin' }]);
    server = await startLoopbackServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const bytes = Buffer.from(markets);
      // Odd-sized writes, so characters are split between chunks.
      for (let offset = 0; offset < bytes.length; offset += 1001) response.write(bytes.subarray(offset, offset + 1001));
      response.end();
    });
    source = createUpbitRestSource({ url: server.url, budgets: createRestBudgets() });
    const [market] = await source.getMarkets();
    expect(market?.koreanName).toBe(name);
  });
});
