import { fixtureText } from '@marketdata/fixtures';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ORDERBOOK_SIMPLE_KEYS, TICKER_SIMPLE_KEYS, TRADE_SIMPLE_KEYS } from '../../src/ws/decode/simple-keys.js';
import { decodeWebSocketFrames } from '../../src/ws/wire.js';

const code = fc
  .tuple(fc.constantFrom('KRW', 'BTC', 'USDT'), fc.stringMatching(/^[A-Z0-9]{1,10}$/))
  .map(([quote, base]) => `${quote}-${base}`);
const price = fc.double({ min: 0, max: 1e12, noNaN: true, noDefaultInfinity: true });
const signed = fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true });
const epoch = fc.integer({ min: 1_500_000_000_000, max: 2_000_000_000_000 });

/** A DEFAULT frame's text from the recorded fixture with the used fields replaced. */
function withFields(fixture: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { ...(JSON.parse(fixtureText(fixture)) as Record<string, unknown>), ...fields };
}

function toSimple(frame: Record<string, unknown>, table: Readonly<Record<string, string>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(frame).map(([key, value]) => [table[key] ?? key, value]));
}

describe('SIMPLE and DEFAULT decode to the same domain value', () => {
  it('ticker', () => {
    fc.assert(
      fc.property(code, price, price, signed, epoch, epoch, (symbol, tradePrice, volume, change, tms, ttms) => {
        const frame = withFields('ws-ticker-default.json', {
          code: symbol,
          trade_price: tradePrice,
          acc_trade_volume_24h: volume,
          signed_change_price: change,
          timestamp: tms,
          trade_timestamp: ttms,
        });
        const fromDefault = decodeWebSocketFrames(JSON.stringify(frame), 1, 2);
        const fromSimple = decodeWebSocketFrames(JSON.stringify(toSimple(frame, TICKER_SIMPLE_KEYS)), 1, 2);
        expect(fromDefault[0]?.kind).toBe('ticker');
        expect(fromSimple).toEqual(fromDefault);
      }),
      { numRuns: 200 },
    );
  });

  it('trade, sequential id kept exact at any size', () => {
    fc.assert(
      fc.property(code, price, fc.bigInt({ min: 0n, max: 10n ** 20n }), (symbol, tradePrice, sid) => {
        const frame = withFields('ws-trade-default-2021.json', {
          code: symbol,
          trade_price: tradePrice,
          sequential_id: '__SID__',
        });
        const text = (f: Record<string, unknown>) => JSON.stringify(f).replace('"__SID__"', sid.toString());
        const fromDefault = decodeWebSocketFrames(text(frame), 1, 2);
        const fromSimple = decodeWebSocketFrames(text(toSimple(frame, TRADE_SIMPLE_KEYS)), 1, 2);
        const first = fromDefault[0];
        expect(first?.kind === 'trade' && first.value.sequentialId).toBe(sid.toString());
        expect(fromSimple).toEqual(fromDefault);
      }),
      { numRuns: 200 },
    );
  });

  it('orderbook', () => {
    const unit = fc.record({ ask_price: price, bid_price: price, ask_size: price, bid_size: price });
    fc.assert(
      fc.property(code, fc.array(unit, { maxLength: 30 }), (symbol, units) => {
        const frame = withFields('ws-orderbook-default-snapshot.json', { code: symbol, orderbook_units: units });
        const simple = toSimple(frame, ORDERBOOK_SIMPLE_KEYS);
        simple.obu = units.map((u) => ({ ap: u.ask_price, bp: u.bid_price, as: u.ask_size, bs: u.bid_size }));
        const fromDefault = decodeWebSocketFrames(JSON.stringify(frame), 1, 2);
        expect(fromDefault[0]?.kind).toBe('orderbook');
        expect(decodeWebSocketFrames(JSON.stringify(simple), 1, 2)).toEqual(fromDefault);
      }),
      { numRuns: 100 },
    );
  });
});

describe('robustness', () => {
  it('any text decodes to frames without throwing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        for (const frame of decodeWebSocketFrames(text, 1, 2))
          expect(frame.kind).toMatch(/^(ticker|trade|orderbook|status|error|malformed)$/);
      }),
      { numRuns: 500 },
    );
  });

  it('a fixture cut at any point is malformed, never a partial value', () => {
    const text = fixtureText('ws-ticker-default.json').trimEnd();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length - 1 }), (cut) => {
        const frames = decodeWebSocketFrames(text.slice(0, cut), 1, 2);
        expect(frames.every((frame) => frame.kind === 'malformed')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
