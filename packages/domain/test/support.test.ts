import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSeededRandom, silentLogger } from '../src/index.js';
import { MemoryLogger } from '../src/testing.js';

describe('seeded random', () => {
  it('repeats the same sequence for the same seed and stays in [0, 1)', () => {
    const a = createSeededRandom(42);
    const b = createSeededRandom(42);
    const other = createSeededRandom(43);
    const seqA = Array.from({ length: 1000 }, () => a.next());
    const seqB = Array.from({ length: 1000 }, () => b.next());
    expect(seqA).toEqual(seqB);
    expect(Array.from({ length: 5 }, () => other.next())).not.toEqual(seqA.slice(0, 5));
    expect(Math.min(...seqA)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...seqA)).toBeLessThan(1);
    const mean = seqA.reduce((sum, x) => sum + x, 0) / seqA.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});

describe('loggers', () => {
  it('MemoryLogger keeps leveled, structured lines and child bindings', () => {
    const logger = new MemoryLogger();
    const child = logger.child({ channel: 'rest' });
    logger.info('started', { port: 1 });
    child.warn('429 received', { group: 'ticker' });
    expect(logger.entries).toEqual([
      { level: 'info', message: 'started', fields: { port: 1 } },
      { level: 'warn', message: '429 received', fields: { channel: 'rest', group: 'ticker' } },
    ]);
    expect(logger.find('warn', '429')).toHaveLength(1);
  });

  it('silentLogger drops everything, children included', () => {
    expect(() => silentLogger.child({ a: 1 }).error('x')).not.toThrow();
  });
});

describe('domain package', () => {
  it('has no runtime dependencies', () => {
    const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.peerDependencies).toBeUndefined();
    expect(manifest.optionalDependencies).toBeUndefined();
  });
});
