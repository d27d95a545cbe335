/**
 * Upbit's per-connection limit on data requests (documented: 5 per second and 100 per minute per connection),
 * as two rolling windows on monotonic time. A refused message does not count against the windows.
 */
export class MessageLimit {
  private times: number[] = [];

  constructor(
    private readonly perSecond: number,
    private readonly perMinute: number,
  ) {}

  /** Records a message at `now` if both windows have room; false when it is over the limit. */
  admit(now: number): boolean {
    const minuteCutoff = now - 60_000;
    let drop = 0;
    while (drop < this.times.length && (this.times[drop] ?? 0) <= minuteCutoff) drop++;
    if (drop > 0) this.times = this.times.slice(drop);
    if (this.times.length >= this.perMinute) return false;
    const secondCutoff = now - 1000;
    let inSecond = 0;
    for (let i = this.times.length - 1; i >= 0 && (this.times[i] ?? 0) > secondCutoff; i--) inSecond++;
    if (inSecond >= this.perSecond) return false;
    this.times.push(now);
    return true;
  }
}
