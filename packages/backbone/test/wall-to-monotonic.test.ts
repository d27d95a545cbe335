import { FakeClock } from '@marketdata/domain/testing';
import { describe, expect, it } from 'vitest';
import { WallToMonotonic } from '../src/unifier/wall-to-monotonic.js';
import { RECORDED_AT } from './support/fixture-tickers.js';

const HOUR = 3_600_000;

function setup() {
  const clock = new FakeClock({ now: RECORDED_AT, monotonic: 5_000 });
  return { clock, map: new WallToMonotonic(clock) };
}

describe('WallToMonotonic', () => {
  it('reads a stamp with the current offset while the wall clock does not jump', () => {
    const { clock, map } = setup();
    clock.advance(1_234);
    const stamp = clock.now();
    clock.advance(40_000);
    expect(map.toMonotonic(stamp)).toBe(6_234);
  });

  it('reads stamps taken before a forward jump with the offset that held then, later ones with the new offset', () => {
    const { clock, map } = setup();
    const before = clock.now();
    clock.advance(10);
    clock.jumpWall(HOUR);
    clock.advance(10);
    const after = clock.now();
    clock.advance(10);
    expect(map.toMonotonic(before)).toBe(5_000);
    expect(map.toMonotonic(after)).toBe(5_020);
  });

  it('reads stamps taken before a backward jump with the offset that held then, later ones with the new offset', () => {
    const { clock, map } = setup();
    const before = clock.now();
    clock.advance(40_000);
    clock.jumpWall(-HOUR);
    clock.advance(10);
    const after = clock.now();
    expect(map.toMonotonic(before)).toBe(5_000);
    expect(map.toMonotonic(after)).toBe(45_010);
  });

  it('keeps telling the offsets apart over many jumps', () => {
    const { clock, map } = setup();
    const stamps: [number, number][] = [];
    for (let jump = 0; jump < 10; jump++) {
      clock.advance(1_000);
      stamps.push([clock.now(), clock.monotonic()]);
      map.sample();
      clock.jumpWall(jump % 2 === 0 ? HOUR : -2 * HOUR);
      map.sample();
    }
    for (const [wall, monotonic] of stamps) expect(map.toMonotonic(wall)).toBe(monotonic);
  });

  it('treats a small change of the offset as drift, not as a jump', () => {
    const { clock, map } = setup();
    const stamp = clock.now();
    clock.advance(60_000);
    clock.jumpWall(-300);
    expect(map.toMonotonic(stamp)).toBe(5_300);
  });

  it('cannot place a stamp ahead of the local clock under every offset seen', () => {
    const { clock, map } = setup();
    expect(map.toMonotonic(clock.now() + HOUR)).toBeUndefined();
    clock.advance(10);
    expect(map.toMonotonic(clock.now() + 5_000)).toBeUndefined();
  });
});
