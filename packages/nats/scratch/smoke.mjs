import { startNatsProcess } from '@marketdata/nats-testing';
import { startUpbitSim } from '@marketdata/upbit-sim';
import { createUpbitRestSource, createUpbitWebSocketSource } from '@marketdata/adapters-upbit';
import { createMarketData } from '@marketdata/backbone';
import { connect } from '@nats-io/transport-node';
import { createFleetGateway, createFleetSources } from '../dist/index.js';
import { setTimeout as sleep } from 'node:timers/promises';

const nats = await startNatsProcess();
const sim = await startUpbitSim({ seed: 1, adminPort: false });
const codes = sim.control.marketCodes().slice(0, 5);
const gwNats = await connect({ servers: nats.url, maxReconnectAttempts: -1 });
const rest = createUpbitRestSource({ url: sim.restUrl });
const ws = createUpbitWebSocketSource({ url: sim.wsUrl });
const gw = createFleetGateway({ nats: gwNats, streaming: ws, rest });
await gw.start();
const fleet = createFleetSources({ natsUrl: nats.url });
const md = createMarketData({ rest: fleet.rest, websocket: fleet.websocket });
const t = await md.getTicker(codes[0]);
console.log('getTicker', t.symbol, t.price, t.source, t.quality);
const it = md.watchTickers(codes);
let n = 0;
for await (const x of it) { if (++n === 10) break; }
console.log('watched', n, fleet.websocket.status().state, fleet.websocket.diagnostics());
const trades = md.watchTrades(codes.slice(0,2));
n = 0;
for await (const x of trades) { if (++n === 3) { console.log('trade', x.symbol, x.sequentialId); break; } }
console.log('health', md.health().status, md.health().reasons);
await gw.close();
await sleep(3000);
console.log('after gateway close', md.health().status, md.health().reasons);
console.log(JSON.stringify(gw.health().rpc));
await md.close();
await gwNats.close(); await rest.close(); await ws.close(); await sim.close(); await nats.stop();
console.log('sim counters', JSON.stringify(sim.control.counters().refusals));
