import type { EpochMs } from '@marketdata/domain';

/** Timing every REST record carries, from the response it came in (stamped when the body arrived). */
export interface RestTiming {
  readonly receivedAt: EpochMs;
  readonly receivedAtMonotonic: number;
  readonly latencyMs: number;
}

/** The timing of a response, for its records. */
export function restTiming(response: RestTiming): RestTiming {
  return {
    receivedAt: response.receivedAt,
    receivedAtMonotonic: response.receivedAtMonotonic,
    latencyMs: response.latencyMs,
  };
}
