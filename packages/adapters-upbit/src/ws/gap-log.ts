import type { MarketCode, StreamGap } from '@marketdata/domain';

/** A moment on both clocks: wall (for a REST backfill) and monotonic (for durations). */
export interface Instant {
  readonly wall: number;
  readonly monotonic: number;
}

/** Recorded gaps, newest last, bounded to `capacity` (the oldest closed ones are dropped first). */
export class GapLog {
  private readonly gaps: StreamGap[] = [];
  private openGap: StreamGap | undefined;
  private total = 0;

  constructor(private readonly capacity: number) {}

  /** Opens a gap unless one is already open (a failed reconnect extends the same gap). */
  open(at: Instant, reason: string, symbols: readonly MarketCode[]): StreamGap | undefined {
    if (this.openGap !== undefined) return undefined;
    const gap: StreamGap = {
      startedAt: at.wall,
      endedAt: undefined,
      startedAtMonotonic: at.monotonic,
      endedAtMonotonic: undefined,
      reason,
      symbols,
    };
    this.openGap = gap;
    this.gaps.push(gap);
    this.total++;
    this.trim();
    return gap;
  }

  close(at: Instant): StreamGap | undefined {
    const gap = this.openGap;
    if (gap === undefined) return undefined;
    const closed: StreamGap = { ...gap, endedAt: at.wall, endedAtMonotonic: at.monotonic };
    const index = this.gaps.lastIndexOf(gap);
    if (index >= 0) this.gaps[index] = closed;
    this.openGap = undefined;
    return closed;
  }

  get isOpen(): boolean {
    return this.openGap !== undefined;
  }

  /** Gaps recorded since start, including ones no longer kept. */
  get count(): number {
    return this.total;
  }

  list(): readonly StreamGap[] {
    return [...this.gaps];
  }

  private trim(): void {
    while (this.gaps.length > this.capacity) {
      const index = this.gaps.findIndex((gap) => gap.endedAt !== undefined);
      this.gaps.splice(Math.max(index, 0), 1);
    }
  }
}
