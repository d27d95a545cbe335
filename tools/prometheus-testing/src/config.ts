/** What startPrometheus scrapes; checked up front so a typo fails with a message, not a Prometheus start-up error. */
export interface ScrapeSettings {
  /** `host:port` of each endpoint (use 127.0.0.1: tests only touch loopback). */
  readonly targets: readonly string[];
  /** How often Prometheus scrapes, in whole milliseconds (≥ 10). Also the scrape timeout. Default 1000. */
  readonly scrapeIntervalMs?: number;
  /** Path of the metrics endpoint on every target. Default `/metrics`. */
  readonly metricsPath?: string;
}

/** The job name every target is scraped under: series carry `job="JOB_NAME"` and `instance="<target>"`. */
export const JOB_NAME = 'test';

const TARGET = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/;

/** Renders prometheus.yml. Strings are written as JSON strings, which YAML reads as the same strings. */
export function renderConfig(settings: ScrapeSettings): string {
  const { targets, scrapeIntervalMs = 1_000, metricsPath = '/metrics' } = settings;
  if (!Array.isArray(targets) || targets.length === 0)
    throw new TypeError('startPrometheus: targets must be a non-empty array');
  for (const target of targets) {
    const port = typeof target === 'string' ? TARGET.exec(target)?.[1] : undefined;
    if (port === undefined || Number(port) < 1 || Number(port) > 65_535) {
      throw new TypeError(`startPrometheus: target ${JSON.stringify(target)} is not host:port`);
    }
  }
  if (!Number.isInteger(scrapeIntervalMs) || scrapeIntervalMs < 10) {
    throw new RangeError(
      `startPrometheus: scrapeIntervalMs must be a whole number of milliseconds ≥ 10, got ${scrapeIntervalMs}`,
    );
  }
  if (typeof metricsPath !== 'string' || !metricsPath.startsWith('/')) {
    throw new TypeError(`startPrometheus: metricsPath must start with '/', got ${JSON.stringify(metricsPath)}`);
  }
  const interval = `${scrapeIntervalMs}ms`;
  return [
    'global:',
    `  scrape_interval: ${interval}`,
    // Must not exceed the interval (Prometheus refuses the config otherwise); the default 10 s would.
    `  scrape_timeout: ${interval}`,
    `  evaluation_interval: ${interval}`,
    'scrape_configs:',
    `  - job_name: ${JSON.stringify(JOB_NAME)}`,
    `    metrics_path: ${JSON.stringify(metricsPath)}`,
    '    static_configs:',
    `      - targets: [${targets.map((target) => JSON.stringify(target)).join(', ')}]`,
    '',
  ].join('\n');
}
