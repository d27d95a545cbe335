import { describe, expect, it } from 'vitest';
import { createPinoLogger } from '../src/index.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    destination: {
      write(line: string): void {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  };
}

describe('createPinoLogger', () => {
  it('writes JSON lines with the message, the level and the fields', () => {
    const { lines, destination } = capture();
    const logger = createPinoLogger({ level: 'debug', destination });
    logger.info('channel disabled', { channel: 'websocket', failures: 3 });
    logger.debug('route', { symbol: 'KRW-BTC' });
    logger.trace('not written at debug');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'channel disabled', channel: 'websocket', failures: 3 });
    expect(lines[1]).toMatchObject({ level: 20, msg: 'route', symbol: 'KRW-BTC' });
    expect(typeof lines[0]?.time).toBe('number');
  });

  it('adds bindings on children and from the options', () => {
    const { lines, destination } = capture();
    const logger = createPinoLogger({ destination, bindings: { app: 'demo' } });
    logger.child({ component: 'backbone' }).warn('falling back', { from: 'websocket' });
    expect(lines[0]).toMatchObject({ level: 40, app: 'demo', component: 'backbone', from: 'websocket' });
  });

  it('writes nothing when silent', () => {
    const { lines, destination } = capture();
    const logger = createPinoLogger({ level: 'silent', destination });
    logger.error('nothing');
    expect(lines).toEqual([]);
  });
});
