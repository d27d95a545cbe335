import type { DataQuality, DataSource } from '@marketdata/domain';

/**
 * Every ticker the consumer was handed (from `watchTickers`, `getTicker`, `getTickers`), kept in preallocated typed
 * arrays so that recording them does not grow the heap the scenario measures. A fault is judged from here once its
 * feed has recovered; the ring holds far more than one fault's worth.
 */

const SOURCES: readonly DataSource[] = ['websocket', 'rest', 'cache'];
const QUALITIES: readonly DataQuality[] = ['high', 'medium', 'low'];

export interface TickerSample {
  /**
   * When the value was asked for: the start of the `getTicker`/`getTickers` call, or the moment `watchTickers`
   * handed it out. The facade graded it at or after this instant.
   */
  readonly askedAt: number;
  readonly symbolIndex: number;
  readonly source: DataSource;
  readonly quality: DataQuality;
  /** The value came from the WebSocket (directly, or a cache entry the WebSocket filled). */
  readonly fromWebsocket: boolean;
  readonly receivedAt: number;
}

export class QualityRing {
  private readonly askedAt: Float64Array;
  private readonly receivedAt: Float64Array;
  private readonly symbol: Uint16Array;
  private readonly flags: Uint8Array;
  private next = 0;
  private total = 0;
  private readonly qualityCounts = new Map<DataQuality, number>();

  constructor(private readonly capacity: number) {
    this.askedAt = new Float64Array(capacity);
    this.receivedAt = new Float64Array(capacity);
    this.symbol = new Uint16Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  record(sample: TickerSample): void {
    const i = this.next;
    this.askedAt[i] = sample.askedAt;
    this.receivedAt[i] = sample.receivedAt;
    this.symbol[i] = sample.symbolIndex;
    this.flags[i] =
      SOURCES.indexOf(sample.source) | (QUALITIES.indexOf(sample.quality) << 2) | (sample.fromWebsocket ? 16 : 0);
    this.next = (i + 1) % this.capacity;
    this.total++;
    this.qualityCounts.set(sample.quality, (this.qualityCounts.get(sample.quality) ?? 0) + 1);
  }

  get count(): number {
    return this.total;
  }

  byQuality(): Record<string, number> {
    return Object.fromEntries(this.qualityCounts);
  }

  /** When the oldest sample still held was asked for (undefined when empty). */
  oldestHeld(): number | undefined {
    if (this.total === 0) return undefined;
    const oldest = this.total < this.capacity ? 0 : this.next;
    return this.askedAt[oldest];
  }

  /** Calls `visit` for every held sample asked for in [from, to). */
  forEachBetween(from: number, to: number, visit: (sample: TickerSample) => void): void {
    const held = Math.min(this.total, this.capacity);
    for (let k = 0; k < held; k++) {
      const i = (this.next - held + k + this.capacity) % this.capacity;
      const at = this.askedAt[i] ?? 0;
      if (at < from || at >= to) continue;
      const flags = this.flags[i] ?? 0;
      visit({
        askedAt: at,
        symbolIndex: this.symbol[i] ?? 0,
        source: SOURCES[flags & 3] ?? 'websocket',
        quality: QUALITIES[(flags >> 2) & 3] ?? 'low',
        fromWebsocket: (flags & 16) !== 0,
        receivedAt: this.receivedAt[i] ?? 0,
      });
    }
  }
}
