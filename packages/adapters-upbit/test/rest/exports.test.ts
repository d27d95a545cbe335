import { describe, expect, it } from 'vitest';
import * as rest from '../../src/rest/index.js';
import * as wire from '../../src/rest/wire.js';

describe('the REST surface', () => {
  it('the main entry exports at run time only what an application needs', () => {
    expect(Object.keys(rest).sort()).toEqual(['DEFAULT_UPBIT_REST_URL', 'UpbitRestClient', 'createUpbitRestSource']);
    expect(rest.DEFAULT_UPBIT_REST_URL).toBe('https://api.upbit.com');
  });

  it('the wire entry holds the payload-level helpers the adapter itself uses', () => {
    for (const name of [
      'parseJsonExact',
      'parseRemainingReq',
      'parseRetryAfterMs',
      'formatUpbitTo',
      'upbitTickerListSchema',
      'mapTicker',
      'UPBIT_REST_GROUPS',
    ]) {
      expect(wire, name).toHaveProperty(name);
    }
  });
});
