import { it } from 'vitest';
import { decodeWsFrames } from '../../src/ws/index.js';
import { UpbitRestClient } from '../../src/rest/index.js';
import { FakeClock } from '@marketdata/domain/testing';
import { fixtureText } from '@marketdata/fixtures';

it('spike', async () => {
  for (const d of [1000, 5000, 20000]) {
    for (const text of ['['.repeat(d) + ']'.repeat(d), `{"type":${'['.repeat(d) + ']'.repeat(d)}}`]) {
      try { const f = decodeWsFrames(text, 1); console.log(d, text.slice(0,10), f.map(x=>x.kind)); } catch (e) { console.log(d, text.slice(0,10), 'THROWS', (e as Error).constructor.name, (e as Error).message); }
    }
  }
  const body = fixtureText('rest-ticker-krw-btc.json');
  const clock = new FakeClock();
  const client = new UpbitRestClient({ clock, fetch: async () => new Response(body), rateLimit: { requestsPerWindow: 1_000_000 } , maxRetries: 0});
  const t0 = performance.now();
  for (let i = 0; i < 2000; i++) await client.getTickers(['KRW-BTC']);
  console.log('client per call us', ((performance.now() - t0) / 2000) * 1000);
  client.close();
});
