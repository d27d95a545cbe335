import { describe, expect, it } from 'vitest';
import {
  CANDLE_SIZES,
  CANDLE_STREAM_KINDS,
  type CandleInterval,
  candleStreamInterval,
  candleStreamKind,
  isCandleStreamKind,
  isValidCandleInterval,
} from '../src/index.js';

describe('candle stream kinds', () => {
  it('maps every stream kind to its interval and back', () => {
    expect(CANDLE_STREAM_KINDS).toHaveLength(9);
    for (const kind of CANDLE_STREAM_KINDS) {
      const interval = candleStreamInterval(kind);
      expect(isValidCandleInterval(interval)).toBe(true);
      expect(candleStreamKind(interval)).toBe(kind);
    }
    expect(candleStreamInterval('candle.240m')).toEqual({ unit: 'minutes', size: 240 });
    expect(candleStreamInterval('candle.1s')).toEqual({ unit: 'seconds', size: 1 });
  });

  it('has a stream for every seconds and minutes interval and none for days and longer', () => {
    for (const size of CANDLE_SIZES.minutes)
      expect(candleStreamKind({ unit: 'minutes', size })).toBe(`candle.${size}m`);
    for (const unit of ['days', 'weeks', 'months', 'years'] as const) {
      expect(candleStreamKind({ unit, size: 1 })).toBeUndefined();
    }
  });

  it('refuses sizes and kinds Upbit does not have', () => {
    const bad: CandleInterval[] = [
      { unit: 'minutes', size: 2 },
      { unit: 'minutes', size: 1.5 },
      { unit: 'seconds', size: 5 },
      { unit: 'days', size: 2 },
      { unit: 'hours' as never, size: 1 },
      { unit: 'toString' as never, size: 1 },
    ];
    for (const interval of bad) {
      expect(isValidCandleInterval(interval)).toBe(false);
      expect(candleStreamKind(interval)).toBeUndefined();
    }
    for (const kind of ['candle.2m', 'candle.1d', 'ticker', 'toString', '', 1, undefined]) {
      expect(isCandleStreamKind(kind)).toBe(false);
    }
    expect(isCandleStreamKind('candle.15m')).toBe(true);
  });
});
