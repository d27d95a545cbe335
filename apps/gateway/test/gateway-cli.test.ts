import { type NatsProcess, startNatsProcess } from '@marketdata/nats-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsumerProgram, GATEWAY_ENTRY, Program, until } from './support/processes.js';

/**
 * `pnpm gateway` as a program: `--sim` against a real nats-server (a plain process here), a fleet consumer served
 * through it, a clean stop on SIGINT; usage and start-up failures with their exit codes.
 */
let nats: NatsProcess;

beforeAll(async () => {
  nats = await startNatsProcess();
}, 30_000);

afterAll(async () => {
  await nats?.stop();
});

describe('pnpm gateway', () => {
  it('serves a consumer with --sim, then stops cleanly on Ctrl-C (exit 0, goodbye heard)', async () => {
    const gateway = Program.start('gateway', GATEWAY_ENTRY, ['--sim', '--nats', nats.url, '--log-level', 'warn']);
    const consumer = ConsumerProgram.start('consumer', [
      '--nats',
      nats.url,
      '--watch-count',
      '3',
      '--tickers-count',
      '5',
      '--rate',
      '2',
      '--report-ms',
      '200',
    ]);
    try {
      await gateway.waitForLine(/^KV {8}md_upbit_latest$/, 30_000);
      expect(gateway.lines.slice(0, 8).map((line) => line.split(/\s+/)[0])).toEqual([
        'GATEWAY',
        'NATS',
        'UPBIT',
        'STREAMS',
        'RPC',
        'DEMAND',
        'HEARTBEAT',
        'KV',
      ]);
      expect(gateway.lines[2]).toMatch(
        /^UPBIT +http:\/\/127\.0\.0\.1:\d+ ws:\/\/127\.0\.0\.1:\d+\/websocket\/v1 \(simulator \(seed 1\)\)$/,
      );
      await until(
        'the consumer to be served',
        () => {
          const last = consumer.last();
          return last !== undefined && last.state === 'open' && last.watched > 0 && last.tickersOk > 0;
        },
        30_000,
        () => JSON.stringify(consumer.last()),
      );
      gateway.signal('SIGINT');
      expect(await gateway.exited).toBe(0);
      // The goodbye heartbeat: the consumer knows at once, without waiting for the silence limit.
      await until(
        'the consumer to hear the gateway stop',
        () => consumer.last()?.reasons.some((reason) => /fleet gateway \S+ stopped/.test(reason)) === true,
        5_000,
        () => JSON.stringify(consumer.last()),
      );
      expect(gateway.lines.length).toBe(8);
    } finally {
      await consumer.stop();
      await gateway.stop();
    }
    expect(await consumer.program.exited).toBe(0);
  }, 90_000);

  it('exits 2 on a usage error and 0 with --help, writing nothing else on stdout', async () => {
    const bad = Program.start('gateway', GATEWAY_ENTRY, ['--nats', 'http://x']);
    expect(await bad.exited).toBe(2);
    expect(bad.errors()).toMatch(/--nats: expected nats: or tls: URL/);
    const both = Program.start('gateway', GATEWAY_ENTRY, ['--sim', '--upbit-rest', 'http://127.0.0.1:1']);
    expect(await both.exited).toBe(2);
    const help = Program.start('gateway', GATEWAY_ENTRY, ['--help']);
    expect(await help.exited).toBe(0);
    expect(help.lines[0]).toBe('Usage: pnpm gateway [-- options]');
  }, 30_000);

  it('exits 1 naming the fix when NATS cannot be reached', async () => {
    const gateway = Program.start('gateway', GATEWAY_ENTRY, [
      '--sim',
      '--nats',
      'nats://127.0.0.1:1',
      '--log-level',
      'silent',
    ]);
    expect(await gateway.exited).toBe(1);
    expect(gateway.errors()).toMatch(/cannot reach NATS at nats:\/\/127\.0\.0\.1:1 .*nats-server -js/);
    expect(gateway.lines).toEqual([]);
  }, 30_000);

  it('exits 1 when the NATS server has no JetStream (the KV bucket of latest values needs it)', async () => {
    const plain = await startNatsProcess({ jetstream: false });
    try {
      const gateway = Program.start('gateway', GATEWAY_ENTRY, ['--sim', '--nats', plain.url, '--log-level', 'silent']);
      expect(await gateway.exited).toBe(1);
      expect(gateway.errors()).toMatch(/KV bucket md_upbit_latest could not be created \(is JetStream on\?/);
    } finally {
      await plain.stop();
    }
  }, 30_000);
});
