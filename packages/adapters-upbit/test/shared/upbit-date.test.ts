import { describe, expect, it } from 'vitest';
import {
  formatUpbitTo,
  parseCompactUtcDateTime,
  parseDashedUtcDate,
  parseDashedUtcDateTime,
  parseZonelessUtcDateTime,
} from '../../src/shared/index.js';

describe('Upbit dates are read as UTC', () => {
  it('parses the compact ticker spelling', () => {
    expect(parseCompactUtcDateTime('20250730', '170315')).toBe(Date.UTC(2025, 6, 30, 17, 3, 15));
  });
  it('parses the dashed trade spelling', () => {
    expect(parseDashedUtcDateTime('2026-03-11', '14:40:59')).toBe(Date.UTC(2026, 2, 11, 14, 40, 59));
    expect(parseDashedUtcDate('2024-08-05')).toBe(Date.UTC(2024, 7, 5));
  });
  it('parses the zoneless candle spelling as UTC, not local time', () => {
    expect(parseZonelessUtcDateTime('2026-03-11T14:40:00')).toBe(Date.UTC(2026, 2, 11, 14, 40));
  });
  it.each([
    ['20250230', '000000'],
    ['20251301', '000000'],
    ['20250101', '240000'],
    ['2025010', '000000'],
    ['20250101', '12:00:00'],
  ])('refuses %s %s', (date, time) => {
    expect(parseCompactUtcDateTime(date, time)).toBeUndefined();
  });
  it('refuses a zone or garbage in the zoneless spelling', () => {
    expect(parseZonelessUtcDateTime('2026-03-11T14:40:00+09:00')).toBeUndefined();
    expect(parseZonelessUtcDateTime('yesterday')).toBeUndefined();
  });
  it('formats `to` in whole seconds, rounding a fraction up (to is exclusive)', () => {
    expect(formatUpbitTo(Date.UTC(2025, 6, 30))).toBe('2025-07-30T00:00:00Z');
    expect(formatUpbitTo(Date.UTC(2025, 6, 30) + 1)).toBe('2025-07-30T00:00:01Z');
  });
});
