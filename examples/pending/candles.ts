// Candles: the last 300 one-minute candles of KRW-BTC.
//
// NOT BUILT OR RUN YET: `MarketData.getCandles` is being added to the facade on another branch. Once it is there,
// move this file to ../src/, add it to tsup.config.ts and to test/examples.test.ts.
import { createUpbitMarketData } from '@marketdata/upbit';
import { endpoints } from '../src/endpoints.js';

const md = createUpbitMarketData(endpoints);
try {
  const candles = await md.getCandles('KRW-BTC', { interval: { unit: 'minutes', size: 1 }, count: 300 });
  const last = candles.at(-1);
  console.log(JSON.stringify({ count: candles.length, lastClose: last?.close, openTime: last?.openTime }));
} finally {
  await md.close();
}
