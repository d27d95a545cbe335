#!/usr/bin/env node
/**
 * Throughput check of the simulator as a load source (a script, not a test): the simulator runs in its own
 * process (`dist/cli.js`, rate limits off) and this process measures
 *   1. WebSocket messages per second delivered to ONE client subscribed to ticker + trade + orderbook of every
 *      market, with the trade rate scaled up, and
 *   2. REST requests per second answered (keep-alive, N requests in flight).
 *
 *   node dist/bench/throughput.js [--seconds 5] [--scale 150] [--concurrency 32] [--path /v1/ticker?markets=KRW-BTC]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createSystemClock, sleep } from '@marketdata/domain';
import WebSocket from 'ws';

const clock = createSystemClock();

interface SimProcess {
  readonly child: ChildProcess;
  readonly restUrl: string;
  readonly wsUrl: string;
}

function startSimProcess(scale: number): Promise<SimProcess> {
  const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli.js');
  const child = spawn(
    process.execPath,
    [cli, '--no-rate-limits', '--admin-port', 'none', '--trade-rate-scale', String(scale), '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`simulator exited early (${code})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const rest = /REST\s+(\S+)/.exec(out);
      const ws = /WS\s+(\S+)/.exec(out);
      if (rest?.[1] !== undefined && ws?.[1] !== undefined) resolve({ child, restUrl: rest[1], wsUrl: ws[1] });
    });
  });
}

async function fetchCodes(restUrl: string): Promise<string[]> {
  const response = await fetch(`${restUrl}/v1/market/all`);
  const markets = (await response.json()) as { market: string }[];
  return markets.map((m) => m.market);
}

async function measureWebSocket(wsUrl: string, codes: readonly string[], seconds: number) {
  const socket = new WebSocket(wsUrl, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let messages = 0;
  let bytes = 0;
  socket.on('message', (data: Buffer) => {
    messages++;
    bytes += data.length;
  });
  socket.send(
    JSON.stringify([
      { ticket: 'bench' },
      { type: 'ticker', codes },
      { type: 'trade', codes },
      { type: 'orderbook', codes },
      { format: 'DEFAULT' },
    ]),
  );
  await sleep(clock, 1500); // warm-up: snapshots and JIT
  const startMessages = messages;
  const startBytes = bytes;
  const started = clock.monotonic();
  await sleep(clock, seconds * 1000);
  const elapsed = (clock.monotonic() - started) / 1000;
  socket.terminate();
  return { perSecond: (messages - startMessages) / elapsed, mbPerSecond: (bytes - startBytes) / elapsed / 1e6 };
}

async function measureRest(restUrl: string, path: string, concurrency: number, seconds: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(path, restUrl);
  let done = 0;
  let failed = 0;
  let running = true;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const req = request(url, { agent }, (res) => {
        if (res.statusCode !== 200) failed++;
        res.resume();
        res.on('end', () => {
          done++;
          resolve();
        });
      });
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end();
    });
  const worker = async (): Promise<void> => {
    while (running) await one();
  };
  const workers = Array.from({ length: concurrency }, worker);
  await sleep(clock, 1000);
  const startDone = done;
  const started = clock.monotonic();
  await sleep(clock, seconds * 1000);
  const elapsed = (clock.monotonic() - started) / 1000;
  const count = done - startDone;
  running = false;
  await Promise.all(workers);
  agent.destroy();
  return { perSecond: count / elapsed, failed };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '5' },
      scale: { type: 'string', default: '150' },
      concurrency: { type: 'string', default: '32' },
      path: { type: 'string', default: '/v1/ticker?markets=KRW-BTC' },
    },
  });
  const seconds = Number(values.seconds);
  const scale = Number(values.scale);
  const concurrency = Number(values.concurrency);
  // Two simulator processes: the WebSocket load needs a scaled-up market; the REST one runs the normal market.
  const wsSim = await startSimProcess(scale);
  try {
    const codes = await fetchCodes(wsSim.restUrl);
    const ws = await measureWebSocket(wsSim.wsUrl, codes, seconds);
    process.stdout.write(
      `websocket: ${Math.round(ws.perSecond)} msgs/s to one client (${ws.mbPerSecond.toFixed(1)} MB/s; ` +
        `${codes.length} markets x ticker+trade+orderbook, trade rate x${scale}) — target >= 50000\n`,
    );
  } finally {
    wsSim.child.kill('SIGTERM');
  }
  const restSim = await startSimProcess(1);
  try {
    const rest = await measureRest(restSim.restUrl, values.path, concurrency, seconds);
    process.stdout.write(
      `rest: ${Math.round(rest.perSecond)} req/s (${values.path}, ${concurrency} in flight, keep-alive, ` +
        `rate limits off, ${rest.failed} non-200) — target >= 5000\n`,
    );
  } finally {
    restSim.child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${String(error)}\n`);
  process.exit(1);
});
