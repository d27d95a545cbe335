import type { MarketData } from '@marketdata/backbone';
import type { Logger } from '@marketdata/domain';
import { collectMarketDataMetrics, type MetricsServer, serveMetrics } from '@marketdata/metrics';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { UsageError } from '../cli/usage-error.js';

/**
 * `--metrics-port N`: the facade's metrics (and the process's own, from prom-client) at
 * `http://127.0.0.1:N/metrics`. Loopback only: the demo exposes nothing to the network. A port that cannot be
 * bound is a usage problem (exit 2), named with the reason.
 */
export async function serveDemoMetrics(port: number, marketData: MarketData, logger: Logger): Promise<MetricsServer> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  collectMarketDataMetrics(registry, marketData);
  let server: MetricsServer;
  try {
    server = await serveMetrics(registry, { port, host: '127.0.0.1' });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new UsageError(`--metrics-port ${port}: cannot listen on 127.0.0.1:${port} (${reason})`, { cause: error });
  }
  logger.info('metrics endpoint', { url: server.url });
  return server;
}
