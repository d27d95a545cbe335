// Candles: the last 300 one-minute candles of KRW-BTC (Upbit answers 200 per request: the facade pages, paced), graded
// as one list, oldest first.
import { createUpbitMarketData } from '@marketdata/upbit';
import { endpoints } from './endpoints.js';

const md = createUpbitMarketData(endpoints);
try {
  const list = await md.getCandles('KRW-BTC', { interval: '1m', count: 300 });
  const last = list.candles.at(-1);
  console.log(
    JSON.stringify({
      count: list.candles.length,
      source: list.source,
      quality: list.quality,
      lastClose: last?.close,
      openTime: last?.openTime,
    }),
  );
} finally {
  await md.close();
}
