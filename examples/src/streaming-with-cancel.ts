// Streaming with cancel: a stream ends when the loop breaks, or when its AbortSignal aborts (here: Ctrl-C or a
// time limit). Either way its subscriptions are released and nothing is left running.
import { createUpbitMarketData } from '@marketdata/upbit';
import { endpoints } from './endpoints.js';

const MAX_TICKS = Number(process.env.MAX_TICKS ?? 20);
const MAX_MS = Number(process.env.MAX_MS ?? 30_000);

const md = createUpbitMarketData(endpoints);
const stop = new AbortController();
process.once('SIGINT', () => stop.abort('Ctrl-C'));
const signal = AbortSignal.any([stop.signal, AbortSignal.timeout(MAX_MS)]);

let ticks = 0;
try {
  for await (const ticker of md.watchTickers(['KRW-BTC', 'KRW-ETH'], { signal })) {
    console.log(JSON.stringify({ symbol: ticker.symbol, price: ticker.price, source: ticker.source }));
    if (++ticks >= MAX_TICKS) break; // `break` ends the stream just as an abort does
  }
} catch (error) {
  if (!signal.aborted) throw error; // an abort ends the loop with the signal's reason: expected here
} finally {
  await md.close();
}
console.error(`${ticks} ticks, then ${ticks >= MAX_TICKS ? 'break' : `abort (${String(signal.reason)})`}`);
