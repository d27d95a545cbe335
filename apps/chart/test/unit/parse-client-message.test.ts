import { isDataValidationError } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { MAX_CLIENT_MESSAGE_BYTES, parseClientMessage } from '../../src/server/parse-client-message.js';

function rejection(text: string): { path: unknown; message: string } {
  try {
    parseClientMessage(text);
  } catch (error) {
    if (!isDataValidationError(error)) throw error;
    return { path: (error as unknown as { path: unknown }).path, message: error.message };
  }
  throw new Error(`accepted: ${text}`);
}

describe('parseClientMessage', () => {
  it('reads select and older', () => {
    expect(parseClientMessage('{"t":"select","selection":3,"symbol":"KRW-BTC","interval":"5m"}')).toEqual({
      t: 'select',
      selection: 3,
      symbol: 'KRW-BTC',
      interval: '5m',
    });
    expect(parseClientMessage('{"t":"older","selection":3,"before":1700000000000,"count":300}')).toEqual({
      t: 'older',
      selection: 3,
      before: 1_700_000_000_000,
      count: 300,
    });
  });

  it.each([
    ['not JSON', 'select KRW-BTC', ''],
    ['an array', '[1,2]', ''],
    ['null', 'null', ''],
    ['unknown type', '{"t":"subscribe","selection":1}', 't'],
    ['missing selection', '{"t":"select","symbol":"KRW-BTC","interval":"1m"}', 'selection'],
    ['negative selection', '{"t":"select","selection":-1,"symbol":"KRW-BTC","interval":"1m"}', 'selection'],
    ['fractional selection', '{"t":"select","selection":1.5,"symbol":"KRW-BTC","interval":"1m"}', 'selection'],
    ['lower-case code', '{"t":"select","selection":1,"symbol":"krw-btc","interval":"1m"}', 'symbol'],
    ['code with a path', '{"t":"select","selection":1,"symbol":"KRW-BTC/../x","interval":"1m"}', 'symbol'],
    ['unknown interval', '{"t":"select","selection":1,"symbol":"KRW-BTC","interval":"2m"}', 'interval'],
    ['interval as a number', '{"t":"select","selection":1,"symbol":"KRW-BTC","interval":1}', 'interval'],
    ['zero count', '{"t":"older","selection":1,"before":5,"count":0}', 'count'],
    ['huge count', '{"t":"older","selection":1,"before":5,"count":100000}', 'count'],
    ['before as text', '{"t":"older","selection":1,"before":"5","count":10}', 'before'],
    ['before past 2^53', '{"t":"older","selection":1,"before":1e300,"count":10}', 'before'],
  ])('refuses %s with a DataValidationError naming the field', (_what, text, path) => {
    expect(rejection(text).path).toBe(path);
  });

  it('does not read inherited fields (a "__proto__" key carries nothing)', () => {
    expect(rejection('{"__proto__":{"t":"select"},"selection":1}').path).toBe('t');
  });

  it('refuses an oversized frame before parsing it', () => {
    const text = `{"t":"select","selection":1,"symbol":"KRW-BTC","interval":"1m","pad":"${'x'.repeat(MAX_CLIENT_MESSAGE_BYTES)}"}`;
    expect(rejection(text).message).toMatch(/longer than 1024 characters/);
  });
});
