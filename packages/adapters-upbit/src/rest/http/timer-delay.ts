/**
 * The longest delay a Node timer holds (2^31 - 1 ms, about 24.8 days). A longer one fires after 1 ms instead, with a
 * `TimeoutOverflowWarning`, so every delay this adapter arms goes through `timerDelay`.
 */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/** `ms` as a delay a timer can hold: NaN and negatives become 0, anything longer than a timer holds its maximum. */
export function timerDelay(ms: number): number {
  if (Number.isNaN(ms) || ms <= 0) return 0;
  return Math.min(ms, MAX_TIMER_DELAY_MS);
}

/** `value` clamped into [0, max]; NaN becomes 0 and Infinity becomes `max`. */
export function clampMs(value: number, max: number): number {
  if (Number.isNaN(value) || value <= 0) return 0;
  return Math.min(value, max);
}
