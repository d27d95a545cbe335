import { it } from 'vitest';
import { parseJsonExact, parseWithSchema, upbitTickerListSchema } from '../../src/shared/index.js';
import { upbitTickerListSchema as tl } from '../../src/rest/index.js';
import { decodeWsFrames } from '../../src/ws/index.js';

function time(label: string, f: () => void) { const t = performance.now(); let err = ''; try { f(); } catch (e) { err = (e as Error).constructor.name + ':' + (e as Error).message.slice(0, 80); } console.log(label, (performance.now() - t).toFixed(1), 'ms', err); }
it('spike', () => {
  const MB10 = 10 * 1024 * 1024;
  time('deep 100k parse', () => parseJsonExact('['.repeat(1e5) + ']'.repeat(1e5)));
  time('deep 10k parse', () => parseJsonExact('['.repeat(1e4) + ']'.repeat(1e4)));
  time('10MB [ unbalanced', () => parseJsonExact('['.repeat(MB10)));
  time('10MB digits', () => parseWithSchema(tl, parseJsonExact(`[{"market":"KRW-BTC","trade_price":${'9'.repeat(MB10)}}]`)));
  time('10MB string code', () => parseWithSchema(tl, parseJsonExact(`[{"market":"KRW-${'B'.repeat(MB10)}"}]`)));
  time('10MB quotes', () => parseJsonExact(`[${'"1234567890123456",'.repeat(MB10/19)}1]`));
  time('10MB backslash string', () => parseJsonExact(`[ 1234567890123456789, "${'\\\\'.repeat(MB10/2)}`));
  time('10MB unterminated quotes with digits', () => parseJsonExact(`[ 1234567890123456789, "${'\\"'.repeat(MB10/2)}`));
  time('ws 10MB digits', () => decodeWsFrames(`{"type":"ticker","trade_price":${'9'.repeat(MB10)}}`, 1));
  time('buffer decode 10MB', () => Buffer.alloc(MB10, 0x41).toString('utf8'));
});
