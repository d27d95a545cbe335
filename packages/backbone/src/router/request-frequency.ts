import type { MarketCode } from '@marketdata/domain';

export interface RequestFrequencyOptions {
  readonly windowMs: number;
  /** Timestamps kept per symbol at most; beyond it the rate is a lower bound (far above any sane threshold). */
  readonly maxSamplesPerSymbol: number;
}

/** Request times of one symbol inside the window, oldest first. */
class Samples {
  private times: number[] = [];
  private head = 0;

  add(at: number, max: number): void {
    this.times.push(at);
    if (this.times.length - this.head > max) this.head++;
    this.compact();
  }

  prune(before: number): void {
    while (this.head < this.times.length && (this.times[this.head] ?? Number.POSITIVE_INFINITY) < before) this.head++;
    this.compact();
  }

  get count(): number {
    return this.times.length - this.head;
  }

  /** The `index`-th newest sample (0 = the newest); undefined beyond the oldest kept. */
  newest(index: number): number | undefined {
    const position = this.times.length - 1 - index;
    return position >= this.head ? this.times[position] : undefined;
  }

  private compact(): void {
    if (this.head > 64 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
}

/**
 * Per-symbol request frequency over a sliding window (monotonic milliseconds). A request at time t counts until
 * t + windowMs; the rate is the count inside the window divided by the window length.
 */
export class RequestFrequency {
  private readonly samples = new Map<MarketCode, Samples>();

  constructor(private readonly options: RequestFrequencyOptions) {}

  record(symbol: MarketCode, at: number): void {
    let samples = this.samples.get(symbol);
    if (samples === undefined) {
      samples = new Samples();
      this.samples.set(symbol, samples);
    }
    samples.add(at, this.options.maxSamplesPerSymbol);
  }

  /** Requests per second over the window ending at `at`. */
  ratePerSecond(symbol: MarketCode, at: number): number {
    const samples = this.samples.get(symbol);
    if (samples === undefined) return 0;
    samples.prune(at - this.options.windowMs);
    return samples.count / (this.options.windowMs / 1000);
  }

  /**
   * The last instant at which at least `count` of the symbol's requests are still inside the window, if no new
   * request comes: when the `count`-th newest request leaves it. Undefined when fewer are inside it at `at`.
   */
  lastInstantWith(symbol: MarketCode, count: number, at: number): number | undefined {
    const samples = this.samples.get(symbol);
    if (samples === undefined) return undefined;
    samples.prune(at - this.options.windowMs);
    const keeping = samples.newest(count - 1);
    return keeping === undefined ? undefined : keeping + this.options.windowMs;
  }

  /** Forgets symbols with no request inside the window (keeps memory bounded by the active set). */
  sweep(at: number): void {
    for (const [symbol, samples] of this.samples) {
      samples.prune(at - this.options.windowMs);
      if (samples.count === 0) this.samples.delete(symbol);
    }
  }
}
