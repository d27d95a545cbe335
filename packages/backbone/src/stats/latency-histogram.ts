/** Upper bounds (ms) of the buckets exported to Prometheus (as seconds). */
export const PROMETHEUS_BOUNDS_MS: readonly number[] = [
  0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000,
];

/** Latency of the calls answered from one source: count, mean, min, max and quantiles, in ms. */
export interface LatencySummary {
  readonly count: number;
  /** Milliseconds; undefined while empty. */
  readonly mean: number | undefined;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly p50: number | undefined;
  readonly p90: number | undefined;
  readonly p99: number | undefined;
}

export interface CumulativeBucket {
  /** Upper bound in ms; `Infinity` for the last. */
  readonly le: number;
  readonly count: number;
}

const SMALLEST_MS = 0.001;
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);

/**
 * A latency histogram with log-spaced buckets 1% wide from 1 microsecond up: quantiles are accurate to about 1%
 * with bounded memory (a few thousand counters at most, whatever the number of samples). Keeps the Prometheus
 * bucket counts alongside.
 */
export class LatencyHistogram {
  private readonly fine = new Map<number, number>();
  private readonly coarse = new Array<number>(PROMETHEUS_BOUNDS_MS.length + 1).fill(0);
  private count = 0;
  private sum = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;

  record(ms: number): void {
    if (!Number.isFinite(ms)) return;
    const value = Math.max(0, ms);
    const index = value <= SMALLEST_MS ? 0 : Math.ceil(Math.log(value / SMALLEST_MS) / LOG_GROWTH);
    this.fine.set(index, (this.fine.get(index) ?? 0) + 1);
    let bound = 0;
    while (bound < PROMETHEUS_BOUNDS_MS.length && value > (PROMETHEUS_BOUNDS_MS[bound] ?? 0)) bound++;
    this.coarse[bound] = (this.coarse[bound] ?? 0) + 1;
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  /** The smallest recorded-bucket bound with at least `q` of the samples at or below it (capped at the max). */
  quantile(q: number): number | undefined {
    if (this.count === 0) return undefined;
    const rank = Math.max(1, Math.ceil(q * this.count));
    const indexes = [...this.fine.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const index of indexes) {
      seen += this.fine.get(index) ?? 0;
      if (seen >= rank) return Math.min(SMALLEST_MS * GROWTH ** index, this.max);
    }
    return this.max;
  }

  summary(): LatencySummary {
    const empty = this.count === 0;
    return {
      count: this.count,
      mean: empty ? undefined : this.sum / this.count,
      min: empty ? undefined : this.min,
      max: empty ? undefined : this.max,
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p99: this.quantile(0.99),
    };
  }

  get total(): { readonly count: number; readonly sumMs: number } {
    return { count: this.count, sumMs: this.sum };
  }

  cumulativeBuckets(): readonly CumulativeBucket[] {
    let running = 0;
    return this.coarse.map((count, index) => {
      running += count;
      return { le: PROMETHEUS_BOUNDS_MS[index] ?? Number.POSITIVE_INFINITY, count: running };
    });
  }
}
