// The first price: one ticker, with where it came from, how old it is and how far to trust it.
import { isMarketDataError } from '@marketdata/domain';
import { createUpbitMarketData } from '@marketdata/upbit';
import { endpoints } from './endpoints.js';

const md = createUpbitMarketData(endpoints);
try {
  const btc = await md.getTicker('KRW-BTC');
  console.log(
    JSON.stringify({
      symbol: btc.symbol,
      price: btc.price,
      source: btc.source,
      quality: btc.quality,
      ageMs: btc.ageMs,
    }),
  );
} catch (error) {
  // Typed errors: code (RATE_LIMIT, NETWORK, TIMEOUT, UNKNOWN_SYMBOL, ...), channel, and whether a retry can help.
  console.error(isMarketDataError(error) ? `${error.code} on ${error.channel}: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await md.close();
}
