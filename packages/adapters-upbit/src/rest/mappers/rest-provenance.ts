import type { EpochMs } from '@marketdata/domain';

/** Timing every REST record carries, from the response it came in. */
export interface RestTiming {
  readonly receivedAt: EpochMs;
  readonly latencyMs: number;
}
