import { createServer } from 'node:net';
import { Gauge, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type MetricsServer, serveMetrics } from '../src/index.js';

const servers: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(registry: Registry, path?: string): Promise<MetricsServer> {
  const server = await serveMetrics(registry, { port: 0, ...(path === undefined ? {} : { path }) });
  servers.push(server);
  return server;
}

function registryWithGauge(): Registry {
  const registry = new Registry();
  new Gauge({ name: 'probe_value', help: 'A probe.', registers: [registry] }).set(7);
  return registry;
}

describe('serveMetrics / createMetricsHandler', () => {
  it('answers GET /metrics with the registry text in its content type, on 127.0.0.1 by default', async () => {
    const server = await serve(registryWithGauge());
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
    expect(await response.text()).toContain('probe_value 7');
  });

  it('answers HEAD without a body, another path with 404, another method with 405', async () => {
    const server = await serve(registryWithGauge());
    const head = await fetch(server.url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const elsewhere = await fetch(server.url.replace('/metrics', '/other'));
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.text()).toContain('/metrics');
    const post = await fetch(server.url, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('serves a custom path, with a query string allowed', async () => {
    const server = await serve(registryWithGauge(), '/custom');
    expect(server.url.endsWith('/custom')).toBe(true);
    expect((await fetch(`${server.url}?x=1`)).status).toBe(200);
    expect((await fetch(server.url.replace('/custom', '/metrics'))).status).toBe(404);
  });

  it('answers 500 with the reason when collecting fails, and keeps serving', async () => {
    const registry = new Registry();
    let fail = true;
    new Gauge({
      name: 'flaky_value',
      help: 'Fails once.',
      registers: [registry],
      collect() {
        if (fail) {
          fail = false;
          throw new Error('source gone');
        }
        this.set(1);
      },
    });
    const server = await serve(registry);
    const failed = await fetch(server.url);
    expect(failed.status).toBe(500);
    expect(await failed.text()).toContain('source gone');
    const recovered = await fetch(server.url);
    expect(recovered.status).toBe(200);
    expect(await recovered.text()).toContain('flaky_value 1');
  });

  it('rejects when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    try {
      await expect(serveMetrics(new Registry(), { port: address.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('close() ends a kept-alive connection too', async () => {
    const server = await serveMetrics(registryWithGauge(), { port: 0 });
    await fetch(server.url, { keepalive: true });
    await server.close();
    await expect(fetch(server.url)).rejects.toThrow();
  });
});
