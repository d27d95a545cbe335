import { describe, expect, it } from 'vitest';
import { RequestFrequency } from '../src/router/request-frequency.js';
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

  it('tells the last instant a symbol keeps a number of requests in the window, if no new one comes', () => {
    const frequency = new RequestFrequency({ windowMs: 10_000, maxSamplesPerSymbol: 1_024 });
    for (const at of [0, 1_000, 2_000, 3_000, 4_000, 5_000]) frequency.record(btc, at);
    // Five requests stay in the window until the second one (at 1 s) leaves it: it counts up to 11 s.
    expect(frequency.lastInstantWith(btc, 5, 5_000)).toBe(11_000);
    expect(frequency.ratePerSecond(btc, 11_000)).toBe(0.5);
    expect(frequency.ratePerSecond(btc, 11_001)).toBe(0.4);
    // A new request postpones it.
    frequency.record(btc, 9_000);
    expect(frequency.lastInstantWith(btc, 5, 9_000)).toBe(12_000);
    expect(frequency.lastInstantWith(btc, 5, 12_001)).toBeUndefined();
    expect(frequency.lastInstantWith(code('KRW-ETH'), 1, 0)).toBeUndefined();
  });
});
