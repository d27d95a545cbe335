import type { Clock } from '@marketdata/domain';

/** Offsets between the two clocks that differ by less than this are drift (NTP slewing, rounding), not a jump. */
export const WALL_JUMP_TOLERANCE_MS = 1_000;
/** Jumps remembered; a stamp older than the oldest one kept is read with that oldest offset. */
const MAX_SEGMENTS = 16;

/** A stretch of time over which wall time minus monotonic time stayed the same (within the tolerance). */
interface Segment {
  offsetMs: number;
  /** Monotonic times of the first and the latest sample that saw this offset. */
  readonly firstSeen: number;
  lastSeen: number;
}

/**
 * Translates local wall-clock stamps (an adapter's `receivedAt`, a stream's `lastUpdateAt`) into the clock's
 * monotonic time, so that durations measured from them survive wall-clock jumps. The offset between the two clocks
 * is sampled at construction and at every use; a change beyond the tolerance is a jump. A stamp is read with the
 * offset that held when it could have been taken: between the sample before the jump into that offset and the
 * first sample after the jump out of it. A wall time that occurred twice (after a backward jump) is read as the
 * later occurrence; callers keep the first reading of a stamp so that it does not shift afterwards.
 */
export class WallToMonotonic {
  private readonly segments: Segment[] = [];

  constructor(private readonly clock: Clock) {
    this.sample();
  }

  /** Samples the offset between the clocks and returns the current monotonic time. */
  sample(): number {
    const monotonic = this.clock.monotonic();
    const offsetMs = this.clock.now() - monotonic;
    const current = this.segments.at(-1);
    if (current !== undefined && Math.abs(offsetMs - current.offsetMs) <= WALL_JUMP_TOLERANCE_MS) {
      current.offsetMs = offsetMs;
      current.lastSeen = monotonic;
    } else {
      this.segments.push({ offsetMs, firstSeen: monotonic, lastSeen: monotonic });
      if (this.segments.length > MAX_SEGMENTS) this.segments.shift();
    }
    return monotonic;
  }

  /**
   * The monotonic instant of a wall-clock stamp taken on this machine. It may lie slightly ahead of now (within the
   * tolerance, from drift); `undefined` when the stamp is ahead of the local clock under every offset seen, so that
   * when it was taken is unknown.
   */
  toMonotonic(wallMs: number): number | undefined {
    const now = this.sample();
    const last = this.segments.length - 1;
    for (let index = last; index >= 0; index--) {
      const segment = this.segments[index];
      if (segment === undefined) continue;
      const candidate = wallMs - segment.offsetMs;
      const earliest = (this.segments[index - 1]?.lastSeen ?? Number.NEGATIVE_INFINITY) - WALL_JUMP_TOLERANCE_MS;
      const latest = (index === last ? now : (this.segments[index + 1]?.firstSeen ?? now)) + WALL_JUMP_TOLERANCE_MS;
      if (candidate >= earliest && candidate <= latest) return candidate;
    }
    return undefined;
  }
}
