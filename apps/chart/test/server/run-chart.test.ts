import { createServer } from 'node:net';
import { systemClock, systemRandom } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runChart } from '../../src/app/run-chart.js';
import { PUBLIC_DIR } from '../support/chart-harness.js';

function output() {
  let text = '';
  return {
    write: (chunk: string) => {
      text += chunk;
      return true;
    },
    get text() {
      return text;
    },
  };
}

function runtime(argv: readonly string[], interrupt = new AbortController().signal) {
  const stdout = output();
  const stderr = output();
  return {
    stdout,
    stderr,
    options: {
      argv,
      stdout,
      stderr,
      clock: systemClock,
      random: systemRandom,
      interrupt,
      publicDir: PUBLIC_DIR,
      processUsage: () => ({ cpuUserMicros: 0, cpuSystemMicros: 0, rssBytes: 0, heapUsedBytes: 0 }),
    },
  };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('runChart', () => {
  it('prints help on stdout and a usage error on stderr', async () => {
    const help = runtime(['--help']);
    expect(await runChart(help.options)).toBe(EXIT_OK);
    expect(help.stdout.text).toMatch(/^Usage: pnpm chart/);
    const bad = runtime(['--port', 'x']);
    expect(await runChart(bad.options)).toBe(EXIT_USAGE);
    expect(bad.stderr.text).toBe('chart: --port needs an integer 0..65535, got x\n');
    expect(bad.stdout.text).toBe('');
  });

  it('says clearly when the upstream cannot be reached, suggests --sim, and prints no URL', async () => {
    const port = await closedPort();
    const run = runtime([
      '--rest-url',
      `http://127.0.0.1:${port}`,
      '--ws-url',
      `ws://127.0.0.1:${port}`,
      '--port',
      '0',
    ]);
    expect(await runChart(run.options)).toBe(EXIT_FAILURE);
    expect(run.stdout.text).toBe('');
    expect(run.stderr.text).toContain(`chart: cannot load the market list from http://127.0.0.1:${port}`);
    expect(run.stderr.text).toContain('`pnpm chart --sim` runs against the local simulator');
  });

  it('with --sim prints only its URL on stdout, serves the page, and exits 0 when interrupted', async () => {
    const interrupt = new AbortController();
    const run = runtime(['--sim', '--port', '0', '--log-level', 'silent'], interrupt.signal);
    let url: string | undefined;
    const exit = runChart({
      ...run.options,
      onListening: (listening) => {
        url = listening;
      },
    });
    await expect.poll(() => url, { timeout: 15_000 }).toBeDefined();
    expect(run.stdout.text).toBe(`${url}\n`);
    expect(run.stdout.text).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\n$/);
    expect(run.stderr.text).toMatch(/chart: SIMULATOR 127\.0\.0\.1:\d+ \(not live data\), \d+ markets/);
    const page = await fetch(url ?? '');
    expect(page.status).toBe(200);
    interrupt.abort('Ctrl-C');
    expect(await exit).toBe(EXIT_OK);
    await expect(fetch(url ?? '')).rejects.toThrow();
  });
});
