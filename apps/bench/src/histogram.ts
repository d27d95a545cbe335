import hdr from 'hdr-histogram-js';

/** A point of a latency distribution: `percentile` in 0..100, `valueNs` the latency at or below it. */
export interface DistributionPoint {
  readonly percentile: number;
  readonly valueNs: number;
}

export interface LatencySummary {
  readonly count: number;
  readonly meanNs: number;
  readonly p50Ns: number;
  readonly p90Ns: number;
  readonly p99Ns: number;
  readonly maxNs: number;
  readonly distribution: readonly DistributionPoint[];
}

// Percentiles kept for the chart: dense towards the tail, HdrHistogram style.
const CHART_PERCENTILES = [0, 10, 25, 50, 75, 90, 95, 97.5, 99, 99.5, 99.9, 99.95, 99.99, 100];

/** HDR histogram of latencies recorded in nanoseconds (integers, 3 significant digits, auto-resizing). */
export class LatencyHistogram {
  private readonly histogram = hdr.build({ numberOfSignificantValueDigits: 3, useWebAssembly: false });
  private negatives = 0;

  recordNs(valueNs: number): void {
    if (!Number.isFinite(valueNs)) return;
    if (valueNs < 0) {
      // Clock skew between two processes' readings of the same wall clock; counted, recorded as 0.
      this.negatives += 1;
      this.histogram.recordValue(0);
      return;
    }
    this.histogram.recordValue(Math.round(valueNs));
  }

  recordMs(valueMs: number): void {
    this.recordNs(valueMs * 1e6);
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  get negativeCount(): number {
    return this.negatives;
  }

  summary(): LatencySummary | undefined {
    if (this.histogram.totalCount === 0) return undefined;
    const at = (p: number): number => this.histogram.getValueAtPercentile(p);
    return {
      count: this.histogram.totalCount,
      meanNs: this.histogram.mean,
      p50Ns: at(50),
      p90Ns: at(90),
      p99Ns: at(99),
      maxNs: this.histogram.maxValue,
      distribution: CHART_PERCENTILES.map((percentile) => ({ percentile, valueNs: at(percentile) })),
    };
  }

  destroy(): void {
    this.histogram.destroy();
  }
}
