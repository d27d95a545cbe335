/** The tests' reading of real time: wall ms, the same clock the adapters stamp `receivedAt`, gaps and state changes
 * with when they run on their default system clock, so the two can be compared. */
export function wallNow(): number {
  return Date.now();
}
