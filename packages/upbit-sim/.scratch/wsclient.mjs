import WebSocket from 'ws';

const [url, secs] = [process.argv[2], Number(process.argv[3] ?? 5)];
const codes = (await (await fetch(url.replace('ws:', 'http:').replace('/websocket/v1', '/v1/market/all'))).json()).map(
  (m) => m.market,
);
const ws = new WebSocket(url);
let n = 0;
ws.on('open', () =>
  ws.send(
    JSON.stringify([
      { ticket: 'b' },
      { type: 'ticker', codes },
      { type: 'trade', codes },
      { type: 'orderbook', codes },
    ]),
  ),
);
ws.on('message', () => n++);
ws.on('close', () => console.log('closed'));
setTimeout(() => {
  const a = n;
  setTimeout(() => {
    console.log('msgs/s', (n - a) / secs);
    process.exit(0);
  }, secs * 1000);
}, 1500);
