import { describe, expect, it } from 'vitest';
import { parseThroughput } from '../src/rows/sim-speed.js';

// The two lines packages/upbit-sim's throughput script prints (copied from a run of that script).
const OUTPUT = `websocket: 59035 msgs/s to one client (45.6 MB/s; 255 markets x ticker+trade+orderbook, trade rate x150) — target >= 50000
rest: 5069 req/s (/v1/ticker?markets=KRW-BTC, 32 in flight, keep-alive, rate limits off, 0 non-200) — target >= 5000
`;

describe('parseThroughput', () => {
  it('reads both figures and their set-up from the simulator script', () => {
    const speed = parseThroughput(OUTPUT);
    expect(speed.wsPerSecond).toBe(59035);
    expect(speed.restPerSecond).toBe(5069);
    expect(speed.wsSetup).toContain('255 markets');
  });

  it('refuses output it does not recognise instead of inventing a figure', () => {
    expect(() => parseThroughput('bench failed: boom')).toThrow(/unexpected output/);
  });
});
