import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { createSeededRandom } from '@marketdata/domain';
import { FakeClock } from '@marketdata/domain/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLiveConnection } from '../src/live/check-live-connection.js';
import { probeEndpoint } from '../src/live/probe-endpoint.js';
import { SIM_HINT, UpbitUnreachableError } from '../src/live/upbit-unreachable-error.js';
import { closedPort, closeLoopbackServers, listen } from './support/loopback-servers.js';

afterEach(closeLoopbackServers);

function deps(clock = new FakeClock(), timeoutMs = 4000) {
  return { clock, random: createSeededRandom(1), timeoutMs };
}

describe('probeEndpoint', () => {
  it('names a refused connection', async () => {
    const port = await closedPort();
    const result = await probeEndpoint({ url: `https://127.0.0.1:${port}`, websocketUpgrade: false }, deps());
    expect(result).toMatchObject({ ok: false, host: '127.0.0.1', port, stage: 'connect' });
    expect(!result.ok && result.cause).toBe('connection refused (ECONNREFUSED)');
  });

  it('names a DNS failure for a host that cannot exist (.invalid, RFC 6761)', async () => {
    const result = await probeEndpoint({ url: 'https://upbit.invalid', websocketUpgrade: false }, deps());
    expect(result).toMatchObject({ ok: false, host: 'upbit.invalid', stage: 'dns' });
    expect(!result.ok && result.cause).toMatch(/^DNS lookup failed/);
  });

  it('names a TLS failure when the server does not speak TLS', async () => {
    const server = createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const port = await listen(server);
    const result = await probeEndpoint({ url: `https://127.0.0.1:${port}`, websocketUpgrade: false }, deps());
    expect(result).toMatchObject({ ok: false, stage: 'tls' });
    expect(!result.ok && result.cause).toMatch(/^TLS handshake failed \(/);
  });

  it('gives up after the timeout and says at which step (silent server during TLS)', async () => {
    const clock = new FakeClock();
    const server = createServer();
    const connected = new Promise<void>((resolve) => server.once('connection', () => resolve()));
    const port = await listen(server);
    const pending = probeEndpoint(
      { url: `wss://127.0.0.1:${port}/websocket/v1`, websocketUpgrade: true },
      deps(clock, 3000),
    );
    await connected;
    // Let the client see its own 'connect' event and start the handshake before time runs out.
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(3000);
    const result = await pending;
    expect(result).toMatchObject({ ok: false, stage: 'tls' });
    expect(!result.ok && result.cause).toBe('timed out after 3000 ms during the TLS handshake');
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it('accepts a WebSocket endpoint that answers 101 Switching Protocols', async () => {
    const server = createHttpServer();
    const paths: string[] = [];
    server.on('upgrade', (request, socket) => {
      paths.push(String(request.url));
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    });
    const port = await listen(server);
    const clock = new FakeClock();
    const result = await probeEndpoint(
      { url: `ws://127.0.0.1:${port}/websocket/v1`, websocketUpgrade: true },
      deps(clock),
    );
    expect(result).toMatchObject({ ok: true, host: '127.0.0.1' });
    expect(paths).toEqual(['/websocket/v1']);
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it('reports an HTTP answer instead of the upgrade (418 = blocked)', async () => {
    const server = createHttpServer();
    server.on('upgrade', (_request, socket) => socket.end("HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\n\r\n"));
    const port = await listen(server);
    const result = await probeEndpoint({ url: `ws://127.0.0.1:${port}/websocket/v1`, websocketUpgrade: true }, deps());
    expect(result).toMatchObject({ ok: false, stage: 'upgrade' });
    expect(!result.ok && result.cause).toMatch(/HTTP 418: Upbit has blocked this IP/);
  });
});

describe('checkLiveConnection', () => {
  it('throws one error naming the host and the cause, with the --sim hint', async () => {
    const port = await closedPort();
    const error = await checkLiveConnection(
      { restUrl: `https://127.0.0.1:${port}`, wsUrl: `wss://127.0.0.1:${port}/websocket/v1` },
      deps(),
    ).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UpbitUnreachableError);
    expect((error as Error).message).toBe(
      `Cannot reach Upbit at 127.0.0.1: connection refused (ECONNREFUSED) (REST https://127.0.0.1:${port}, ` +
        `WebSocket wss://127.0.0.1:${port}/websocket/v1).\n${SIM_HINT}`,
    );
  });

  it('passes when both endpoints answer', async () => {
    const server = createHttpServer();
    server.on('upgrade', (_request, socket) => socket.write('HTTP/1.1 101 Switching Protocols\r\n\r\n'));
    const port = await listen(server);
    await expect(
      checkLiveConnection(
        { restUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/websocket/v1` },
        deps(),
      ),
    ).resolves.toBeUndefined();
  });
});
