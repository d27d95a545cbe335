import WebSocket from 'ws';
import { startUpbitSim } from '/work/main/packages/upbit-sim/dist/index.js';

const sim = await startUpbitSim({});
console.log(sim.restUrl, sim.wsUrl, sim.adminUrl);
for (const p of [
  '/v1/ticker?markets=KRW-BTC,KRW-ETH',
  '/v1/trades/ticks?market=KRW-BTC&count=2',
  '/v1/orderbook?markets=KRW-BTC&count=2',
  '/v1/candles/minutes/1?market=KRW-BTC&count=2',
  '/v1/candles/days?market=KRW-BTC&count=2',
  '/v1/market/all?isDetails=true',
  '/v1/orderbook/instruments?markets=KRW-BTC,BTC-ETH',
  '/v1/ticker?markets=KRW-NOPE',
  '/v1/nope',
  '/v1/orderbook?markets=KRW-BTC&count=abc',
]) {
  const r = await fetch(sim.restUrl + p);
  const t = await r.text();
  console.log(r.status, r.headers.get('remaining-req'), p, t.slice(0, 700));
}
const ws = new WebSocket(sim.wsUrl);
let n = 0;
ws.on('open', () =>
  ws.send(
    JSON.stringify([
      { ticket: 'x' },
      { type: 'ticker', codes: ['KRW-BTC'] },
      { type: 'trade', codes: ['KRW-BTC'] },
      { type: 'orderbook', codes: ['KRW-BTC.2'] },
      { format: 'SIMPLE' },
    ]),
  ),
);
ws.on('message', (d, bin) => {
  if (n++ < 6) console.log(bin, d.toString().slice(0, 400));
});
await new Promise((r) => setTimeout(r, 1000));
console.log('msgs in 1s', n, sim.control.counters());
ws.close();
await sim.close();
