import { afterEach, describe, expect, it } from 'vitest';
import { createUpbitWebSocketSource } from '../../src/ws/index.js';
import { subscriptionSet } from '../../src/ws/protocol/subscription-request.js';
import { BTC, ETH, type Harness, startHarness, until, XRP } from './support/harness.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('options', () => {
  it('reports every bad limit at once in a ConfigError', () => {
    let caught: unknown;
    try {
      createUpbitWebSocketSource({
        url: 'http://example',
        pingIntervalMs: 45_000,
        livenessTimeoutMs: 0,
        tradeQueueSize: 0.5,
        backoff: { minMs: 0 },
        format: 'JSON' as 'SIMPLE',
        orderBookDepth: 10 as 15,
        maxBlockCoolDownMs: 3_000_000_000, // past what a Node timer can hold
        snapshotTimeoutMs: -1,
        maxIdenticalRefusals: 0,
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ name: 'ConfigError' });
    const paths = (caught as { issues: { path: string }[] }).issues.map((issue) => issue.path).sort();
    expect(paths).toEqual([
      'backoff.minMs',
      'format',
      'livenessTimeoutMs',
      'maxBlockCoolDownMs',
      'maxIdenticalRefusals',
      'orderBookDepth',
      'pingIntervalMs',
      'snapshotTimeoutMs',
      'tradeQueueSize',
      'url',
    ]);
  });

  it('creating a source opens nothing and closing it unused is fine', async () => {
    const source = createUpbitWebSocketSource();
    expect(source.channel).toBe('websocket');
    expect(source.status()).toMatchObject({
      state: 'idle',
      epoch: 0,
      reconnects: 0,
      gaps: [],
      connectAttempts: 0,
      refusal: undefined,
      lastInboundMonotonic: undefined,
    });
    await source.close();
    expect(source.state).toBe('closed');
  });

  it('requestBatchMs batches changes over a clock window', async () => {
    harness = await startHarness({ requestBatchMs: 100 });
    const { source, server, clock } = harness;
    source.subscribe('ticker', [BTC]);
    await new Promise((resolve) => setImmediate(resolve));
    source.subscribe('ticker', [ETH]);
    expect(source.state).toBe('idle');
    clock.advance(100);
    await until(() => server.requests.length === 1);
    source.subscribe('trade', [XRP]);
    clock.advance(100);
    await until(() => server.requests.length === 2);
    expect(server.parsedRequests().map((r) => r.codes)).toEqual([
      subscriptionSet({ ticker: ['KRW-BTC', 'KRW-ETH'] }),
      subscriptionSet({ ticker: ['KRW-BTC', 'KRW-ETH'], trade: ['KRW-XRP'] }),
    ]);
  });
});

describe('heartbeat ws-ping', () => {
  it('pongs keep the connection; a connection without pongs is replaced', async () => {
    harness = await startHarness({ heartbeat: 'ws-ping', pingIntervalMs: 10_000, livenessTimeoutMs: 3_000 });
    const { source, server, clock } = harness;
    source.subscribe('ticker', [BTC]);
    await until(() => source.status().framesReceived === 1);
    for (let i = 1; i <= 3; i++) {
      clock.advance(10_000);
      await until(() => server.wsPings === i);
      await until(() => source.status().lastInboundMonotonic === clock.monotonic()); // the pong came back
    }
    clock.advance(3_000);
    expect(source.state).toBe('open');
    expect(server.pings).toBe(0);
    server.stall(true);
    clock.advance(7_000);
    await until(() => server.wsPings === 4);
    clock.advance(3_000);
    expect(source.state).toBe('reconnecting');
  });
});
