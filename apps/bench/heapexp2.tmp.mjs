import { spawn } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createUpbitWebSocketSource, createUpbitRestSource } from '@marketdata/adapters-upbit';
import { createMarketData, systemClock } from '@marketdata/backbone';
setFlagsFromString('--expose-gc'); const gc = runInNewContext('gc');
const mode = process.argv[2];
const sim = spawn(process.execPath, ['../../packages/upbit-sim/dist/cli.js', '--port', '0', '--admin-port', 'none', '--log-level', 'info'], { stdio: ['ignore', 'pipe', 'pipe'] });
const url = await new Promise((res) => { const on = (d) => { const m = /port["=: ]+(\d+)/.exec(String(d)); if (m) res(`ws://127.0.0.1:${m[1]}/websocket/v1`); }; sim.stdout.on('data', on); sim.stderr.on('data', on); });
const restUrl = url.replace('ws:', 'http:').replace('/websocket/v1', '');
const codes = (await (await fetch(restUrl + '/v1/market/all')).json()).map((m) => m.market).slice(0, 200);
const ws = createUpbitWebSocketSource({ url, recentTradesPerSymbol: 1 });
const facade = createMarketData({ rest: createUpbitRestSource({ baseUrl: restUrl }), websocket: ws, clock: systemClock });
let n = 0;
if (mode.includes('t')) (async () => { for await (const t of facade.watchTrades(codes)) n++; })();
if (mode.includes('k')) (async () => { for await (const t of facade.watchTickers(codes)) n++; })();
for (let s = 0; s < 40; s += 5) { await new Promise((r) => setTimeout(r, 5000)); gc(); console.log(mode, s + 5, (process.memoryUsage().heapUsed / 1e6).toFixed(2), n); }
await facade.close(); sim.kill();
