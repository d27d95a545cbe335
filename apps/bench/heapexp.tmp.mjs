import { spawn } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createUpbitWebSocketSource } from '@marketdata/adapters-upbit';
setFlagsFromString('--expose-gc'); const gc = runInNewContext('gc');
const recent = Number(process.argv[2] ?? 200);
const sim = spawn(process.execPath, ['../../packages/upbit-sim/dist/cli.js', '--port', '0', '--admin-port', 'none', '--log-level', 'info'], { stdio: ['ignore', 'pipe', 'pipe'] });
const url = await new Promise((res) => { const on = (d) => { const m = /port["=: ]+(\d+)/.exec(String(d)); if (m) res(`ws://127.0.0.1:${m[1]}/websocket/v1`); }; sim.stdout.on('data', on); sim.stderr.on('data', on); });
const codesRes = await fetch(url.replace('ws:', 'http:').replace('/websocket/v1', '/v1/market/all'));
const codes = (await codesRes.json()).map((m) => m.market).slice(0, 200);
const ws = createUpbitWebSocketSource({ url, recentTradesPerSymbol: recent });
let n = 0;
(async () => { for await (const t of ws.watchTrades(codes)) n++; })();
(async () => { for await (const t of ws.watchTickers(codes)) n++; })();
for (let s = 0; s <= 60; s += 5) { await new Promise((r) => setTimeout(r, 5000)); gc(); console.log(s + 5, (process.memoryUsage().heapUsed / 1e6).toFixed(2), n); }
await ws.close(); sim.kill();
