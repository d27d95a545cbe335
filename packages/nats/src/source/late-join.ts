import type { Clock, Logger, MarketCode, StreamKind } from '@marketdata/domain';
import type { FleetSubjects } from '../subjects.js';
import type { LatestReader, StoredValue } from './fleet-connection.js';

export interface LateJoinOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly subjects: FleetSubjects;
  readonly bucket: () => Promise<LatestReader>;
  /** A stored message, decoded with its receive time aged by the time it sat in the bucket. */
  readonly onStored: (kind: StreamKind, symbol: MarketCode, entry: StoredValue, arrivedAtMonotonic: number) => void;
  readonly onMalformed: (kind: StreamKind, error: unknown, sample: string) => void;
}

/**
 * Late joining: when a state (ticker, order book) goes on this consumer's wire, its latest value is read from the KV
 * bucket, after the live subscription is made, so nothing published in between is missed (the feeds keep whichever
 * is newer by the gateway's per-subject sequence). Symbols added in one synchronous run are read together, each key
 * by a direct get (server 2.9 has no multi-filter consumers, and a watch of every key would read the whole bucket).
 *
 * Age. The stored message carries `ageMs` at publishing; the time it then sat in the bucket is the server's store
 * time (`created`) against this machine's wall clock: the one place a wall-clock difference is used, because two
 * processes share no monotonic clock. On one host (or NTP-synced hosts) it is exact to the clock's precision; a
 * skewed clock can only shift a late joiner's first value, never the live ones.
 */
export class LateJoin {
  private readonly queued = new Map<string, { kind: StreamKind; symbol: MarketCode }>();
  private scheduled = false;
  private failures = 0;
  reads = 0;

  constructor(private readonly options: LateJoinOptions) {}

  request(kind: StreamKind, symbol: MarketCode): void {
    this.queued.set(`${kind} ${symbol}`, { kind, symbol });
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      const batch = [...this.queued.values()];
      this.queued.clear();
      void this.read(batch);
    });
  }

  private async read(batch: readonly { kind: StreamKind; symbol: MarketCode }[]): Promise<void> {
    const { clock, logger, subjects, onStored, onMalformed } = this.options;
    let kv: LatestReader;
    try {
      kv = await this.options.bucket();
    } catch (error) {
      this.failures++;
      if (this.failures <= 3) logger.warn('late join: KV bucket not available', { error: String(error) });
      return;
    }
    await Promise.all(
      batch.map(async ({ kind, symbol }) => {
        let entry: StoredValue | null;
        try {
          entry = await kv.get(subjects.kvKey(kind, symbol));
        } catch (error) {
          logger.debug('late join: read failed', { kind, symbol, error: String(error) });
          return;
        }
        if (entry === null || entry.operation !== 'PUT') return;
        this.reads++;
        const storedForMs = Math.max(0, clock.now() - entry.created.getTime());
        const arrivedAt = clock.monotonic() - storedForMs;
        try {
          onStored(kind, symbol, entry, arrivedAt);
        } catch (error) {
          onMalformed(kind, error, new TextDecoder().decode(entry.value.subarray(0, 200)));
        }
      }),
    );
  }
}
