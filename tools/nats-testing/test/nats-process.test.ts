import { access } from 'node:fs/promises';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NatsProcess, startNatsProcess } from '../src/index.js';
import { connectRecording, kvPutGetWatch, roundTrip, within } from './support/client.js';

// Debian's nats-server as a plain child process: no container engine needed, so these always run (CI installs the
// package with scripts/setup-components.sh; a machine without it fails here with the install hint).

describe('nats-server as a process', () => {
  let server: NatsProcess;

  beforeAll(async () => {
    server = await startNatsProcess({ jetstream: true });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('listens on loopback only, on the ports it reports', () => {
    expect(server.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    expect(server.monitorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('carries a message from a publisher to a subscriber', async () => {
    const { nc } = await connectRecording(server.url);
    try {
      expect(await roundTrip(nc, 'smoke.process', 'hello from the process test')).toBe('hello from the process test');
    } finally {
      await nc.close();
    }
  });

  it('has JetStream: a KV bucket takes a put, answers a get and notifies a watcher', async () => {
    const { nc } = await connectRecording(server.url);
    try {
      const result = await kvPutGetWatch(nc, 'smoke_process', 'KRW-BTC', '100', '101');
      expect(result).toEqual({ got: '100', watched: ['100', '101'] });
    } finally {
      await nc.close();
    }
  });
});

describe('nats-server process lifecycle', () => {
  it('stop() ends the server, removes its temporary store and is safe to call twice', async () => {
    const server = await startNatsProcess();
    const store = server.storeDir;
    expect(store).toBeDefined();
    await access(store ?? '');
    await server.stop();
    await server.stop();
    await expect(access(store ?? '')).rejects.toThrow(/ENOENT/);
    const refused = within(5_000, 'connect after stop', connect({ servers: server.url, reconnect: false }));
    await expect(refused).rejects.toThrow(/connection refused/i);
  });

  it('runs without JetStream when asked (no store directory)', async () => {
    const server = await startNatsProcess({ jetstream: false });
    try {
      expect(server.storeDir).toBeUndefined();
      const { nc } = await connectRecording(server.url);
      await expect(kvPutGetWatch(nc, 'no_jetstream', 'k', 'a', 'b')).rejects.toThrow(/jetstream/i);
      await nc.close();
    } finally {
      await server.stop();
    }
  });

  it('names a missing binary and how to install it', async () => {
    await expect(startNatsProcess({ binary: '/nonexistent/nats-server' })).rejects.toThrow(
      /nonexistent\/nats-server is not an executable: install Debian's nats-server/,
    );
  });

  it('reports a server that exits at start-up with its own output', async () => {
    await expect(startNatsProcess({ serverArgs: ['--no_such_option'] })).rejects.toThrow(
      /exited \(\d+\); its output:\nflag provided but not defined: -no_such_option/,
    );
    const first = await startNatsProcess({ jetstream: false });
    try {
      const port = Number(new URL(first.url).port);
      await expect(startNatsProcess({ jetstream: false, port })).rejects.toThrow(
        new RegExp(`exited \\(1\\); its output:\\n.*${port}.*address already in use`, 's'),
      );
    } finally {
      await first.stop();
    }
  });
});
