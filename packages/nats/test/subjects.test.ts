import type { MarketCode } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { fleetSubjects, STATE_KINDS, STREAM_KINDS } from '../src/subjects.js';

const BTC = 'KRW-BTC' as MarketCode;

describe('the subject scheme', () => {
  it('derives every name from one prefix', () => {
    const s = fleetSubjects();
    expect(s.data('ticker', BTC)).toBe('md.upbit.ticker.KRW-BTC');
    expect(s.dataWildcard('orderbook')).toBe('md.upbit.orderbook.*');
    expect(s.data('candle.240m', BTC)).toBe('md.upbit.candle.240m.KRW-BTC');
    expect(s.dataWildcard('candle.1s')).toBe('md.upbit.candle.1s.*');
    expect([s.demand, s.heartbeat, s.health, s.gap]).toEqual([
      'md.upbit.demand',
      'md.upbit.gateway.heartbeat',
      'md.upbit.gateway.health',
      'md.upbit.gateway.gap',
    ]);
    expect(s.rpc('getCandles')).toBe('md.upbit.rpc.getCandles');
    expect(s.kvBucket).toBe('md_upbit_latest');
    expect(s.kvSubject(s.kvKey('ticker', BTC))).toBe('$KV.md_upbit_latest.ticker.KRW-BTC');
    const sim = fleetSubjects('md.sim');
    expect([sim.data('trade', BTC), sim.kvBucket, sim.rpcQueue]).toEqual([
      'md.sim.trade.KRW-BTC',
      'md_sim_latest',
      'md.sim.gateway',
    ]);
  });

  it('reads a data subject back and nothing else', () => {
    const s = fleetSubjects();
    expect(s.parseData('md.upbit.trade.KRW-1INCH')).toEqual({ kind: 'trade', symbol: 'KRW-1INCH' });
    for (const subject of [
      'md.upbit.candle.KRW-BTC',
      'md.upbit.ticker.krw-btc',
      'md.upbit.ticker',
      'x.ticker.KRW-BTC',
    ]) {
      expect(s.parseData(subject)).toBeUndefined();
    }
  });

  it('refuses a prefix with wildcards, spaces or empty tokens', () => {
    for (const prefix of ['md.*', 'md.>', 'md upbit', 'md..upbit', '', '.md']) {
      expect(() => fleetSubjects(prefix)).toThrow(/subject prefix/);
    }
  });

  it('relays every stream kind, and keeps the states (not trades) for late joiners', () => {
    expect(STREAM_KINDS).toEqual([
      'ticker',
      'trade',
      'orderbook',
      'candle.1s',
      'candle.1m',
      'candle.3m',
      'candle.5m',
      'candle.10m',
      'candle.15m',
      'candle.30m',
      'candle.60m',
      'candle.240m',
    ]);
    expect(STATE_KINDS).not.toContain('trade');
    expect(STATE_KINDS.length).toBe(STREAM_KINDS.length - 1);
  });
});
