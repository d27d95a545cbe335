// Metrics: the facade's marketdata_* series in a prom-client registry, served at /metrics for Prometheus, while
// the program asks for prices. Runs until Ctrl-C.
import { collectMarketDataMetrics, serveMetrics } from '@marketdata/metrics';
import { createPinoLogger } from '@marketdata/pino';
import { createUpbitMarketData } from '@marketdata/upbit';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { endpoints } from './endpoints.js';

const logger = createPinoLogger({ level: 'warn', destination: 2 }); // JSON lines on stderr
const md = createUpbitMarketData({ ...endpoints, logger });
const registry = new Registry();
collectDefaultMetrics({ register: registry });
collectMarketDataMetrics(registry, md);
const server = await serveMetrics(registry, { port: Number(process.env.METRICS_PORT ?? 9464) });
console.log(server.url); // e.g. http://127.0.0.1:9464/metrics

const poll = setInterval(() => {
  md.getTicker('KRW-BTC').catch((error: unknown) => logger.warn('getTicker failed', { error: String(error) }));
}, 500);
process.once('SIGINT', () => {
  clearInterval(poll);
  void Promise.all([server.close(), md.close()]).then(() => logger.flush());
});
