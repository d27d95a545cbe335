import { describe, expect, it } from 'vitest';
import { RequestFrequency } from '../src/index.js';
import { code } from './support/fixture-tickers.js';

describe('RequestFrequency', () => {
  const btc = code('KRW-BTC');

  it('counts requests inside a sliding window', () => {
    const frequency = new RequestFrequency({ windowMs: 10_000, maxSamplesPerSymbol: 1_024 });
    for (let t = 0; t <= 8_000; t += 2_000) frequency.record(btc, t);
    expect(frequency.ratePerSecond(btc, 8_000)).toBe(0.5);
    expect(frequency.ratePerSecond(btc, 10_000)).toBe(0.5);
    // The request at t=0 leaves the window once it is more than 10 s old.
    expect(frequency.ratePerSecond(btc, 10_001)).toBe(0.4);
    expect(frequency.ratePerSecond(btc, 18_001)).toBe(0);
    expect(frequency.ratePerSecond(code('KRW-ETH'), 0)).toBe(0);
  });

  it('bounds the samples kept per symbol and forgets idle symbols', () => {
    const frequency = new RequestFrequency({ windowMs: 1_000, maxSamplesPerSymbol: 100 });
    for (let i = 0; i < 5_000; i++) frequency.record(btc, i / 10);
    expect(frequency.ratePerSecond(btc, 500)).toBe(100);
    frequency.sweep(10_000);
    expect(frequency.ratePerSecond(btc, 10_000)).toBe(0);
  });
});
