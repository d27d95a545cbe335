/**
 * How late trades reached the consumer. A streamed trade: from its arrival (the adapter's receive time) to the moment
 * `watchTrades` handed it out, i.e. how long it was held back while its symbol recovered a gap (a subscription's
 * SNAPSHOT may be an old trade, so the trade time would say nothing). A backfilled trade: from the exchange's trade
 * time, i.e. the gap itself plus the wait for the REST budget. Wall clocks of this machine (the simulator shares
 * it). Constant memory: counts, a sum and a maximum.
 */
export interface DelayFigures {
  readonly count: number;
  readonly meanMs: number | undefined;
  readonly maxMs: number | undefined;
  /** Handed out more than a second after they happened. */
  readonly overOneSecond: number;
  readonly overFiveSeconds: number;
}

export class DelayTally {
  private count = 0;
  private sum = 0;
  private max = Number.NEGATIVE_INFINITY;
  private overOne = 0;
  private overFive = 0;

  record(delayMs: number): void {
    this.count++;
    this.sum += delayMs;
    if (delayMs > this.max) this.max = delayMs;
    if (delayMs > 1_000) this.overOne++;
    if (delayMs > 5_000) this.overFive++;
  }

  figures(): DelayFigures {
    return {
      count: this.count,
      meanMs: this.count === 0 ? undefined : this.sum / this.count,
      maxMs: this.count === 0 ? undefined : this.max,
      overOneSecond: this.overOne,
      overFiveSeconds: this.overFive,
    };
  }
}
