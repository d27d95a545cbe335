import { describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

// One log shape across the apps: pino JSON lines on stderr ({level, time, pid, hostname, ...fields, msg}), as the
// simulator's CLI writes them, so the same tools (pino-pretty, log shippers) read both. stdout stays the data.

describe('demo logs', () => {
  it('are pino JSON lines on stderr when stderr is not a terminal', async () => {
    const result = await runCli(['--sim', '--json', '--symbols', 'KRW-BTC', '--duration-ms', '1500']);
    expect(result.code, result.stderr).toBe(0);
    const logLines = result.stderr.split('\n').filter((line) => line.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(2);
    for (const line of logLines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(entry).slice(0, 4), line).toEqual(['level', 'time', 'pid', 'hostname']);
      expect([10, 20, 30, 40, 50, 60]).toContain(entry.level);
      expect(typeof entry.time).toBe('number');
      expect(typeof entry.msg).toBe('string');
      expect(entry.app).toBe('demo');
    }
    expect(logLines.some((line) => line.includes('"msg":"simulator started"'))).toBe(true);
    // Nothing but ticks on stdout.
    for (const line of result.stdout.split('\n').filter((text) => text !== '')) {
      expect(JSON.parse(line) as Record<string, unknown>).toHaveProperty('symbol', 'KRW-BTC');
    }
  });
});
